"""The JSON API the map reads: layer summaries and filtered GeoJSON layers.

Filters come through `webapp.params` and are answered by the store, so `/api`, the OGC API and
the exports select the same features for the same parameters; errors are the one JSON shape.
"""

from __future__ import annotations

import hashlib
from typing import Any

import orjson
from flask import Blueprint, Response, request, url_for

from geo.budget import within_budget
from geo.domain.query import FILTER_NAMES, parse_int, parse_query
from webapp import get_store
from webapp.params import MAX_OFFSET, PAGING, request_params
from webapp.search import get_search, hit_json, search_request

blueprint = Blueprint("api", __name__)

GEOJSON = "application/geo+json"
EVIDENCE_PAGE = 50  # entries per page of a feature's evidence unless `limit` says otherwise
MAX_EVIDENCE_PAGE = 1000
SUMMARY_KEYS = ("name", "title", "count", "years", "actors", "kinds", "bbox", "geometry_types")


def json_response(body: Any, status: int = 200, mimetype: str = "application/json") -> Response:
    return Response(orjson.dumps(body), status=status, mimetype=mimetype)


def _paging(params: dict[str, str]) -> tuple[int | None, int]:
    """`limit` (1.., no cap: the whole layer when absent) and `offset` (0..)."""
    limit, offset = params.get("limit"), params.get("offset")
    return (
        None if limit is None else parse_int(limit, "limit", minimum=1, maximum=MAX_OFFSET),
        0 if offset is None else parse_int(offset, "offset", minimum=0, maximum=MAX_OFFSET),
    )


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
    """The layer's features the filters select; `limit` and `offset` give one page of them
    (the map draws a first page at once, then the rest), `numberMatched` says how many in all."""
    params = request_params((*FILTER_NAMES, *PAGING))
    query = parse_query(params)
    limit, offset = _paging(params)
    page = get_store().query(name, query, limit=limit, offset=offset)
    # Features the store keeps serialised are joined, not encoded again on every request.
    encoded = page.encoded if page.encoded is not None else [orjson.dumps(f) for f in page.features]
    body = b"".join(
        (
            b'{"type":"FeatureCollection","numberMatched":',
            str(page.matched).encode(),
            b',"features":[',
            b",".join(within_budget(encoded, "serialising features")),
            b"]}",
        )
    )
    response = Response(body, mimetype=GEOJSON)
    # Same data version and same query → same body: let the browser revalidate cheaply.
    key = (page.version, sorted(query.as_params().items()), limit, offset)
    tag = hashlib.sha256(repr(key).encode())
    response.set_etag(tag.hexdigest()[:32])
    response.cache_control.no_cache = True
    return response.make_conditional(request)


@blueprint.get("/search")
def search() -> Response:
    """Full-text search over the documents and the events' evidence sentences: `q` (words,
    "phrases", prefix*), `limit` (1-100), `offset`; each hit links its document and the map."""
    asked = search_request(request.args)
    page = get_search().search(asked.query, limit=asked.limit, offset=asked.offset)
    store = get_store()
    following = asked.offset + len(page.hits)
    return json_response(
        {
            "query": asked.query.text,
            "terms": [term.text for term in asked.query.terms],
            "numberMatched": page.matched,
            "numberReturned": len(page.hits),
            "limit": asked.limit,
            "offset": asked.offset,
            "next": url_for(
                "api.search", q=asked.query.text, limit=asked.limit, offset=following
            ) if following < page.matched else None,
            "hits": [hit_json(store, hit, asked.query) for hit in page.hits],
        }
    )


@blueprint.get("/layers/<name>/features/<path:feature_id>/evidence")
def feature_evidence(name: str, feature_id: str) -> Response:
    """Every evidence sentence of a feature, a page at a time (the feature carries the first
    few): `limit` (1–1000, default 50) and `offset`; `numberMatched` counts them all."""
    params = request_params(PAGING)
    limit, offset = _paging(params)
    limit = min(limit or EVIDENCE_PAGE, MAX_EVIDENCE_PAGE)
    store = get_store()
    page = store.evidence(name, feature_id, limit=limit, offset=offset)
    following = offset + len(page.items)
    body = {
        "layer": name,
        "id": feature_id,
        "numberMatched": page.matched,
        "numberReturned": len(page.items),
        "limit": limit,
        "offset": offset,
        "evidence": list(page.items),
        "next": url_for(
            "api.feature_evidence", name=name, feature_id=feature_id, limit=limit, offset=following
        )
        if following < page.matched
        else None,
    }
    response = json_response(body)
    tag = hashlib.sha256(repr((store.version(), name, feature_id, limit, offset)).encode())
    response.set_etag(tag.hexdigest()[:32])
    response.cache_control.no_cache = True
    return response.make_conditional(request)
