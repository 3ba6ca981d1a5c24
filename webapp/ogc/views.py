"""Flask front end of the OGC API: turns HTTP requests into `core` calls and back.

All API rules live in `webapp.ogc.core`; this module only maps URLs and wraps responses.
"""

from __future__ import annotations

import hashlib

from flask import Blueprint, Response, current_app, request

from webapp import get_store
from webapp.ogc.core import ApiRequest, FeaturesApi

URL_PREFIX = "/ogc"
EXTENSION = "drillmap_ogc"

blueprint = Blueprint("ogc", __name__, url_prefix=URL_PREFIX)


def _api() -> FeaturesApi:
    """One API (and its per-layer arrays) per app, made on first use."""
    api = current_app.extensions.get(EXTENSION)
    if api is None:
        api = current_app.extensions.setdefault(EXTENSION, FeaturesApi(get_store()))
    return api


def _answer(endpoint: str, *args: str) -> Response:
    api_request = ApiRequest(
        # Cheaper than request.url_root, which converts the whole URL to an IRI.
        base_url=f"{request.scheme}://{request.host}{request.script_root}{URL_PREFIX}",
        params=tuple(request.args.items(multi=True)),
        accept=request.headers.get("Accept", ""),
    )
    status, headers, body = _api().handle(endpoint, api_request, *args)
    response = Response(body, status=status, headers=headers)
    if status == 200:
        # The answer is a function of the data version and the request: tag that, rather than
        # hashing the body on every request.
        key = (get_store().version(), request.full_path, api_request.accept, api_request.base_url)
        response.set_etag(hashlib.sha256(repr(key).encode()).hexdigest()[:32])
    return response


@blueprint.get("", strict_slashes=False)
def landing() -> Response:
    return _answer("landing")


@blueprint.get("/conformance")
def conformance() -> Response:
    return _answer("conformance")


@blueprint.get("/api")
def api() -> Response:
    return _answer("api")


@blueprint.get("/collections")
def collections() -> Response:
    return _answer("collections")


@blueprint.get("/collections/<cid>")
def collection(cid: str) -> Response:
    return _answer("collection", cid)


@blueprint.get("/collections/<cid>/items")
def items(cid: str) -> Response:
    return _answer("items", cid)


@blueprint.get("/collections/<cid>/items/<fid>")
def item(cid: str, fid: str) -> Response:
    return _answer("item", cid, fid)
