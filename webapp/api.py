"""The JSON API the map reads: layer summaries and filtered GeoJSON layers.

Filtering goes through `geo.domain.query`, so `/api`, the OGC API and the exports select the same
features for the same parameters; errors under /api are JSON too.
"""

from __future__ import annotations

import hashlib
from typing import Any

import orjson
from flask import Blueprint, Response, request, url_for
from werkzeug.exceptions import HTTPException

from geo.domain.query import QueryError, parse_query, select
from geo.storage.files import UnknownLayer
from webapp import get_store

blueprint = Blueprint("api", __name__)

GEOJSON = "application/geo+json"
QUERY_PARAMS = ("year", "actor", "kind", "bbox")
SUMMARY_KEYS = ("name", "title", "count", "years", "actors", "kinds", "bbox", "geometry_types")


def json_response(body: Any, status: int = 200, mimetype: str = "application/json") -> Response:
    return Response(orjson.dumps(body), status=status, mimetype=mimetype)


def json_error(message: str, status: int) -> Response:
    return json_response({"error": message, "status": status}, status=status)


def _query_params() -> dict[str, str]:
    """Request parameters for `parse_query`; unknown names are an error, repeats are joined."""
    unknown = sorted(set(request.args) - set(QUERY_PARAMS))
    if unknown:
        raise QueryError(
            f"unknown parameter {unknown[0]!r}; known parameters: {', '.join(QUERY_PARAMS)}"
        )
    return {name: ",".join(request.args.getlist(name)) for name in request.args}


@blueprint.get("/layers")
def layers() -> Response:
    summaries = []
    for entry in get_store().index()["layers"]:
        summary = {key: entry.get(key) for key in SUMMARY_KEYS}
        summary["url"] = url_for("api.layer_geojson", name=entry["name"])
        summaries.append(summary)
    return json_response({"layers": summaries})


@blueprint.get("/layers/<name>.geojson")
def layer_geojson(name: str) -> Response:
    try:
        query = parse_query(_query_params())
    except QueryError as error:
        return json_error(str(error), 400)
    try:
        layer = get_store().layer(name)
    except UnknownLayer:
        return json_error(f"no layer named {name!r}", 404)
    features = select(layer.features, query)
    response = json_response({"type": "FeatureCollection", "features": features}, mimetype=GEOJSON)
    # Same file version and same query → same body: let the browser revalidate cheaply.
    tag = hashlib.sha256(repr((layer.stamp, sorted(query.as_params().items()))).encode())
    response.set_etag(tag.hexdigest()[:32])
    response.cache_control.no_cache = True
    return response.make_conditional(request)


@blueprint.app_errorhandler(HTTPException)
def http_error(error: HTTPException) -> Response | HTTPException:
    """JSON errors (404, 405, 500, ...) for /api paths; other paths keep Flask's pages."""
    if request.path == "/api" or request.path.startswith("/api/"):
        return json_error(error.description or error.name, error.code or 500)
    return error
