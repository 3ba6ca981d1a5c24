"""Who acted: canonical actors from country names, demonyms, forces and capitals.

The lexicon is one compiled regex; "the two countries" and "both nations" resolve to the pair
named most recently in the document (see `extract`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from geo.text import fold, lowercase_pattern

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
        "Republic of Korea",
        "Seoul",
        "ROKAF",
        "ROK Navy",
        "Korean Joint Chiefs of Staff",
    ),
    "North Korea": (
        "North Korea",
        "North Korean",
        "North Koreans",
        "DPRK",
        "Pyongyang",
        "KPA",
        "Democratic People's Republic of Korea",
    ),
    "Taiwan": ("Taiwan", "Taiwanese", "Taipei", "ROC Armed Forces"),
    "NATO": ("NATO", "North Atlantic Treaty Organization"),
    "India": ("India", "Indian"),
    "Australia": ("Australia", "Australian", "Australians", "RAAF"),
}
# Terms that are also ordinary words in lower case must keep their case.
_CASE_SENSITIVE = {
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
}

_PAIR_PHRASES = re.compile(
    r"\b(?:the two (?:countries|nations|militaries|sides|navies|air forces|powers)|"
    r"both (?:countries|nations|militaries|sides|navies)|the two|each other's)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class ActorMention:
    actor: str
    start: int
    end: int


def _pattern(terms: list[str]) -> str:
    ordered = sorted(set(terms), key=len, reverse=True)
    return "|".join(re.escape(t).replace("'", "['\u2019]") for t in ordered)


def _compile() -> tuple[re.Pattern[str], re.Pattern[str], dict[str, str]]:
    lookup: dict[str, str] = {}
    sensitive: list[str] = []
    insensitive: list[str] = []
    for actor, terms in ACTOR_TERMS.items():
        for term in terms:
            lookup[term.replace("\u2019", "'").casefold()] = actor
            (sensitive if term in _CASE_SENSITIVE else insensitive).append(term)
    bounded = r"(?<![\w.])(?:{})(?![\w])"
    return (
        re.compile(bounded.format(_pattern(insensitive)), re.IGNORECASE),
        re.compile(bounded.format(_pattern(sensitive))),
        lookup,
    )


_INSENSITIVE, _SENSITIVE, _LOOKUP = _compile()


_INSENSITIVE_FOLDED = lowercase_pattern(_INSENSITIVE)


def find_actors(
    text: str, start: int = 0, end: int | None = None, folded: str | None = None
) -> list[ActorMention]:
    """Actor mentions in text[start:end], longest first where two overlap, in text order."""
    end = len(text) if end is None else end
    folded = fold(text) if folded is None else folded
    found: list[ActorMention] = []
    for pattern, haystack in ((_INSENSITIVE_FOLDED, folded), (_SENSITIVE, text)):
        for match in pattern.finditer(haystack, start, end):
            key = match.group(0).replace("\u2019", "'").casefold()
            found.append(ActorMention(_LOOKUP[key], match.start(), match.end()))
    found.sort(key=lambda m: (m.start, -(m.end - m.start)))
    kept: list[ActorMention] = []
    for mention in found:
        if kept and mention.start < kept[-1].end:
            continue
        kept.append(mention)
    return kept


def mentions_pair(text: str) -> bool:
    """Whether the text refers to "the two countries" (or similar) instead of naming them."""
    return _PAIR_PHRASES.search(text) is not None


def ordered_unique(actors: list[str]) -> list[str]:
    seen: dict[str, None] = {}
    for actor in actors:
        seen.setdefault(actor, None)
    return list(seen)
