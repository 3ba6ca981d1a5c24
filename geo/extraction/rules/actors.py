"""Who acted: canonical actors from country names, demonyms, forces and capitals.

The terms are a table of the document's one keyword scan (`geo.extraction.context`); "the two
countries" and "both nations" resolve to the pair named most recently in the document (see
`extract`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from geo.extraction.scan import Hit, KeywordIndex, leftmost_longest
from geo.extraction.text import TextForms, fold, fold_case_kept

# Canonical actor → the words news uses for it (forces, demonyms, ministries, capitals).
ACTOR_TERMS: dict[str, tuple[str, ...]] = {
    "China": (
        "China",
        "Chinese",
        "PRC",
        "People's Republic of China",
        "PLA",
        "PLAN",
        "PLAAF",
        "People's Liberation Army",
        "PLA Navy",
        "PLA Air Force",
        "China Coast Guard",
        "CCG",
        "PLARF",
        "PLA Rocket Force",
        "Beijing",
        "Eastern Theater Command",
        "Liaoning",
        "Shandong",
        "Fujian",
        "Southern Theater Command",
        "Northern Theater Command",
    ),
    "Russia": (
        "Russia",
        "Russian",
        "Russians",
        "Russian Federation",
        "Moscow",
        "Kremlin",
        "Pacific Fleet",
        "Russian Navy",
        "Russian Aerospace Forces",
        "Northern Fleet",
        "Baltic Fleet",
        "Black Sea Fleet",
        "Eastern Military District",
        "VKS",
    ),
    "United States": (
        "United States",
        "U.S.",
        "US",
        "USA",
        "America",
        "American",
        "Americans",
        "USAF",
        "U.S. Air Force",
        "US Air Force",
        "U.S. Navy",
        "US Navy",
        "Pentagon",
        "Washington",
        "NORAD",
        "North American Aerospace Defense Command",
        "USS",
        "USFJ",
        "INDOPACOM",
        "Seventh Fleet",
        "7th Fleet",
        "US Forces Korea",
        "USFK",
    ),
    "Japan": (
        "Japan",
        "Japanese",
        "JASDF",
        "JMSDF",
        "JGSDF",
        "Air Self-Defense Force",
        "Maritime Self-Defense Force",
        "Ground Self-Defense Force",
        "Self-Defense Forces",
        "Tokyo",
        "Japan Coast Guard",
        "JCG",
        "ASDF",
        "MSDF",
        "GSDF",
        "SDF",
    ),
    "South Korea": (
        "South Korea",
        "South Korean",
        "South Koreans",
        "ROK",
        "S. Korea",
        "S.Korea",
        "the South",
        "Republic of Korea",
        "Seoul",
        "ROKAF",
        "ROK Navy",
        "Korean Joint Chiefs of Staff",
        "Korea Coast Guard",
    ),
    "North Korea": (
        "North Korea",
        "North Korean",
        "North Koreans",
        "DPRK",
        "N. Korea",
        "N.Korea",
        "the North",
        "Pyongyang",
        "KPA",
        "Democratic People's Republic of Korea",
    ),
    "Taiwan": ("Taiwan", "Taiwanese", "Taipei", "ROC Armed Forces"),
    "NATO": ("NATO", "North Atlantic Treaty Organization"),
    "India": ("India", "Indian"),
    "Australia": ("Australia", "Australian", "Australians", "RAAF"),
}
# Aircraft and ships that only one of the actors flies or sails: a report that names the type
# ("two H-6K bombers", "a Tu-142 patrol plane", "the Hwasong-18") names its owner too. Types
# that several states operate (Su-30, P-8, F-35, Ka-27) are left out.
ASSET_OWNERS: dict[str, tuple[str, ...]] = {
    "China": (
        *(f"H-6{v}" for v in ("", "K", "J", "N", "M", "G")),
        "Hong-6",
        *("Y-8", "Y-9", "Y-20", "KJ-200", "KJ-500", "KJ-2000"),
        *("J-10", "J-11", "J-15", "J-16", "J-20", "J-35"),
        *("WZ-7", "WZ-10", "BZK-005", "TB-001", "GJ-2"),
        *(f"Type {n}" for n in ("052C", "052D", "054A", "055", "071", "075", "076", "815", "901")),
        *("Renhai", "Luyang", "Jiangkai", "Dongdiao", "Yuzhao", "Haijing"),
    ),
    "Russia": (
        *("Tu-95", "Tu-95MS", "Tu-95MSM", "Tu-142", "Tu-142M", "Tu-142MK", "Tu-160"),
        *("Tu-22M", "Tu-22M3", "Tu-214R", "Il-20", "Il-38", "Il-38N", "Il-78", "A-50", "A-50U"),
        *("Su-24", "Su-34", "MiG-31", "Udaloy", "Steregushchiy", "Sovershenny", "Gromkiy"),
        *("Admiral Panteleyev", "Admiral Tributs", "Admiral Vinogradov", "Marshal Shaposhnikov"),
        *("Varyag", "Kalibr", "Moskit"),
    ),
    "United States": (
        *("B-52", "B-52H", "B-1", "B-1B", "B-2", "B-2A", "F-22", "RC-135", "EP-3", "EP-3E"),
        "USNS",
        # The carriers, often named without "USS" ("Ronald Reagan … trained with the ROK Navy").
        *("Ronald Reagan", "Carl Vinson", "Theodore Roosevelt", "Nimitz", "Abraham Lincoln"),
        *("George Washington", "Harry S. Truman", "Dwight D. Eisenhower", "John C. Stennis"),
        "Gerald R. Ford",
    ),
    "Japan": ("F-15J", "F-2", "JS"),
    "South Korea": ("F-15K", "KF-16", "KF-21", "ROKS"),
    "North Korea": ("Hwasong", "Pukguksong", "KN-23", "KN-24", "KN-25", "Haeil", "Chollima"),
    "Taiwan": ("ROCS", "F-CK-1", "Ching-kuo", "Hsiung Feng", "Han Kuang"),
    "Australia": ("HMAS",),
}
# Terms that are also ordinary words in lower case must keep their case.
_CASE_SENSITIVE = {
    "the North",
    "the South",
    "CCG",
    "JCG",
    "PLARF",
    "US",
    "USA",
    "PLA",
    "PLAN",
    "ROK",
    "KPA",
    "VKS",
    "ROC Armed Forces",
    "NATO",
    "NORAD",
    "USS",
    "ASDF",
    "MSDF",
    "GSDF",
    "SDF",
    "JS",
    "F-2",
}

_PAIR_PHRASES = re.compile(
    r"\b(?:the two (?:countries|nations|militaries|sides|navies|air forces|powers)|"
    r"both (?:countries|nations|militaries|sides|navies)|each other's|"
    # "the two" alone, but not "the two aircraft": those are the assets of whoever was named.
    r"the two(?!\s+(?:[\w-]+\s+){0,2}(?:aircraft|planes?|bombers?|jets?|ships?|vessels?|warships?|"
    r"destroyers?|frigates?|carriers?|submarines?|drones?|fighters?|missiles?)))\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class ActorMention:
    actor: str
    start: int
    end: int


# "the command said", "the fleet's ships": the command or fleet named last, by its last word.
_BACK_REFERENCES = {
    "the command": "command",
    "the theater command": "command",
    "the theatre command": "command",
    "the fleet": "fleet",
}
_BACK_REFERENCE = "<back reference>"


def add_actor_keywords(keywords: KeywordIndex, table: str = "actor") -> None:
    """Put the actor terms into a keyword index (one scan can serve several vocabularies)."""
    for actor in ACTOR_TERMS:
        for term in (*ACTOR_TERMS[actor], *ASSET_OWNERS.get(actor, ())):
            # Terms that are ordinary words in lower case ("US", "PLAN") must keep their case.
            exact = fold_case_kept(term) if term in _CASE_SENSITIVE else None
            keywords.add(table, fold(term), (actor, exact))
    for phrase in _BACK_REFERENCES:
        keywords.add(table, phrase, (_BACK_REFERENCE, None))


# Korean outlets call the two Koreas "the North" and "the South".
_KOREAN_SIDES = frozenset({"the North", "the South"})
_NAME_FOLLOWS = re.compile(r"[\s-]+[A-Z]|ern\b|east|west")


def actors_from_hits(hits: list[Hit], forms: TextForms) -> list[ActorMention]:
    """Actor mentions from the hits of `add_actor_keywords`' table, longest where two overlap."""
    found = []
    for hit in hits:
        start, end, (_, exact) = hit
        if exact is not None and forms.case_kept[start:end] != exact:
            continue
        if start and forms.folded[start - 1] == ".":
            continue  # ".US" in an address or a file name
        if exact in _KOREAN_SIDES and _NAME_FOLLOWS.match(forms.text, end):
            continue  # "the North Pacific", "the South China Sea": no side of Korea
        found.append(hit)
    mentions: list[ActorMention] = []
    for start, end, (actor, _) in leftmost_longest(found):
        if actor == _BACK_REFERENCE:
            if forms.folded.endswith(("under ", "in "), 0, start):
                continue  # "under the command of Admiral …": nobody's name
            noun = _BACK_REFERENCES[forms.folded[start:end]]
            named = next(
                (m for m in reversed(mentions) if forms.folded[m.start : m.end].endswith(noun)),
                None,
            )
            if named is None:
                continue
            actor = named.actor
        mentions.append(ActorMention(actor, start, end))
    return mentions


def mentions_pair(text: str) -> bool:
    """Whether the text refers to "the two countries" (or similar) instead of naming them."""
    return _PAIR_PHRASES.search(text) is not None


def ordered_unique(actors: list[str]) -> list[str]:
    seen: dict[str, None] = {}
    for actor in actors:
        seen.setdefault(actor, None)
    return list(seen)
