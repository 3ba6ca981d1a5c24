"""Document pages: `/documents` lists them, `/documents/<id>` shows one with its places marked.

The app never parses document text: highlights are slices at the offsets the build recorded in
index.json (`mentions`) and in each event's evidence, and every slice is escaped by Jinja.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from flask import Blueprint, current_app, render_template

from geo.storage.documents import DocumentError, decode_text
from geo.storage.files import LayerStore, UnknownLayer
from webapp import csrf, get_store
from webapp.pages.events import event_features, event_row, map_url

blueprint = Blueprint("documents", __name__)
blueprint.after_request(csrf.page_headers)

PLACE_LAYERS = ("places", "zones")


@dataclass(frozen=True)
class Segment:
    """A run of document text: plain, a place mention, and/or inside an event's evidence."""

    text: str
    place_id: str | None = None
    place_name: str | None = None
    href: str | None = None
    evidence: bool = False
    anchor: str | None = None


@dataclass(frozen=True)
class Span:
    start: int
    end: int


def evidence_anchor(start: Any, end: Any) -> str:
    return f"ev-{start}-{end}"


def _valid(start: Any, end: Any, length: int) -> bool:
    return isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= length


def segments(
    text: str,
    mentions: list[dict[str, Any]],
    evidence: list[Span],
    place_urls: dict[str, str],
) -> list[Segment]:
    """Cut the text at mention and evidence offsets; a mention is never split, so each is one
    `<mark>`. Overlapping or out-of-range offsets are dropped rather than trusted."""
    length = len(text)
    kept: list[dict[str, Any]] = []
    for mention in sorted(
        (m for m in mentions if _valid(m.get("start"), m.get("end"), length)),
        key=lambda m: (m["start"], -m["end"]),
    ):
        if not kept or mention["start"] >= kept[-1]["end"]:
            kept.append(mention)
    spans = sorted({s for s in evidence if _valid(s.start, s.end, length)}, key=lambda s: s.start)
    by_start = {m["start"]: m for m in kept}
    inside_mention = {i for m in kept for i in range(m["start"] + 1, m["end"])}
    cuts = {0, length}
    cuts.update(m["start"] for m in kept)
    cuts.update(m["end"] for m in kept)
    cuts.update(p for s in spans for p in (s.start, s.end) if p not in inside_mention)
    bounds = sorted(cuts)
    anchored: set[Span] = set()
    result: list[Segment] = []
    for start, end in pairwise(bounds):
        covering = [s for s in spans if s.start < end and start < s.end]
        anchor = None
        for span in covering:
            if span not in anchored:
                anchored.add(span)
                anchor = anchor or evidence_anchor(span.start, span.end)
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
            )
        )
    return result


def place_urls(store: LayerStore, place_ids: set[str]) -> dict[str, str]:
    """Map links (`focus=place:<id>`, centred on the place's bbox) for the places named."""
    boxes: dict[str, list[float] | None] = {}
    for name in PLACE_LAYERS:
        try:
            features = store.layer(name).features
        except UnknownLayer:
            continue
        for feature in features:
            for place_id in feature["properties"].get("place_ids") or []:
                boxes.setdefault(place_id, feature.get("bbox"))
    return {pid: map_url(f"place:{pid}", boxes.get(pid)) for pid in place_ids}


def document_path(entry: dict[str, Any], seeds_dir: Path) -> Path | None:
    """The document's file: the path the build recorded (relative to the seeds folder's parent)
    or `<SEEDS_DIR>/<id>.txt`, and only ever a file inside SEEDS_DIR."""
    root = seeds_dir.resolve()
    candidates = []
    recorded = entry.get("path")
    if isinstance(recorded, str) and recorded and not Path(recorded).is_absolute():
        candidates.append(seeds_dir.parent / recorded)
    candidates.append(seeds_dir / f"{entry['id']}.txt")
    for candidate in candidates:
        resolved = candidate.resolve()
        if resolved.is_relative_to(root) and resolved.suffix == ".txt" and resolved.is_file():
            return resolved
    return None


def safe_url(url: Any) -> str | None:
    """The source URL if it is http(s) with a host; anything else is shown as text only."""
    if not isinstance(url, str):
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    return url.strip() if parts.scheme in ("http", "https") and parts.netloc else None


def _not_found(message: str) -> tuple[str, int]:
    return render_template("pages/error.html", status=404, message=message), 404


@blueprint.get("/documents")
def listing() -> str:
    store = get_store()
    counts: dict[str, int] = {}
    for feature in event_features(store):
        for doc_id in {e.get("doc_id") for e in feature["properties"].get("evidence") or []}:
            counts[doc_id] = counts.get(doc_id, 0) + 1
    documents = sorted(
        store.index().get("documents", []),
        key=lambda d: (d.get("published") or str(d.get("published_year") or ""), d["id"]),
        reverse=True,
    )
    return render_template("pages/documents.html", documents=documents, counts=counts)


@blueprint.get("/documents/<doc_id>")
def show(doc_id: str) -> tuple[str, int]:
    store = get_store()
    entry = store.documents().get(doc_id)  # only ids the build recorded; never a raw path
    if entry is None:
        return _not_found("No document has that id.")
    notice = None
    text: str | None = None
    path = document_path(entry, Path(current_app.config["SEEDS_DIR"]))
    if path is None:
        notice = "The document's text file is missing from the seeds folder."
    else:
        try:
            text = decode_text(path.read_bytes(), entry["id"])
        except (OSError, DocumentError) as exc:
            notice = f"The document's text cannot be shown: {exc}"

    documents = store.documents()
    rows = []
    spans: list[Span] = []
    for feature in event_features(store):
        mine = [e for e in feature["properties"].get("evidence") or [] if e.get("doc_id") == doc_id]
        if not mine:
            continue
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
    if text is not None:
        if hashlib.sha256(text.encode()).hexdigest() == entry.get("sha256"):
            parts = segments(text, mentions, spans, urls)
        else:
            notice = (
                "The text changed after the layers were built, so places are not marked; "
                "run `drillmap build` to refresh them."
            )
            parts = [Segment(text=text)]
    anchors = {part.anchor for part in parts if part.anchor}
    for row in rows:  # link evidence into the text only where the text carries the anchor
        for evidence in row["evidence"]:
            if evidence.get("anchor") not in anchors:
                evidence.pop("anchor", None)

    page = render_template(
        "pages/document.html",
        doc=entry,
        url=safe_url(entry.get("url")),
        segments=parts,
        events=rows,
        notice=notice,
        places=places,
    )
    return page, 200
