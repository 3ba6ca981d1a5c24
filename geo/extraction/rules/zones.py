"""Air defence zones named without their owner's full name, resolved to the owner's zone.

Releases say "entered the southwest ADIZ", "flew into the southwestern corner of the ADIZ",
"entered what Taipei calls its air defense identification zone": the gazetteer's aliases cover
"Taiwan's ADIZ" but not these. The owner is the state named in the phrase, else the zone the
document last named; a zone with neither stays unplaced rather than guessed.
"""

from __future__ import annotations

import re
from bisect import insort

from geo.domain.model import Mention
from geo.gazetteer.places import Gazetteer

# The owner's words, as news writes them, to the gazetteer's primary name of its zone.
ZONE_OF_OWNER = {
    "taiwan": "Taiwan ADIZ",
    "taiwanese": "Taiwan ADIZ",
    "taipei": "Taiwan ADIZ",
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
    """`mentions` with the zones the matcher could not name added, in text order; a country or
    capital inside such a phrase ("Taiwan" in "Taiwan's southwest ADIZ") gives way to the zone."""
    zones = {name: gazetteer.resolve(name) for name in set(ZONE_OF_OWNER.values())}
    zone_ids = {place.id for place in zones.values() if place is not None}
    found = list(mentions)
    for match in _phrases(text):
        start, end = match.span()
        zone_start, zone_end = match.span("zone")
        if any(m.start < zone_end and zone_start < m.end for m in found):
            continue  # the gazetteer named it already ("Taiwan's ADIZ", "KADIZ")
        owner = match.group("owner")
        if owner is not None:
            place = zones.get(ZONE_OF_OWNER[owner.lower()])
            place_id = place.id if place is not None else None
        else:
            place_id = _last_zone(found, zone_ids, start)
        if place_id is None:
            continue
        found = [m for m in found if not (m.start < end and start < m.end)]
        insort(found, Mention(place_id, text[start:end], start, end), key=_position)
    return found


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


def _last_zone(mentions: list[Mention], zone_ids: set[str], before: int) -> str | None:
    earlier = [m for m in mentions if m.place_id in zone_ids and m.end <= before]
    return earlier[-1].place_id if earlier else None


def _position(mention: Mention) -> tuple[int, int]:
    return (mention.start, mention.end)
