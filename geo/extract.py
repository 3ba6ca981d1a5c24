"""From one document's text to its place mentions and reported events.

Per clause: find signals of activity and exercise names ("anchors"); give each anchor the places
that follow it behind a locative word ("in", "over", "through" …), the actors named around it, and
the year the clause speaks of; decide its kind from the signal and the assets named (bombers,
warships). Speculation ("could involve more exercises") is kept apart, never drawn.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from geo.actors import ActorMention, find_actors, mentions_pair, ordered_unique
from geo.events import merge_within_document
from geo.gazetteer import Gazetteer, default_gazetteer
from geo.lexicon import (
    AIR_ASSETS,
    ALLIED_ACTORS,
    BACKGROUND_BEFORE,
    BOMBERS,
    CONNECTOR,
    CONTEXT_ONLY_PLACES,
    COUNTRY_LOCATIVE,
    EXERCISE_NAME,
    HYPOTHETICAL_AFTER,
    HYPOTHETICAL_CUES,
    LOCATION_BEFORE,
    LOCATIVE,
    NAVAL_ASSETS,
    NAVAL_CONTEXT,
    NOT_NAMES,
    PATROL_WORD,
    REPORTER_AFTER,
    REPORTER_BEFORE,
    SIGNALS,
    SPECULATIVE_HEADING,
)
from geo.matcher import PlaceMatcher
from geo.model import ACTORS, Document, Event, Evidence, Mention
from geo.text import Sentence, fold, lowercase_pattern, split_clauses, split_sentences
from geo.timeref import resolve

_NAME_LEAD_WORDS = frozenset(
    "the in during at for a an its this last and of as with after before from like".split()  # noqa: SIM905
)
_NAME_TRIGGER_GAP = 45
# "TOKYO (Jiji Press) -", "SEOUL, Nov. 19 -": the city that files the story is not an actor.
_DATELINE = re.compile(
    r"^[A-Z][A-Za-z .']{1,30}?(?:,\s*[A-Z][a-z]{2,9}\.? \d{1,2})?"
    r"\s*(?:\([^)]{1,30}\))?\s*[-\u2013\u2014]\s",
)
# A port or base named as where ships left from is not where the event happened.
_DEPARTURE = re.compile(r"\b(?:from|departed|departing|left|leaving)\b[^.;]{0,30}$", re.I)
# "Russian aircraft landed at an airfield in China": a stopover, not where the patrol flew.
_STOPOVER = re.compile(
    r"\b(?:landed|landing|took off|airfield|air ?base|naval base)\b[^.;]{0,30}$", re.I
)
# "The Chinese military said it had conducted …": the one who reports is the one who acted.
_REPORTS_OWN_ACT = re.compile(
    r"\s+(?:(?:said|says|announced|stated|reported)\s+)?(?:that\s+)?(?:it|its|they|their)\b",
    re.I,
)
_TERRITORY_AFTER = re.compile(
    r"\s+(?:territorial\s+|sovereign\s+|national\s+)?(?:waters|airspace|territory|coast(?!\s+guard)|coastline|"
    r"skies|soil|mainland)\b",
    re.I,
)
_ADMIN_AREA = re.compile(r"\s+(?:Prefecture|Province|prefecture|province|region|Oblast|Krai)\b")
_BYSTANDER_BEFORE = re.compile(
    r"\b(?:leaders?|summit|talks|meeting|ministers?|presidents?|prime ministers?|envoys?|"
    r"ambassadors?|delegations?|visit|visited)\s+(?:of|from|with|to|by)\s+(?:the\s+)?"
    r"(?:[\w.'-]+(?:\s+[\w.'-]+)?(?:,|\s+and)\s+)*$",
    re.I,
)
_REPORTED = re.compile(r"\b(?:said|says|announced|stated|told|according to|reported)\b", re.I)
# The actors that were scrambled against are "Chinese aircraft", not who scrambled.
_TARGET_AFTER = re.compile(
    r"\s+(?:\w+\s+){0,2}?(?:bombers?|aircraft|planes?|drones?|warplanes?|ships?|vessels?|carriers?)\b",
    re.I,
)
_ASSET_WINDOW = 120
_ASSET_LOOKBACK = 200
_SCRAMBLER_WINDOW = 60
# An activity anchor needs an asset nearby ("bombers flew"), else "flew" alone is no event.
_NEEDS_ASSET = frozenset({"movement"})


@dataclass
class _Anchor:
    """A signal of activity and/or an exercise name, with the span of text it covers."""

    start: int
    end: int
    family: str
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


_FOLDED_SIGNALS = tuple((signal, lowercase_pattern(p)) for signal, p in SIGNALS)
_FOLDED_AIR = lowercase_pattern(AIR_ASSETS)
_FOLDED_NAVAL = lowercase_pattern(NAVAL_ASSETS)


@dataclass
class _DocIndex:
    """Every regex run once over the whole document; clauses then look things up by offset."""

    actors: list[ActorMention]
    actor_starts: list[int]
    signals: dict[str, list[tuple[int, int]]]
    names: list[tuple[int, int, str]]
    air: list[int]
    naval: list[int]

    @classmethod
    def build(
        cls, text: str, folded: str, mentions: list[Mention], gazetteer: Gazetteer
    ) -> _DocIndex:
        # Actor words inside place names ("Sea of Japan") name no actor.
        inside_place: set[int] = set()
        for m in mentions:
            place = gazetteer[m.place_id]
            if place.kind != "country" and place.name not in ACTORS:
                inside_place.update(range(m.start, m.end))
        actors = [a for a in find_actors(text, folded=folded) if a.start not in inside_place]
        names = []
        for match in EXERCISE_NAME.finditer(text):
            name = _clean_name(match.group(0))
            if name is not None:
                names.append((match.end() - len(name), match.end(), name))
        return cls(
            actors=actors,
            actor_starts=[a.start for a in actors],
            signals={
                signal: [(m.start(), m.end()) for m in pattern.finditer(folded)]
                for signal, pattern in _FOLDED_SIGNALS
            },
            names=names,
            air=[m.start() for m in _FOLDED_AIR.finditer(folded)],
            naval=[m.start() for m in _FOLDED_NAVAL.finditer(folded)],
        )

    def actors_in(self, start: int, end: int) -> list[ActorMention]:
        lo, hi = bisect_left(self.actor_starts, start), bisect_left(self.actor_starts, end)
        return [a for a in self.actors[lo:hi] if a.end <= end]

    def any_asset(self, start: int, end: int) -> bool:
        return any(bisect_left(xs, start) < bisect_left(xs, end) for xs in (self.air, self.naval))

    @staticmethod
    def nearest(positions: list[int], start: int, end: int, at: int) -> int | None:
        inside = positions[bisect_left(positions, start) : bisect_left(positions, end)]
        return min((abs(p - at) for p in inside), default=None)


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
    # One spelling per exercise: "Joint Sea 2022" and "Joint Sea-2022" are the same name.
    return re.sub(r" ((?:19|20)\d\d)$", r"-\1", raw)


def _family(signal: str) -> str:
    return "activity" if signal in ("activity", "movement") else signal


def _find_anchors(
    text: str, start: int, end: int, mentions: list[Mention], index: _DocIndex
) -> list[_Anchor]:
    """Signals and names in a clause; neighbours that describe one thing become one anchor."""
    anchors: list[_Anchor] = []
    for signal, _ in SIGNALS:
        for s, e in index.signals[signal]:
            if s < start or e > end or any(a.start < e and s < a.end for a in anchors):
                continue
            if signal in _NEEDS_ASSET and not index.any_asset(
                max(0, s - _ASSET_LOOKBACK), min(end, e + _ASSET_WINDOW)
            ):
                continue
            anchors.append(_Anchor(s, e, family=_family(signal)))
    for s, e, name in index.names:
        if start <= s and e <= end:
            anchors.append(_Anchor(s, e, family="exercise", name=name))
    anchors.sort(key=lambda a: a.start)
    return _join(text, anchors, mentions)


def _join(text: str, anchors: list[_Anchor], mentions: list[Mention]) -> list[_Anchor]:
    joined: list[_Anchor] = []
    for anchor in anchors:
        previous = joined[-1] if joined else None
        if previous is not None and _belong_together(text, previous, anchor, mentions):
            previous.end = max(previous.end, anchor.end)
            previous.name = previous.name or anchor.name
            continue
        joined.append(anchor)
    return joined


def _belong_together(text: str, first: _Anchor, second: _Anchor, mentions: list[Mention]) -> bool:
    """A name beside an exercise word, or two activity words with no place between them."""
    if first.family != second.family:
        return False
    if first.name and second.name:
        return False
    gap = text[first.end : second.start]
    if first.name or second.name:
        return len(gap) <= _NAME_TRIGGER_GAP and not re.search(r"[.;]", gap)
    return not any(first.end <= m.start < second.start for m in mentions)


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
        gap = _gap_between(text, mention, mentions, gazetteer)
        if gap is not None:
            first, second = gap
            strait = gazetteer.strait_between(first.place_id, second.place_id)
            if strait is not None and mention is first:
                chosen.append(
                    Mention(strait.id, text[first.start : second.end], first.start, second.end)
                )
            previous = None
            continue
        between = text[previous.end : mention.start] if previous is not None else ""
        qualifier = between == " in " or (between == ", " and _ADMIN_AREA.match(text, mention.end))
        if qualifier and place.kind in ("island", "region", "country", "base"):
            # "Miyako Island in Okinawa Prefecture": the second place only says where the first is.
            continue
        chained = previous is not None and CONNECTOR.match(text[previous.end : mention.start])
        locative = COUNTRY_LOCATIVE if place.kind == "country" else LOCATIVE
        possessive = text[mention.end : mention.end + 2] in ("'s", "\u2019s")
        if possessive and place.kind == "country":
            previous = None
            continue
        departure = (place.kind == "base" and _DEPARTURE.search(prefix)) or (
            place.kind in ("base", "country") and _STOPOVER.search(prefix)
        )
        located = (
            (chained or locative.search(prefix))
            and not BACKGROUND_BEFORE.search(prefix)
            and not departure
        )
        if located and place.id not in CONTEXT_ONLY_PLACES:
            chosen.append(mention)
            previous = mention
            continue
        previous = None
    return chosen


def _gap_between(
    text: str, mention: Mention, mentions: list[Mention], gazetteer: Gazetteer
) -> tuple[Mention, Mention] | None:
    """ "between Okinawa and Miyako": the two islands that name the strait between them."""
    if gazetteer[mention.place_id].kind != "island":
        return None
    for other in mentions:
        if other is mention or gazetteer[other.place_id].kind != "island":
            continue
        first, second = (other, mention) if other.start < mention.start else (mention, other)
        before = text[max(0, first.start - 40) : first.start]
        if re.search(r"\bbetween\b[^.;,]{0,30}$", before) and re.fullmatch(
            r"\s+and\s+(?:the\s+)?", text[first.end : second.start]
        ):
            return first, second
    return None


def _specific(places: list[str], gazetteer: Gazetteer) -> list[str]:
    """Drop countries when a sea, strait, island or zone says more precisely where."""
    precise = [p for p in places if gazetteer[p].kind != "country"]
    return precise or places


def _is_bystander(text: str, mention: ActorMention) -> bool:
    """ "a summit with the leaders of the United States, India and Australia" names no doer."""
    return bool(_BYSTANDER_BEFORE.search(text[max(0, mention.start - 80) : mention.start]))


def _is_location(text: str, mention: ActorMention) -> bool:
    """ "met in Tokyo", "flew around Japan", a dateline: the name is where, not who."""
    if LOCATION_BEFORE.search(text[max(0, mention.start - 20) : mention.start]):
        return True
    if _TERRITORY_AFTER.match(text, mention.end):
        return True  # "entered Japanese territorial waters"
    line_start = text.rfind("\n", 0, mention.start) + 1
    dateline = _DATELINE.match(text, line_start, line_start + 60)
    return dateline is not None and mention.end <= dateline.end()


def _is_reporter(text: str, mention: ActorMention) -> bool:
    """ "Japan's Defense Ministry said …" names who reports, not who acted."""
    after = text[mention.end : mention.end + 60]
    before = text[max(0, mention.start - 20) : mention.start]
    reporter = REPORTER_AFTER.match(after)
    if reporter and _REPORTS_OWN_ACT.match(after, reporter.end()):
        return False
    return bool(reporter or REPORTER_BEFORE.search(before))


def _event_actors(
    text: str,
    window: tuple[int, int],
    trailing: tuple[int, int],
    index: _DocIndex,
    scramble: bool = False,
) -> list[str]:
    """Actors named before the event's places, plus "Russian TU-95 bombers" after them."""
    found = [
        a
        for a in index.actors_in(*window)
        if not _is_location(text, a)
        and not _is_bystander(text, a)
        and not (scramble and _TARGET_AFTER.match(text, a.end))
    ]
    doers = [a for a in found if not _is_reporter(text, a)]
    if scramble:
        # A ministry reporting its own scramble is the one that scrambled.
        return ordered_unique([a.actor for a in doers or found])
    chosen = doers
    for mention in index.actors_in(*trailing):
        follows = text[mention.end : mention.end + 30]
        if AIR_ASSETS.match(follows.lstrip()) or NAVAL_ASSETS.match(follows.lstrip()):
            chosen.append(mention)
        elif re.match(r"\s+(?:[A-Z][\w-]*\s+){1,2}", follows):
            rest = follows.lstrip()
            after_model = rest.split(" ", 1)[1] if " " in rest else ""
            if AIR_ASSETS.match(after_model) or NAVAL_ASSETS.match(after_model):
                chosen.append(mention)
    return ordered_unique([a.actor for a in chosen])


def _is_hypothetical(
    text: str, clause_start: int, anchor: _Anchor, heading: str | None
) -> str | None:
    """The cue that makes this anchor speculation, if any."""
    if heading and SPECULATIVE_HEADING.search(heading):
        return heading
    before = text[clause_start : anchor.start]
    reported = _REPORTED.search(before) is not None
    cues = [c for c in HYPOTHETICAL_CUES.findall(before) if not (reported and _is_plan(c))]
    if cues:
        return cues[-1]
    after = HYPOTHETICAL_AFTER.search(text[anchor.end : anchor.end + 40])
    if after and not (reported and _is_plan(after.group(0))):
        return after.group(0).strip()
    return None


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
    text: str,
    span: tuple[int, int],
    places: list[str],
    actors: list[str],
    gazetteer: Gazetteer,
    index: _DocIndex,
) -> str:
    """The event kind from the signal, the assets named near it and who flew them."""
    start, end = span
    if anchor.family == "scramble":
        return "scramble"
    if anchor.family == "missile":
        return "missile_launch"
    clause = text[start:end]
    if (
        anchor.family == "exercise"
        and AIR_ASSETS.search(clause)
        and not NAVAL_ASSETS.search(clause)
    ):
        # "a joint drill with a B-52 above the East China Sea" is a flight, not a naval exercise.
        anchor = _Anchor(anchor.start, anchor.end, family="activity", name=anchor.name)
    if anchor.family == "exercise":
        at_sea = any(gazetteer[p].kind in ("sea", "strait") for p in places)
        return "naval_exercise" if at_sea or NAVAL_CONTEXT.search(text[start:end]) else "other"
    # "Later they entered the Sea of Japan": the ships may be named in the sentence before.
    reach = min(start, max(0, anchor.start - _ASSET_LOOKBACK))
    air = index.nearest(index.air, reach, end, anchor.start)
    naval = index.nearest(index.naval, reach, end, anchor.start)
    in_air = any(gazetteer[p].kind == "airspace" for p in places)
    if naval is not None and (air is None or naval < air) and not in_air:
        return "naval_patrol"
    if re.search(r"\bbomber flights?\b", clause, re.I) and not PATROL_WORD.search(clause):
        return "bomber_flight"
    if (
        BOMBERS.search(clause)
        and not PATROL_WORD.search(clause)
        and actors
        and set(actors) <= ALLIED_ACTORS
    ):
        return "bomber_flight"
    return "air_patrol"


def extract_document(document: Document, gazetteer: Gazetteer | None = None) -> Extraction:
    """Place mentions and events of one document (events merged within the document)."""
    gazetteer = gazetteer or default_gazetteer()
    text = document.text
    folded = fold(text)
    mentions = matcher_for(gazetteer).find(text, folded)
    index = _DocIndex.build(text, folded, mentions, gazetteer)
    memory = _Memory()
    events: list[Event] = []
    speculative: list[Event] = []
    for sentence in split_sentences(text):
        found, maybe = _events_in_sentence(document, sentence, mentions, gazetteer, memory, index)
        events.extend(found)
        speculative.extend(maybe)
    return Extraction(document, mentions, merge_within_document(events, gazetteer), speculative)


def _events_in_sentence(
    document: Document,
    sentence: Sentence,
    mentions: list[Mention],
    gazetteer: Gazetteer,
    memory: _Memory,
    index: _DocIndex,
) -> tuple[list[Event], list[Event]]:
    text = document.text
    meta = document.meta
    events: list[Event] = []
    speculative: list[Event] = []
    evidence = Evidence(meta.doc_id, sentence.text, sentence.start, sentence.end)
    for clause_start, clause_end in split_clauses(sentence):
        anchors = _find_anchors(text, clause_start, clause_end, mentions, index)
        actor_cursor = clause_start
        for position, anchor in enumerate(anchors):
            region_end = anchors[position + 1].start if position + 1 < len(anchors) else clause_end
            located = _locative_places(text, mentions, anchor.start, region_end, gazetteer)
            place_ids = _specific(ordered_unique([m.place_id for m in located]), gazetteer)
            actor_start, actor_end = actor_cursor, located[0].start if located else region_end
            if anchor.family == "scramble":
                # Who scrambled is named right before: "… and South Korea's Air Force put jets up".
                actor_start = max(actor_cursor, anchor.start - _SCRAMBLER_WINDOW)
                actor_end = anchor.start
            trailing_start = located[-1].end if located else actor_end
            actors = _event_actors(
                text,
                (actor_start, actor_end),
                (trailing_start, region_end),
                index,
                scramble=anchor.family == "scramble",
            )
            if not actors and anchor.family == "scramble":
                # "NORAD said its fighters had intercepted …": the one who reported it.
                actors = _event_actors(
                    text,
                    (sentence.start, anchor.start),
                    (anchor.start, anchor.start),
                    index,
                    scramble=True,
                )
            actor_cursor = located[-1].end if located else anchor.end
            explicit = bool(actors)
            if not place_ids and anchor.name is None and anchor.family != "scramble":
                # Not mappable, but it says who the story is about ("a joint patrol by …").
                if explicit and anchor.family != "scramble":
                    memory.last_event_actors = actors
                continue
            if not actors and anchor.family == "scramble":
                continue
            if not actors and mentions_pair(text[clause_start:actor_end]):
                actors = list(memory.pair)
            if not actors:
                actors = list(memory.last_event_actors or memory.pair)
            when = resolve(text[clause_start:clause_end], meta.published, meta.reference_year)
            if when.year is None:
                when = resolve(sentence.text, meta.published, meta.reference_year)
            year = when.year
            if anchor.name:
                name_years = re.findall(r"(?:19|20)\d\d", anchor.name)
                year = int(name_years[-1]) if name_years else year
            if year is None:
                year = meta.reference_year
            event = Event(
                kind=_kind_for(
                    anchor, text, (clause_start, clause_end), place_ids, actors, gazetteer, index
                ),
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
            if _is_hypothetical(text, clause_start, anchor, sentence.line_heading):
                event.hypothetical = True
                speculative.append(event)
                continue
            events.append(event)
            if actors and anchor.family != "scramble":
                memory.last_event_actors = actors
    sentence_actors = ordered_unique(
        [a.actor for a in index.actors_in(sentence.start, sentence.end)]
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
