"""From one document's text to its place mentions and reported events.

Per clause: find signals of activity and exercise names ("anchors"); give each anchor the places
that follow it behind a locative word ("in", "over", "through" …), the actors named around it, and
the year the clause speaks of; decide its kind from the signal and the assets named (bombers,
warships). Speculation ("could involve more exercises") is kept apart, never drawn.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache, partial
from typing import Any

from geo.actors import mentions_pair, ordered_unique
from geo.docindex import DocIndex
from geo.events import merge_within_document
from geo.gazetteer import Gazetteer, default_gazetteer
from geo.lexicon import (
    ALLIED_ACTORS,
    HYPOTHETICAL_AFTER,
    SCRAMBLE_ZONES,
    SPECULATIVE_HEADING,
)
from geo.locations import event_places, most_specific
from geo.matcher import PlaceMatcher
from geo.model import Document, Event, Evidence, Mention
from geo.roles import event_actors
from geo.text import Sentence, TextForms, lowercase_pattern, split_clauses, split_sentences
from geo.timeref import resolve

_NAME_TRIGGER_GAP = 45
_INTO = re.compile(
    r"\b(?:entered|entering|crossed into|intruded into|intruding into|into|violated|violating|"
    r"breached|breaching)\s+(?:the\s+)?$"
)
_SCRAMBLE_COUNT = re.compile(
    r"\b\d[\d,]*\s+(?:times|scrambles|sorties)\b|\bfiscal\b|\b(?:total|record|tally)\b"
)
_NEGATION = re.compile(r"\b(?:not|no|never|without|nor)\b|n't\b")
_NEGATED = re.compile(r"(?:\b(?:not|never|without)|n't)\s+(?:\w+\s+)?$")
_HYPOTHETICAL_AFTER = lowercase_pattern(HYPOTHETICAL_AFTER)
_ASSET_WINDOW = 120
_ASSET_LOOKBACK = 200
_SCRAMBLER_WINDOW = 60
_HABIT_REACH = 25  # "Chinese ships sail there regularly"
# An activity anchor needs an asset nearby ("bombers flew"), else "flew" alone is no event.
_NEEDS_ASSET = frozenset({"movement"})


@dataclass
class _Anchor:
    """A signal of activity and/or an exercise name, with the span of text it covers."""

    start: int
    end: int
    family: str
    name: str | None = None
    negated: bool = False


@dataclass
class Extraction:
    """Everything found in one document."""

    document: Document
    mentions: list[Mention]
    events: list[Event]
    speculative: list[Event] = field(default_factory=list)


@dataclass
class _Memory:
    """What earlier sentences said, for "the two countries" and for joint events with no actor.

    Both are looked up only when an event names no actor, which most events do; so sentences and
    unmappable anchors are kept as they come and read back only on demand.
    """

    sentences: list[Sentence] = field(default_factory=list)
    last_event_actors: list[str] = field(default_factory=list)
    last_scrambler: list[str] = field(default_factory=list)
    # Who unmappable anchors after the last event name, oldest first ("a joint patrol by …").
    unmapped: list[Callable[[], list[str]]] = field(default_factory=list)

    def note(self, actors: list[str]) -> None:
        self.last_event_actors = actors
        self.unmapped.clear()

    def recent_actors(self) -> list[str]:
        """Who the latest event that named anyone was about."""
        while self.unmapped:
            actors = self.unmapped.pop()()
            if actors:
                self.note(actors)
        return self.last_event_actors

    def pair(self, index: DocIndex) -> list[str]:
        """The actors of the latest earlier sentence that named two or more ("the two sides")."""
        for sentence in reversed(self.sentences):
            mentions = index.actors_in(sentence.start, sentence.end)
            if len(mentions) >= 2:
                actors = ordered_unique([a.actor for a in mentions])
                if len(actors) >= 2:
                    return actors
        return []


@dataclass
class _Region:
    """An anchor with the text it governs: its places, and where its actors may be named."""

    anchor: _Anchor
    located: list[Mention]
    window: tuple[int, int]
    trailing: tuple[int, int]


@cache
def matcher_for(gazetteer: Gazetteer) -> PlaceMatcher:
    """The compiled matcher, built once per gazetteer."""
    return PlaceMatcher(gazetteer)


def _family(signal: str) -> str:
    return "activity" if signal in ("activity", "movement") else signal


def _find_anchors(index: DocIndex, start: int, end: int) -> list[_Anchor]:
    """Signals and names in a clause; neighbours that describe one thing become one anchor."""
    anchors: list[_Anchor] = []
    for s, e, signal in index.signals_in(start, end):
        if any(a.start < e and s < a.end for a in anchors):
            continue
        if signal == "violation" and _NEGATION.search(index.forms.folded, start, s):
            continue  # "no airspace was violated", "without violating anyone's airspace"
        if signal in _NEEDS_ASSET and not index.any_asset(
            max(0, s - _ASSET_LOOKBACK), min(end, e + _ASSET_WINDOW)
        ):
            continue
        # "did not enter", "without entering": it stays an anchor, so it ends the one before.
        negated = _NEGATED.search(index.forms.folded, max(start, s - 30), s) is not None
        anchors.append(_Anchor(s, e, family=_family(signal), negated=negated))
    for s, e, name in index.names_in(start, end):
        anchors.append(_Anchor(s, e, family="exercise", name=name))
    anchors.sort(key=lambda a: a.start)
    return _join(index, anchors)


def _join(index: DocIndex, anchors: list[_Anchor]) -> list[_Anchor]:
    joined: list[_Anchor] = []
    for anchor in anchors:
        previous = joined[-1] if joined else None
        if previous is not None and _belong_together(index, previous, anchor):
            previous.end = max(previous.end, anchor.end)
            previous.name = previous.name or anchor.name
            continue
        joined.append(anchor)
    return joined


def _belong_together(index: DocIndex, first: _Anchor, second: _Anchor) -> bool:
    """A name beside an exercise word, or two activity words with no place between them.

    "the drills covered the Taiwan Strait", "missiles launched from Fujian flew over Taiwan": a
    movement after an exercise or a launch is that exercise's or that missile's.
    """
    if first.negated or second.negated:
        return False
    if first.family in ("exercise", "missile") and second.family == "activity":
        return not index.mentions_in(first.end, second.start)
    if first.family != second.family:
        return False
    if first.name and second.name:
        return False
    gap = index.forms.text[first.end : second.start]
    if first.name or second.name:
        return len(gap) <= _NAME_TRIGGER_GAP and not re.search(r"[.;]", gap)
    return not index.mentions_in(first.end, second.start)


def _is_hypothetical(
    index: DocIndex, clause_start: int, anchor: _Anchor, heading: str | None
) -> str | None:
    """The cue that makes this anchor speculation, if any."""
    if heading and SPECULATIVE_HEADING.search(heading):
        return heading
    folded = index.forms.folded
    habitual = index.spans_in("habitual", clause_start, anchor.end + _HABIT_REACH)
    if habitual:
        start, end = habitual[-1]
        return folded[start:end]  # "regularly fly", "usually reports"
    reported = index.has("reported", clause_start, anchor.start)
    cues = [
        folded[start:end]
        for start, end in index.spans_in("hypothetical", clause_start, anchor.start)
        if not (reported and _is_plan(folded[start:end])) and not _is_month(index, start, end)
    ]
    if cues:
        return cues[-1]
    after = _HYPOTHETICAL_AFTER.match(folded, anchor.end, anchor.end + 40)
    if after and not (reported and _is_plan(after.group(0))):
        return after.group(0).strip()
    return None


def _is_month(index: DocIndex, start: int, end: int) -> bool:
    """ "in late May": the month, not the modal verb (which is lower case inside a sentence)."""
    return index.forms.text[start:end] == "May" and index.forms.text[start - 2 : start] != ". "


def _is_plan(cue: str) -> bool:
    """ "The ministry said the navy would join": an announced plan, reported as fact."""
    return bool(re.search(r"\b(?:would|will|is to|are to|plans? to|scheduled|set to)\b", cue, re.I))


def _confidence(
    anchor: _Anchor, explicit_actors: bool, has_places: bool, explicit_year: bool
) -> float:
    score = 0.45 + (0.2 if anchor.name else 0.0) + (0.15 if explicit_actors else 0.0)
    score += (0.1 if has_places else 0.0) + (0.05 if explicit_year else 0.0)
    return round(min(score, 0.95), 2)


def _kind_for(
    anchor: _Anchor,
    index: DocIndex,
    span: tuple[int, int],
    located: list[Mention],
    actors: list[str],
) -> str:
    """The event kind from the signal, the assets named near it and who flew them."""
    start, end = span
    gazetteer = index.gazetteer
    places = [m.place_id for m in located]
    if anchor.family == "scramble":
        return "scramble"
    if anchor.family == "missile":
        return "missile_launch"
    if anchor.family == "violation":
        return "other"
    family = anchor.family
    if family == "exercise" and index.has("air", start, end) and not index.has("naval", start, end):
        # "a joint drill with a B-52 above the East China Sea" is a flight, not a naval exercise.
        family = "activity"
    if family == "exercise":
        # Drills "around Taiwan" or "near the Senkakus" are held in the waters around them.
        at_sea = any(gazetteer[p].kind in ("sea", "strait", "island") for p in places)
        naval = at_sea or index.has("naval_context", start, end)
        return "naval_exercise" if naval else "other"
    # "Later they entered the Sea of Japan": the ships may be named in the sentence before.
    reach = min(start, max(0, anchor.start - _ASSET_LOOKBACK))
    air = index.nearest("air", reach, end, anchor.start)
    naval = index.nearest("naval", reach, end, anchor.start)
    in_air = any(gazetteer[p].kind == "airspace" for p in places)
    if naval is not None and (air is None or naval < air) and not in_air:
        return "naval_patrol"
    if any(_into_airspace(index, m) for m in located):
        return "other"  # a territorial airspace violation, not an ADIZ entry
    if index.has("patrol_word", start, end):
        return "air_patrol"
    if index.has("bomber_flight", start, end):
        return "bomber_flight"
    if index.has("bomber", reach, end) and actors and set(actors) <= ALLIED_ACTORS:
        return "bomber_flight"
    return "air_patrol"


def _scramble_zone(index: DocIndex, actors: list[str], span: tuple[int, int]) -> list[str]:
    """A yearly or record count of scrambles is placed in the scrambling country's ADIZ."""
    zone = SCRAMBLE_ZONES.get(actors[0]) if len(actors) == 1 else None
    if zone is None or zone not in index.gazetteer.places:
        return []
    return [zone] if _SCRAMBLE_COUNT.search(index.forms.folded, *span) else []


def _into_airspace(index: DocIndex, mention: Mention) -> bool:
    """ "crossed into Japan's airspace" (territorial airspace), not "entered the ADIZ"."""
    if not mention.text.lower().endswith("airspace"):
        return False
    before = max(0, mention.start - 30)
    return _INTO.search(index.forms.folded, before, mention.start) is not None


def extract_document(document: Document, gazetteer: Gazetteer | None = None) -> Extraction:
    """Place mentions and events of one document (events merged within the document)."""
    gazetteer = gazetteer or default_gazetteer()
    forms = TextForms.of(document.text)
    mentions = matcher_for(gazetteer).find(document.text, forms)
    index = DocIndex.build(forms, mentions, gazetteer)
    memory = _Memory()
    events: list[Event] = []
    speculative: list[Event] = []
    for sentence in split_sentences(document.text):
        start, end = sentence.start, sentence.end
        if not index.has_anchor(start, end):
            pass
        elif (
            index.mentions_in(start, end)
            or index.names_in(start, end)
            or _scramble(index, start, end)
        ):
            found, maybe = _events_in_sentence(document, sentence, index, memory)
            events.extend(found)
            speculative.extend(maybe)
        else:
            # Nothing here can be mapped; who it names matters only if a later event names nobody.
            memory.unmapped.append(partial(_latest_actors, index, sentence))
        memory.sentences.append(sentence)
    return Extraction(document, mentions, merge_within_document(events, gazetteer), speculative)


def _scramble(index: DocIndex, start: int, end: int) -> bool:
    return any(family == "scramble" for _, _, family in index.signals_in(start, end))


def _regions(index: DocIndex, clause_start: int, clause_end: int) -> Iterator[_Region]:
    """The anchors of a clause, each with the places after it and the spans that hold its actors."""
    anchors = _find_anchors(index, clause_start, clause_end)
    actor_cursor = clause_start
    for position, anchor in enumerate(anchors):
        region_end = anchors[position + 1].start if position + 1 < len(anchors) else clause_end
        located = event_places(index, anchor.start, region_end)
        actor_start, actor_end = actor_cursor, located[0].start if located else region_end
        if anchor.family == "scramble":
            # Who scrambled is named right before: "… and South Korea's Air Force put jets up".
            actor_start = max(actor_cursor, anchor.start - _SCRAMBLER_WINDOW)
            actor_end = anchor.start
        trailing_start = located[-1].end if located else actor_end
        yield _Region(anchor, located, (actor_start, actor_end), (trailing_start, region_end))
        actor_cursor = located[-1].end if located else anchor.end


def _latest_actors(index: DocIndex, sentence: Sentence) -> list[str]:
    """Who the last anchor of a sentence that names anyone is about."""
    regions = [r for clause in split_clauses(sentence) for r in _regions(index, *clause)]
    for region in reversed(regions):
        actors = event_actors(index, region.window, region.trailing)
        if actors:
            return actors
    return []


def _events_in_sentence(
    document: Document, sentence: Sentence, index: DocIndex, memory: _Memory
) -> tuple[list[Event], list[Event]]:
    text = document.text
    meta = document.meta
    events: list[Event] = []
    speculative: list[Event] = []
    evidence = Evidence(meta.doc_id, sentence.text, sentence.start, sentence.end)
    for clause_start, clause_end in split_clauses(sentence):
        for region in _regions(index, clause_start, clause_end):
            anchor = region.anchor
            if anchor.negated:
                continue
            place_ids = most_specific(
                ordered_unique([m.place_id for m in region.located]), index.gazetteer
            )
            if not place_ids and anchor.name is None and anchor.family != "scramble":
                # Not mappable, but it may say who the story is about ("a joint patrol by …").
                memory.unmapped.append(partial(event_actors, index, region.window, region.trailing))
                continue
            actors = event_actors(
                index, region.window, region.trailing, scramble=anchor.family == "scramble"
            )
            if not actors and anchor.family == "scramble":
                # "NORAD said its fighters had intercepted …": the one who reported it.
                actors = event_actors(
                    index, (sentence.start, anchor.start), (anchor.start, anchor.start), True
                )
            explicit = bool(actors)
            if not actors and anchor.family == "scramble":
                # "The total was up from 873 scrambles the year before": the same air force.
                actors = list(memory.last_scrambler)
            if not actors and anchor.family == "scramble":
                continue
            if anchor.family == "scramble" and not place_ids:
                place_ids = _scramble_zone(index, actors, (clause_start, clause_end))
            actor_end = region.window[1]
            if not actors and mentions_pair(text[clause_start:actor_end]):
                actors = memory.pair(index)
            if not actors:
                actors = list(memory.recent_actors() or memory.pair(index))
            when = resolve(text[clause_start:clause_end], meta.published, meta.reference_year)
            whole_sentence = (clause_start, clause_end) == (sentence.start, sentence.end)
            if when.year is None and not whole_sentence:
                when = resolve(sentence.text, meta.published, meta.reference_year)
            year = when.year
            if anchor.name:
                name_years = re.findall(r"(?:19|20)\d\d", anchor.name)
                year = int(name_years[-1]) if name_years else year
            if year is None:
                year = meta.reference_year
            event = Event(
                kind=_kind_for(anchor, index, (clause_start, clause_end), region.located, actors),
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
            if _is_hypothetical(index, clause_start, anchor, sentence.line_heading):
                event.hypothetical = True
                speculative.append(event)
                continue
            events.append(event)
            if actors and anchor.family != "scramble":
                memory.note(actors)
            if anchor.family == "scramble":
                memory.last_scrambler = actors
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
