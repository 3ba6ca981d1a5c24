"""From one document's text to its place mentions and reported events.

Per clause: find event words and exercise names ("anchors"), give each anchor the places that
follow it behind a locative word ("in", "over", "through" …), the actors named before it, and the
year the clause speaks of. Speculation ("could involve more exercises") is kept apart.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from geo.actors import ActorMention, find_actors, mentions_pair, ordered_unique
from geo.events import merge_within_document
from geo.gazetteer import Gazetteer, default_gazetteer
from geo.lexicon import (
    BACKGROUND_BEFORE,
    CONNECTOR,
    CONTEXT_ONLY_PLACES,
    COUNTRY_LOCATIVE,
    EXERCISE_NAME,
    HYPOTHETICAL_AFTER,
    HYPOTHETICAL_CUES,
    KIND_TRIGGERS,
    LOCATIVE,
    NAVAL_CONTEXT,
    NOT_NAMES,
    SPECULATIVE_HEADING,
)
from geo.matcher import PlaceMatcher
from geo.model import Document, Event, Evidence, Mention
from geo.text import Sentence, split_clauses, split_sentences
from geo.timeref import resolve

_NAME_LEAD_WORDS = frozenset(
    [
        "the",
        "in",
        "during",
        "at",
        "for",
        "a",
        "an",
        "its",
        "this",
        "last",
        "and",
        "of",
        "as",
        "with",
        "after",
        "before",
        "from",
        "like",
    ]
)
_NAME_TRIGGER_GAP = 45


@dataclass
class _Anchor:
    """An event word and/or an exercise name, with the span of text it covers."""

    start: int
    end: int
    kind: str | None = None
    name: str | None = None


@dataclass
class Extraction:
    """Everything found in one document."""

    document: Document
    mentions: list[Mention]
    events: list[Event]
    speculative: list[Event] = field(default_factory=list)


@dataclass
class _Memory:
    """What earlier sentences said, for "the two countries" and for joint events with no actor."""

    pair: list[str] = field(default_factory=list)
    last_event_actors: list[str] = field(default_factory=list)


@cache
def matcher_for(gazetteer: Gazetteer) -> PlaceMatcher:
    """The compiled matcher, built once per gazetteer."""
    return PlaceMatcher(gazetteer)


def _clean_name(raw: str) -> str | None:
    words = raw.split(" ")
    if len(words) > 1 and words[0].lower() in _NAME_LEAD_WORDS:
        raw = " ".join(words[1:])
    if NOT_NAMES.match(raw):
        return None
    return raw


def _find_anchors(text: str, start: int, end: int) -> list[_Anchor]:
    """Event words and names in a clause; a name next to an event word is one anchor."""
    anchors: list[_Anchor] = []
    clause = text[start:end]
    for kind, pattern in KIND_TRIGGERS:
        for match in pattern.finditer(clause):
            s, e = start + match.start(), start + match.end()
            if any(a.start < e and s < a.end for a in anchors):
                continue
            anchors.append(_Anchor(s, e, kind=kind))
    for match in EXERCISE_NAME.finditer(clause):
        name = _clean_name(match.group(0))
        if name is None:
            continue
        s = start + match.end() - len(name)
        anchors.append(_Anchor(s, start + match.end(), name=name))
    anchors.sort(key=lambda a: a.start)
    return _join_names_to_triggers(text, anchors)


def _join_names_to_triggers(text: str, anchors: list[_Anchor]) -> list[_Anchor]:
    joined: list[_Anchor] = []
    for anchor in anchors:
        previous = joined[-1] if joined else None
        if previous is not None and _belong_together(text, previous, anchor):
            previous.end = max(previous.end, anchor.end)
            previous.kind = previous.kind or anchor.kind
            previous.name = previous.name or anchor.name
            continue
        joined.append(anchor)
    return joined


def _belong_together(text: str, first: _Anchor, second: _Anchor) -> bool:
    if (first.name is None) == (second.name is None):
        return False
    gap = text[first.end : second.start]
    trigger = first if first.name is None else second
    return (
        len(gap) <= _NAME_TRIGGER_GAP
        and trigger.kind in ("naval_exercise", None)
        and not re.search(r"[.;]", gap)
    )


def _locative_places(
    text: str, mentions: list[Mention], start: int, end: int, gazetteer: Gazetteer
) -> list[Mention]:
    """Places in text[start:end] named as where something happened, in text order."""
    chosen: list[Mention] = []
    previous: Mention | None = None
    for mention in mentions:
        if not (start <= mention.start < end):
            continue
        place = gazetteer[mention.place_id]
        prefix = text[max(start, mention.start - 80) : mention.start]
        chained = previous is not None and CONNECTOR.match(text[previous.end : mention.start])
        locative = COUNTRY_LOCATIVE if place.kind == "country" else LOCATIVE
        possessive = text[mention.end : mention.end + 2] in ("'s", "\u2019s")
        if possessive and place.kind == "country":
            previous = None
            continue
        located = (chained or locative.search(prefix)) and not BACKGROUND_BEFORE.search(prefix)
        if located and place.id not in CONTEXT_ONLY_PLACES:
            chosen.append(mention)
            previous = mention
            continue
        previous = None
    return chosen


def _specific(places: list[str], gazetteer: Gazetteer) -> list[str]:
    """Drop countries when a sea, strait, island or zone says more precisely where."""
    precise = [p for p in places if gazetteer[p].kind != "country"]
    return precise or places


def _actor_mentions(
    text: str, start: int, end: int, mentions: list[Mention], gazetteer: Gazetteer
) -> list[ActorMention]:
    """Actors in a span, ignoring words inside non-country place names ("Sea of Japan")."""
    blocked = [(m.start, m.end) for m in mentions if gazetteer[m.place_id].kind != "country"]
    return [
        a for a in find_actors(text, start, end) if not any(s <= a.start < e for s, e in blocked)
    ]


def _is_hypothetical(
    text: str, clause_start: int, anchor: _Anchor, heading: str | None
) -> str | None:
    """The cue that makes this anchor speculation, if any."""
    if heading and SPECULATIVE_HEADING.search(heading):
        return heading
    cues = HYPOTHETICAL_CUES.findall(text[clause_start : anchor.start])
    if cues:
        return cues[-1]
    after = HYPOTHETICAL_AFTER.search(text[anchor.end : anchor.end + 40])
    return after.group(0).strip() if after else None


def _confidence(
    anchor: _Anchor, explicit_actors: bool, has_places: bool, explicit_year: bool
) -> float:
    score = 0.45 + (0.2 if anchor.name else 0.0) + (0.15 if explicit_actors else 0.0)
    score += (0.1 if has_places else 0.0) + (0.05 if explicit_year else 0.0)
    return round(min(score, 0.95), 2)


def _kind_for(
    anchor: _Anchor, text: str, start: int, end: int, places: list[str], gazetteer: Gazetteer
) -> str:
    if anchor.kind not in (None, "naval_exercise"):
        return anchor.kind
    at_sea = any(gazetteer[p].kind in ("sea", "strait") for p in places)
    return "naval_exercise" if at_sea or NAVAL_CONTEXT.search(text[start:end]) else "other"


def extract_document(document: Document, gazetteer: Gazetteer | None = None) -> Extraction:
    """Place mentions and events of one document (events merged within the document)."""
    gazetteer = gazetteer or default_gazetteer()
    text = document.text
    mentions = matcher_for(gazetteer).find(text)
    memory = _Memory()
    events: list[Event] = []
    speculative: list[Event] = []
    for sentence in split_sentences(text):
        found, maybe = _events_in_sentence(document, sentence, mentions, gazetteer, memory)
        events.extend(found)
        speculative.extend(maybe)
    return Extraction(document, mentions, merge_within_document(events, gazetteer), speculative)


def _events_in_sentence(
    document: Document,
    sentence: Sentence,
    mentions: list[Mention],
    gazetteer: Gazetteer,
    memory: _Memory,
) -> tuple[list[Event], list[Event]]:
    text = document.text
    meta = document.meta
    events: list[Event] = []
    speculative: list[Event] = []
    evidence = Evidence(meta.doc_id, sentence.text, sentence.start, sentence.end)
    for clause_start, clause_end in split_clauses(sentence):
        anchors = _find_anchors(text, clause_start, clause_end)
        actor_cursor = clause_start
        for index, anchor in enumerate(anchors):
            region_end = anchors[index + 1].start if index + 1 < len(anchors) else clause_end
            located = _locative_places(text, mentions, anchor.start, region_end, gazetteer)
            place_ids = ordered_unique([m.place_id for m in located])
            if not place_ids and anchor.name is None:
                continue
            actor_end = located[0].start if located else region_end
            if anchor.kind == "scramble":
                actor_end = anchor.start
            found_actors = _actor_mentions(text, actor_cursor, actor_end, mentions, gazetteer)
            actors = ordered_unique([a.actor for a in found_actors])
            actor_cursor = located[-1].end if located else anchor.end
            explicit = bool(actors)
            if not actors and mentions_pair(text[clause_start:actor_end]):
                actors = list(memory.pair)
            if not actors:
                actors = list(memory.last_event_actors or memory.pair)
            when = resolve(text[clause_start:clause_end], meta.published, meta.reference_year)
            year = when.year
            if anchor.name:
                name_years = re.findall(r"(?:19|20)\d\d", anchor.name)
                year = int(name_years[-1]) if name_years else year
            if year is None:
                year = meta.reference_year
            place_ids = _specific(place_ids, gazetteer)
            event = Event(
                kind=_kind_for(anchor, text, clause_start, clause_end, place_ids, gazetteer),
                name=anchor.name,
                year=year,
                actors=actors,
                place_ids=place_ids,
                evidence=[evidence],
                confidence=_confidence(anchor, explicit, bool(place_ids), when.explicit),
                date_start=when.start if when.year == year else None,
                date_end=when.end if when.year == year else None,
                doc_ids=[meta.doc_id],
            )
            cue = _is_hypothetical(text, clause_start, anchor, sentence.line_heading)
            if cue:
                event.hypothetical = True
                speculative.append(event)
                continue
            events.append(event)
            if actors:
                memory.last_event_actors = actors
    sentence_actors = ordered_unique(
        [a.actor for a in _actor_mentions(text, sentence.start, sentence.end, mentions, gazetteer)]
    )
    if len(sentence_actors) >= 2:
        memory.pair = sentence_actors
    return events, speculative


def _event_json(event: Event, gazetteer: Gazetteer) -> dict[str, Any]:
    first = event.evidence[0]
    return {
        "kind": event.kind,
        "name": event.name,
        "year": event.year,
        "actors": event.actors,
        "places": [gazetteer[p].name for p in event.place_ids],
        "evidence": {"text": first.text, "start": first.start, "end": first.end},
        "confidence": event.confidence,
        "date_start": event.date_start.isoformat() if event.date_start else None,
        "date_end": event.date_end.isoformat() if event.date_end else None,
    }


def extraction_json(extraction: Extraction, gazetteer: Gazetteer | None = None) -> dict[str, Any]:
    """The `drillmap extract` contract: one JSON object per document."""
    gazetteer = gazetteer or default_gazetteer()
    meta = extraction.document.meta
    places: dict[str, dict[str, Any]] = {}
    for mention in extraction.mentions:
        place = gazetteer[mention.place_id]
        entry = places.setdefault(
            place.id, {"id": place.id, "name": place.name, "kind": place.kind, "mentions": []}
        )
        entry["mentions"].append({"text": mention.text, "start": mention.start, "end": mention.end})
    return {
        "doc": meta.path,
        "published": meta.published.isoformat() if meta.published else None,
        "places": list(places.values()),
        "events": [_event_json(e, gazetteer) for e in extraction.events],
        "speculative": [_event_json(e, gazetteer) for e in extraction.speculative],
    }
