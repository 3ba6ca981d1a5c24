"""Who did it: the doers among the actors named around an event, not who reported or responded.

Each anchor's actors are looked up in the spans the pipeline gives them (the `regions` fixture):
before its places, plus "Russian Tu-95 bombers" after them; who scrambled is named just before.
"""

import pytest

from geo.extraction.rules.roles import event_actors


def _actors(regions, text: str) -> list[list[str]]:
    """The actors of each anchor of the text, in text order."""
    return [
        event_actors(r.index, r.window, r.trailing, scramble=r.anchor.family == "scramble")
        for r in regions(text)
    ]


@pytest.mark.parametrize(
    ("text", "actors"),
    [
        # The city that files the story and the ministry that reports it did nothing.
        (
            "TOKYO (Jiji Press) - Two Chinese and four Russian warships sailed through the Osumi "
            "Strait on Tuesday, Japan's Defense Ministry said.",
            [["China", "Russia"]],
        ),
        (
            "Headline\nSEOUL, Oct. 4 (Yonhap) -- North Korea fired a ballistic missile over Japan.",
            [["North Korea"]],
        ),
        (
            "Headline\nMOSCOW, March 11. /TASS/. Russian Tu-95 bombers flew over the Sea of Japan.",
            [["Russia"]],
        ),
        ("TOKYO -- Chinese warships sailed through the Miyako Strait.", [["China"]]),
        ("According to Japan, Chinese warships sailed through the Miyako Strait.", [["China"]]),
        (
            "Taiwan's defense ministry claimed that 42 PLA aircraft and eight ships conducted a "
            "joint combat-readiness patrol around Taiwan.",
            [["China"]],
        ),
        (
            "Japan's Defense Ministry said it detected two Chinese drones flying between Yonaguni "
            "and Taiwan.",
            [["China"]],
        ),
        # ... but a ministry that says it acted is the doer.
        (
            "The Chinese military said it had conducted a joint strategic aerial patrol with "
            "Russia over the East China Sea on Wednesday.",
            [["China", "Russia"]],
        ),
        # Who escorted the bombers responded; they did not fly the patrol.
        (
            "Two Russian Tu-95 bombers flew over the Sea of Japan, escorted by Japanese F-15s.",
            [["Russia"]],
        ),
        (
            "Two Russian Tu-95 bombers, escorted by Japanese F-15 fighters, flew over the Sea of "
            "Japan.",
            [["Russia"]],
        ),
        (
            "Two U.S. B-52 bombers flew with Japanese fighters over the Sea of Japan on Wednesday.",
            [["United States", "Japan"]],
        ),
        # Whose waters, who protested, whom it was aimed at, whose leader spoke: no doers.
        (
            "A Chinese coast guard vessel entered Japanese territorial waters around the Senkaku "
            "Islands.",
            [["China"]],
        ),
        (
            "Japan protested after Chinese coast guard vessels intruded into the waters off the "
            "Senkaku Islands.",
            [["China"]],
        ),
        (
            "The U.S. and South Korea held drills in the Yellow Sea aimed at deterring North "
            "Korea.",
            [["United States", "South Korea"]],
        ),
        (
            "China staged drills around Taiwan after Japanese Prime Minister Takaichi's remarks.",
            [["China"]],
        ),
        (
            "Chinese Russian-made Su-30 fighters flew over the East China Sea on patrol.",
            [["China"], []],
        ),
        # Who scrambled is not whom they scrambled against.
        (
            "South Korea's air force scrambled jets after Chinese H-6K bombers entered the KADIZ "
            "on Tuesday.",
            [["South Korea"], ["China"]],
        ),
        (
            "Japan's Air Self-Defense Force scrambled fighter jets after Chinese drones flew near "
            "Okinawa.",
            [["Japan"], ["China"]],
        ),
        ("Japanese fighters scrambled against Chinese aircraft.", [["Japan"]]),
        # Named after the places: the ships that sailed.
        (
            "Warships sailed through the Tsugaru Strait, two Chinese destroyers among them.",
            [["China"]],
        ),
        ("The drills were staged in the Sea of Japan by Russian warships.", [["Russia"]]),
        # Who was prompted to respond did not do it.
        (
            "A Russian A-50 violated the airspace over Dokdo, prompting South Korean jets to fire "
            "warning shots.",
            [["Russia"]],
        ),
    ],
)
def test_event_actors(regions, text: str, actors: list[list[str]]):
    assert _actors(regions, text) == actors
