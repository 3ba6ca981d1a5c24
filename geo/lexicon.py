"""The words that signal an event's kind, speculation, and where an event happened.

Kept apart from the extraction logic so a reviewer can read (and extend) the vocabulary alone.
"""

from __future__ import annotations

import re

# (kind, pattern) in priority order: the first kind whose trigger occurs in a clause wins there.
KIND_TRIGGERS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern, re.IGNORECASE))
    for kind, pattern in (
        ("scramble", r"\bscrambl\w*"),
        (
            "missile_launch",
            r"\b(?:missile (?:launch\w*|test\w*)|(?:launch\w*|fired|fires|test-fired)\b[^.;]{0,60}?\bmissiles?\b)",
        ),
        (
            "air_patrol",
            r"\b(?:(?:joint |strategic |aerial |air )+patrols?|patrol flights?|"
            r"bombers?\b[^.;]{0,80}?\bpatroll?(?:ed|ing|s)?\b|patroll?(?:ed|ing)\b[^.;]{0,40}?\bbombers?)",
        ),
        (
            "naval_exercise",
            r"\b(?:drills?|exercises?|war ?games|maneuvers|manoeuvres|live-fire|wargames)\b",
        ),
        (
            "bomber_flight",
            r"\b(?:bomber flights?|flights? of [^.;]{0,40}?bombers|bombers? (?:flew|flights?|"
            r"conducted|made|entered|approached)|(?:B-1B|B-52H?|B-2|Tu-95\w*|Tu-22M\w*|H-6\w*)\b[^.;]{0,60}?\bfl(?:ew|ight|ights|ying))",
        ),
        (
            "naval_patrol",
            r"\b(?:(?:naval|maritime|joint naval) patrols?|(?:warships?|vessels?|ships?|destroyers?|"
            r"frigates?|flotilla|carrier(?: group)?|coast guard \w+)\b[^.;]{0,80}?\b(?:sailed|passed|"
            r"transited|entered|navigated|patroll?(?:ed|ing))\b)",
        ),
    )
)

# An exercise in the open air, not at sea, is "other".
NAVAL_CONTEXT = re.compile(
    r"\b(?:naval|navy|navies|warships?|vessels?|ships?|maritime|fleet|anti-submarine|destroyers?|frigates?|sea)\b",
    re.IGNORECASE,
)

# Speculation inside a clause before the event word: "could involve more joint exercises".
HYPOTHETICAL_CUES = re.compile(
    r"\b(?:could|might|may|would|will likely|is expected to|are expected to|expected to|plans? to|"
    r"planning to|intends? to|potentially|possibly|possibility|if|whether|scenarios?|future|"
    r"hypothetical|threaten(?:s|ed)? to|considering|proposed)\b",
    re.IGNORECASE,
)
# A line titled like this ("Future Scenario:", "Potential Conflict Scenarios:") is speculation.
SPECULATIVE_HEADING = re.compile(
    r"scenario|future|outlook|forecast|potential|possible|prospect", re.I
)
# After the event word: "drills are expected to begin", "patrols will".
HYPOTHETICAL_AFTER = re.compile(
    r"^\W{0,3}(?:\w+\W+){0,2}?(?:(?:are|is) (?:expected|set|scheduled|planned|due|likely) to|will)\b",
    re.IGNORECASE,
)

# Words right before a place that make it the event's location (not background).
LOCATIVE = re.compile(
    r"\b(?:in|into|over|through|across|near|off|around|above|along|toward|towards|within|"
    r"inside|at|from|via|between|entered|entering|approached|approaching|crossed|crossing|"
    r"traversed|proximity to|close to|skirted|circled|(?:north|south|east|west|northeast|northwest|southeast|southwest) of)"
    r"\s+(?:the\s+)?(?:(?:waters|seas|skies|airspace)\s+(?:off|near|around|over|of)\s+(?:the\s+)?)?"
    r"(?:(?:northern|southern|eastern|western|central|northeastern|northwestern|southeastern|"
    r"southwestern|international|open|disputed|nearby|same)\s+)?(?:waters\s+of\s+(?:the\s+)?)?$",
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
    r"^\s*(?:,|and|or|, and|, or|&)?\s*(?:then\s+)?(?:(?:into|through|to|over|past|via|across|"
    r"toward|towards|and then|before|near)\s+)?(?:the\s+)?(?:(?:northern|southern|eastern|western)\s+)?$",
    re.IGNORECASE,
)
# Places after these words are where someone came from, not where the event happened.
BACKGROUND_BEFORE = re.compile(
    r"\b(?:departed|departing|left|leaving|based|home port|homeport|stationed|headquartered|"
    r"returned to|disputes?|disputed|claims?|sovereignty|control)\b[^.;]{0,30}$",
    re.IGNORECASE,
)

# Exercise names: a code word and a year ("Ocean-2024", "Northern/Interaction-2023"),
# or one of the names without a year.
EXERCISE_NAME = re.compile(
    r"(?<![\w-])((?:[A-Z][A-Za-z]+[ /])?[A-Z][A-Za-z]+-(?:19|20)\d\d)(?![\w-])"
    r"|\b(Maritime Security Belt(?: 20\d\d)?|Freedom Edge(?: 20\d\d)?|Freedom Shield|Ulchi Freedom Shield"
    r"|Talisman Sabre|Keen Sword|Resolute Dragon|Orient Shield|Malabar(?: 20\d\d)?|Pacific Vanguard"
    r"|Valiant Shield|RIMPAC(?: 20\d\d)?|Vigilant Defense|Vostok|Zapad|Tsentr|Kavkaz)\b"
)
# Words that look like names but are not ("Sino-Japanese", "COVID-2019" is not in scope either).
NOT_NAMES = re.compile(
    r"^(?:Sino|Japan|Korea|US|Post|Pre|Anti|Mid|Fiscal|Vision)[ /-]", re.IGNORECASE
)

# Places that frame a story but are never where an event happened.
CONTEXT_ONLY_PLACES = frozenset({"asia-pacific", "indo-pacific", "east-asia"})
