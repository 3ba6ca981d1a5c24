"""The kind of an event: from its signal, the assets named near it, where it was and who flew.

Each anchor gets its places and actors as the pipeline gives them (the `regions` fixture and
`event_actors`), then `kind_for` names its kind.
"""

import pytest

from geo.extraction.rules.kinds import kind_for, scramble_zone
from geo.extraction.rules.roles import event_actors


def _kinds(regions, text: str) -> list[str]:
    """The kind of each anchor of the text that happened, in text order."""
    kinds = []
    for r in regions(text):
        if r.anchor.negated:
            continue
        scramble = r.anchor.family == "scramble"
        actors = event_actors(r.index, r.window, r.trailing, scramble=scramble)
        kinds.append(kind_for(r.anchor, r.index, r.clause, r.located, actors, bool(actors)))
    return kinds


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        # Drills around an island are held in the waters around it ...
        ("Chinese and Russian warships held joint drills around Taiwan.", ["naval_exercise"]),
        # Troops and guns without ships drill on land, even on an island at sea ...
        (
            "South Korean marines held live-fire artillery drills on Yeonpyeong Island.",
            ["other"],
        ),
        # ... while marines aboard a naval drill keep it naval.
        (
            "Chinese and Russian warships held joint drills in the Sea of Japan with marines.",
            ["naval_exercise"],
        ),
        # Hull prefixes and types name the ships and aircraft.
        ("The USS Ralph Johnson transited the Taiwan Strait.", ["naval_patrol"]),
        ("The two H-6 bombers flew over the East China Sea.", ["bomber_flight"]),
        # ... drills on the islands are held on land ...
        (
            "Russian troops held a tactical exercise on the islands of Iturup and Kunashir in the "
            "Southern Kurils.",
            ["other"],
        ),
        ("Russian troops held drills on Sakhalin.", ["other"]),
        # ... and drills off a naval base are at sea.
        (
            "Chinese and Russian warships held drills near Vladivostok on Tuesday.",
            ["naval_exercise"],
        ),
        ("The training took place in the airspace over the Sea of Japan.", ["air_patrol"]),
        # Bombers of one side are a bomber flight; two sides' bombers are a joint patrol.
        ("Two Russian Tu-95MS strategic bombers flew over the Sea of Japan.", ["bomber_flight"]),
        (
            "Two Chinese H-6 bombers and two Russian Tu-95 bombers flew over the Sea of Japan.",
            ["air_patrol"],
        ),
        (
            "Russian and Chinese bombers conducted a joint patrol over the Sea of Japan.",
            ["air_patrol"],
        ),
        ("Two U.S. B-1B bombers flew over the Sea of Japan.", ["bomber_flight"]),
        (
            "Two U.S. B-52 bombers flew with Japanese fighters over the Sea of Japan.",
            ["bomber_flight"],
        ),
        (
            "The US and Japanese air forces held a joint exercise over the Sea of Japan with a "
            "B-52 bomber.",
            ["bomber_flight"],
        ),
        # Bombers that entered an air defense zone are on a patrol, not a bomber flight.
        ("Chinese H-6 bombers entered the KADIZ on Monday.", ["air_patrol"]),
        ("Russian Su-35 fighters flew over the Sea of Okhotsk.", ["air_patrol"]),
        ("Five Russian warships sailed through the Soya Strait.", ["naval_patrol"]),
        (
            "China's aircraft carrier Liaoning sailed through the Miyako Strait into the Pacific.",
            ["naval_patrol"],
        ),
        # The ships may be named in the sentence before.
        (
            "Five Russian warships left their base on Monday. Later they entered the Sea of "
            "Japan on Tuesday.",
            ["naval_patrol"],
        ),
        # A violation of territorial airspace and a balloon are incidents.
        (
            "A Russian Il-38 patrol plane crossed into Japan's airspace above Rebun Island.",
            ["other"],
        ),
        ("A Chinese surveillance balloon flew over Japan in 2021.", ["other"]),
        ("North Korea fired a ballistic missile over Japan on Tuesday.", ["missile_launch"]),
        # Where a missile went after its launch site is the launch's, and an "anti-ship"
        # missile names no ship.
        (
            "North Korea launched anti-ship cruise missiles from near Wonsan, which flew into "
            "the East Sea.",
            ["missile_launch"],
        ),
        # Ships that "were detected" near islands were there.
        ("17 Chinese coast guard vessels were detected near the Penghu Islands.", ["naval_patrol"]),
        # Missile systems switched on fire nothing.
        (
            "Taiwan sent navy ships and activated air defense missile systems on Penghu.",
            [],
        ),
        # A ship "flying the Chinese flag" did not fly.
        ("A Chinese submarine surfaced in the East China Sea flying the Chinese flag.", []),
        # A flight is in the air, whatever ships were named before it.
        (
            "Russian warships sailed near Alaska in August. Later came the first joint flight "
            "near Alaska.",
            ["naval_patrol", "air_patrol"],
        ),
        (
            "Japan's Air Self-Defense Force scrambled fighter jets after Chinese drones flew "
            "near Okinawa.",
            ["scramble", "air_patrol"],
        ),
    ],
)
def test_kind_for(regions, text: str, kinds: list[str]):
    assert _kinds(regions, text) == kinds


@pytest.mark.parametrize(
    ("sentence", "actors", "zone"),
    [
        # A yearly or record count of scrambles lies in the scrambling country's ADIZ.
        (
            "Japan's Air Self-Defense Force scrambled fighter jets a record 1,168 times in the "
            "year that ended on March 31.",
            ["Japan"],
            ["japan-adiz"],
        ),
        ("South Korea scrambled fighters 200 times last year.", ["South Korea"], ["korea-adiz"]),
        ("Taiwan scrambled jets 1,700 times in 2022.", ["Taiwan"], ["taiwan-adiz"]),
        # One scramble, two scramblers, or a country with no zone: nowhere in particular.
        ("Japan scrambled fighters on Tuesday.", ["Japan"], []),
        ("Japan and South Korea scrambled jets 30 times.", ["Japan", "South Korea"], []),
        ("Russia scrambled fighters 50 times last year.", ["Russia"], []),
    ],
)
def test_scramble_zone(context, sentence: str, actors: list[str], zone: list[str]):
    assert scramble_zone(context(sentence), actors, (0, len(sentence))) == zone
