"""One event, many mentions: merging what one or many documents say about the same activity.

Within a document, a named exercise absorbs the unnamed sentences about it ("China and Russia are
holding drills in the Sea of Japan" + "the Northern/Interaction-2023 drills began …").
Across documents, events merge by name and year, or by kind, year, actors and places.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

from geo.domain.kinds import kind_spec
from geo.domain.model import Event, Evidence
from geo.extraction.rules.actors import ordered_unique
from geo.gazetteer.places import Gazetteer


def _same_kind(a: Event, b: Event) -> bool:
    """One kind, or kinds of one family (a naval exercise and a combined-arms one)."""
    return a.kind == b.kind or kind_spec(a.kind).family == kind_spec(b.kind).family


def _dates_apart(a: Event, b: Event) -> bool:
    if a.date_start is None or b.date_start is None:
        return False
    return abs((a.date_start - b.date_start).days) > kind_spec(a.kind).same_event_days


def _compatible_within(a: Event, b: Event) -> bool:
    """Within one article, same kind and year and overlapping actors is usually one activity."""
    if not _same_kind(a, b):
        return False
    if a.name and b.name:
        return a.name == b.name
    if a.year is not None and b.year is not None and a.year != b.year:
        return False
    both_unnamed = not a.name and not b.name
    if both_unnamed and a.actors and b.actors and not set(a.actors) & set(b.actors):
        return False
    return not _dates_apart(a, b)


def _absorb(
    into: Event,
    other: Event,
    gazetteer: Gazetteer | None = None,
    known: set[Evidence] | None = None,
) -> None:
    """Fold `other` into `into`; the named, better-evidenced side leads.

    `known` is the evidence `into` already holds, kept by the caller across absorptions:
    looking it up in the list instead made merging quadratic in the evidence.
    """
    seen = set(into.evidence) if known is None else known
    if other.name and not into.name:
        into.name = other.name
        into.evidence = [*other.evidence, *into.evidence]
        seen.update(other.evidence)
    else:
        for item in other.evidence:
            if item not in seen:
                seen.add(item)
                into.evidence.append(item)
    absorb_fields(into, other, gazetteer)
    into.doc_ids = ordered_unique([*into.doc_ids, *other.doc_ids])


def merge_within_document(
    events: Iterable[Event], gazetteer: Gazetteer, apart: Collection[int] = ()
) -> list[Event]:
    """Events that tell of one activity, merged; `apart`: the ids of events (incidents: an
    airspace violation during a drill) that merge only with each other."""
    merged: list[Event] = []
    # The events merged so far, apart ones and the others: each looks only in its own group.
    groups: dict[bool, list[Event]] = {False: [], True: []}
    known: dict[int, set[Evidence]] = {}
    for event in events:
        group = groups[id(event) in apart]
        target = next((m for m in reversed(group) if _compatible_within(m, event)), None)
        if target is None:
            merged.append(event)
            group.append(event)
        else:
            if id(target) not in known:
                known[id(target)] = set(target.evidence)
            _absorb(target, event, gazetteer, known[id(target)])
    return merged


def identity_key(event: Event) -> tuple:
    """Events with equal keys are the same activity, whichever document reports them."""
    if event.name:
        return ("named", event.name.casefold(), event.year)
    return (
        "unnamed",
        event.kind,
        event.year,
        tuple(sorted(event.actors)),
        tuple(sorted(event.place_ids)),
    )


def copy_event(event: Event, evidence: bool = True) -> Event:
    """A merged event's first state: the event's fields in lists of its own."""
    return Event(
        kind=event.kind,
        name=event.name,
        year=event.year,
        actors=list(event.actors),
        place_ids=list(event.place_ids),
        evidence=list(event.evidence) if evidence else [],
        confidence=event.confidence,
        date_start=event.date_start,
        date_end=event.date_end,
        hypothetical=event.hypothetical,
        doc_ids=list(event.doc_ids) if evidence else [],
    )


def absorb_fields(into: Event, other: Event, gazetteer: Gazetteer | None) -> None:
    """Fold another document's event of the same identity key into `into`, all but evidence
    and documents (the caller counts those): one lookup by key, no pairwise comparison.

    Equal keys mean both are named or both unnamed, so the named-side-leads swap of
    `_absorb` cannot happen across documents.
    """
    if into.kind == "other":
        into.kind = other.kind
    into.year = into.year if into.year is not None else other.year
    into.actors = ordered_unique([*into.actors, *other.actors])
    places = ordered_unique([*into.place_ids, *other.place_ids])
    if gazetteer is not None:
        precise = [p for p in places if gazetteer[p].kind != "country"]
        places = precise or places
    into.place_ids = places
    into.date_start = min(filter(None, (into.date_start, other.date_start)), default=None)
    into.date_end = max(filter(None, (into.date_end, other.date_end)), default=None)
    into.confidence = max(into.confidence, other.confidence)


def merge_across_documents(events: Iterable[Event], gazetteer: Gazetteer) -> list[Event]:
    """Every document's events merged by identity key (a dict lookup each, linear in all)."""
    by_key: dict[tuple, Event] = {}
    known: dict[tuple, set[Evidence]] = {}
    docs: dict[tuple, set[str]] = {}
    for event in events:
        key = identity_key(event)
        into = by_key.get(key)
        if into is None:
            by_key[key] = copy_event(event)
            known[key] = set(event.evidence)
            docs[key] = set(event.doc_ids)
            continue
        absorb_fields(into, event, gazetteer)
        for item in event.evidence:
            if item not in known[key]:
                known[key].add(item)
                into.evidence.append(item)
        for doc_id in event.doc_ids:
            if doc_id not in docs[key]:
                docs[key].add(doc_id)
                into.doc_ids.append(doc_id)
    return list(by_key.values())


def fold_aircraft_into_bomber_flights(events: list[Event], gazetteer: Gazetteer) -> list[Event]:
    """One country's "military aircraft" over a place and its bombers over it, in one article,
    are one flight: the headline counts the aircraft ("中国軍機8機が宮古海峡上空を往復"), the body
    names the bombers among them. The air patrol folds into the bomber flight of the same
    country and year that shares a place with it."""
    flights = [e for e in events if e.kind == "bomber_flight" and len(e.actors) == 1]
    kept: list[Event] = []
    for event in events:
        into = None
        if event.kind == "air_patrol" and len(event.actors) == 1 and not event.name:
            into = next(
                (
                    f for f in flights
                    if f.actors == event.actors
                    and f.year == event.year
                    and set(f.place_ids) & set(event.place_ids)
                ),
                None,
            )
        if into is None:
            kept.append(event)
        else:
            _absorb(into, event, gazetteer)
    return kept
