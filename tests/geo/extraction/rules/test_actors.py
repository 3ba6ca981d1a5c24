"""Actors from country names, demonyms, forces and capitals; "the two countries" instead."""

import pytest

from geo.extraction.rules.actors import (
    actors_from_hits,
    add_actor_keywords,
    mentions_pair,
    ordered_unique,
)
from geo.extraction.scan import KeywordIndex
from geo.extraction.text import TextForms

_KEYWORDS = KeywordIndex()
add_actor_keywords(_KEYWORDS)


def _actors(text: str) -> list[tuple[str, str]]:
    """(actor, the words that named it), in text order."""
    forms = TextForms.of(text)
    hits = _KEYWORDS.scan(forms.folded, forms.blank)["actor"]
    return [(a.actor, text[a.start : a.end]) for a in actors_from_hits(hits, forms)]


@pytest.mark.parametrize(
    ("sentence", "actors"),
    [
        (
            "Chinese and Russian bombers took off on Tuesday.",
            [("China", "Chinese"), ("Russia", "Russian")],
        ),
        # "us" the pronoun is no country; the longest term wins.
        ("Let us know what the US Navy did.", [("United States", "US Navy")]),
        (
            "The PLA Navy and the PLAN sent ships; their plan was clear.",
            [("China", "PLA Navy"), ("China", "PLAN")],
        ),
        (
            "Pyongyang fired a missile; the North called it a test and the South condemned it.",
            [
                ("North Korea", "Pyongyang"),
                ("North Korea", "the North"),
                ("South Korea", "the South"),
            ],
        ),
        ("Ships sailed in the North Pacific.", []),
        ("N. Korea fires ballistic missile into East Sea: JCS", [("North Korea", "N. Korea")]),
        ("Details are at www.navy.US and in the report.", []),
        (
            "Japan's ASDF and the JMSDF trained with USFJ.",
            [("Japan", "Japan"), ("Japan", "ASDF"), ("Japan", "JMSDF"), ("United States", "USFJ")],
        ),
        (
            "The U.S. and S.Korea held drills; the ROK Navy took part.",
            [("United States", "U.S."), ("South Korea", "S.Korea"), ("South Korea", "ROK Navy")],
        ),
        (
            "The Pacific Fleet and the Eastern Theater Command sent ships.",
            [("Russia", "Pacific Fleet"), ("China", "Eastern Theater Command")],
        ),
        ("The Northern Fleet sailed on Monday.", [("Russia", "Northern Fleet")]),
        ("The Liaoning carrier group passed by.", [("China", "Liaoning")]),
        ("USS Ralph Johnson sailed on.", [("United States", "USS")]),
        (
            "Taipei said ROC Armed Forces were on alert.",
            [("Taiwan", "Taipei"), ("Taiwan", "ROC Armed Forces")],
        ),
        (
            "India and Australia joined the drills with NATO observers.",
            [("India", "India"), ("Australia", "Australia"), ("NATO", "NATO")],
        ),
        (
            "The North Korean leader met the South Korean president.",
            [("North Korea", "North Korean"), ("South Korea", "South Korean")],
        ),
    ],
)
def test_actor_terms(sentence: str, actors: list[tuple[str, str]]):
    assert _actors(sentence) == actors


@pytest.mark.parametrize(
    ("sentence", "actors"),
    [
        # A country inside a place's name is the place ("South China Sea", "Sea of Japan") ...
        ("Ships sailed in the South China Sea and the North Pacific.", []),
        ("Chinese bombers flew over the Sea of Japan.", ["China"]),
        ("Chinese ships entered Japanese airspace.", ["China"]),
        # ... but a country alone may be either, and a force named after one is an actor.
        ("Russian bombers flew near Japan.", ["Russia", "Japan"]),
        ("The Japan Coast Guard said Chinese ships sailed near the Senkakus.", ["Japan", "China"]),
    ],
)
def test_the_documents_actors_leave_place_names_out(context, sentence: str, actors: list[str]):
    assert [a.actor for a in context(sentence).actors] == actors


@pytest.mark.parametrize(
    ("text", "pair"),
    [
        ("The two countries then held naval drills.", True),
        ("Both nations conduct regular joint patrols.", True),
        ("supporting each other's territorial claims", True),
        ("The two sides held talks.", True),
        ("The two navies sailed together.", True),
        ("Two countries held drills.", False),
        # "The two aircraft" are the assets of whoever was named.
        ("the two aircraft flew on", False),
        ("the two Russian bombers turned north", False),
        ("the two H-6 bombers flew on", False),
        ("the two Tu-95MS strategic bombers turned", False),
    ],
)
def test_the_two_countries(text: str, pair: bool):
    assert mentions_pair(text) is pair


def test_ordered_unique_keeps_the_first_naming():
    assert ordered_unique(["Russia", "China", "Russia", "Japan"]) == ["Russia", "China", "Japan"]


@pytest.mark.parametrize(
    ("sentence", "actors"),
    [
        ("Two H-6K bombers and a Y-9 flew on.", [("China", "H-6K"), ("China", "Y-9")]),
        ("A Tu-142 patrol plane flew south.", [("Russia", "Tu-142")]),
        ("The Hwasong-18 flew 1,000 km.", [("North Korea", "Hwasong")]),
        (
            "The USS Ralph Johnson and JS Sazanami sailed.",
            [("United States", "USS"), ("Japan", "JS")],
        ),
        # Lower-case look-alikes are no hull prefix or aircraft.
        ("the js file and the f-2 key", []),
    ],
)
def test_a_type_only_one_state_flies_names_its_owner(sentence, actors):
    assert _actors(sentence) == actors
