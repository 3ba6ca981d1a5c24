"""Merge records: what the cross-document merge keeps per event and per place between builds.

A full build folds every document into fresh records; an ingest folds one more document into
the records it touches (loaded from the store by key) and redraws only their features. Both
run `fold` and `draw_*` here, so a build from scratch and documents ingested one by one give
the same features. A record holds the first HEAD evidence entries and a count; every entry
is a row of its own in the store, paged from the feature (`FeatureStore.evidence`).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from geo.build.geometry import event_geometry
from geo.domain.features import (
    EVENTS_LISTED,
    EvidenceJSON,
    Feature,
    HeldThere,
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


Member = list[Any]  # an event held at a place: [feature id, year, actors]


@dataclass
class PlaceRecord:
    """A place the documents name: first sentences naming it, their years, and what the events
    held there add up to (how many, by year and by actor). Which events those are is kept
    apart, a row each (`Records.members`), so the record stays small for a sea named by
    thousands of reports."""

    place_id: str
    evidence_count: int = 0  # one sentence per document, so also the number of documents
    head: list[EvidenceJSON] = field(default_factory=list)
    doc_years: list[int | None] = field(default_factory=list)  # distinct
    event_count: int = 0
    years: dict[str, int] = field(default_factory=dict)  # events by year ("null": undated)
    actors: dict[str, int] = field(default_factory=dict)  # events by actor

    def count(self, member: Member | None, sign: int) -> None:
        """An event held here counted in (1) or out (-1)."""
        if member is None:
            return
        _, year, actors = member
        self.event_count += sign
        for counts, key in ((self.years, "null" if year is None else str(year)),
                            *((self.actors, actor) for actor in actors)):
            counts[key] = counts.get(key, 0) + sign
            if not counts[key]:
                del counts[key]

    def held(self, ids: list[str]) -> HeldThere:
        years = [None if y == "null" else int(y) for y in self.years]
        return HeldThere(years=years, actors=list(self.actors), ids=ids, count=self.event_count)

    def to_json(self) -> dict[str, Any]:
        return {
            "place_id": self.place_id,
            "evidence_count": self.evidence_count,
            "head": self.head,
            "doc_years": self.doc_years,
            "event_count": self.event_count,
            "years": self.years,
            "actors": self.actors,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> PlaceRecord:
        return cls(
            place_id=data["place_id"],
            evidence_count=data["evidence_count"],
            head=list(data["head"]),
            doc_years=list(data["doc_years"]),
            event_count=data["event_count"],
            years=dict(data["years"]),
            actors=dict(data["actors"]),
        )


Loader = Callable[[Collection[str]], dict[str, dict[str, Any]]]
# (place id, event owner) pairs → the members kept for them (absent ones left out)
MemberLoader = Callable[[Collection[tuple[str, str]]], dict[tuple[str, str], Member]]
# place id → n: each place's first n members' (owner, feature id), by feature id
FirstMembers = Callable[[Mapping[str, int]], dict[str, list[tuple[str, str]]]]


@dataclass
class Records:
    """The records a fold reads and changes: all of them (a build) or those loaded by key
    from the store (an ingest), plus the evidence rows and owners it added."""

    load: Loader | None = None
    load_members: MemberLoader | None = None
    first_members: FirstMembers | None = None
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
    # place id → event owner → member (None: the event left), as changed by this fold; a
    # build holds every one here.
    members: dict[str, dict[str, Member | None]] = field(default_factory=dict)
    stored_members: dict[tuple[str, str], Member | None] = field(default_factory=dict)
    stored_first: dict[str, list[tuple[str, str]]] = field(default_factory=dict)

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

    def fetch_members(self, pairs: Collection[tuple[str, str]]) -> None:
        """The stored members of these (place, owner) pairs, in one lookup (a pair with none
        is remembered as None, so it is not asked again)."""
        wanted = [pair for pair in pairs if pair not in self.stored_members]
        if self.load_members is not None and wanted:
            found = self.load_members(wanted)
            self.stored_members.update({pair: found.get(pair) for pair in wanted})

    def member(self, place_id: str, owner: str) -> Member | None:
        changed = self.members.get(place_id, {})
        if owner in changed:
            return changed[owner]
        self.fetch_members([(place_id, owner)])
        return self.stored_members.get((place_id, owner))

    def set_member(self, place_id: str, owner: str, member: Member | None) -> None:
        """The event `owner` held at the place as `member` (None: not held there)."""
        old = self.member(place_id, owner)
        if old == member:
            return
        place = self.place(place_id)
        place.count(old, -1)
        place.count(member, 1)
        self.members.setdefault(place_id, {})[owner] = member

    def fetch_first(self, place_ids: Collection[str]) -> None:
        """The stored first members of these places, in one lookup: enough of them that the
        members this fold changed cannot push the first out of the list."""
        wanted = {
            place_id: EVENTS_LISTED + len(self.members.get(place_id, {}))
            for place_id in place_ids
            if place_id not in self.stored_first
        }
        if self.first_members is not None and wanted:
            self.stored_first.update(self.first_members(wanted))

    def event_ids(self, place_id: str) -> list[str]:
        """The place's first EVENTS_LISTED event ids: the changed members over the stored."""
        changed = self.members.get(place_id, {})
        ids = {owner: m[0] for owner, m in changed.items() if m is not None}
        self.fetch_first([place_id])
        for owner, fid in self.stored_first.get(place_id, []):
            if owner not in changed:
                ids[owner] = fid
        return sorted(ids.values())[:EVENTS_LISTED]

    def member_rows(self) -> list[tuple[str, str, Member | None]]:
        """(place, owner, member or None to delete): what the store writes."""
        return [
            (place_id, owner, member)
            for place_id, changed in self.members.items()
            for owner, member in changed.items()
        ]

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
    """After folding: each touched event held at its places (and taken off places it left)."""
    owners = [o for o in records.touched if o.startswith(EVENT)]
    records.fetch_members([
        (place_id, owner)
        for owner in owners
        for place_id in {*records.before.get(owner, []), *records.events[owner].event.place_ids}
    ])
    for owner in owners:
        record = records.events[owner]
        event = record.event
        fid = feature_id(kind_spec(event.kind).layer, identity_key(event))
        for place_id in records.before.get(owner, []):
            if place_id not in event.place_ids:
                records.set_member(place_id, owner, None)
        for place_id in event.place_ids:
            records.set_member(place_id, owner, [fid, event.year, list(event.actors)])


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


def place_layers(place: Any) -> list[str]:
    """The place layers a gazetteer place is drawn in (zones only for zones)."""
    return [
        spec.name
        for spec in LAYER_SPECS
        if spec.role == "places" and (not spec.zones_only or is_zone(place))
    ]


def draw_place(record: PlaceRecord, gazetteer: Gazetteer, event_ids: list[str]) -> list[Feature]:
    """The place's feature in each place layer it belongs to (none if no document names it),
    listing `event_ids` (the first of the events held there)."""
    if not record.evidence_count:
        return []
    place = gazetteer[record.place_id]
    return [
        place_feature(
            place,
            name,
            list(record.head),
            record.held(event_ids),
            list(record.doc_years),
            evidence_count=record.evidence_count,
            n_sources=record.evidence_count,
        )
        for name in place_layers(place)
    ]
