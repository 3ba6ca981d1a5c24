"""The events page at `/events`: every exercise and patrol as one sortable, filterable table.

Rows come from the built layers only. Filters use `geo.domain.query`, so `?year=2023&actor=Russia`
selects here exactly what it selects in `/api`; `static/pages.js` sorts and filters in place.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any

from flask import Blueprint, render_template, request, url_for

from geo.domain.query import UNDATED, QueryError, parse_query, select
from geo.storage.files import LayerStore, UnknownLayer
from webapp import csrf, get_store

blueprint = Blueprint("events", __name__)
blueprint.after_request(csrf.page_headers)

EVENT_LAYERS = ("exercises", "patrols")
FILTER_PARAMS = ("year", "actor", "kind", "bbox")  # as in /api/layers/<name>.geojson
POINT_ZOOM = 6
MIN_ZOOM = 2
MAX_ZOOM = 6
# A world is 256 px wide at zoom 0, so a span of d degrees fills about 512 px at log2(720 / d).
_FIT_DEGREES = 720.0


def event_features(store: LayerStore) -> list[dict[str, Any]]:
    """Every event feature, exercises first, in the build's stable order."""
    features: list[dict[str, Any]] = []
    for name in EVENT_LAYERS:
        try:
            features.extend(store.layer(name).features)
        except UnknownLayer:
            continue
    return features


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


def kind_label(kind: str | None) -> str:
    return (kind or "other").replace("_", " ")


def year_key(year: int | None) -> str:
    return UNDATED if year is None else str(year)


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
        "places": list(props.get("places") or []),
        "n_sources": props.get("n_sources") or len(doc_ids),
        "confidence": props.get("confidence"),
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


def _options(values: Iterable[Any], chosen: str | None) -> list[str]:
    """Select options: the values the layers hold, plus a chosen value they do not (kept)."""
    options = [str(v) for v in values]
    if chosen and chosen not in options:
        options.append(chosen)
    return options


def _filter_params() -> dict[str, str]:
    """Filter parameters for `parse_query`; empty values (an unset select) mean no filter."""
    unknown = sorted(set(request.args) - set(FILTER_PARAMS))
    if unknown:
        raise QueryError(
            f"unknown parameter {unknown[0]!r}; known parameters: {', '.join(FILTER_PARAMS)}"
        )
    params: dict[str, str] = {}
    for name in FILTER_PARAMS:
        values = [v for v in request.args.getlist(name) if v.strip()]
        if values:
            params[name] = ",".join(values)
    return params


@blueprint.get("/events")
def table() -> tuple[str, int]:
    store = get_store()
    index = store.index()
    summaries = [layer for layer in index.get("layers", []) if layer.get("name") in EVENT_LAYERS]
    years = sorted(
        {y for layer in summaries for y in layer.get("years", [])},
        key=lambda y: (y is None, y or 0),
    )
    actors = sorted({a for layer in summaries for a in layer.get("actors", [])})
    kinds = sorted({k for layer in summaries for k in layer.get("kinds", [])})
    features = event_features(store)
    params: dict[str, str] = {}
    error = None
    try:
        params = _filter_params()
        query = parse_query(params)
    except QueryError as exc:
        error = str(exc)
        params = {}
        query = parse_query({})
    selected = select(features, query) if error is None else []
    documents = store.documents()
    rows = [event_row(feature, documents) for feature in selected]
    page = render_template(
        "pages/events.html",
        rows=rows,
        total=len(features),
        error=error,
        params=params,
        server_filtered=bool(params),
        year_options=_options((year_key(y) for y in years), params.get("year")),
        actor_options=_options(actors, params.get("actor")),
        kind_options=_options(kinds, params.get("kind")),
        kind_label=kind_label,
    )
    return page, 400 if error else 200
