"""The JSON API the map reads: layer summaries and filtered GeoJSON layers.

Filters come through `webapp.params` and are answered by the store, so `/api`, the OGC API and
the exports select the same features for the same parameters; errors are the one JSON shape.
"""

from __future__ import annotations

import hashlib
from typing import Any

import orjson
from flask import Blueprint, Response, request, url_for

from webapp import get_store
from webapp.params import request_query

blueprint = Blueprint("api", __name__)

GEOJSON = "application/geo+json"
SUMMARY_KEYS = ("name", "title", "count", "years", "actors", "kinds", "bbox", "geometry_types")


def json_response(body: Any, status: int = 200, mimetype: str = "application/json") -> Response:
    return Response(orjson.dumps(body), status=status, mimetype=mimetype)


@blueprint.get("/layers")
def layers() -> Response:
    summaries = []
    for entry in get_store().collections():
        summary = {key: entry.get(key) for key in SUMMARY_KEYS}
        summary["url"] = url_for("api.layer_geojson", name=entry["name"])
        summaries.append(summary)
    return json_response({"layers": summaries})


@blueprint.get("/layers/<name>.geojson")
def layer_geojson(name: str) -> Response:
    query = request_query()
    page = get_store().query(name, query)
    # Features the store keeps serialised are joined, not encoded again on every request.
    encoded = page.encoded if page.encoded is not None else [orjson.dumps(f) for f in page.features]
    body = b'{"type":"FeatureCollection","features":[' + b",".join(encoded) + b"]}"
    response = Response(body, mimetype=GEOJSON)
    # Same data version and same query → same body: let the browser revalidate cheaply.
    tag = hashlib.sha256(repr((page.version, sorted(query.as_params().items()))).encode())
    response.set_etag(tag.hexdigest()[:32])
    response.cache_control.no_cache = True
    return response.make_conditional(request)
