"""The kind of an event: from its signal, the aircraft or ships named near it, and where it was.

A scramble, a launch and an airspace violation are their own kinds; drills are naval when held at
sea (or around an island); patrols and transits are naval or air by the nearest asset named;
bombers of the US and its partners fly "bomber flights".
"""

from __future__ import annotations

import re

from geo.domain.model import Mention
from geo.extraction.context import DocIndex
from geo.extraction.rules.anchors import ASSET_LOOKBACK, Anchor
from geo.extraction.rules.roles import RESPONDER_BEFORE
from geo.extraction.vocab.lexicon import ALLIED_ACTORS, SCRAMBLE_ZONES

_INTO = re.compile(
    r"\b(?:entered|entering|crossed into|intruded into|intruding into|into|violated|violating|"
    r"breached|breaching)\s+(?:the\s+)?$"
)
_ON_ISLANDS = re.compile(r"\bon (?:the )?(?:[a-z-]+ ){0,3}islands?\b")
_ON_BEFORE = re.compile(r"\bon\s+(?:the\s+)?(?:islands?\s+of\s+)?$")
_AIRSPACE = re.compile(r"\b(?:airspace|skies)\b")
_WATERS = re.compile(r"\bwaters\b")
_JOINT = re.compile(
    r"\b(?:joint(?!\s+(?:staff|chiefs))|jointly|combined|together|two countries|both countries)\b"
)
# Movements only aircraft make: a flight is in the air whatever ship was named before it.
_AIRBORNE = re.compile(r"flew|flown|flying|fly|flights?|sorties?|took to the air")
_SCRAMBLE_COUNT = re.compile(
    r"\b\d[\d,]*\s+(?:times|scrambles|sorties)\b|\bfiscal\b|\b(?:total|record|tally)\b"
)


def kind_for(
    anchor: Anchor,
    index: DocIndex,
    span: tuple[int, int],
    located: list[Mention],
    actors: list[str],
    named_here: bool = True,
) -> str:
    """The event kind from the signal, the assets named near it and who flew them."""
    start, end = span
    gazetteer = index.gazetteer
    places = [m.place_id for m in located]
    if anchor.family == "scramble":
        return "scramble"
    if anchor.family == "missile":
        return "missile_launch"
    if anchor.family == "incident":
        return "other"
    family = anchor.family
    # "a joint drill with a B-52 above the East China Sea" is a flight, not a naval exercise;
    # "the group practiced launching fighters" (a carrier group, named before) is not.
    reach = min(start, max(0, anchor.start - ASSET_LOOKBACK))
    if (
        family == "exercise"
        and _in_the_air(index, start, end)
        and not index.has("naval", reach, end)
    ):
        family = "activity"  # "the training took place in the airspace over the Sea of Japan"
    if (
        family == "exercise"
        and index.has("ground", start, end)
        and not index.has("naval", reach, end)
    ):
        return "other"  # troops, guns or tanks and no ship: a drill on land
    if family == "exercise":
        # Drills "around Taiwan" or "near the Senkakus" are held in the waters around them;
        # "a tactical exercise on the islands of Iturup and Kunashir" is held on land.
        folded = index.forms.folded
        on_land = _ON_ISLANDS.search(folded, start, end) is not None or any(
            _ON_BEFORE.search(folded, max(0, m.start - 30), m.start) for m in located
        )
        # ... and drills off a port or a naval base ("near Vladivostok") are at sea too.
        sea_kinds = ("sea", "strait") if on_land else ("sea", "strait", "island", "base")
        at_sea = any(gazetteer[p].kind in sea_kinds for p in places)
        at_sea = at_sea or index.has("naval_context", start, end)
        return "naval_exercise" if at_sea else "other"
    # "Later they entered the Sea of Japan": the ships may be named in the sentence before.
    air = _nearest_craft(index, "air", (reach, end), anchor.start)
    naval = _nearest_craft(index, "naval", (reach, end), anchor.start)
    # "the first joint flight near Alaska": in the air, whatever ships were named before.
    airborne = _AIRBORNE.fullmatch(index.forms.folded, anchor.start, anchor.end) is not None
    naval = None if airborne else naval
    in_air = any(gazetteer[p].kind == "airspace" for p in places)
    if air is None and naval is None and not in_air and not airborne:
        # "After three hours in Japanese waters, it left ...": the craft of a sentence before.
        craft = _last_craft(index, max(0, start - _CRAFT_CONTEXT), start)
        if craft == "naval":
            return "naval_patrol"
    if naval is not None and (air is None or naval < air) and not in_air:
        return "naval_patrol"
    if any(_into_airspace(index, m) for m in located):
        return "other"  # a territorial airspace violation, not an ADIZ entry
    if index.has("balloon", reach, end):
        return "other"  # a surveillance balloon is an incident, not a patrol
    bombers = index.has("bomber", reach, end) and bool(actors)
    if bombers and named_here and _one_side(index, actors, span, in_air):
        return "bomber_flight"  # "a pair of Tu-95MS flew over the Sea of Japan": one side's sortie
    if index.has("patrol_word", start, end):
        return "air_patrol"
    if index.has("bomber_flight", start, end):
        return "bomber_flight"
    if bombers and set(actors) <= ALLIED_ACTORS:
        return "bomber_flight"
    return "air_patrol"


# "A P-3C patrol plane spotted the ship": the plane only saw the ship sail.
_OBSERVED_BY = re.compile(
    r"[^.;,]{0,40}?(?:(?<!were )(?<!was )(?<!been )(?<!being )(?<!are )(?<!is )"
    r"\b(?:spotted|sighted|confirmed|detected|photographed|observed|tracked|monitored|"
    r"identified)\b(?!\s+by\b)|\b(?:tracking|monitoring|shadowing|watching)\b)"
)
_RESPONDER_REACH = 110


def _crafts(index: DocIndex, table: str, span: tuple[int, int]) -> list[int]:
    """Where the aircraft (or ships) named in the span start, but for those that only saw it:
    "a P-1 patrol plane that was tracking it", "confirmed by the MSDF destroyer Inazuma"."""
    folded = index.forms.folded
    return [
        start
        for start, end in index.spans_in(table, *span)
        if not _OBSERVED_BY.match(folded, end)
        and not RESPONDER_BEFORE.search(folded, max(0, start - _RESPONDER_REACH), start)
    ]


def _nearest_craft(index: DocIndex, table: str, span: tuple[int, int], at: int) -> int | None:
    """Distance from `at` to the nearest craft of one kind in the span (`_crafts`)."""
    return min((abs(start - at) for start in _crafts(index, table, span)), default=None)


_CRAFT_CONTEXT = 600  # characters before a clause that name no craft: a sentence or two


def _last_craft(index: DocIndex, start: int, end: int) -> str | None:
    """ "naval" or "air": the craft named last in text[start:end] (`_crafts`), if any."""
    last = {
        table: crafts[-1]
        for table in ("air", "naval")
        if (crafts := _crafts(index, table, (start, end)))
    }
    return max(last, key=last.__getitem__) if last else None


def _in_the_air(index: DocIndex, start: int, end: int) -> bool:
    if index.has("air", start, end):
        return True
    folded = index.forms.folded
    return bool(_AIRSPACE.search(folded, start, end) and not _WATERS.search(folded, start, end))


def _one_side(index: DocIndex, actors: list[str], span: tuple[int, int], in_air: bool) -> bool:
    """One air force on its own, outside anyone's ADIZ, and not "joint" with another."""
    if len(actors) != 1 or in_air or not set(actors).isdisjoint(ALLIED_ACTORS):
        return False
    return _JOINT.search(index.forms.folded, *span) is None


def scramble_zone(index: DocIndex, actors: list[str], span: tuple[int, int]) -> list[str]:
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
