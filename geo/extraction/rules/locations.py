"""Where an event happened: the places a clause names behind a locative word, in text order.

"from the Sea of Japan through the Tsushima Strait" gives a route; a departure port, a stopover,
a dispute mentioned in passing or "Miyako Island in Okinawa Prefecture" give no event place.
Case-insensitive rules run on the folded text (see `geo.extraction.text.lowercase_pattern`).
"""

from __future__ import annotations

import re
from bisect import bisect_left

from geo.domain.model import Mention
from geo.extraction.context import DocIndex
from geo.extraction.text import lowercase_pattern
from geo.extraction.vocab.lexicon import (
    BACKGROUND_KEYWORDS,
    CONTEXT_ONLY_PLACES,
    PLACE_FILLER,
    keywords_pattern,
)
from geo.gazetteer.places import Gazetteer, Place

LOCATIVE = re.compile(
    r"\b(?:in|into|over|through|across|near|off|around|above|along|toward|towards|within|"
    r"inside|at|from|via|between|entered|entering|approached|approaching|crossed|crossing|"
    r"traversed|traversing|proximity to|close to|skirted|circled|left|leaving|including|cleared|"
    # verbs whose object is where it happened: "patrolled the Taiwan Strait", "overflew Hokkaido"
    r"patrolled|patrolling|transited|transiting|navigated|navigating|overflew|overflying|"
    r"sailed|sailing|plied|prowled|"
    r"approach|closed in on|closing in on|encircled|encircling|surrounded|surrounding|past|"
    r"covered|covering|spanned|spanning|encompassed|up|down|violated|violating|breached|"
    r"(?:north|south|east|west|northeast|northwest|southeast|southwest) of|on the high seas of|"
    r"as far (?:north|south|east|west) as|"
    # "sailed within 12 nautical miles of Gaven Reef": near it, not a distance from it
    r"within\s+\d[\d,.]*\s*(?:-\s*)?(?:nautical\s+miles?|miles?|nm|km|kilometers?|kilometres?)"
    r"\s+of|"
    # "dispersed to designated areas of the Sea of Japan": to a part of it, not to a port
    r"to(?=\s+(?:the\s+)?(?:(?:designated|assigned|exercise|training|patrol)\s+)?"
    r"(?:areas?|waters|parts?|zones?|sectors?)\s+(?:of|off|near|around|in)\b))"
    # (a filler word may stand in quotes: 'crossed the so-called "median line" of the Strait')
    rf"\s+(?:[\"\u201c\u201d']?(?:{PLACE_FILLER})[\"\u201c\u201d']?\s+){{0,7}}$"
    # "over the Chukchi Sea, the Bering Sea": a list that starts with a name we do not know.
    r"|\b(?:in|into|over|through|across|near|off|around)\s+(?:the\s+)?(?:[A-Z][\w-]+\s+){1,3}"
    r"(?:(?:Sea|Strait|Ocean|Islands?|Bay|Gulf)\s*)?(?:,|and|, and|or)\s+(?:the\s+)?$"
    # "flew into its air defence identification zone, known as KADIZ"
    r"|\b(?:zone|airspace|islets|islands|waters|strait|sea)\b[^.;]{0,40}?(?:\(|known as |called |dubbed |calls? )$",
    re.IGNORECASE,
)

# Countries are an event's place only behind these ("near Japan", not "threats from China").
COUNTRY_LOCATIVE = re.compile(
    r"\b(?:near|off|around|over|into|toward|towards|approached|approaching|circled|in|"
    r"(?:north|south|east|west|northeast|northwest|southeast|southwest) of)\s+(?:the\s+)?"
    r"(?:(?:coast|waters|skies|airspace)\s+(?:of|off|near|around|over)\s+(?:the\s+)?)?$",
    re.IGNORECASE,
)

# What may stand between two places of one list or route: "in the A and the B", "from A through B".
CONNECTOR = re.compile(
    r"^\s*(?:,|and|or|, and|, or|&)?\s*(?:then\s+|on\s+)?(?:(?:into|through|to|over|past|via|across|"
    r"toward|towards|and then|before|near)\s+)?(?:the\s+)?(?:(?:northern|southern|eastern|western)\s+)?$",
    re.IGNORECASE,
)

BACKGROUND_BEFORE = keywords_pattern(BACKGROUND_KEYWORDS, then=r"\b[^.;]{0,60}$")

_LOCATIVE = lowercase_pattern(LOCATIVE)
_COUNTRY_LOCATIVE = lowercase_pattern(COUNTRY_LOCATIVE)
_BACKGROUND_BEFORE = lowercase_pattern(BACKGROUND_BEFORE)
_CONNECTOR = lowercase_pattern(CONNECTOR)
# A port or base named as where ships left from, came back to, or where aircraft are kept, is
# not where the event happened ("returned to Vladivostok"; but "returned to the East China Sea
# through the Osumi Strait" is the rest of the route).
_DEPARTURE = re.compile(
    r"\b(?:from|departed|departing|left|leaving|deployed to|keeps?|kept|rotated to|home to|"
    r"based|stationed|returned to|returning to|returned home to|back to)\b[^.;]{0,40}$"
)
# "Russian aircraft landed at an airfield in China": a stopover, not where the patrol flew.
_STOPOVER = re.compile(r"\b(?:landed|landing|took off|airfield|air ?base|naval base)\b[^.;]{0,30}$")
# "sailed into Zhanjiang port", "pulled into the port of Qingdao": a port call, not the patrol.
_CALLED_AT = re.compile(
    r"\b(?:(?:pulled|put|pull|puts|pulls)\s+into|(?:called|calls|call|berthed|moored)\s+at)"
    r"\s+(?:the\s+)?(?:(?:naval\s+)?port\s+of\s+)?$"
)
_SAILED_INTO = re.compile(
    r"\b(?:sailed|steamed|came|sail|steam|come|arrived|arrive)\s+(?:in|into|at)\s+(?:the\s+)?"
    r"(?P<port_of>(?:naval\s+)?port\s+of\s+)?$"
)
_BESIDE_STRAIT = re.compile(
    r"\s+(?:off|near|beside)\s+(?:the\s+)?(?:(?:northern|southern|eastern|western|main)\s+)?"
    r"(?:(?:island|coast|tip)\s+of\s+)?"
)
_BACK_TOWARD = re.compile(r"\bback\s+towards?\s+(?:the\s+)?(?:[\w-]+\s+){0,2}$")
_PORT_AFTER = re.compile(r"\s+(?:naval\s+)?(?:port|harbou?r)\b")
_ADMIN_AREA = re.compile(r"\s+(?:Prefecture|Province|prefecture|province|region|Oblast|Krai)\b")
# "above Rebun Island, a small island in the Sea of Japan": the sea only says where the island is.
_LOCATES_THE_LAST = re.compile(
    r",\s+(?:a|an|the)\s+(?:[\w-]+\s+){0,3}?(?:islands?|islets?|towns?|city|port|village|"
    r"base|area|region|prefecture|county)\s+(?:in|off|near|on|of)\s+(?:the\s+)?$"
)
# "430 kilometers south of Miyako Island": a distance from a landmark, not where it happened.
_DISTANCE_FROM = re.compile(
    r"\d[\d,.]*\s*(?:-\s*)?(?:km|kilometers?|kilometres?|miles?|nautical miles?|nm)\s+"
    r"(?:to the\s+)?(?:north|south|east|west)[\w-]*\s+of\s+(?:the\s+)?"
    # "200 kilometers west of Okushiri Island, off Hokkaido": where the landmark is, too.
    r"(?:[\w'-]+(?:\s+[\w'-]+){0,3},\s+(?:off|in|near)\s+(?:the\s+)?)?$"
)
_DISTANCE_REACH = 80
_ON = re.compile(r"\bon\s+(?:the\s+)?$")
# "rockets fired, aimed at areas off Keelung": where they were aimed is where they fell.
_AIMED_AT_AREA = re.compile(
    r"\baimed at\s+(?:the\s+)?(?:designated\s+|sea\s+|target\s+|impact\s+)?"
    r"(?:areas?|waters|zones?)\s+(?:off|near|around|in)\b[^.;]{0,50}$"
)
_COUNTRY_AS_MODIFIER = re.compile(
    r"\s+(?:military\s+|naval\s+|air\s+)?(?:bases?|forces|troops|military|navy|army|air force|"
    r"coast guard|government|officials?|ministry|embassy)\b"
)
_BETWEEN = re.compile(r"\bbetween\b[^.;,]{0,30}$")
# Generated admin units and towns (the theatre gazetteer) that only say where the place named
# just before is: "the Osumi Strait off Kagoshima Prefecture", "Sendai City, Miyagi Prefecture",
# "Qingdao, in east China's Shandong Province", "Sanya on Hainan Island".
_LOCATOR_GAP = re.compile(
    r"(?:\s+(?:island|islands|islet|islets|strait|city|town|port|county|peninsula|base))?"
    r"(?:,\s*|\s+)(?:(?:in|off|of|on)\s+)?(?:[\w'-]+\s+){0,2}"
)
_LOCATOR_REACH = 32
# "relations between Tokyo and Moscow": capitals as governments, not where anything happened.
_RELATIONS_BEFORE = re.compile(
    r"\b(?:relations|relationship|ties|talks|tensions?|cooperation|rift|summit|dialogue|"
    r"friction|alliance|agreement|treaty|trade|rapprochement)\s+(?:between|with)\s+(?:the\s+)?$"
)
_GENERATED_UNITS = ("admin1", "admin2")
# "the strait, which runs between the Osumi Peninsula and Tanegashima Island", "the channel
# between Cape Soya at the northern tip of Hokkaido and Sakhalin", "divides Honshu from
# Hokkaido": places that only define a strait, up to the one after "and"/"from".
_STRAIT_ENDPOINTS = re.compile(
    r"\b(?:(?:strait|straits|channel|gap|passage|waterway|sea lane|chokepoint)\b[^.;]{0,40}?\bbetween|"
    r"(?:divides|dividing|separates|separating|splits)|(?:runs|lies|lying|running|sits)\s+between)"
    r"\s+(?:the\s+)?(?:[\w'-]+\s+){0,3}$"
)
_SECOND_ENDPOINT = re.compile(r"[^.;]{0,60}?\b(?:and|from)\s+(?:the\s+)?(?:[\w'-]+\s+){0,4}$")
# "off Cape Erimo, Hokkaido", "north of Rebun Island, Hokkaido": a large place after a comma
# that holds the one before only says where that one is.
_HOLDS_DEGREES = 0.6
_LARGE_AREA = 0.5  # square degrees: Hokkaido, Kyushu, a province; not Miyako-jima
_AND = re.compile(r"(?:\s+(?:Prefecture|Island|island))?\s+and\s+(?:the\s+)?")
_PREFIX_REACH = 80  # characters before a place that may hold its locative word
_NEAR_REACH = 24


def event_places(index: DocIndex, start: int, end: int) -> list[Mention]:
    """Places in text[start:end] named as where something happened, in text order."""
    text, folded, gazetteer = index.forms.text, index.forms.folded, index.gazetteer
    chosen: list[Mention] = []
    previous: Mention | None = None
    endpoint: Mention | None = None  # the first place that defines a strait, while it lasts
    last: Mention | None = None  # the mention before, chosen or not
    owner: Mention | None = None  # a country just before, in the possessive ("Japan's")
    for mention in index.mentions_in(start, end):
        place = gazetteer[mention.place_id]
        before, last = last, mention
        if before is not None and before.place_id == mention.place_id and text[
            before.end : mention.start
        ] in (" in ", ", "):
            continue  # "the Sohae Satellite Launching Station in Tongchang-ri": one place, twice
        if endpoint is not None:
            if _SECOND_ENDPOINT.fullmatch(folded, endpoint.end, mention.start):
                endpoint = None
                continue
            if mention.start - endpoint.end <= 60 and "." not in text[endpoint.end : mention.start]:
                continue  # "at the northern tip of Hokkaido": still inside the definition
            endpoint = None
        if _STRAIT_ENDPOINTS.search(folded, max(start, mention.start - 70), mention.start) and (
            place.kind in ("island", "region", "base") and place.kind != "strait"
        ):
            endpoint = mention
            previous = None
            continue
        gap = _strait_gap(index, mention)
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
        if between == " on " and place.kind == "island" and place.generated is False:
            qualifier = True  # "Sanya on Hainan Island"
        if previous is not None and gazetteer[previous.place_id].kind == "strait":
            # "the Osumi Strait off the southern island of Kyushu": the land beside a strait.
            qualifier = qualifier or _BESIDE_STRAIT.fullmatch(between) is not None
        if qualifier and place.kind in ("island", "region", "country", "base"):
            # "Miyako Island in Okinawa Prefecture": the second place only says where the first is.
            continue
        if place.generated and _locates_the_one_before(index, mention, place.feature_class):
            continue
        if between == ", " and previous is not None and _holds(gazetteer[previous.place_id], place):
            continue
        possessive = text[mention.end : mention.end + 2] in ("'s", "\u2019s")
        modifier = _COUNTRY_AS_MODIFIER.match(folded, mention.end)  # "the U.S. base on Guam"
        if (possessive or modifier) and place.kind == "country":
            # "around Jeju Island and Japan's Tsushima Island": the list goes on past the owner.
            owner = mention if possessive else None
            previous = previous if possessive else None
            continue
        # The connector ends at the owner of this place, if one stands right before it.
        joint = None
        if owner is not None and text[owner.end : mention.start] in ("'s ", "\u2019s "):
            joint = owner.start
        owner = None
        chained = previous is not None and _CONNECTOR.match(
            folded[previous.end : joint or mention.start]
        )
        reach = max(start, mention.start - _PREFIX_REACH)
        # A generated admin unit is judged as a base is: "fired from Fujian" is an origin.
        rule_kind = "base" if place.feature_class in _GENERATED_UNITS else place.kind
        if place.generated and _RELATIONS_BEFORE.search(folded, reach, mention.start):
            previous = None
            continue
        if place.id not in CONTEXT_ONLY_PLACES and _is_located(
            index, reach, mention, rule_kind, chained
        ) and not (rule_kind == "base" and launch_site(index, start, mention)):
            chosen.append(mention)
            previous = mention
            continue
        previous = None
    return chosen


def _is_located(index: DocIndex, lo: int, mention: Mention, kind: str, chained: object) -> bool:
    """Behind a locative word (or chained to a located place), and not background or departure."""
    folded, at = index.forms.folded, mention.start
    locative = _COUNTRY_LOCATIVE if kind == "country" else _LOCATIVE
    # Most locative words sit right before the place ("over the"): try that short stretch first.
    near = max(lo, at - _NEAR_REACH)
    # "drills on Okinawa", but not "bombers from Andersen Air Force Base on Guam"
    on_island = (
        kind == "island"
        and _ON.search(folded, near, at) is not None
        and not _DEPARTURE.search(folded, max(lo, at - 60), at)
    )
    if not (
        chained or on_island or locative.search(folded, near, at) or locative.search(folded, lo, at)
    ):
        return False
    if (
        index.has("background", lo, at)
        and _BACKGROUND_BEFORE.search(folded, lo, at)
        and not _AIMED_AT_AREA.search(folded, lo, at)
    ):
        return False
    if _LOCATES_THE_LAST.search(folded, max(lo, at - 60), at):
        return False
    if _DISTANCE_FROM.search(folded, max(lo, at - _DISTANCE_REACH), at):
        return False
    if kind == "base" and _DEPARTURE.search(folded, lo, at):
        return False
    if kind == "base" and _port_call(folded, mention):
        return False
    if _BACK_TOWARD.search(folded, max(lo, at - 30), at):
        return False  # "turned back toward the Chinese mainland": going home
    return not (kind in ("base", "country") and _STOPOVER.search(folded, lo, at))


def _port_call(folded: str, mention: Mention) -> bool:
    """ "pulled into Qingdao", "sailed into Zhanjiang port", not "sailed into Peter the Great Gulf"."""
    before = max(0, mention.start - 40)
    if _CALLED_AT.search(folded, before, mention.start):
        return True
    sailed = _SAILED_INTO.search(folded, before, mention.start)
    return sailed is not None and bool(
        sailed.group("port_of") or _PORT_AFTER.match(folded, mention.end)
    )


# "fired at around 12:13 p.m. from the North's west coast, near Hwangju", "launched a
# submarine-launched ballistic missile off Sinpo": the land a missile left from.
_LAUNCHED_FROM = re.compile(
    r"\b(?:launched|fired|test-fired|lifted off)\b[^;]{0,100}?\b(?:from|off|near|at)\b[^;]{0,50}$"
)
_LAUNCH_REACH = 160
# "... and flew east", "aimed at areas off Keelung": past the launch, where it went.
_WENT_TO = re.compile(
    r"\b(?:flew|flying|fell|landed|splashed|came down|crossed|passed|aimed|toward|towards|into|"
    r"targeting|targeted)\b"
)


def launch_site(index: DocIndex, clause_start: int, mention: Mention) -> bool:
    """A town or province named where a missile was fired from, in the clause of the launch."""
    lo = max(clause_start, mention.start - _LAUNCH_REACH)
    folded = index.forms.folded
    match = _LAUNCHED_FROM.search(folded, lo, mention.start)
    return match is not None and not _WENT_TO.search(folded, match.start(), mention.start)


def _holds(first: Place, second: Place) -> bool:
    """Whether `second` is a large island or region that holds `first` (or lies at its edge)."""
    if second.kind not in ("island", "region") or second.geometry.area < _LARGE_AREA:
        return False
    if first.kind in ("sea", "airspace", "country") or first.geometry.area >= second.geometry.area:
        return False
    return second.geometry.distance(first.anchor) <= _HOLDS_DEGREES


def _locates_the_one_before(index: DocIndex, mention: Mention, feature_class: str) -> bool:
    """A generated admin unit right after another place, tied to it by "off", "in", ", "; or a
    generated town "in" the place before it ("Tanegashima island, also in Kagoshima")."""
    if feature_class not in (*_GENERATED_UNITS, "town", "city"):
        return False
    i = bisect_left(index.mention_starts, mention.start) - 1
    while i >= 0 and index.gazetteer[index.mentions[i].place_id].kind == "country":
        i -= 1  # "Qingdao, in east China's Shandong Province": the country is a modifier
    if i < 0:
        return False
    before = index.mentions[i]
    gap = index.forms.folded[before.end : mention.start]
    if len(gap) > _LOCATOR_REACH or _LOCATOR_GAP.fullmatch(gap) is None:
        return False
    if feature_class in ("town", "city"):
        return re.search(r"\b(?:also\s+)?in\s+(?:the\s+)?$", gap) is not None and "," in gap
    return True


def _strait_gap(index: DocIndex, mention: Mention) -> tuple[Mention, Mention] | None:
    """ "between Okinawa and Miyako": the two islands that name the strait between them."""
    gazetteer, text = index.gazetteer, index.forms.text
    if gazetteer[mention.place_id].kind != "island":
        return None
    # Only the mentions right before and after can be the other island: nothing but " and "
    # stands between the two (looking at every mention made long documents quadratic).
    at = bisect_left(index.mention_starts, mention.start)
    neighbours = index.mentions[max(0, at - 1) : at + 2]
    for other in neighbours:
        if other is mention or gazetteer[other.place_id].kind != "island":
            continue
        first, second = (other, mention) if other.start < mention.start else (mention, other)
        if _BETWEEN.search(text, max(0, first.start - 40), first.start) and _AND.fullmatch(
            text, first.end, second.start
        ):
            return first, second
    return None


def most_specific(places: list[str], gazetteer: Gazetteer) -> list[str]:
    """Drop countries when a sea, strait, island or zone says more precisely where."""
    precise = [p for p in places if gazetteer[p].kind != "country"]
    return precise or places
