"""Merge records: what the cross-document merge keeps per event and per place between builds.

A full build folds every document into fresh records; an ingest folds one more document into
the records it touches (loaded from the store by key) and redraws only their features. Both
run `fold` and `draw_*` here, so a build from scratch and documents ingested one by one give
the same features. A record holds the first HEAD evidence entries and a count; every entry
is a row of its own in the store, paged from the feature (`FeatureStore.evidence`).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, NamedTuple

from geo.build.geometry import event_geometry
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
from geo.domain.model import Event, Evidence
from geo.domain.review import MACHINE, Correction
from geo.extraction.merge import absorb_fields, copy_event, identity_key
from geo.extraction.pipeline import Extraction
from geo.extraction.text import split_sentences
from geo.gazetteer.places import Gazetteer

HEAD = 5  # evidence entries a feature carries; the store keeps them all
EVENT = "e:"  # record owners: "e:" + repr(identity key), "p:" + place id
PLACE = "p:"


@dataclass
class EventRecord:
    """A merged event: its fields (evidence and documents kept apart, as counts and a head)."""

    event: Event
    n_docs: int = 0
    last_doc: str | None = None
    evidence_count: int = 0
    head: list[EvidenceJSON] = field(default_factory=list)
    drawn: tuple[str, str, list[Any]] | None = None  # (layer, id, order key) as last drawn

    def to_json(self) -> dict[str, Any]:
        e = self.event
        return {
            "kind": e.kind,
            "name": e.name,
            "year": e.year,
            "actors": e.actors,
            "place_ids": e.place_ids,
            "confidence": e.confidence,
            "date_start": e.date_start.isoformat() if e.date_start else None,
            "date_end": e.date_end.isoformat() if e.date_end else None,
            "hypothetical": e.hypothetical,
            "n_docs": self.n_docs,
            "last_doc": self.last_doc,
            "evidence_count": self.evidence_count,
            "head": self.head,
            "drawn": list(self.drawn) if self.drawn else None,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> EventRecord:
        event = Event(
            kind=data["kind"],
            name=data["name"],
            year=data["year"],
            actors=list(data["actors"]),
            place_ids=list(data["place_ids"]),
            evidence=[],
            confidence=data["confidence"],
            date_start=date.fromisoformat(data["date_start"]) if data["date_start"] else None,
            date_end=date.fromisoformat(data["date_end"]) if data["date_end"] else None,
            hypothetical=data["hypothetical"],
        )
        drawn = data.get("drawn")  # [layer, id, order key]
        return cls(
            event=event,
            n_docs=data["n_docs"],
            last_doc=data["last_doc"],
            evidence_count=data["evidence_count"],
            head=list(data["head"]),
            drawn=(drawn[0], drawn[1], list(drawn[2])) if drawn else None,
        )


@dataclass
class PlaceRecord:
    """A place the documents name: first sentences naming it, their years, the events there."""

    place_id: str
    evidence_count: int = 0  # one sentence per document, so also the number of documents
    head: list[EvidenceJSON] = field(default_factory=list)
    doc_years: list[int | None] = field(default_factory=list)  # distinct
    events: dict[str, list[Any]] = field(default_factory=dict)  # owner → [fid, year, actors]

    def to_json(self) -> dict[str, Any]:
        return {
            "place_id": self.place_id,
            "evidence_count": self.evidence_count,
            "head": self.head,
            "doc_years": self.doc_years,
            "events": self.events,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> PlaceRecord:
        return cls(
            place_id=data["place_id"],
            evidence_count=data["evidence_count"],
            head=list(data["head"]),
            doc_years=list(data["doc_years"]),
            events=data["events"],  # fresh from JSON: no copy (a sea holds thousands)
        )


Loader = Callable[[Collection[str]], dict[str, dict[str, Any]]]


@dataclass
class Records:
    """The records a fold reads and changes: all of them (a build) or those loaded by key
    from the store (an ingest), plus the evidence rows and owners it added."""

    load: Loader | None = None
    events: dict[str, EventRecord] = field(default_factory=dict)
    places: dict[str, PlaceRecord] = field(default_factory=dict)
    evidence: list[tuple[str, str, int, EvidenceJSON]] = field(default_factory=list)
    touched: dict[str, None] = field(default_factory=dict)  # owners changed, in order
    before: dict[str, list[str]] = field(default_factory=dict)  # event owner → old place ids
    named_before: set[str] = field(default_factory=set)  # places drawn before this fold
    # event owner → (the event as an analyst corrected it, the correction): set by a full
    # build after the merge (`geo.build.features.apply_reviews`), never kept in the store.
    reviews: dict[str, tuple[Event, Correction]] = field(default_factory=dict)
    # What `prefetch` read and no fold has asked for yet (absent: looked up one by one).
    fetched: dict[str, dict[str, Any] | None] = field(default_factory=dict)

    def prefetch(self, extractions: Iterable[Extraction]) -> None:
        """The stored records these documents' events and places name, in one lookup (a
        round trip to a database server each, one by one)."""
        if self.load is None:
            return
        owners = {
            *(EVENT + repr(identity_key(e)) for x in extractions for e in x.events),
            *(PLACE + m.place_id for x in extractions for m in x.mentions),
        }
        found = self.load(owners)
        self.fetched.update({owner: found.get(owner) for owner in owners})

    def _loaded(self, owner: str) -> dict[str, Any] | None:
        if owner in self.fetched:
            return self.fetched.pop(owner)
        return None if self.load is None else self.load([owner]).get(owner)

    def event(self, owner: str) -> EventRecord | None:
        record = self.events.get(owner)
        if record is None and (data := self._loaded(owner)) is not None:
            record = self.events[owner] = EventRecord.from_json(data)
        if record is not None and owner not in self.before:
            self.before[owner] = list(record.event.place_ids)
        return record

    def place(self, place_id: str) -> PlaceRecord:
        """The place's record, a new one if none was kept."""
        owner = PLACE + place_id
        record = self.places.get(place_id)
        if record is None:
            data = self._loaded(owner)
            record = PlaceRecord.from_json(data) if data is not None else PlaceRecord(place_id)
            self.places[place_id] = record
            if record.evidence_count:
                self.named_before.add(place_id)
        self.touched[owner] = None
        return record

    def add_evidence(
        self, owner: str, record: EventRecord | PlaceRecord, entry: EvidenceJSON
    ) -> None:
        self.evidence.append((owner, entry["doc_id"], record.evidence_count, entry))
        if record.evidence_count < HEAD:
            record.head.append(entry)
        record.evidence_count += 1


def _sentence_at(starts: list[int], sentences: list, position: int) -> Any:
    """The sentence holding a character offset (the first such one, as a scan would find)."""
    i = bisect_right(starts, position) - 1
    if i >= 0 and sentences[i].start <= position < sentences[i].end:
        return sentences[i]
    return next(s for s in sentences if s.start <= position < s.end)


def fold(extraction: Extraction, records: Records, gazetteer: Gazetteer) -> None:
    """One document into the records: its events by identity key, its places' first sentences."""
    meta = extraction.document.meta
    # In a language other than English the evidence says where it names places (the popup
    # marks them in the sentence's own script).
    marks = (
        [(m.start, m.end) for m in extraction.mentions] if meta.lang and meta.lang != "en" else []
    )
    doc_id = meta.doc_id
    seen: dict[str, set[Evidence]] = {}
    for event in extraction.events:
        owner = EVENT + repr(identity_key(event))
        record = records.event(owner)
        if record is None:
            record = records.events[owner] = EventRecord(copy_event(event, evidence=False))
            records.before[owner] = []
            seen[owner] = set(event.evidence)
            items = list(event.evidence)
        else:
            absorb_fields(record.event, event, gazetteer)
            known = seen.setdefault(owner, set())
            items = [item for item in event.evidence if item not in known]
            known.update(items)
        records.touched[owner] = None
        if record.last_doc != doc_id:
            record.n_docs += 1
            record.last_doc = doc_id
        for item in items:
            entry = evidence_entry(meta, item.text, item.start, item.end, marks)
            records.add_evidence(owner, record, entry)
    sentences = split_sentences(extraction.document.text)
    starts = [s.start for s in sentences]
    named: set[str] = set()
    for mention in extraction.mentions:
        if mention.place_id in named:
            continue
        named.add(mention.place_id)
        sentence = _sentence_at(starts, sentences, mention.start)
        place = records.place(mention.place_id)
        entry = evidence_entry(meta, sentence.text, sentence.start, sentence.end, marks)
        records.add_evidence(PLACE + mention.place_id, place, entry)
        if meta.reference_year not in place.doc_years:
            place.doc_years.append(meta.reference_year)


def link_places(records: Records) -> None:
    """After folding: each touched event listed at its places (and taken off places it left)."""
    for owner in [o for o in records.touched if o.startswith(EVENT)]:
        record = records.events[owner]
        event = record.event
        fid = feature_id(kind_spec(event.kind).layer, identity_key(event))
        for place_id in records.before.get(owner, []):
            if place_id not in event.place_ids:
                records.place(place_id).events.pop(owner, None)
        for place_id in event.place_ids:
            records.place(place_id).events[owner] = [fid, event.year, list(event.actors)]


def reviewed_id(record: EventRecord, reviewed: Event | None = None) -> str:
    """The event's feature id: the machine's identity, in the layer of the (corrected) kind,
    so a corrected name or kind keeps the id."""
    kind = (reviewed or record.event).kind
    return feature_id(kind_spec(kind).layer, identity_key(record.event))


def draw_event(
    record: EventRecord,
    gazetteer: Gazetteer,
    review: tuple[Event, Correction] | None = None,
) -> Feature:
    """The event's feature; with `review`, the event as the analyst corrected it and the
    verdict (its `review_id` is the correction's)."""
    event, correction = review if review is not None else (record.event, None)
    return event_feature(
        event,
        fid=reviewed_id(record, event),
        place_names=[gazetteer[p].name for p in event.place_ids],
        geometry=event_geometry(event, gazetteer),
        evidence=list(record.head),
        evidence_count=record.evidence_count,
        n_sources=record.n_docs,
        review=correction.status if correction is not None else MACHINE,
        review_note=correction.note if correction is not None else None,
        review_id=correction.id if correction is not None else None,
    )


class _HeldThere(NamedTuple):
    year: int | None
    actors: list[str]


def place_layers(place: Any) -> list[str]:
    """The place layers a gazetteer place is drawn in (zones only for zones)."""
    return [
        spec.name
        for spec in LAYER_SPECS
        if spec.role == "places" and (not spec.zones_only or is_zone(place))
    ]


def draw_place(record: PlaceRecord, gazetteer: Gazetteer) -> list[Feature]:
    """The place's feature in each place layer it belongs to (none if no document names it)."""
    if not record.evidence_count:
        return []
    place = gazetteer[record.place_id]
    # What place_feature reads of each event there (its year and actors), without an Event.
    events = [(fid, _HeldThere(year, actors)) for fid, year, actors in record.events.values()]
    return [
        place_feature(
            place,
            name,
            list(record.head),
            events,  # type: ignore[arg-type]
            list(record.doc_years),
            evidence_count=record.evidence_count,
            n_sources=record.evidence_count,
        )
        for name in place_layers(place)
    ]
