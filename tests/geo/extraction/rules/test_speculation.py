"""Reported or not: the cue that makes an anchor speculation, a habit or a plan."""

import pytest

from geo.extraction.rules.speculation import speculation_cue


def _cues(regions, text: str) -> list[str | None]:
    """The cue of each anchor of the text (None: reported as fact), in text order."""
    return [
        speculation_cue(r.index, r.clause[0], r.anchor, r.sentence.line_heading)
        for r in regions(text)
    ]


@pytest.mark.parametrize(
    ("text", "cues"),
    [
        ("Chinese and Russian bombers flew over the Sea of Japan on Tuesday.", [None]),
        ("China and Russia could hold joint exercises in the South China Sea.", ["could"]),
        ("This could involve more sophisticated joint exercises in the Sea of Japan.", ["could"]),
        ("Analysts say the two navies might hold joint drills in the Sea of Japan.", ["might"]),
        ("Chinese and Russian bombers may fly over the Sea of Japan again.", ["may"]),
        ("China has not ruled out the possibility of drills around Taiwan.", ["possibility"]),
        # A plan is speculation, unless someone announced it.
        ("Russia plans to hold naval drills in the Sea of Okhotsk.", ["plans to"]),
        ("Russia announced it plans to hold naval drills in the Sea of Okhotsk.", [None]),
        (
            "The ministry said the two navies will hold joint drills in the Sea of Japan.",
            [None],
        ),
        # Right after the event word.
        ("The drills are expected to begin next week.", ["are expected to"]),
        ("Joint patrols could follow in the Sea of Japan.", ["could"]),
        # What usually happens is a habit, no event.
        (
            "Russian long-range aviation crews regularly fly over neutral waters of the Arctic.",
            ["regularly"],
        ),
        (
            "The Russian Pacific Fleet usually holds drills in the Sea of Japan in summer.",
            ["usually"],
        ),
        ("The Vostok exercise has been held since 2010 in the Far East.", ["has been held since"]),
        # The month May is no modal verb.
        ("In late May, Chinese and Russian bombers flew over the Sea of Japan.", [None]),
        ("On May 5, Chinese warships sailed through the Miyako Strait.", [None]),
        # An exercise's script is no speculation.
        (
            "Under the scenario, the forces are to repel a landing on Sakhalin during the "
            "exercise.",
            [None],
        ),
        # A line under a speculative heading is speculation, whatever it says.
        (
            "Future Scenario: China and Russia hold joint drills in the Sea of Japan.",
            ["Future Scenario"],
        ),
    ],
)
def test_speculation_cue(regions, text: str, cues: list[str | None]):
    assert _cues(regions, text) == cues
