"""From one document's text to its place mentions and reported events.

Per clause: find its anchors (signals of activity, exercise names:
`geo.extraction.rules.anchors`); give each anchor the places that follow it behind a locative
word (`geo.extraction.rules.locations`), the actors named around it
(`geo.extraction.rules.roles`), the year the clause speaks of (`geo.extraction.rules.timeref`)
and its kind (`geo.extraction.rules.kinds`). Speculation ("could involve more exercises",
`geo.extraction.rules.speculation`) is kept apart, never drawn. Everything these modules look up
was found once per document (`geo.extraction.context`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from functools import cache, partial
from typing import Any

from geo.domain.language import detect_language
from geo.domain.model import Document, Event, Evidence, Mention
from geo.extraction.context import DocIndex
from geo.extraction.merge import merge_within_document
from geo.extraction.rules.actors import mentions_pair, ordered_unique
from geo.extraction.rules.anchors import Anchor, find_anchors
from geo.extraction.rules.kinds import kind_for, scramble_zone
from geo.extraction.rules.locations import event_places, most_specific
from geo.extraction.rules.roles import event_actors
from geo.extraction.rules.speculation import is_month, speculation_cue
from geo.extraction.rules.tallies import SENTENCES_AFTER, compared_totals
from geo.extraction.rules.timeref import resolve
from geo.extraction.rules.zones import zone_mentions
from geo.extraction.text import Sentence, TextForms, split_clauses, split_sentences
from geo.extraction.vocab.lexicon import EXERCISE_PARTICIPANTS, MODAL_WORDS, SCRAMBLE_ZONES
from geo.gazetteer.matcher import PlaceMatcher
from geo.gazetteer.places import Gazetteer, default_gazetteer

_SCRAMBLER_WINDOW = 60
_ZONE_OWNERS = {zone: owner for owner, zone in SCRAMBLE_ZONES.items()}  # korea-adiz: South Korea
_DETERMINER = re.compile(
    r"\b(?:a|an|the|its|their|routine|annual|joint|first|latest|recent|another|second|third)\s+$"
)
_YEARS_AND = re.compile(r"\b(?:19|20)\d\d(?:,\s*(?:19|20)\d\d)*,?\s+and\s+(?:19|20)\d\d\b")
_YEAR_IN = re.compile(r"(?:19|20)\d\d")
_BY = re.compile(r"\s+by\s+(?:the\s+)?")
_PASSIVE = re.compile(r"\b(?:were|was|been|being|are|is)\s+$")


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
    # The year the last dated event spoke of, for the undated ones that follow.
    last_year: int | None = None
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
                    return actors[:2]  # "the two countries" are two
        return []


@dataclass
class _Region:
    """An anchor with the text it governs: its places, and where its actors may be named."""

    anchor: Anchor
    located: list[Mention]
    window: tuple[int, int]
    trailing: tuple[int, int]


def document_language(document: Document) -> str:
    """The language the sidecar (or `--lang`) gives, else the one its text is written in."""
    return document.meta.lang or detect_language(document.text)


@cache
def matcher_for(gazetteer: Gazetteer) -> PlaceMatcher:
    """The compiled matcher, built once per gazetteer."""
    return PlaceMatcher(gazetteer)


def _confidence(
    anchor: Anchor, explicit_actors: bool, has_places: bool, explicit_year: bool
) -> float:
    score = 0.45 + (0.2 if anchor.name else 0.0) + (0.15 if explicit_actors else 0.0)
    score += (0.1 if has_places else 0.0) + (0.05 if explicit_year else 0.0)
    return round(min(score, 0.95), 2)


def extract_document(document: Document, gazetteer: Gazetteer | None = None) -> Extraction:
    """Place mentions and events of one document (events merged within the document)."""
    gazetteer = gazetteer or default_gazetteer()
    lang = document_language(document)
    if document.meta.lang != lang:
        document = replace(document, meta=replace(document.meta, lang=lang))
    if lang != "en":
        from geo.extraction.native import extract_native  # it builds on this module

        return extract_native(document, lang, gazetteer)
    forms = TextForms.of(document.text)
    mentions = zone_mentions(
        document.text, matcher_for(gazetteer).find(document.text, forms), gazetteer
    )
    index = DocIndex.build(forms, mentions, gazetteer)
    memory = _Memory()
    events: list[Event] = []
    speculative: list[Event] = []
    tally: tuple[int, Event] | None = None  # the latest yearly count of scrambles
    for number, sentence in enumerate(split_sentences(document.text)):
        start, end = sentence.start, sentence.end
        found: list[Event] = []
        if not index.has_anchor(start, end):
            heading = _heading_actor(index, sentence)
            if heading:
                memory.note(heading)  # "2. Chinese Navy vessels (three ships)": what follows
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
        # "That is 109 fewer than the 778 recorded in fiscal 2022": a yearly count of
        # scrambles, in its sentence or the next, gives the totals it is compared with.
        counted = next((e for e in found if _yearly_scrambles(e)), None)
        if counted is not None:
            tally = (number, counted)
        if tally is not None and number - tally[0] <= SENTENCES_AFTER:
            events.extend(compared_totals(tally[1], sentence, document.meta.doc_id, "en"))
        memory.sentences.append(sentence)
    return Extraction(document, mentions, merge_within_document(events, gazetteer), speculative)


_HEADING_LENGTH = 80
_NUMBERED_HEADING = re.compile(r"\s*(?:\d{1,2}[.)]|\(\d{1,2}\)|[IVX]{1,4}\.|[-\u2022*])\s+\S")


def _heading_actor(index: DocIndex, sentence: Sentence) -> list[str]:
    """The one country a numbered heading or a short list item names ("2. Chinese Navy vessels
    (three ships)", "- one Luyang III-class destroyer of the Chinese Navy"): a release's lines
    after it name nobody ("The three vessels sailed east …")."""
    text = index.forms.text
    line_start = text.rfind("\n", 0, sentence.start) + 1
    line_end = text.find("\n", sentence.end)
    line_end = len(text) if line_end < 0 else line_end
    if line_end - line_start > _HEADING_LENGTH or text[sentence.end : line_end].strip():
        return []
    if not _NUMBERED_HEADING.match(text, line_start, line_end):
        return []
    if not index.any_asset(line_start, line_end):
        return []  # "- Japan's Defense Ministry statement" names a source, not the ships
    actors = ordered_unique([a.actor for a in index.actors_in(line_start, line_end)])
    return actors if len(actors) == 1 else []


def _yearly_scrambles(event: Event) -> bool:
    """A count of a year's scrambles: placed in the scrambling country's ADIZ."""
    places = event.place_ids
    return event.kind == "scramble" and len(places) == 1 and places[0] in _ZONE_OWNERS


def _scramble(index: DocIndex, start: int, end: int) -> bool:
    return any(family == "scramble" for _, _, family in index.signals_in(start, end))


def _regions(index: DocIndex, clause_start: int, clause_end: int) -> Iterator[_Region]:
    """The anchors of a clause, each with the places after it and the spans that hold its actors."""
    anchors = find_anchors(index, clause_start, clause_end)
    actor_cursor = clause_start
    for position, anchor in enumerate(anchors):
        region_end = anchors[position + 1].start if position + 1 < len(anchors) else clause_end
        located = (
            _during(index, anchor, actor_cursor, first=position == 0)
            or _named_before(index, anchor, actor_cursor)
        ) + event_places(index, anchor.start, _before_a_modal(index, anchor.end, region_end))
        actor_start, actor_end = actor_cursor, located[0].start if located else region_end
        if anchor.family == "scramble":
            # Who scrambled is named right before: "… and South Korea's Air Force put jets up".
            actor_start = max(actor_cursor, anchor.start - _SCRAMBLER_WINDOW)
            actor_end = anchor.start
        trailing_start = located[-1].end if located else actor_end
        yield _Region(anchor, located, (actor_start, actor_end), (trailing_start, region_end))
        actor_cursor = located[-1].end if located else anchor.end


def _before_a_modal(index: DocIndex, start: int, end: int) -> int:
    """Where a clause turns to what someone would do ("… the flights, after the minister said
    Japan would step up patrols in the South China Sea"): places past it are not the event's."""
    text = index.forms.folded
    for cue_start, cue_end in index.spans_in("hypothetical", start, end):
        if text[cue_start:cue_end] in MODAL_WORDS and not is_month(index, cue_start, cue_end):
            return cue_start
    return end


_DURING = re.compile(r"\b(?:during|in the course of|as part of)\s+(?:the\s+|its\s+)?$")
_DURING_REACH = 24


def _during(index: DocIndex, anchor: Anchor, start: int, *, first: bool) -> list[Mention]:
    """ "hit a naval target in the Bering Sea during the Ocean Shield-2020 exercise": what the
    clause did before "during" the drill happened in it, so its places are the drill's."""
    before = max(start, anchor.start - _DURING_REACH)
    if not first or not _DURING.search(index.forms.folded, before, anchor.start):
        return []
    return event_places(index, start, anchor.start)


def _named_before(index: DocIndex, anchor: Anchor, start: int) -> list[Mention]:
    """ "a routine Taiwan Strait transit", "the Sea of Japan drills": a place naming the anchor."""
    before = index.mentions_in(max(start, anchor.start - 40), anchor.start)
    if not before or index.forms.text[before[-1].end : anchor.start] != " ":
        return []
    place = before[-1]
    if index.gazetteer[place.place_id].kind not in ("sea", "strait", "island", "airspace"):
        return []
    # The place must qualify a noun ("a routine Taiwan Strait transit"), not end a phrase
    # before a verb ("bombers from Andersen Air Force Base on Guam flew").
    if not _DETERMINER.search(index.forms.folded, max(0, place.start - 20), place.start):
        return []
    return [place]


def _one_per_year(event: Event, clause: str) -> list[Event]:
    """ "In 2017 and 2018 the Liaoning sailed through the strait": one event a year."""
    listed = _YEARS_AND.search(clause)
    if listed is None or event.name or clause[: listed.start()].lower().endswith("between "):
        return [event]
    years = sorted({int(y) for y in _YEAR_IN.findall(listed.group(0))})
    return [replace(event, year=y, date_start=None, date_end=None) for y in years]


def _latest_actors(index: DocIndex, sentence: Sentence) -> list[str]:
    """Who the last anchor of a sentence that names anyone is about."""
    regions = [r for clause in split_clauses(sentence) for r in _regions(index, *clause)]
    for region in reversed(regions):
        actors = event_actors(index, region.window, region.trailing)
        if actors:
            return actors
    return []


_OBJECT_REACH = 50  # characters after "scrambled" that may name the fighters sent
_PROMPTED = re.compile(
    r"\b(?P<verb>prompting|prompted|forcing|forced|leading|causing|triggering)\s+"
    r"(?:[\w.'’-]+\s+){0,6}?to\s+(?:\w+\s+)?$"
)


def _who_scrambled(
    index: DocIndex, region: _Region, sentence: Sentence, memory: _Memory
) -> tuple[list[str], bool]:
    """Who scrambled, and whether the text says so here: named before the signal, but after
    "prompting" ("… entered the KADIZ, prompting South Korea to scramble"); after "by" ("… were
    intercepted by South Korean and Japanese fighters"); the one who reported it
    ("NORAD said its fighters had intercepted …"); else the last scrambler ("up from 873
    scrambles the year before": the same air force); else the owner of the one ADIZ the
    sentence names ("… into the Korea ADIZ, prompting the Air Force to scramble")."""
    anchor = region.anchor
    folded = index.forms.folded
    # "… entered the KADIZ, prompting the Air Force to scramble": the intruders named before
    # the response did not scramble.
    prompted = _PROMPTED.search(folded, max(sentence.start, anchor.start - 60), anchor.start)
    window = (prompted.end("verb"), anchor.start) if prompted else region.window
    # "Two Russian bombers were intercepted by U.S. and Canadian fighters": the passive's agent.
    passive = _intercepted_passive(index, anchor)
    actors = [] if passive else event_actors(index, window, region.trailing, scramble=True)
    by = None if actors else _BY.match(folded, anchor.end)
    if by:
        actors = event_actors(index, (by.end(), by.end() + 60), (by.end(), by.end()), True)
    if not actors:
        # "The Air Force scrambled ten F-15K fighters": the type names whose air force it is
        # (only up to the first aircraft named: "... to intercept Chinese bombers" is the other).
        aircraft = index.spans_in("air", anchor.end, anchor.end + _OBJECT_REACH)
        if aircraft:
            end = aircraft[0][1]
            actors = event_actors(index, (anchor.end, end), (end, end), True)
    if not actors and not prompted:
        actors = event_actors(
            index, (sentence.start, anchor.start), (anchor.start, anchor.start), True
        )
    if actors:
        return actors, True
    if not memory.last_scrambler:
        # "… flew deep into the Korea ADIZ, prompting the Air Force to scramble fighter jets":
        # the air force is that of the zone's owner.
        owners = {
            _ZONE_OWNERS[m.place_id]
            for m in index.mentions_in(sentence.start, sentence.end)
            if m.place_id in _ZONE_OWNERS
        }
        if len(owners) == 1:
            return list(owners), False
    return list(memory.last_scrambler), False


def _who_acted(
    index: DocIndex, region: _Region, clause_start: int, memory: _Memory
) -> tuple[list[str], bool]:
    """Who did it, and whether the text says so here: named around the anchor; else "the two
    countries" of the last pair named; else whoever the story was last about."""
    actors = event_actors(index, region.window, region.trailing)
    holders = _participants(region.anchor.name)
    # "a day after the allies began Freedom Shield": an alliance's drill is its own, whoever the
    # clause names; a host's drill (Vostok) has guests, so its host stands in only for nobody.
    if holders and set(actors).isdisjoint(holders) and (len(holders) > 1 or not actors):
        return list(holders), True
    if actors:
        return actors, True
    if mentions_pair(index.forms.text[clause_start : region.window[1]]):
        recent = memory.recent_actors()
        actors = list(recent) if len(recent) == 2 else memory.pair(index)
    return actors or list(memory.recent_actors() or memory.pair(index)), False


_NAME_SUFFIX = re.compile(r"[- ]?(?:(?:19|20)?\d\d[A-Z]?|[IVX]+)$")


def _participants(name: str | None) -> tuple[str, ...]:
    """Who holds a recurring drill, by its name without its year ("Keen Sword 23")."""
    if name is None:
        return ()
    return EXERCISE_PARTICIPANTS.get(_NAME_SUFFIX.sub("", name).strip(), ())


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
            if anchor.family == "scramble":
                actors, explicit = _who_scrambled(index, region, sentence, memory)
                if not actors:
                    continue
                if not place_ids:
                    place_ids = scramble_zone(index, actors, (clause_start, clause_end))
            else:
                actors, explicit = _who_acted(index, region, clause_start, memory)
            when = resolve(text[clause_start:clause_end], meta.published, meta.reference_year)
            whole_sentence = (clause_start, clause_end) == (sentence.start, sentence.end)
            if when.year is None and not whole_sentence:
                when = resolve(sentence.text, meta.published, meta.reference_year)
            year = when.year
            if anchor.name:
                name_years = re.findall(r"(?:19|20)\d\d", anchor.name)
                year = int(name_years[-1]) if name_years else year
            if year is None:
                # "Scrambles against Chinese aircraft rose to 851": the year last spoken of.
                year = memory.last_year or meta.reference_year
            elif when.explicit or anchor.name:
                memory.last_year = year
            event = Event(
                kind=kind_for(
                    anchor, index, (clause_start, clause_end), region.located, actors, explicit
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
            if speculation_cue(index, clause_start, anchor, sentence.line_heading):
                event.hypothetical = True
                speculative.append(event)
                continue
            events.extend(_one_per_year(event, text[clause_start:clause_end]))
            if actors and anchor.family != "scramble":
                memory.note(actors)
            if anchor.family == "scramble":
                memory.last_scrambler = actors
                intruded = _intercepted(index, event, clause_start, region)
                if intruded is not None:
                    events.append(intruded)
                    memory.note(intruded.actors)
    return events, speculative


def _intercepted_passive(index: DocIndex, anchor: Anchor) -> bool:
    """ "… were intercepted": the subject is who was met, not who scrambled ("fighters were
    scrambled" names the scramblers)."""
    folded = index.forms.folded
    return folded.startswith("intercept", anchor.start) and bool(
        _PASSIVE.search(folded, max(0, anchor.start - 12), anchor.start)
    )


def _intercepted(
    index: DocIndex, scramble: Event, clause_start: int, region: _Region
) -> Event | None:
    """ "Two Russian Tu-95 bombers were intercepted by U.S. fighters near Alaska": the bombers
    flew there too, an event of their own beside the scramble."""
    anchor = region.anchor
    if not scramble.place_ids or not _intercepted_passive(index, anchor):
        return None
    if not index.has("air", clause_start, anchor.start) and not index.has(
        "bomber", clause_start, anchor.start
    ):
        return None
    window = (clause_start, anchor.start)
    actors = event_actors(index, window, window)
    if not actors:
        return None
    flight = Anchor(anchor.start, anchor.end, family="activity")
    kind = kind_for(flight, index, window, region.located, actors)
    return replace(scramble, kind=kind, actors=actors)


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
