"""Anchors: the signals of activity and the exercise names a clause is about."""

import pytest

from geo.extraction.rules.anchors import find_anchors

Row = tuple[str, str, str | None, bool]  # (words, family, exercise name, negated)


def _anchors(index, start: int, end: int) -> list[Row]:
    text = index.forms.text
    return [
        (text[a.start : a.end], a.family, a.name, a.negated)
        for a in find_anchors(index, start, end)
    ]


@pytest.mark.parametrize(
    ("sentence", "anchors"),
    [
        (
            "Chinese and Russian bombers flew over the Sea of Japan on Tuesday.",
            [("flew", "activity", None, False)],
        ),
        # "flew" counts only near an aircraft or a ship.
        ("The minister flew to Tokyo for talks.", []),
        (
            "China and Russia held the Joint Sea-2022 drills in the East China Sea.",
            [("Joint Sea-2022 drills", "exercise", "Joint Sea-2022", False)],
        ),
        (
            "Russia's Vostok 2022 exercise began on Thursday.",
            [("Vostok 2022 exercise", "exercise", "Vostok-2022", False)],
        ),
        (
            "China's Eastern Theater Command launched Joint Sword-2024A around Taiwan.",
            [("Joint Sword-2024A", "exercise", "Joint Sword-2024A", False)],
        ),
        (
            "Keen Sword 23 brought together 36,000 personnel.",
            [("Keen Sword 23", "exercise", "Keen Sword 23", False)],
        ),
        ("The Sino-Japanese War ended in 1945.", []),
        (
            "North Korea test-fired an ICBM that landed in the Sea of Japan.",
            [("test-fired an ICBM", "missile", None, False)],
        ),
        (
            "The JCS said the North fired two short-range ballistic missiles into the East Sea.",
            [("fired two short-range ballistic missiles", "missile", None, False)],
        ),
        # What did not happen stays an anchor, so it ends the one before, but is negated.
        (
            "Russian bombers flew over the Sea of Japan without entering Japan's airspace.",
            [("flew", "activity", None, False), ("entering", "activity", None, True)],
        ),
        (
            "The ships never sailed through the Tsugaru Strait.",
            [("sailed", "activity", None, True)],
        ),
        ("No foreign aircraft violated Japanese airspace during the year.", []),
        (
            "Chinese warships directed a fire-control radar at a Japanese destroyer.",
            [("fire-control radar", "incident", None, False)],
        ),
        (
            "Japan's Air Self-Defense Force scrambled fighter jets after Chinese drones flew "
            "near Okinawa.",
            [("scrambled", "scramble", None, False), ("flew", "activity", None, False)],
        ),
        (
            "South Korea sent fighter jets into the air as the bombers approached.",
            [
                ("sent fighter jets into the air", "scramble", None, False),
                ("approached", "activity", None, False),
            ],
        ),
        (
            "The first joint exercise was held in the Yellow Sea in 2016.",
            [("exercise was held", "exercise", None, False)],
        ),
        ("Large rallies are held in Seoul every weekend.", []),
        (
            "J-15 fighters flew from the carrier Liaoning east of Taiwan.",
            [("flew from the carrier", "exercise", None, False)],
        ),
        (
            "Fighters from the carrier Shandong practiced takeoffs and landings in the "
            "Philippine Sea.",
            [("practiced takeoffs and landings", "exercise", None, False)],
        ),
        # "patrol ships" are ships, not a patrol.
        ("The patrol ships returned to port.", [("returned", "activity", None, False)]),
    ],
)
def test_anchors(context, sentence: str, anchors: list[Row]):
    assert _anchors(context(sentence), 0, len(sentence)) == anchors


@pytest.mark.parametrize(
    ("before", "anchors"),
    [
        ("China and Russia have held Joint Sea drills since 2012. ", [("was held", "exercise")]),
        ("China and Russia have grown closer since 2012. ", []),
    ],
)
def test_was_held_needs_an_exercise_before(context, before: str, anchors: list[tuple[str, str]]):
    text = before + "The first was held in the Yellow Sea."
    found = _anchors(context(text), len(before), len(text))
    assert [(words, family) for words, family, _, _ in found] == anchors
