"""The words that signal an event's kind, speculation, and where an event happened.

Kept apart from the extraction logic so a reviewer can read (and extend) the vocabulary alone.
"""

from __future__ import annotations

import re

# Signals of activity, by family. An anchor's family decides what kind of event it can be:
# "activity" (patrols, flights, transits) takes its kind from the assets named near it.
SIGNALS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (family, re.compile(pattern, re.IGNORECASE))
    for family, pattern in (
        (
            "scramble",
            r"\bscrambl\w*|\b(?:sent|put|dispatched|mobili[sz]ed|sending|launched)\b[^.;]{0,40}?"
            r"\b(?:fighters?|fighter jets|jets|aircraft|warplanes|planes|combat air patrols?)\b[^.;]{0,25}?"
            r"\b(?:aloft|into the air|in the air|airborne|up)\b|\b(?:fighters?|jets)\b[^.;]{0,20}?"
            r"\b(?:went|were sent|were) up\b|\bsending up\b|\bintercept(?:ed|ing|s)?\b",
        ),
        (
            "missile",
            r"\b(?:launch\w*|fired?|fires|firing|test-fired|sent|sends)\b[^.;]{0,80}?\b(?:missiles?|ICBMs?|IRBMs?|SRBMs?)\b"
            r"|\b(?:missiles?|ICBMs?|IRBMs?|SRBMs?)\b[^.;]{0,60}?\b(?:launch\w*|fired|flew|landed|splashed|came down|fell)\b",
        ),
        (
            "exercise",
            r"\b(?:drills?|exercises?|war ?games|maneuvers|manoeuvres|live-fire|wargames|war-games|"
            r"train|trained|training|practi[cs]e[sd]?|practi[cs]ing|rehears\w+|live fire|artillery fire|"
            r"takeoffs? and landings|flight operations|carrier operations|"
            r"flew\s+[^.;]{0,40}?\bfrom\s+(?:the\s+|its\s+)?(?:aircraft\s+)?carrier)\b",
        ),
        (
            "activity",
            r"\bpatrol(?:s|led|ling|ed|ing)?\b(?!\s+(?:ships?|vessels?|boats?|aircraft|planes?|craft)\b)",
        ),
        (
            "movement",
            r"\b(?:flew|flown|flying|fly|flights?|sorties?|entered|entering|entry|entries|crossed|crossing|"
            r"sailed|sailing|passed|passing|gone|transited|transiting|transits?|navigated|intruded|intrusions?|"
            r"incursions?|approached|circled|cruised|operat(?:ed|ing)|took to the air|joined up|covered|"
            r"deployed|spotted|came inside|stayed|moved|heading|headed|were present|was present|"
            r"routes?|were inside|was inside|remained|lingered|ran|went|steamed|proceeded|travell?ed|"
            r"made (?:its|their) way|returned|spent|spending|came within|cleared|air force activity|air activity|naval activity)\b",
        ),
    )
)
AIR_ASSETS = re.compile(
    r"\b(?:bombers?|aircraft|warplanes?|planes?|jets?|fighters?|drones?|helicopters?|air ?forces?|"
    r"aviation|air group|formation|missile carriers?|aerial|air patrols?|airborne|H-6\w*|Hong-6\w*|"
    r"Tu-\d+\w*|Su-\d+\w*|J-\d+\w*|Y-\d+\w*|KJ-\d+\w*|A-50\w*|Il-\d+\w*|B-1B?|B-52H?|B-2|"
    r"F-\d+\w*|P-8\w*)\b",
    re.IGNORECASE,
)
NAVAL_ASSETS = re.compile(
    r"\b(?:warships?|ships?|vessels?|destroyers?|frigates?|corvettes?|cruisers?|flotillas?|"
    r"(?:aircraft )?carriers?|submarines?|fleet|naval|navy|navies|coast guards?|task force|"
    r"landing ships?|boats?|Liaoning|Shandong|Fujian)\b",
    re.IGNORECASE,
)
BOMBERS = re.compile(r"\bbombers?\b|\bB-1B?s?\b|\bB-52H?s?\b|\bB-2s?\b", re.IGNORECASE)
PATROL_WORD = re.compile(r"\bpatrol", re.IGNORECASE)
# The United States and its partners fly "bomber missions"; China and Russia fly "joint patrols".
ALLIED_ACTORS = frozenset(
    {"United States", "Japan", "South Korea", "Australia", "NATO", "India", "Taiwan"}
)
# Who reports an event is not who did it: "Japan's Defense Ministry said …".
REPORTER_AFTER = re.compile(
    r"^(?:['\u2019]s)?\s+(?:(?:Ministry of (?:National )?Defen[cs]e)|(?:National )?Defen[cs]e Ministry|"
    r"Joint Staff|Joint Chiefs|Foreign Ministry|government|officials?|spokes\w+|Embassy|"
    r"State Department|defen[cs]e officials?|military said|side told|protested|condemned|"
    r"critici[sz]ed|lodged|voiced|expressed|urged|warned|summoned|"
    r"(?:\w+\s+){0,2}(?:have been |has been |were |was |are |is )?(?:watching|monitoring|tracking|"
    r"observing|shadowing|tracked|monitored|observed|confirmed|spotted|detected|sighted))",
    re.IGNORECASE,
)
# "met in Tokyo", "flew around Japan": a name after these is a place, not an actor.
LOCATION_BEFORE = re.compile(
    r"\b(?:in|at|to|from|near|visited|over|around|off|toward|towards|into)\s+(?:the\s+)?$",
    re.IGNORECASE,
)
REPORTER_BEFORE = re.compile(r"\baccording to (?:the )?$|\bcited by (?:the )?$", re.IGNORECASE)

# An exercise in the open air, not at sea, is "other".
NAVAL_CONTEXT = re.compile(
    r"\b(?:naval|navy|navies|warships?|vessels?|ships?|maritime|fleet|anti-submarine|destroyers?|frigates?|sea)\b",
    re.IGNORECASE,
)

# Speculation inside a clause before the event word: "could involve more joint exercises".
HYPOTHETICAL_CUES = re.compile(
    r"\b(?:could|might|may(?!\s+\d)|would|will likely|is expected to|are expected to|expected to|plans? to|"
    r"planning to|intends? to|potentially|possibly|possibility|if|whether|scenarios?|future|"
    r"hypothetical|threaten(?:s|ed)? to|considering|proposed)\b",
    re.IGNORECASE,
)
# A line titled like this ("Future Scenario:", "Potential Conflict Scenarios:") is speculation.
SPECULATIVE_HEADING = re.compile(
    r"scenario|future|outlook|forecast|potential|possible|prospect|assessment|remarks", re.I
)
# After the event word: "drills are expected to begin", "patrols will".
HYPOTHETICAL_AFTER = re.compile(
    r"^\W{0,3}(?:\w+\W+){0,2}?(?:(?:are|is) (?:expected|likely) to|will (?:likely|probably|possibly))\b",
    re.IGNORECASE,
)

# Words right before a place that make it the event's location (not background): a preposition,
# then a few words that only narrow it down ("over the waters of the northern", "into the
# southwestern part of").
_PLACE_FILLER = (
    r"the|both|waters?|seas|skies|sky|airspace|coasts?|shores?|parts?|sectors?|corners?|edges?|"
    r"sides?|median|centre|center|line|middle|port|city|town|high|relevant|areas?|regions?|"
    r"territorial|contiguous|international|neutral|open|disputed|nearby|same|of|off|near|around|"
    r"over|and|"
    r"northern|southern|eastern|western|central|northeastern|northwestern|southeastern|"
    r"southwestern|north|south|east|west|far|upper|lower"
)
LOCATIVE = re.compile(
    r"\b(?:in|into|over|through|across|near|off|around|above|along|toward|towards|within|"
    r"inside|at|from|via|between|entered|entering|approached|approaching|crossed|crossing|"
    r"traversed|proximity to|close to|skirted|circled|left|leaving|including|cleared|"
    r"(?:north|south|east|west|northeast|northwest|southeast|southwest) of|on the high seas of)"
    rf"\s+(?:(?:{_PLACE_FILLER})\s+){{0,7}}$"
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
# Places after these words are where someone came from, not where the event happened.
BACKGROUND_BEFORE = re.compile(
    r"\b(?:based|home port|homeport|stationed|headquartered|"
    r"returned to|disputes?|claims?|sovereignty|control|"
    r"tensions?|given|amid|because of|due to|designed|aimed at|"
    r"intended|meant to|in response to|in reaction to|to deter|to counter|behaviou?r|"
    r"heading (?:toward|towards|to|for)|headed (?:toward|towards|to|for)|bound for)\b[^.;]{0,60}$",
    re.IGNORECASE,
)

# Exercise names: a code word and a year ("Ocean-2024", "Northern/Interaction-2023"),
# or one of the names without a year.
# Exercise names that stand alone ("Maritime Security Belt") or take a year ("Vostok 2022").
EXERCISE_STEMS = (
    "Maritime Security Belt",
    "Vostok",
    "Zapad",
    "Tsentr",
    "Kavkaz",
    "Peace Mission",
    "Freedom Edge",
    "Freedom Shield",
    "Ulchi Freedom Shield",
    "Talisman Sabre",
    "Keen Sword",
    "Keen Edge",
    "Resolute Dragon",
    "Orient Shield",
    "Malabar",
    "Pacific Vanguard",
    "Valiant Shield",
    "RIMPAC",
    "Vigilant Defense",
    "Vigilant Storm",
    "Han Kuang",
    "Cope North",
)
# Names made of ordinary words count only with their year ("Ocean 2024", not "the Ocean").
YEARED_STEMS = (
    "Northern/Interaction",
    "North-Joint",
    "Joint Sea",
    "Ocean",
    "Joint Sword",
    "Strait Thunder",
    "Pacific Dragon",
    "Northern Interaction",
)


def _alternation(stems: tuple[str, ...]) -> str:
    return "|".join(re.escape(stem) for stem in sorted(stems, key=len, reverse=True))


# Exercise names: a code word and a year ("Ocean-2024", "Northern/Interaction-2023"), or a known
# stem with its year written with a space ("Joint Sea 2022").
EXERCISE_NAME = re.compile(
    r"(?<![\w-])((?:[A-Z][A-Za-z]+[ /])?[A-Z][A-Za-z]+-(?:19|20)\d\d[A-Z]?)(?![\w-])"
    rf"|(?<![\w-])(?:{_alternation(YEARED_STEMS)})[- ](?:19|20)\d\d[A-Z]?(?![\w-])"
    rf"|(?<![\w-])(?:{_alternation(EXERCISE_STEMS)})(?:[- ](?:19|20)\d\d)?(?![\w-])"
)
# Words that look like names but are not ("Sino-Japanese", "COVID-2019" is not in scope either).
NOT_NAMES = re.compile(
    r"^(?:Sino|Japan|Korea|US|Post|Pre|Anti|Mid|Fiscal|Vision)[ /-]", re.IGNORECASE
)

# Places that frame a story but are never where an event happened.
CONTEXT_ONLY_PLACES = frozenset({"asia-pacific", "indo-pacific", "east-asia"})
