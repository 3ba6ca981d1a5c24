"""Document pages: `/documents` lists them, `/documents/<id>` shows one with its places marked.

The app never parses document text: highlights are slices at the offsets the build recorded
(the document's `mentions`, each event's evidence), and every slice is escaped by Jinja. The
text comes from the document store, the events and places from the feature store.
"""

from __future__ import annotations

import hashlib
from bisect import bisect_right
from dataclasses import dataclass
from itertools import pairwise
from typing import Any
from urllib.parse import urlsplit

from flask import Blueprint, render_template, request

from geo.domain.language import LANGUAGE_NAMES
from geo.domain.search import parse_search
from geo.errors import DocumentRefused, DrillmapError, InvalidParameter, NotFound
from geo.storage.base import FeatureStore
from webapp import csrf, get_documents, get_store
from webapp.pages.events import cited_documents, event_row, map_url
from webapp.params import PAGING, page_params, page_urls, request_params
from webapp.search import get_search

blueprint = Blueprint("documents", __name__)
# A long document is shown a page at a time (a 1 MB text was a 9.5 MB page before).
PAGE_CHARS = 40_000
DOCUMENTS_PAGE = 100  # rows of the documents list a page shows unless `limit` says otherwise
MAX_DOCUMENTS_PAGE = 1_000
blueprint.after_request(csrf.page_headers)

@dataclass(frozen=True)
class Segment:
    """A run of document text: plain, a place mention, and/or inside an event's evidence."""

    text: str
    place_id: str | None = None
    place_name: str | None = None
    href: str | None = None
    evidence: bool = False
    anchor: str | None = None
    hit: bool = False  # inside a search match (`?highlight=`)
    hit_anchor: str | None = None


@dataclass(frozen=True)
class Span:
    start: int
    end: int


def evidence_anchor(start: Any, end: Any) -> str:
    return f"ev-{start}-{end}"


def hit_anchor(start: int, end: int) -> str:
    """The id of a search match in the text, as `/search` links it (`#m-<start>-<end>`)."""
    return f"m-{start}-{end}"


def _valid(start: Any, end: Any, length: int) -> bool:
    return isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= length


def segments(
    text: str,
    mentions: list[dict[str, Any]],
    evidence: list[Span],
    place_urls: dict[str, str],
    base: int = 0,
    hits: list[Span] | None = None,
) -> list[Segment]:
    """Cut the text at mention, evidence and search-match offsets; a mention is never split, so
    each is one `<mark>` (a match inside one marks all of it). Overlapping or out-of-range
    offsets are dropped rather than trusted. `text` may be one page of a document starting at
    offset `base` (anchors keep the document's offsets)."""
    length = len(text)
    kept: list[dict[str, Any]] = []
    for mention in sorted(
        (m for m in mentions if _valid(m.get("start"), m.get("end"), length)),
        key=lambda m: (m["start"], -m["end"]),
    ):
        if not kept or mention["start"] >= kept[-1]["end"]:
            kept.append(mention)
    spans = sorted({s for s in evidence if _valid(s.start, s.end, length)}, key=lambda s: s.start)
    found = sorted({s for s in hits or [] if _valid(s.start, s.end, length)}, key=lambda s: s.start)
    by_start = {m["start"]: m for m in kept}
    inside_mention = {i for m in kept for i in range(m["start"] + 1, m["end"])}
    cuts = {0, length}
    cuts.update(m["start"] for m in kept)
    cuts.update(m["end"] for m in kept)
    cuts.update(p for s in (*spans, *found) for p in (s.start, s.end) if p not in inside_mention)
    bounds = sorted(cuts)
    anchored: set[Span] = set()
    hits_anchored: set[Span] = set()
    result: list[Segment] = []
    for start, end in pairwise(bounds):
        covering = [s for s in spans if s.start < end and start < s.end]
        anchor = None
        for span in covering:
            if span not in anchored:
                anchored.add(span)
                anchor = anchor or evidence_anchor(span.start + base, span.end + base)
        matched = [s for s in found if s.start < end and start < s.end]
        first_of = next((s for s in matched if s not in hits_anchored), None)
        if first_of is not None:
            hits_anchored.add(first_of)
        mention = by_start.get(start)
        place_id = str(mention.get("place_id")) if mention else None
        result.append(
            Segment(
                text=text[start:end],
                place_id=place_id,
                place_name=mention.get("name") if mention else None,
                href=place_urls.get(place_id) if place_id else None,
                evidence=bool(covering),
                anchor=anchor,
                hit=bool(matched),
                hit_anchor=(
                    hit_anchor(first_of.start + base, first_of.end + base) if first_of else None
                ),
            )
        )
    return result


def page_bounds(text: str, covered: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Where a long text is cut into pages: about every PAGE_CHARS characters, at a line break
    outside every place mention and evidence sentence (`covered`), so none is split."""
    merged: list[list[int]] = []  # the covered spans as disjoint runs
    for start, end in sorted(covered):
        if merged and start < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    starts = [start for start, _ in merged]

    def outside(cut: int) -> int:
        """`cut`, or the end of the run it falls inside."""
        at = bisect_right(starts, cut) - 1
        return merged[at][1] if at >= 0 and merged[at][0] < cut < merged[at][1] else cut

    cuts = [0]
    while len(text) - cuts[-1] > PAGE_CHARS:
        target = cuts[-1] + PAGE_CHARS
        line = text.find("\n", target, target + PAGE_CHARS // 4)
        cut = outside(line + 1 if line >= 0 else target)
        if cut >= len(text):
            break
        cuts.append(cut)
    return list(pairwise([*cuts, len(text)]))


def _page_number(bounds: list[tuple[int, int]]) -> int:
    """The page asked for: `?at=OFFSET` (from a map popup: the page holding that sentence),
    else `?page=N`; InvalidParameter (400) if malformed, NotFound (404) past the last page."""
    at, page = request.args.get("at"), request.args.get("page")
    for name, value in (("at", at), ("page", page)):
        if value is not None and not (value.isascii() and value.isdigit() and len(value) <= 9):
            raise InvalidParameter(f"{name!r} must be a whole number, got {value!r}")
    if at is not None:
        offset = int(at)
        return next((n for n, (lo, hi) in enumerate(bounds, 1) if offset < hi), len(bounds))
    number = int(page) if page is not None else 1
    if not 1 <= number <= len(bounds):
        raise NotFound(f"this document has {len(bounds)} pages, not {number}")
    return number


def place_urls(store: FeatureStore, place_ids: set[str]) -> dict[str, str]:
    """Map links (`focus=place:<id>`, centred on the place's bbox) for the places named."""
    boxes = store.place_bboxes(sorted(place_ids))
    return {pid: map_url(f"place:{pid}", boxes.get(pid)) for pid in place_ids}


def safe_url(url: Any) -> str | None:
    """The source URL if it is http(s) with a host; anything else is shown as text only."""
    if not isinstance(url, str):
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    return url.strip() if parts.scheme in ("http", "https") and parts.netloc else None


def _highlights(doc_id: str) -> tuple[str | None, list[Span], str | None]:
    """`?highlight=<search>`: the query as typed, where the search index finds it in this
    document, and a notice if it cannot be marked (a malformed query is explained, not a 400:
    the document is still worth showing)."""
    typed = request.args.get("highlight")
    if typed is None:
        return None, [], None
    try:
        query = parse_search(typed)
        found = get_search().matches(doc_id, query)
    except DrillmapError as exc:
        return None, [], f"The search cannot be marked: {exc.description}"
    spans = [Span(start, end) for start, end in found]
    if not spans:
        return query.text, [], f"“{query.text}” does not occur in this document's text."
    return query.text, spans, None


def _not_found(message: str) -> tuple[str, int]:
    return render_template("pages/error.html", status=404, message=message), 404


@blueprint.get("/documents")
def listing() -> tuple[str, int]:
    """The recorded documents, newest first, a page at a time (`limit`, `offset`)."""
    store = get_store()
    try:
        limit, offset = page_params(request_params(PAGING), DOCUMENTS_PAGE, MAX_DOCUMENTS_PAGE)
    except InvalidParameter as exc:
        return render_template("pages/error.html", status=400, message=str(exc)), 400
    documents, total = store.documents_page(limit, offset)
    counts = store.event_counts(d["id"] for d in documents)
    kept = {"limit": request.args.get("limit")}
    previous_url, next_url = page_urls(
        "documents.listing", kept, limit, offset, len(documents), total
    )
    page = render_template(
        "pages/documents.html", documents=documents, counts=counts, total=total,
        first=offset + 1 if documents else 0, last=offset + len(documents),
        previous_url=previous_url, next_url=next_url,
    )
    return page, 200


@blueprint.get("/documents/<doc_id>")
def show(doc_id: str) -> tuple[str, int]:
    store = get_store()
    try:
        entry = store.document(doc_id)  # only ids the build recorded; never a raw path
    except NotFound:
        return _not_found("No document has that id.")
    notice = None
    text: str | None = None
    recorded = entry.get("path")
    try:
        text = get_documents().text(doc_id, recorded if isinstance(recorded, str) else None)
    except NotFound as exc:
        notice = str(exc)
    except DocumentRefused as exc:
        notice = f"The document's text cannot be shown: {exc}"

    highlight, found, highlight_notice = _highlights(doc_id)
    features = store.events_for_document(doc_id)
    documents = cited_documents(store, features)
    rows = []
    spans: list[Span] = []
    for feature in features:
        mine = [e for e in feature["properties"].get("evidence") or [] if e.get("doc_id") == doc_id]
        row = event_row(feature, documents)
        row["evidence"] = [
            {**e, "anchor": evidence_anchor(e.get("start"), e.get("end"))} for e in mine
        ]
        row["other_sources"] = max(0, len(row["documents"]) - 1)
        rows.append(row)
        spans.extend(
            Span(e["start"], e["end"])
            for e in mine
            if isinstance(e.get("start"), int) and isinstance(e.get("end"), int)
        )

    mentions = [m for m in entry.get("mentions") or [] if isinstance(m, dict)]
    urls = place_urls(store, {str(m.get("place_id")) for m in mentions})
    names = {str(m.get("place_id")): m.get("name") or m.get("place_id") for m in mentions}
    order = sorted(names, key=lambda pid: str(names[pid]))
    places = [{"name": names[pid], "url": urls[pid]} for pid in order]
    parts: list[Segment] = []
    bounds = [(0, 0)]
    number = 1
    if text is not None:
        marked = hashlib.sha256(text.encode()).hexdigest() == entry.get("sha256")
        if not marked:
            notice = (
                "The text changed after the layers were built, so places are not marked; "
                "run `drillmap build` to refresh them."
            )
            mentions, spans, found = [], [], []
        length = len(text)
        found = [s for s in found if _valid(s.start, s.end, length)]
        valid = [m for m in mentions if _valid(m.get("start"), m.get("end"), length)]
        spans = [s for s in spans if _valid(s.start, s.end, length)]
        covered = [(m["start"], m["end"]) for m in valid] + [(s.start, s.end) for s in spans]
        bounds = page_bounds(text, covered)
        number = _page_number(bounds)
        lo, hi = bounds[number - 1]
        on_page = [
            {**m, "start": m["start"] - lo, "end": m["end"] - lo}
            for m in valid
            if lo <= m["start"] and m["end"] <= hi
        ]
        page_spans = [Span(s.start - lo, min(s.end, hi) - lo) for s in spans if lo <= s.start < hi]
        page_hits = [Span(s.start - lo, min(s.end, hi) - lo) for s in found if lo <= s.start < hi]
        parts = segments(text[lo:hi], on_page, page_spans, urls, base=lo, hits=page_hits)
        anchored = {evidence_anchor(s.start, s.end) for s in spans}
        for row in rows:  # link each sentence to the page of the text that carries it
            for evidence in row["evidence"]:
                if evidence.get("anchor") not in anchored:
                    evidence.pop("anchor", None)
                    continue
                page_of = next(n for n, (a, b) in enumerate(bounds, 1) if evidence["start"] < b)
                prefix = "" if page_of == number else f"?page={page_of}"
                evidence["href"] = f"{prefix}#{evidence['anchor']}"
    else:
        for row in rows:
            for evidence in row["evidence"]:
                evidence.pop("anchor", None)

    page = render_template(
        "pages/document.html",
        doc=entry,
        url=safe_url(entry.get("url")),
        segments=parts,
        events=rows,
        notice=notice,
        places=places,
        page=number,
        pages=len(bounds),
        highlight=highlight,
        highlight_notice=highlight_notice,
        hit_count=len(found) if text is not None else 0,
        hits_here=len(page_hits) if text is not None else 0,
        language_name=lambda code: LANGUAGE_NAMES.get(code, code),
    )
    return page, 200
