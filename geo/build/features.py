"""From the documents' extractions to every layer's features, in a stable order.

Events are merged across documents, drawn (`geo.build.geometry`) and turned into features by the
domain's one function per source; places named anywhere become place (and zone) features.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from geo.build.records import (
    EVENT,
    PLACE,
    Records,
    draw_event,
    draw_place,
    fold,
    link_places,
    reviewed_id,
)
from geo.domain.documents import EXAMPLES_DIR
from geo.domain.features import Feature, feature_order
from geo.domain.layers import LAYER_SPECS
from geo.domain.model import Evidence
from geo.domain.review import Correction, apply_corrections
from geo.extraction.pipeline import Extraction
from geo.gazetteer.places import Gazetteer


def fold_all(
    extractions: Iterable[Extraction], gazetteer: Gazetteer, kept: list[Extraction] | None = None
) -> Records:
    """Every document folded, in build order, into fresh merge records; each extraction is
    appended to `kept` as it is folded (they may come from workers still extracting)."""
    records = Records()
    for extraction in extractions:
        fold(extraction, records, gazetteer)
        if kept is not None:
            kept.append(extraction)
    link_places(records)
    return records


def draw(records: Records, owners: list[str], gazetteer: Gazetteer) -> list[tuple[str, Feature]]:
    """The features of the records `owners` name, with their owner (an event's feature; a
    place's in each place layer); an event record remembers where it was drawn."""
    drawn: list[tuple[str, Feature]] = []
    records.fetch_first([o.removeprefix(PLACE) for o in owners if o.startswith(PLACE)])
    for owner in owners:
        if owner.startswith(EVENT):
            record = records.events[owner]
            feature = draw_event(record, gazetteer, records.reviews.get(owner))
            order = list(feature_order(feature))
            record.drawn = (feature["properties"]["layer"], feature["id"], order)
            drawn.append((owner, feature))
        else:
            place = records.places[owner.removeprefix(PLACE)]
            ids = records.event_ids(place.place_id)
            drawn.extend((owner, feature) for feature in draw_place(place, gazetteer, ids))
    return drawn


def by_layer(features: list[Feature]) -> dict[str, list[Feature]]:
    """Features into their layers, each in its stable order (every layer listed)."""
    layers: dict[str, list[Feature]] = {spec.name: [] for spec in LAYER_SPECS}
    for feature in features:
        layers[feature["properties"]["layer"]].append(feature)
    for members in layers.values():
        members.sort(key=feature_order)
    return layers


def draw_all(records: Records, gazetteer: Gazetteer) -> list[tuple[str, Feature]]:
    """Every record's features with their owners (events first, then places by id)."""
    owners = [*records.events, *(PLACE + p for p in sorted(records.places))]
    return draw(records, owners, gazetteer)


def apply_reviews(
    records: Records, corrections: Sequence[Correction], gazetteer: Gazetteer
) -> list[Correction]:
    """After the merge, before drawing: the analysts' corrections matched to the merged events
    and set on the records (`Records.reviews`), each corrected event listed at its corrected
    places; the corrections whose event is gone (orphaned).

    The key is computed from each event's full evidence (every row the fold added, not the
    few entries a feature carries), so it is the key of the event the build merged.
    """
    if not corrections:
        return []
    owners = list(records.events)
    evidence: dict[str, list[Evidence]] = defaultdict(list)
    for owner, doc_id, _, entry in records.evidence:
        if owner.startswith(EVENT):
            evidence[owner].append(Evidence(doc_id, entry["text"], entry["start"], entry["end"]))
    merged = [replace(records.events[o].event, evidence=evidence[o]) for o in owners]
    applied = apply_corrections(merged, corrections, gazetteer.places)
    for owner, (event, correction) in zip(owners, applied.events, strict=True):
        if correction is None:
            continue
        event.evidence = []  # drawn from the record's head; the store keeps the rest
        records.reviews[owner] = (event, correction)
        record = records.events[owner]
        for place_id in record.event.place_ids:
            records.set_member(place_id, owner, None)
    for owner, (event, _) in records.reviews.items():
        fid = reviewed_id(records.events[owner], event)
        for place_id in event.place_ids:
            records.set_member(place_id, owner, [fid, event.year, list(event.actors)])
    return applied.orphaned


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
    records = fold_all(extractions, gazetteer)
    lost = apply_reviews(records, corrections, gazetteer)
    if orphaned is not None:
        orphaned.extend(lost)
    return by_layer([f for _, f in draw_all(records, gazetteer)])


def stored_path(path: Path) -> str:
    """Relative to the documents folder's parent, so the index is the same in every clone:
    `seeds/NAME.txt`, or `seeds/examples/SET/NAME.txt` for the example corpus."""
    keep = 4 if path.parent.parent.name == EXAMPLES_DIR else 2
    return Path(*path.parts[-keep:]).as_posix()


def document_mentions(extraction: Extraction, gazetteer: Gazetteer) -> list[dict[str, Any]]:
    """A document's place mentions with their offsets (the document page highlights them)."""
    return [
        {"place_id": m.place_id, "name": gazetteer[m.place_id].name, "start": m.start, "end": m.end}
        for m in extraction.mentions
    ]


def document_entry(
    extraction: Extraction, gazetteer: Gazetteer, mentions: bool = True
) -> dict[str, Any]:
    """A document's metadata and its place mentions (the web app highlights them by offset);
    without `mentions` when the store keeps them apart, so the index stays small."""
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
        "lang": meta.lang or "en",
        "sha256": hashlib.sha256(document.text.encode()).hexdigest(),
        **({"mentions": document_mentions(extraction, gazetteer)} if mentions else {}),
    }
