"""Air defence zones named without their owner's full name, resolved to the owner's zone.

Releases say "entered the southwest ADIZ", "flew into the southwestern corner of the ADIZ",
"entered what Taipei calls its air defense identification zone": the gazetteer's aliases cover
"Taiwan's ADIZ" but not these. The owner is the state named in the phrase, else the zone the
document last named; a zone with neither stays unplaced rather than guessed.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

from geo.domain.model import Mention
from geo.gazetteer.places import Gazetteer

# The owner's words, as news writes them, to the gazetteer's primary name of its zone.
ZONE_OF_OWNER = {
    "taiwan": "Taiwan ADIZ",
    "taiwanese": "Taiwan ADIZ",
    "taipei": "Taiwan ADIZ",
    "the island": "Taiwan ADIZ",  # "entered the island's southwestern ADIZ": no other has one
    "japan": "Japan ADIZ",
    "japanese": "Japan ADIZ",
    "tokyo": "Japan ADIZ",
    "south korea": "Korea ADIZ",
    "south korean": "Korea ADIZ",
    "korea": "Korea ADIZ",
    "korean": "Korea ADIZ",
    "seoul": "Korea ADIZ",
    "china": "East China Sea ADIZ",
    "chinese": "East China Sea ADIZ",
    "beijing": "East China Sea ADIZ",
    "alaska": "Alaska ADIZ",
    "alaskan": "Alaska ADIZ",
}
_OWNER = "|".join(sorted(map(re.escape, ZONE_OF_OWNER), key=len, reverse=True))
_SIDE = r"(?:north|south|east|west|northeast|northwest|southeast|southwest)(?:ern)?"
UNOWNED_ZONE = re.compile(
    rf"\b(?:(?<!north )(?P<owner>{_OWNER})(?:'s|’s)?\s+(?:(?:calls|considers|claims)\s+(?:as\s+)?its\s+)?"
    r"|(?:the|its|their|this|that)\s+)?"
    rf"(?:(?:own|{_SIDE}|northern, central and {_SIDE})\s+)?"
    rf"(?:(?:{_SIDE}\s+)?(?:corner|part|parts|sector|section|portion|edge|end)\s+of\s+(?:the|its)\s+)?"
    r"(?P<zone>adiz|air defen[cs]e identification zone)\b",
    re.IGNORECASE,
)


_ZONE_WORD = re.compile(r"adiz|air defen[cs]e identification zone", re.IGNORECASE)
_PHRASE_REACH = 100  # characters before the zone's name that its owner and side may take


def zone_mentions(text: str, mentions: list[Mention], gazetteer: Gazetteer) -> list[Mention]:
    """`mentions` (in text order, not overlapping) with the zones the matcher could not name
    added, in text order; a country or capital inside such a phrase ("Taiwan" in "Taiwan's
    southwest ADIZ") gives way to the zone. One walk over the mentions: linear in the text."""
    zones = {name: gazetteer.resolve(name) for name in set(ZONE_OF_OWNER.values())}
    zone_ids = {place.id for place in zones.values() if place is not None}
    starts = [m.start for m in mentions]
    added: list[Mention] = []
    dropped: set[int] = set()
    last_zone: str | None = None  # the zone named last before the phrase at hand
    cursor = 0
    for match in _phrases(text):
        start, end = match.span()
        while cursor < len(mentions) and mentions[cursor].end <= start:
            if mentions[cursor].place_id in zone_ids and cursor not in dropped:
                last_zone = mentions[cursor].place_id
            cursor += 1
        inside = range(max(0, bisect_right(starts, start) - 1), bisect_left(starts, end))
        inside = [i for i in inside if mentions[i].start < end and start < mentions[i].end]
        zone_start, zone_end = match.span("zone")
        if any(mentions[i].start < zone_end and zone_start < mentions[i].end for i in inside):
            continue  # the gazetteer named it already ("Taiwan's ADIZ", "KADIZ")
        owner = match.group("owner")
        if owner is not None:
            place = zones.get(ZONE_OF_OWNER[owner.lower()])
            place_id = place.id if place is not None else None
        else:
            place_id = last_zone
        if place_id is None:
            continue
        dropped.update(inside)
        added.append(Mention(place_id, text[start:end], start, end))
        last_zone = place_id
    if not added:
        return list(mentions)
    kept = [m for i, m in enumerate(mentions) if i not in dropped]
    return sorted([*kept, *added], key=_position)


def _phrases(text: str) -> list[re.Match[str]]:
    """The zone phrases, found from their last word back: the full pattern starts with optional
    words, so running it over a whole document would try it at every character."""
    phrases = []
    for zone in _ZONE_WORD.finditer(text):
        window = max(0, zone.start() - _PHRASE_REACH)
        for match in UNOWNED_ZONE.finditer(text, window, zone.end()):
            if match.end() == zone.end():
                phrases.append(match)
                break
    return phrases


def _position(mention: Mention) -> tuple[int, int]:
    return (mention.start, mention.end)
