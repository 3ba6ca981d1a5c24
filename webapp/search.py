"""Search requests and hits for the web: `q`, `limit`, `offset` parsed once, each hit with its
links (the document view marking the match, the map showing the event or the document's events).

Shared by `/api/search` and the `/search` page, so both accept and answer the same things.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import url_for

from geo.domain.query import collect_params, parse_int
from geo.domain.search import SearchQuery, parse_search
from geo.errors import DrillmapError, StoreUnavailable
from geo.storage.base import FeatureStore, SearchHit, SearchIndex
from webapp import get_backend
from webapp.pages.events import map_url, map_view

SEARCH_PARAMS = ("q", "limit", "offset")
DEFAULT_LIMIT = 20
MAX_LIMIT = 100
MAX_OFFSET = 10_000


@dataclass(frozen=True)
class SearchRequest:
    query: SearchQuery
    limit: int
    offset: int


def search_request(args: Any) -> SearchRequest:
    """`q` (required), `limit` (1-100, default 20) and `offset` (0-10,000) from a request's
    arguments; InvalidParameter (400) names the first problem."""
    params = collect_params(args.items(multi=True), SEARCH_PARAMS)
    limit, offset = params.get("limit"), params.get("offset")
    return SearchRequest(
        query=parse_search(params.get("q")),
        limit=DEFAULT_LIMIT if limit is None else parse_int(
            limit, "limit", minimum=1, maximum=MAX_LIMIT
        ),
        offset=0 if offset is None else parse_int(
            offset, "offset", minimum=0, maximum=MAX_OFFSET
        ),
    )


def get_search() -> SearchIndex:
    """The store's search index; StoreUnavailable (503) for a store that has none."""
    index = get_backend().search
    if index is None:
        raise StoreUnavailable("this store has no search index")
    return index


def document_link(doc_id: str, query: SearchQuery, matches: tuple[tuple[int, int], ...]) -> str:
    """The document view with the query's matches marked, opened at the first one."""
    if not matches:
        return url_for("documents.show", doc_id=doc_id, highlight=query.text)
    start, end = matches[0]
    return url_for(
        "documents.show", doc_id=doc_id, highlight=query.text, at=start, _anchor=f"m-{start}-{end}"
    )


def _union(boxes: list[list[float]]) -> list[float] | None:
    if not boxes:
        return None
    return [
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    ]


def hit_map_link(store: FeatureStore, hit: SearchHit) -> str | None:
    """The event's feature on the map, or the document's events (one: focused; more: shown)."""
    try:
        if hit.feature_id and hit.layer:
            feature = store.get(hit.layer, hit.feature_id)
            return map_url(hit.feature_id, feature.get("bbox")) if feature.get("bbox") else None
        events = [f for f in store.events_for_document(hit.doc_id) if f.get("bbox")]
    except DrillmapError:
        return None  # the layer is gone or damaged: the hit still links to the document
    if len(events) == 1:
        return map_url(str(events[0]["id"]), events[0]["bbox"])
    view = map_view(_union([f["bbox"] for f in events]))
    return url_for("map.index", **view) if view else None


def document_title(store: FeatureStore, doc_id: str) -> str:
    """The document's title as the build recorded it, else its id."""
    try:
        return store.document(doc_id).get("title") or doc_id
    except DrillmapError:  # a document the layers no longer list
        return doc_id


def hit_json(store: FeatureStore, hit: SearchHit, query: SearchQuery) -> dict[str, Any]:
    """A hit as `/api/search` gives it (offsets are characters of the document's text)."""
    return {
        "kind": hit.kind,
        "document": {
            "id": hit.doc_id,
            "title": document_title(store, hit.doc_id),
            "url": document_link(hit.doc_id, query, hit.matches),
        },
        "title": hit.title,
        "feature": (
            {"id": hit.feature_id, "layer": hit.layer} if hit.feature_id is not None else None
        ),
        "map_url": hit_map_link(store, hit),
        "snippet": hit.snippet,
        "highlights": [list(span) for span in hit.marks],
        "title_highlights": [list(span) for span in hit.title_marks],
        "matches": [list(span) for span in hit.matches],
    }
