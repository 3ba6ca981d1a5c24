"""Zones named without their owner's full name resolve to the owner's zone, or stay unplaced."""

from __future__ import annotations

import pytest

from geo.extraction.rules.zones import zone_mentions
from geo.extraction.text import TextForms
from geo.gazetteer.matcher import PlaceMatcher


@pytest.fixture(scope="module")
def mentions_of(gazetteer):
    matcher = PlaceMatcher(gazetteer)

    def find(text: str) -> list[tuple[str, str]]:
        found = zone_mentions(text, matcher.find(text, TextForms.of(text)), gazetteer)
        return [(m.place_id, m.text) for m in found]

    return find


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("entered Taiwan's southwest ADIZ", [("taiwan-adiz", "Taiwan's southwest ADIZ")]),
        ("into Japan's southwestern air defense identification zone", [("japan-adiz", None)]),
        ("what Taipei calls its air defense identification zone", [("taiwan-adiz", None)]),
        # No owner and no zone named before: left unplaced, not guessed.
        ("flew into the ADIZ on Monday", []),
        ("North Korea's ADIZ", [("north-korea", "North Korea")]),
    ],
)
def test_owner_named_in_the_phrase(mentions_of, text, expected):
    found = mentions_of(text)
    assert [place for place, _ in found] == [place for place, _ in expected]
    for (_, got), (_, want) in zip(found, expected, strict=True):
        if want is not None:
            assert got == want
        assert text[text.index(got) :].startswith(got)


def test_an_unowned_zone_takes_the_zone_named_before_it(mentions_of):
    text = "Bombers entered the KADIZ at 9 am and left; at noon they re-entered the ADIZ."
    assert [place for place, _ in mentions_of(text)] == ["korea-adiz", "korea-adiz"]
    assert mentions_of(text)[1][1] == "the ADIZ"


def test_offsets_point_at_the_phrase(gazetteer):
    text = "Eight aircraft entered Taiwan's southwest ADIZ."
    matcher = PlaceMatcher(gazetteer)
    [zone] = zone_mentions(text, matcher.find(text, TextForms.of(text)), gazetteer)
    assert text[zone.start : zone.end] == zone.text == "Taiwan's southwest ADIZ"
