"""Who did it: of the actors named around an event, the doers, not where, who reported or who met.

"Japan's Defense Ministry said" names a reporter, "met in Tokyo" a place, "a summit with the leaders
of India" a bystander, "scrambled against Chinese aircraft" the target. Case-insensitive rules run
on the folded text.
"""

from __future__ import annotations

import re

from geo.extraction.context import DocIndex
from geo.extraction.rules.actors import ActorMention, ordered_unique
from geo.extraction.text import lowercase_pattern
from geo.extraction.vocab.lexicon import (
    AIR_ASSET_KEYWORDS,
    BYSTANDER_KEYWORDS,
    NAVAL_ASSET_KEYWORDS,
    REPORTER_BEFORE_KEYWORDS,
    keywords_pattern,
)

# Who reports an event is not who did it: "Japan's Defense Ministry said …" (right after a name).
REPORTER_AFTER = re.compile(
    r"(?:['\u2019]s)?\s+(?:(?:Ministry of (?:National )?Defen[cs]e)|(?:National )?Defen[cs]e Ministry|"
    r"Joint Staff|Joint Chiefs|Foreign Ministry|government|officials?|spokes\w+|Embassy|"
    r"authorities|(?:[\w.-]+\s+){0,4}?(?:said|says|claimed|claims|announced|stated|told)|"
    r"State Department|defen[cs]e officials?|protested|condemned|"
    r"critici[sz]ed|lodged|voiced|expressed|urged|warned|summoned|"
    r"(?:[\w.-]+\s+){0,3}(?:have been |has been |were |was |are |is )?(?:watching|monitoring|tracking|"
    r"observing|shadowing|tracked|monitored|observed|confirmed|spotted|detected|sighted))",
    re.IGNORECASE,
)

# "met in Tokyo", "flew around Japan": a name after these is a place, not an actor.
LOCATION_BEFORE = re.compile(
    r"\b(?:in|at|to|from|near|visited|over|around|off|toward|towards|into)\s+(?:the\s+)?"
    r"(?:(?:northern|southern|eastern|western|central|mainland)\s+)?$",
    re.IGNORECASE,
)

REPORTER_BEFORE = keywords_pattern(REPORTER_BEFORE_KEYWORDS, then=r" (?:the )?$")

BYSTANDER_BEFORE = keywords_pattern(
    BYSTANDER_KEYWORDS,
    then=r"\s+(?:of|from|with|to|by)\s+(?:the\s+)?(?:[\w.'-]+(?:\s+[\w.'-]+)?(?:,|\s+and)\s+)*$",
)

AIR_ASSETS = keywords_pattern(AIR_ASSET_KEYWORDS)

NAVAL_ASSETS = keywords_pattern(NAVAL_ASSET_KEYWORDS)

# "TOKYO (Jiji Press) -", "SEOUL, Nov. 19 -": the city that files the story is not an actor.
# "TOKYO (Jiji Press) -", "SEOUL, Oct. 4 (Yonhap) --", "MOSCOW, March 11. /TASS/.": the city
# that files the story is not an actor.
_DATELINE = re.compile(
    r"[A-Z][A-Za-z .'/]{1,30}?"
    r"(?:(?:,\s*[A-Z][a-z]{2,9}\.? \d{1,2})?\s*\([^)]{1,30}\)\s*[-\u2013\u2014]+\s*"
    r"|(?:,\s*[A-Z][a-z]{2,9}\.? \d{1,2})?\s*[-\u2013\u2014]+\s"
    r"|,\s*[A-Z][a-z]{2,9}\.? \d{1,2}\.\s*(?:/[A-Za-z-]{2,12}/\.?\s)?)",
)
# But "said it detected 21 aircraft" reports watching someone else.
_REPORTS_OWN_ACT = re.compile(
    r"\s+(?:(?:said|says|announced|stated|reported)\s+)?(?:that\s+)?(?:it|its|they|their)\b"
    r"(?!\s+(?:had\s+|has\s+|have\s+)?(?:detected|spotted|tracked|monitored|observed|confirmed|"
    r"sighted|saw|identified|picked up|recorded|counted)\b)"
)
_TERRITORY_AFTER = re.compile(
    r"(?:'s)?\s+(?:territorial\s+|sovereign\s+|national\s+|northern\s+|southern\s+|eastern\s+|"
    r"western\s+|southwestern\s+|remote\s+|outlying\s+)?(?:waters|airspace|territory|"
    r"exclusive economic zone|eez|contiguous zone|adiz|air defen[cs]e identification zone|"
    r"islands?|islets?|island chain|archipelago|shores?|ports?|bases?|military bases?|air bases?|"
    r"naval bases?|"
    r"coasts?(?!\s+guard)|coastlines?|skies|soil|mainland)\b"
)
# The actors that were scrambled against are "Chinese aircraft", not who scrambled.
_TARGET_AFTER = re.compile(
    r"\s+(?:\w+\s+){0,2}?(?:bombers?|aircraft|planes?|drones?|warplanes?|ships?|vessels?|carriers?)\b"
)
# "escorted by Japanese F-15s", "confirmed by the MSDF destroyer Inazuma": who responded or
# saw it, not who flew or sailed.
RESPONDER_BEFORE = re.compile(
    r"\b(?:accompanied|escorted|shadowed|tracked|intercepted|followed|monitored|watched|met|"
    r"chased|tailed|confirmed|spotted|detected|sighted|photographed)\b[^.;]{0,40}?\bby\b"
    r"[^.;]{0,60}$"
    r"|\b(?:prompting|prompted|forcing)\s+(?:the\s+)?$"
)
_ABBREVIATION = re.compile(r"\s*\([^)]{1,16}\)")
# "'Taiwan independence' forces", "Russian-made fighters": a cause or a maker, not a doer.
_CAUSE_AFTER = re.compile(r"['\"]?\s+independence\b|-(?:made|built|designed|supplied|origin)\b")
# "drills aimed at deterring North Korea", "a warning to Japan": whom it was aimed at.
_TARGET_BEFORE = re.compile(
    r"\b(?:against|deter|deterring|deterrence of|aimed at|targeting|targeted at|warning to|warn|"
    r"warned|message to|signal to|in response to|response to|in reaction to|to counter|countering|"
    r"pressure on|threats? from|provocations? (?:by|from)|expelled|drove (?:away|off)|"
    r"chased (?:away|off)|warned off)\s+(?:the\s+)?(?:[\w-]+\s+)?$"
)
# "after Japanese Prime Minister Takaichi's remarks", "during U.S. House Speaker Pelosi's visit".
_OCCASION = re.compile(
    r"\b(?:after|following|over|amid|during|since|before|ahead of)\s+(?:the\s+|a\s+)?"
    r"(?:then-|former\s+)?$"
)
_TITLE_AFTER = re.compile(
    r"(?:'s)?\s+(?:then-|former\s+|new\s+)?(?:president|prime minister|premier|leader|"
    r"defen[cs]e minister|foreign minister|house speaker|speaker|lawmakers?|politicians?|envoy|"
    r"ambassador|chancellor|emperor)\b"
)
_MODEL_THEN = re.compile(r"\s+(?:[A-Z][\w-]*\s+){1,2}")
_LOCATION_BEFORE = lowercase_pattern(LOCATION_BEFORE)
_REPORTER_AFTER = lowercase_pattern(REPORTER_AFTER)
_REPORTER_BEFORE = lowercase_pattern(REPORTER_BEFORE)
_BYSTANDER_BEFORE = lowercase_pattern(BYSTANDER_BEFORE)
_AIR = lowercase_pattern(AIR_ASSETS)
_NAVAL = lowercase_pattern(NAVAL_ASSETS)


def event_actors(
    index: DocIndex,
    window: tuple[int, int],
    trailing: tuple[int, int],
    scramble: bool = False,
) -> list[str]:
    """Actors named before the event's places, plus "Russian TU-95 bombers" after them."""
    folded = index.forms.folded
    found = [
        a
        for a in index.actors_in(*window)
        if not _is_location(index, a)
        and not _is_bystander(index, a)
        and not _CAUSE_AFTER.match(folded, a.end)
        and not (not scramble and _is_responder(index, a))  # a scramble is the response
        and not _is_target(index, a)
        and not _is_occasion(folded, a)
        and not (scramble and _TARGET_AFTER.match(folded, a.end))
    ]
    doers = [a for a in found if not _is_reporter(index, a)]
    if scramble:
        # A ministry reporting its own scramble is the one that scrambled.
        return ordered_unique([a.actor for a in doers or found])
    chosen = doers
    for mention in index.actors_in(*trailing):
        if _names_assets(index, mention) and not _is_responder(index, mention):
            chosen.append(mention)
    return ordered_unique([a.actor for a in chosen])


def _preceded_by(
    index: DocIndex, mention: ActorMention, table: str, rule: re.Pattern[str], reach: int
) -> bool:
    """Whether `rule` matches right before the mention; it runs only if its words are there."""
    before = max(0, mention.start - reach)
    if not index.has(table, before, mention.start):
        return False
    return rule.search(index.forms.folded, before, mention.start) is not None


def _is_target(index: DocIndex, mention: ActorMention) -> bool:
    """ "drills aimed at deterring North Korea", "expelled Japanese vessels"."""
    return _preceded_by(index, mention, "target", _TARGET_BEFORE, 40)


def _is_occasion(folded: str, mention: ActorMention) -> bool:
    """A person's visit or remarks that the event followed: the country did nothing here."""
    if not _TITLE_AFTER.match(folded, mention.end):
        return False
    return _OCCASION.search(folded, max(0, mention.start - 25), mention.start) is not None


def _is_responder(index: DocIndex, mention: ActorMention) -> bool:
    """ "accompanied at every stage by F-15s of the Japan Air Self-Defense Force": a response."""
    return _preceded_by(index, mention, "responder", RESPONDER_BEFORE, 110)


def _names_assets(index: DocIndex, mention: ActorMention) -> bool:
    """ "Russian Tu-95 bombers", "Chinese Type 055 destroyers": the actor flies or sails them."""
    follows = index.forms.folded[mention.end : mention.end + 30].lstrip()
    if _AIR.match(follows) or _NAVAL.match(follows):
        return True
    if not _MODEL_THEN.match(index.forms.text, mention.end, mention.end + 30):
        return False
    rest = index.forms.text[mention.end : mention.end + 30].lstrip()
    after_model = rest.split(" ", 1)[1] if " " in rest else ""
    return bool(AIR_ASSETS.match(after_model) or NAVAL_ASSETS.match(after_model))


def _is_bystander(index: DocIndex, mention: ActorMention) -> bool:
    """ "a summit with the leaders of the United States, India and Australia" names no doer."""
    return _preceded_by(index, mention, "bystander", _BYSTANDER_BEFORE, 80)


def _is_location(index: DocIndex, mention: ActorMention) -> bool:
    """ "met in Tokyo", "flew around Japan", a dateline: the name is where, not who."""
    folded, text = index.forms.folded, index.forms.text
    if _LOCATION_BEFORE.search(folded, max(0, mention.start - 20), mention.start):
        return True
    if _TERRITORY_AFTER.match(folded, mention.end):
        return True  # "entered Japanese territorial waters"
    if folded.startswith("'s ", mention.end) and index.mentions_in(
        mention.end + 3, mention.end + 4
    ):
        return True  # "along Japan's Pacific coast": the country only says whose place it is
    if _locates_a_town(index, mention):
        return True
    line_start = text.rfind("\n", 0, mention.start) + 1
    if mention.start - line_start > 40:
        return False
    dateline = _DATELINE.match(text[line_start : line_start + 60])
    return dateline is not None and mention.end <= line_start + dateline.end()


_PHRASE_END = re.compile(r"\s*(?:[,.;:)]|$)")


def _locates_a_town(index: DocIndex, mention: ActorMention) -> bool:
    """ "based in Yokosuka, Japan, the carrier …": the country after a town says where it is."""
    text = index.forms.text
    before = index.mentions_in(max(0, mention.start - 60), mention.start)
    if not before or text[before[-1].end : mention.start] != ", ":
        return False
    place = index.gazetteer[before[-1].place_id]
    return place.kind in ("base", "region", "island") and bool(_PHRASE_END.match(text, mention.end))



def _is_reporter(index: DocIndex, mention: ActorMention) -> bool:
    """ "Japan's Defense Ministry said …" names who reports, not who acted."""
    folded = index.forms.folded
    after = mention.end
    abbreviation = _ABBREVIATION.match(folded, after)  # "the Joint Staff (JSO) said"
    if abbreviation:
        after = abbreviation.end()
    elif folded.startswith(")", after):
        after += 1  # the "(MSDF)" of "the Maritime Self-Defense Force (MSDF) confirmed"
    reach = after + 60
    reporter = _REPORTER_AFTER.match(folded, after, reach)
    if reporter and _REPORTS_OWN_ACT.match(folded, reporter.end(), reach):
        return False
    if reporter:
        return True
    before = max(0, mention.start - 20)
    return index.has("reporter_before", before, mention.start) and bool(
        _REPORTER_BEFORE.search(folded, before, mention.start)
    )
