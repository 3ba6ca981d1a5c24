"""From the documents' extractions to every layer's features, in a stable order.

Events are merged across documents, drawn (`geo.build.geometry`) and turned into features by the
domain's one function per source; places named anywhere become place (and zone) features.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from geo.build.geometry import event_geometry
from geo.domain.documents import EXAMPLES_DIR
from geo.domain.features import (
    EvidenceJSON,
    Feature,
    event_feature,
    evidence_entry,
    feature_id,
    is_zone,
    place_feature,
)
from geo.domain.kinds import kind_spec
from geo.domain.layers import LAYER_SPECS
from geo.domain.model import Event
from geo.domain.review import MACHINE, Correction, apply_corrections
from geo.extraction.merge import identity_key, merge_across_documents
from geo.extraction.pipeline import Extraction
from geo.extraction.text import split_sentences
from geo.gazetteer.places import Gazetteer


def _mention_sentences(extractions: list[Extraction]) -> dict[str, list[EvidenceJSON]]:
    """For each place, the first sentence per document that names it."""
    found: dict[str, list[EvidenceJSON]] = defaultdict(list)
    for extraction in extractions:
        sentences = split_sentences(extraction.document.text)
        meta = extraction.document.meta
        seen: set[str] = set()
        for mention in extraction.mentions:
            if mention.place_id in seen:
                continue
            seen.add(mention.place_id)
            sentence = next(s for s in sentences if s.start <= mention.start < s.end)
            found[mention.place_id].append(
                evidence_entry(meta, sentence.text, sentence.start, sentence.end)
            )
    return found


def _event_sort_key(feature: Feature) -> tuple:
    props = feature["properties"]
    return (props["year"] is None, props["year"] or 0, props["title"], feature["id"])


def build_features(
    extractions: list[Extraction],
    gazetteer: Gazetteer,
    corrections: Sequence[Correction] = (),
    orphaned: list[Correction] | None = None,
) -> dict[str, list[Feature]]:
    """All layers' features from the documents' extractions, in a stable order.

    The analysts' corrections are applied after the merge, so every layer, export and API
    answer sees them; those whose event is gone are appended to `orphaned`.
    """
    metas = {x.document.meta.doc_id: x.document.meta for x in extractions}
    merged = merge_across_documents((e for x in extractions for e in x.events), gazetteer)
    applied = apply_corrections(merged, corrections, gazetteer.places)
    if orphaned is not None:
        orphaned.extend(applied.orphaned)
    layers: dict[str, list[Feature]] = {spec.name: [] for spec in LAYER_SPECS}
    events_by_place: dict[str, list[tuple[str, Event]]] = defaultdict(list)
    for machine, (event, correction) in zip(merged, applied.events, strict=True):
        feature = event_feature(
            event,
            # The machine's identity: a corrected name or kind keeps the feature's id.
            fid=feature_id(kind_spec(event.kind).layer, identity_key(machine)),
            review=correction.status if correction else MACHINE,
            review_note=correction.note if correction else None,
            review_id=correction.id if correction else None,
            place_names=[gazetteer[p].name for p in event.place_ids],
            geometry=event_geometry(event, gazetteer),
            evidence=[
                evidence_entry(metas[e.doc_id], e.text, e.start, e.end) for e in event.evidence
            ],
        )
        layers[feature["properties"]["layer"]].append(feature)
        for place_id in event.place_ids:
            events_by_place[place_id].append((feature["id"], event))
    evidence = _mention_sentences(extractions)
    doc_years: dict[str, list[int | None]] = defaultdict(list)
    for extraction in extractions:
        for place_id in {m.place_id for m in extraction.mentions}:
            doc_years[place_id].append(extraction.document.meta.reference_year)
    for place_id in sorted(evidence):
        place = gazetteer[place_id]
        args = (evidence[place_id], events_by_place[place_id], doc_years[place_id])
        for spec in LAYER_SPECS:
            if spec.role == "places" and (not spec.zones_only or is_zone(place)):
                layers[spec.name].append(place_feature(place, spec.name, *args))
    for spec in LAYER_SPECS:
        if spec.role == "events":
            layers[spec.name].sort(key=_event_sort_key)
    return layers


def stored_path(path: Path) -> str:
    """Relative to the documents folder's parent, so the index is the same in every clone:
    `seeds/NAME.txt`, or `seeds/examples/SET/NAME.txt` for the example corpus."""
    keep = 4 if path.parent.parent.name == EXAMPLES_DIR else 2
    return Path(*path.parts[-keep:]).as_posix()


def document_entry(extraction: Extraction, gazetteer: Gazetteer) -> dict[str, Any]:
    """A document's metadata and its place mentions (the web app highlights them by offset)."""
    document = extraction.document
    meta = document.meta
    return {
        "id": meta.doc_id,
        "path": stored_path(Path(meta.path)),
        "title": meta.title,
        "published": meta.published.isoformat() if meta.published else None,
        "published_year": meta.reference_year,
        "source": meta.source,
        "url": meta.url,
        "sha256": hashlib.sha256(document.text.encode()).hexdigest(),
        "mentions": [
            {
                "place_id": m.place_id,
                "name": gazetteer[m.place_id].name,
                "start": m.start,
                "end": m.end,
            }
            for m in extraction.mentions
        ],
    }
