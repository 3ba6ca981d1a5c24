"""The events page at `/events`: every exercise and patrol as one sortable, filterable table.

Rows come from the built layers only. Filters use `geo.domain.query`, so `?year=2023&actor=Russia`
selects here exactly what it selects in `/api`; `static/pages.js` sorts and filters in place.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any

from flask import Blueprint, render_template, request, url_for

from geo.budget import check_budget, within_budget
from geo.domain.features import Feature
from geo.domain.kinds import kind_label
from geo.domain.language import LANGUAGE_NAMES, LANGUAGES
from geo.domain.layers import EVENT_LAYERS
from geo.domain.query import (
    FILTER_NAMES,
    UNDATED,
    FeatureQuery,
    feature_langs,
    parse_query,
)
from geo.errors import InvalidParameter, StoreUnavailable
from geo.storage.base import FeatureStore
from webapp import csrf, get_store
from webapp.params import PAGING, page_params, page_urls, request_params

blueprint = Blueprint("events", __name__)
blueprint.after_request(csrf.page_headers)

POINT_ZOOM = 6
MIN_ZOOM = 2
MAX_ZOOM = 6
# A world is 256 px wide at zoom 0, so a span of d degrees fills about 512 px at log2(720 / d).
_FIT_DEGREES = 720.0
EVENTS_PAGE = 500  # rows a page of the events table shows unless `limit` says otherwise
MAX_EVENTS_PAGE = 5_000


def event_features(
    store: FeatureStore,
    query: FeatureQuery | None = None,
    layers: Iterable[str] = EVENT_LAYERS,
) -> list[Feature]:
    """Every event feature a query selects (the charts count them all)."""
    return event_page(store, query or FeatureQuery(), None, 0, layers)[0]


def event_page(
    store: FeatureStore,
    query: FeatureQuery,
    limit: int | None,
    offset: int = 0,
    layers: Iterable[str] = EVENT_LAYERS,
) -> tuple[list[Feature], int]:
    """One page of the event features a query selects (event layers in registry order, each
    in the build's stable order; no `limit`: all of them) and how many it selects in all: per
    layer one store query, its count and its part of the page, never the whole layer."""
    built = {entry["name"] for entry in store.collections()}
    features: list[Feature] = []
    matched = 0
    for name in layers:
        check_budget("collecting events")
        if name not in built:
            continue
        try:
            left = None if limit is None else limit - len(features)
            page = store.query(name, query, limit=left, offset=max(0, offset - matched))
        except StoreUnavailable:
            continue  # a damaged layer: the page says so (store_problems) and goes on
        features.extend(page.features)
        matched += page.matched
    return features, matched


def map_view(bbox: list[float] | None) -> dict[str, str] | None:
    """`center=lat,lon` and `zoom` that show a bounding box; None when there is no geometry."""
    if not bbox or len(bbox) < 4:
        return None
    west, south, east, north = (float(v) for v in bbox[:4])
    if west > east:  # crosses the antimeridian (RFC 7946 5.2)
        east += 360.0
    lon = (west + east) / 2
    if lon > 180:
        lon -= 360.0
    lat = (south + north) / 2
    span = max(east - west, north - south)
    zoom = POINT_ZOOM if span <= 0 else int(math.log2(_FIT_DEGREES / span))
    zoom = max(MIN_ZOOM, min(MAX_ZOOM, zoom))
    return {"center": f"{lat:.4f},{lon:.4f}", "zoom": str(zoom)}


def map_url(focus: str, bbox: list[float] | None) -> str:
    """A link to the map focused on a feature (the map page reads `focus`, `center`, `zoom`)."""
    return url_for("map.index", focus=focus, **(map_view(bbox) or {}))


def year_key(year: int | None) -> str:
    return UNDATED if year is None else str(year)


def cited_documents(
    store: FeatureStore, features: Iterable[Feature]
) -> dict[str, dict[str, Any]]:
    """The entries of the documents these features' evidence cites (for `event_row`), read by
    id: a page of events never lists every document."""
    cited = {
        str(e.get("doc_id")) for f in features for e in f["properties"].get("evidence") or []
    }
    return store.documents_for(cited)


def event_row(feature: Mapping[str, Any], documents: Mapping[str, Mapping[str, Any]]) -> dict:
    """What one table row (or one event on a document page) shows, already as plain values."""
    props = feature["properties"]
    doc_ids: list[str] = []
    for evidence in props.get("evidence") or []:
        if evidence.get("doc_id") not in doc_ids:
            doc_ids.append(evidence.get("doc_id"))
    has_place = bool(feature.get("bbox"))
    return {
        "id": props.get("id") or feature.get("id"),
        "title": props.get("title") or props.get("name") or "(untitled event)",
        "name": props.get("name"),
        "kind": props.get("kind") or "other",
        "kind_label": kind_label(props.get("kind")),
        "year": props.get("year"),
        "years": [year_key(y) for y in props.get("years") or [None]],
        "date_start": props.get("date_start"),
        "date_end": props.get("date_end"),
        "actors": list(props.get("actors") or []),
        "langs": feature_langs(props),
        "places": list(props.get("places") or []),
        "n_sources": props.get("n_sources") or len(doc_ids),
        "confidence": props.get("confidence"),
        "layer": props.get("layer"),
        "review": props.get("review") or "machine",
        "review_note": props.get("review_note"),
        "evidence": list(props.get("evidence") or []),
        "map_url": map_url(str(feature.get("id")), feature.get("bbox")) if has_place else None,
        "documents": [
            {
                "id": doc_id,
                "title": (documents.get(doc_id) or {}).get("title") or doc_id,
                "url": url_for("documents.show", doc_id=doc_id),
            }
            for doc_id in doc_ids
            if doc_id in documents
        ],
    }


def filter_options(values: Iterable[Any], chosen: str | None) -> list[str]:
    """Select options: the values the layers hold, plus a chosen value they do not (kept)."""
    options = [str(v) for v in values]
    if chosen and chosen not in options:
        options.append(chosen)
    return options


def event_layer_values(
    store: FeatureStore,
) -> tuple[list[dict[str, Any]], list[Any], list[str], list[str]]:
    """The event layers' summaries and the years, actors and kinds they hold (for filter forms:
    the events table, the charts page)."""
    summaries = [layer for layer in store.collections() if layer.get("name") in EVENT_LAYERS]
    years = sorted(
        {y for layer in summaries for y in layer.get("years", [])},
        key=lambda y: (y is None, y or 0),
    )
    actors = sorted({a for layer in summaries for a in layer.get("actors", [])})
    kinds = sorted({k for layer in summaries for k in layer.get("kinds", [])})
    return summaries, years, actors, kinds


@blueprint.get("/events")
def table() -> tuple[str, int]:
    store = get_store()
    summaries, years, actors, kinds = event_layer_values(store)
    total = sum(layer.get("count", 0) for layer in summaries)
    params: dict[str, str] = {}
    error = None
    limit, offset, matched = EVENTS_PAGE, 0, 0
    try:
        params = request_params((*FILTER_NAMES, *PAGING), skip_empty=True)
        limit, offset = page_params(params, EVENTS_PAGE, MAX_EVENTS_PAGE)
        filters = {k: v for k, v in params.items() if k not in PAGING}
        selected, matched = event_page(store, parse_query(filters), limit, offset)
    except InvalidParameter as exc:
        error = str(exc)
        params = {}
        selected = []
    documents = cited_documents(store, selected)
    rows = [event_row(f, documents) for f in within_budget(selected, "listing events")]
    kept = {k: v for k, v in params.items() if k != "offset"}  # filters and limit
    previous_page_url, next_page_url = page_urls(
        "events.table", kept, limit, offset, len(rows), matched
    )
    page = render_template(
        "pages/events.html",
        rows=rows,
        total=total,
        matched=matched,
        first=offset + 1 if rows else 0,
        last=offset + len(rows),
        previous_page_url=previous_page_url,
        next_page_url=next_page_url,
        error=error,
        params=params,
        # One page of several: a new filter asks the server, which sees every event.
        server_filtered=bool(params) or matched > len(rows),
        year_options=filter_options((year_key(y) for y in years), params.get("year")),
        actor_options=filter_options(actors, params.get("actor")),
        kind_options=filter_options(kinds, params.get("kind")),
        kind_label=kind_label,
        lang_options=filter_options(LANGUAGES, params.get("lang")),
        language_name=lambda code: LANGUAGE_NAMES.get(code, code),
        review_options=["machine", "confirmed", "corrected", "rejected", "all"],
        next_url=request.full_path.rstrip("?"),
    )
    return page, 400 if error else 200
