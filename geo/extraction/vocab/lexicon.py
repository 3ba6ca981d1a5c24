"""The words that signal an event's kind, speculation, and where an event happened.

Kept apart from the extraction logic so a reviewer can read (and extend) the vocabulary alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property


@dataclass(frozen=True)
class Keywords:
    """Words a keyword scan finds (see `geo.extraction.scan`), and what must follow them to count.

    `prefixes` are word beginnings ("scrambl" for scrambled, scrambling); `tail` is a regex that
    must match right after the word ("-95" after "Tu"); the hit then spans word and tail.
    """

    words: tuple[str, ...] = ()
    prefixes: tuple[str, ...] = ()
    tail: str | None = None

    @cached_property
    def lead(self) -> str:
        """The words and prefixes as one regex alternation, longest first."""
        alternatives = sorted(self.words, key=len, reverse=True)
        parts = [re.escape(w) for w in alternatives] + [
            re.escape(p) + r"\w*" for p in self.prefixes
        ]
        return "(?:" + "|".join(parts) + ")"

    @cached_property
    def phrase(self) -> re.Pattern[str] | None:
        """What a hit must match from its start, on folded text (None: the word alone)."""
        return None if self.tail is None else re.compile(self.lead + self.tail)


def _plural(*words: str) -> tuple[str, ...]:
    return tuple(form for word in words for form in (word, word + "s"))


def keywords_pattern(tables: tuple[Keywords, ...], then: str = r"\b") -> re.Pattern[str]:
    """The same vocabulary as one case-insensitive regex (followed by `then`)."""
    alternatives = [k.lead + (k.tail or "") for k in tables]
    return re.compile(r"\b(?:" + "|".join(alternatives) + ")" + then, re.IGNORECASE)


_AIRCRAFT = r"(?:fighters?|fighter jets|jets|aircraft|warplanes|planes|combat air patrols?)"
_MISSILES = (
    # not "activated air defense missile systems", "a test of ballistic missile technology"
    r"(?:missiles?(?!\s+(?:systems?|launchers?|batter(?:y|ies)|units?|technology|defen[cs]e))|"
    r"icbms?|irbms?|srbms?|slbms?|hwasong[\w-]*|pukguksong[\w-]*|"
    r"rockets?(?!\s+(?:launchers?|artillery|forces?|systems?)))"
)
# Signals of activity, by family, in the order a clause claims them. An anchor's family decides
# what kind of event it can be: "activity" (patrols, flights, transits) takes its kind from the
# assets named near it.
SIGNALS: tuple[tuple[str, tuple[Keywords, ...]], ...] = (
    (
        "scramble",
        (
            Keywords(words=("sending up",), prefixes=("scrambl",)),
            # Not "intercepting and holding them" (ships): that is a coast guard's boarding.
            Keywords(
                words=("intercept", "intercepted", "intercepting", "intercepts"),
                tail=r"\b(?![^.;]{0,25}?\b(?:detain\w*|hold\w*|board\w*|vessels?|ships?|boats?)\b)",
            ),
            Keywords(
                words=(
                    "sent",
                    "put",
                    "dispatched",
                    "mobilised",
                    "mobilized",
                    "sending",
                    "launched",
                ),
                tail=rf"\b[^.;]{{0,40}}?\b{_AIRCRAFT}\b[^.;]{{0,25}}?"
                r"\b(?:aloft|into the air|in the air|airborne|up)\b",
            ),
            Keywords(
                words=("fighter", "fighters", "jets"),
                tail=r"\b[^.;]{0,20}?\b(?:went|were sent|were) up\b",
            ),
        ),
    ),
    (
        "missile",
        (
            Keywords(
                words=(
                    "fired",
                    "fires",
                    "firing",
                    "test-fired",
                    "sent",
                    "sends",
                ),  # not "live-fire"
                prefixes=("launch",),
                tail=rf"\b[^.;]{{0,80}}?\b{_MISSILES}\b",
            ),
            Keywords(
                words=_plural("missile", "icbm", "irbm", "srbm", "slbm", "rocket"),
                prefixes=("hwasong", "pukguksong"),
                # not "rocket force units", "missile launchers"
                tail=r"\b(?!\s+(?:forces?|launchers?|artillery|units?|systems?))"
                r"[^.;]{0,60}?\b(?:launch\w*|fired|flew|landed|splashed|came down|fell|lifted off|"
                r"crossed|passed over|overflew|blew apart|broke (?:up|apart)|exploded)\b",
            ),
            # Where a launch went: "the first stage blew apart over the Yellow Sea", "debris
            # fell in the sea off the Philippines".
            Keywords(
                words=(
                    *_plural("stage", "first stage", "second stage", "third stage", "upper stage"),
                    *_plural("booster", "warhead", "projectile", "fragment", "piece"),
                    "debris",
                ),
                tail=r"\b[^.;]{0,60}?\b(?:landed|splashed|came down|fell|blew apart|"
                r"broke (?:up|apart)|exploded|crashed|plunged)\b",
            ),
            # "North Korea fired a Hwasong-15 on Nov. 29. It reached an altitude of 4,500 km
            # and came down in the East Sea": the missile of the sentence before.
            Keywords(
                words=("it",),
                tail=r"\b[^.;]{0,60}?\b(?:splashed down|came down|fell into|fell in|plunged)\b",
            ),
        ),
    ),
    # "violated Japan's airspace": an incident of its own ("other"), not a patrol.
    # "violated Japan's airspace", "directed a fire-control radar at": incidents ("other").
    (
        "incident",
        (
            Keywords(
                words=(
                    "violated",
                    "violating",
                    "violation",
                    "violations",
                    "fire-control radar",
                    "fire control radar",
                    "radar lock-on",
                    "lock-on",
                    "locked on",
                    "locked its radar",
                    "locked their radar",
                )
            ),
        ),
    ),
    (
        "exercise",
        (
            Keywords(
                words=(
                    *_plural("drill", "exercise", "takeoff"),
                    "drilled",
                    "drilling",
                    "war games",
                    "wargames",
                    "war-games",
                    "maneuvers",
                    "manoeuvres",
                    "live-fire",
                    "live fire",
                    "artillery fire",
                    "train",
                    "trained",
                    "training",
                    "practice",
                    "practices",
                    "practiced",
                    "practise",
                    "practises",
                    "practised",
                    "practicing",
                    "practising",
                    "takeoff and landings",
                    "takeoffs and landings",
                    "take-offs and landings",
                    # "fighters were confirmed taking off from and landing on the Liaoning"
                    "taking off and landing",
                    "taking off from and landing on",
                    "took off from and landed on",
                    "flight operations",
                    "combat-readiness patrol",
                    "combat-readiness patrols",
                    "combat readiness patrol",
                    "combat readiness patrols",
                    "combat-readiness security patrol",
                    "combat readiness security patrol",
                    "snap inspection",
                    "surprise inspection",
                    "readiness check",
                    "readiness inspection",
                    "combat readiness check",
                    "sea phase",
                    "active phase",
                    "practical phase",
                    "carrier operations",
                ),
                prefixes=("rehears",),
            ),
            Keywords(
                words=("flew",),
                tail=r"\s+[^.;]{0,40}?\bfrom\s+(?:the\s+|its\s+)?(?:aircraft\s+)?carrier\b",
            ),
        ),
    ),
    (
        "activity",
        (
            Keywords(
                words=("patrol", "patrols", "patrolled", "patrolling", "patroled", "patroling"),
                tail=r"\b(?!\s+(?:ships?|vessels?|boats?|aircraft|planes?|craft)\b)",
            ),
        ),
    ),
    # "The first was held in the Yellow Sea": an exercise named before, now placed.
    (
        "held",
        (
            Keywords(
                words=(
                    "was held",
                    "were held",
                    "is held",
                    "are held",
                    "will be held",
                    "be held",
                    "took place",
                    "take place",
                    "takes place",
                    "taking place",
                )
            ),
        ),
    ),
    (
        "movement",
        (
            Keywords(
                words=(
                    "flown",
                    *_plural("flight", "sortie"),
                    "sorties",
                    "entered",
                    "entering",
                    "entry",
                    "entries",
                    "crossed",
                    "crossing",
                    "sailed",
                    "sailing",
                    "passed",
                    "passing",
                    "gone",
                    "transited",
                    "transiting",
                    "transit",
                    "transits",
                    "navigated",
                    "navigating",
                    "intruded",
                    *_plural("intrusion", "incursion"),
                    "approached",
                    "circled",
                    "cruised",
                    "operated",
                    "operating",
                    "took to the air",
                    "joined up",
                    "covered",
                    "deployed",
                    "deployment",
                    "deployments",
                    "spotted",
                    # passive: the subject moved ("17 coast guard vessels were detected near")
                    *("were detected", "was detected", "were sighted", "was sighted"),
                    "came inside",
                    "stayed",
                    "moved",
                    "moving",
                    "dispersed",
                    "heading",
                    "headed",
                    "were present",
                    "was present",
                    "route",
                    "routes",
                    "were inside",
                    "was inside",
                    "remained",
                    "lingered",
                    "turned back",
                    "searched for",  # "Il-38 aircraft searched for submarines east of Sakhalin"
                    "searching for",
                    "hunted for",
                    "hunting for",
                    "were in the air",
                    "was in the air",
                    "ran",
                    "went",
                    "steamed",
                    "proceeded",
                    "traveled",
                    "travelled",
                    "made its way",
                    "made their way",
                    "returned",
                    "spent",
                    "spending",
                    "came within",
                    "cleared",
                    "air force activity",
                    "air activity",
                    "naval activity",
                ),
            ),
            # Not "the submarine surfaced flying the Chinese flag".
            Keywords(
                words=("flew", "flying", "fly"),
                tail=r"\b(?!\s+(?:the\s+|its\s+|their\s+|a\s+)?(?:[\w-]+\s+){0,2}flags?\b)",
            ),
            # "It continued west through the narrow waters between …": the route goes on.
            Keywords(
                words=("continued", "continuing", "proceeding"),
                tail=r"\s+(?:north|south|east|west)\w*",
            ),
        ),
    ),
)
AIR_ASSET_KEYWORDS = (
    Keywords(
        words=(
            *_plural("bomber", "warplane", "plane", "jet", "fighter", "drone", "helicopter"),
            "aircraft",
            *_plural("air force", "airforce", "missile carrier", "air patrol", "uav"),
            *_plural("unmanned aerial vehicle", "unmanned aircraft", "tanker"),
            "aviation",
            "air group",
            "formation",
            "aerial",
            "balloon",
            "balloons",
            "airborne",
            "b-1",
            "b-1b",
            "b-52",
            "b-52h",
            "b-2",
        ),
        prefixes=("h-6", "hong-6", "a-50", "p-8"),
    ),
    Keywords(words=("tu", "su", "j", "y", "kj", "il", "f"), tail=r"-\d+\w*"),
)
NAVAL_ASSET_KEYWORDS = (
    Keywords(
        words=(
            *_plural(
                "warship",
                "ship",
                "vessel",
                "destroyer",
                "frigate",
                "corvette",
                "cruiser",
                "flotilla",
                "aircraft carrier",
                "carrier",
                "submarine",
                "coast guard",
                "landing ship",
                "cutter",
                "patrol boat",
                "boat",
            ),
            "fleet",
            "naval",
            "navy",
            "navies",
            *_plural("task force", "task group", "carrier group", "strike group", "naval group"),
            *_plural("squadron", "detachment"),
            # Hull prefixes name a warship without saying "ship": "the USS Ralph Johnson".
            *("uss", "usns", "js", "hmas", "hmcs", "hms", "roks", "rocs", "rfs"),
            *("udaloy", "steregushchiy", "renhai", "luyang", "jiangkai", "dongdiao", "yuzhao"),
            # The carriers, not the provinces they are named after ("launched from Fujian").
            *(
                form
                for carrier in ("liaoning", "shandong", "fujian")
                for form in (f"the {carrier}", f"carrier {carrier}", f"{carrier} carrier")
            ),
        ),
    ),
)
# What decides an event's kind once its signal is known (see `geo.extraction.rules.kinds`).
BALLOON_KEYWORDS = (Keywords(words=("balloon", "balloons", "balloon-shaped")),)
BOMBER_KEYWORDS = (
    Keywords(
        words=(
            "bomber",
            "bombers",
            *_plural("b-1", "b-1b", "b-52", "b-52h", "b-2", "missile carrier"),
        ),
        prefixes=("tu-95", "tu-160", "tu-22", "h-6"),
    ),
)
BOMBER_FLIGHT_KEYWORDS = (Keywords(words=("bomber flight", "bomber flights")),)
PATROL_KEYWORDS = (Keywords(prefixes=("patrol",)),)
# The United States and its partners fly "bomber missions"; China and Russia fly "joint patrols".
ALLIED_ACTORS = frozenset(
    {"United States", "Japan", "South Korea", "Australia", "NATO", "India", "Taiwan"}
)
# Where a country's fighters are scrambled: its air defense identification zone.
SCRAMBLE_ZONES = {"Japan": "japan-adiz", "South Korea": "korea-adiz", "Taiwan": "taiwan-adiz"}
REPORTER_BEFORE_KEYWORDS = (Keywords(words=("according to", "cited by")),)
# "escorted by Japanese F-15s", "drills aimed at deterring North Korea": the words that start
# the responder and target rules of `geo.extraction.rules.roles` (whose regexes run only where these are).
RESPONDER_KEYWORDS = (
    Keywords(
        words=(
            "accompanied",
            "escorted",
            "prompting",  # "prompting South Korean jets to fire warning shots": a response
            "prompted",
            "forcing",
            "shadowed",
            "tracked",
            "intercepted",
            "followed",
            "monitored",
            "watched",
            "met",
            "chased",
            "tailed",
            "confirmed",
            "spotted",
            "detected",
            "sighted",
            "photographed",
        )
    ),
)
TARGET_KEYWORDS = (
    Keywords(
        words=(
            "against",
            "deter",
            "deterring",
            "deterrence",
            "aimed",
            "targeting",
            "targeted",
            "warning",
            "warn",
            "warned",
            "message",
            "signal",
            "response",
            "reaction",
            "counter",
            "countering",
            "expelled",
            "drove",
            "chased",
            "off",
            "pressure",
            "threat",
            "threats",
            "provocation",
            "provocations",
        )
    ),
)
# "a summit with the leaders of the United States, India and Australia" names no doer.
BYSTANDER_KEYWORDS = (
    Keywords(
        words=(
            *_plural("leader", "minister", "president", "prime minister", "envoy", "ambassador"),
            *_plural("delegation"),
            "summit",
            "talks",
            "meeting",
            "visit",
            "visited",
        )
    ),
)

# An exercise in the open air, not at sea, is "other".
NAVAL_CONTEXT_KEYWORDS = (
    Keywords(
        words=(
            *_plural("warship", "vessel", "ship", "destroyer", "frigate"),
            "naval",
            "navy",
            "navies",
            "maritime",
            "fleet",
            "anti-submarine",
            "sea",
        )
    ),
)

# Drills on land: troops, guns and tanks rather than ships ("marines held live-fire artillery
# drills on Yeonpyeong", "a tactical exercise with tanks on Iturup"): kind "other".
GROUND_KEYWORDS = (
    Keywords(
        words=(
            *_plural("troop", "marine", "soldier", "paratrooper", "tank", "howitzer"),
            *_plural("artillery unit", "infantry unit", "armoured unit", "armored unit"),
            *_plural("ground force", "army unit", "motor rifle", "rocket launcher"),
            *_plural("coastal missile system", "air defense unit", "air defence unit"),
            "artillery",
            "infantry",
            "marine corps",
            "combined-arms",
            "combined arms",
            "ground forces",
            "command post",
            "field training",
            "field exercise",
            "self-propelled",
        )
    ),
)

# Speculation inside a clause before the event word: "could involve more joint exercises".
HYPOTHETICAL_KEYWORDS = (
    Keywords(
        words=(
            "could",
            "might",
            "would",
            "will likely",
            "is expected to",
            "are expected to",
            "expected to",
            "plan to",
            "plans to",
            "planning to",
            "intend to",
            "intends to",
            "potentially",
            "possibly",
            "possibility",
            "if",
            "whether",
            "scenario",
            "scenarios",
            "future",
            "hypothetical",
            "threaten to",
            "threatens to",
            "threatened to",
            "considering",
            "proposed",
            "must",
            "can",
            "cannot",
            "should",
            "are required to",
            "are asked to",
        )
    ),
    Keywords(words=("may",), tail=r"(?!\s+\d)"),  # not "May 5"
)
# The hypothetical words that start what someone would do: places after one in a clause
# ("… said Japan would step up its engagement in the South China Sea") are not the event's.
MODAL_WORDS = frozenset(
    {
        *("would", "could", "might", "may", "plan to", "plans to", "intend to", "intends to"),
        *("expected to", "is expected to", "are expected to"),
        *("threaten to", "threatens to", "threatened to"),
    }
)
# "crews regularly fly over neutral waters": what usually happens is no event.
HABITUAL_KEYWORDS = (
    Keywords(
        words=(
            "usually",
            "regularly",
            "routinely",
            "typically",
            "normally",
            "frequently",
            "often",
            "repeatedly",
            "repeated",
            "as usual",
            "as in previous years",
            "as in past years",
            "every year",
            "each year",
            "annually",
            "every two years",
            "every four years",
            "has been held since",
            "have been held since",
        )
    ),
)
# "The ministry said the navy would join": a plan reported as fact, not speculation.
REPORTED_KEYWORDS = (
    Keywords(words=("said", "says", "announced", "stated", "told", "according to", "reported")),
)

# Words right before a place that make it the event's location (not background): a preposition,
# then a few words that only narrow it down ("over the waters of the northern", "into the
# southwestern part of").
PLACE_FILLER = (
    r"the|both|waters?|seas|skies|sky|airspace|coasts?|shores?|parts?|sectors?|corners?|edges?|"
    r"stretch|stretches|portions?|sections?|reaches|vicinity|approaches|"
    r"sides?|median|centre|center|line|middle|port|city|town|high|relevant|areas?|regions?|"
    r"territorial|contiguous|international|neutral|open|disputed|nearby|same|of|off|near|around|"
    r"designated|exercise|training|so-called|[\w-]+'s|"
    r"island|islands|isle|"  # "near the island of Tsushima"
    r"over|and|what|"  # "entered what Taipei calls its ADIZ"
    r"several|some|many|most|each|one|two|three|"  # "within 12 miles of several of the Paracels"
    r"northern|southern|eastern|western|central|northeastern|northwestern|southeastern|"
    r"southwestern|north|south|east|west|far|upper|lower"
)
# Places after these words are where someone came from, not where the event happened.
BACKGROUND_KEYWORDS = (
    Keywords(
        words=(
            "based",
            "home port",
            "homeport",
            "stationed",
            "headquartered",
            "headquarters in",  # "according to the Coast Guard Headquarters in Naha"
            *_plural("dispute", "claim", "tension"),
            "sovereignty",
            # Who holds a place ("under Japanese control"), not the "fire-control radar" locked
            # on a ship there.
            *("control of", "control over", "controlled", "controls", "effective control"),
            *("administrative control", "under control", "japanese control", "chinese control"),
            *("russian control", "taiwanese control", "korean control"),
            "given",
            "amid",
            "because of",
            "due to",
            "designed",
            "aimed at",
            "intended",
            "meant to",
            "in response to",
            "referred to",
            "arrived",
            "arriving",
            "docked",
            "port call",
            "known in",
            "in reaction to",
            "to deter",
            "to counter",
            "behaviour",
            "behavior",
            *(
                f"{verb} {to}"
                for verb in ("heading", "headed")
                for to in ("toward", "towards", "to", "for")
            ),
            "bound for",
        )
    ),
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
    "Key Resolve",
    "Foal Eagle",
    "Ulchi Freedom Guardian",
    "Freedom Flag",
    "Vigilant Ace",
    "Max Thunder",
    "Ssangyong",
    "Yama Sakura",
    "Iron Fist",
    "Noble Fusion",
    "Northern Edge",
    "Balikatan",
    "Justice Mission",
    "July Storm",
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
    "Maritime Cooperation",
    "Maritime Interaction",
)
# One exercise, several names: Russian outlets call Joint Sea "Maritime Interaction".
EXERCISE_ALIASES = {
    "Maritime Cooperation": "Joint Sea",
    "Maritime Interaction": "Joint Sea",
    "Northern Interaction": "Northern/Interaction",
}


# Who holds the recurring drills (the canonical actors only): a report that names the drill
# but not its partners ("a day after the allies began their annual Freedom Shield exercise")
# names them too. One holder is a host whose drill may have guests (China in Vostok-2018).
_US_ROK = ("United States", "South Korea")
_US_JAPAN = ("United States", "Japan")
EXERCISE_PARTICIPANTS: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(("Joint Sea", "Northern/Interaction", "North-Joint"), ("China", "Russia")),
    **dict.fromkeys(("Peace Mission",), ("China", "Russia")),
    **dict.fromkeys(("Vostok", "Zapad", "Tsentr", "Kavkaz", "Ocean"), ("Russia",)),
    **dict.fromkeys(("Joint Sword", "Strait Thunder", "Justice Mission"), ("China",)),
    "Han Kuang": ("Taiwan",),
    **dict.fromkeys(
        (
            "Freedom Shield",
            "Ulchi Freedom Shield",
            "Ulchi Freedom Guardian",
            "Key Resolve",
            "Foal Eagle",
            "Vigilant Storm",
            "Vigilant Ace",
            "Vigilant Defense",
            "Max Thunder",
            "Ssangyong",
            "Freedom Flag",
        ),
        _US_ROK,
    ),
    "Freedom Edge": ("United States", "South Korea", "Japan"),
    **dict.fromkeys(
        ("Keen Sword", "Keen Edge", "Resolute Dragon", "Orient Shield", "Yama Sakura"), _US_JAPAN
    ),
    **dict.fromkeys(("Iron Fist", "Noble Fusion"), _US_JAPAN),
    "Malabar": ("United States", "India", "Japan"),  # Australia in some years only
    "Talisman Sabre": ("Australia", "United States"),
    **dict.fromkeys(("Valiant Shield", "Northern Edge"), ("United States",)),
}


# Names of units and commands with a place name inside: "the Pacific Fleet" sails, it is no place;
# the PLA's "East Sea Fleet" has nothing to do with the Korean name of the Sea of Japan.
NOT_PLACES = (
    "Pacific Fleet",
    "U.S. Pacific Fleet",
    "Northern Fleet",
    "Baltic Fleet",
    "Black Sea Fleet",
    "East Sea Fleet",
    "North Sea Fleet",
    "South Sea Fleet",
    "Pacific Air Forces",
    "Pacific Command",
    "Indo-Pacific Command",
    "Eastern Theater Command",
    "Northern Theater Command",
    "Southern Theater Command",
    "Japan Coast Guard",
    "Japan Air Self-Defense Force",
    "Japan Maritime Self-Defense Force",
    "Japan Ground Self-Defense Force",
    "Japan Self-Defense Forces",
    "China Coast Guard",
    "Korea Coast Guard",
)

# Places that frame a story but are never where an event happened.
CONTEXT_ONLY_PLACES = frozenset({"asia-pacific", "indo-pacific", "east-asia"})
