"""The hand-kept landmarks (islands, capes, peninsulas, bays, straits, bases no package names):
they load, cite a source, keep the canonical layout, and sit where the coasts are."""

from __future__ import annotations

import json

import pytest
from shapely.geometry import Point

from geo.extraction.text import fold
from geo.gazetteer.places import LANDMARKS_FILE, PLACE_KINDS, Place, load_gazetteer, load_landmarks
from tools import derived
from tools.naturalearth import NaturalEarth

LAND = (
    "Japan",
    "Russia",
    "China",
    "South Korea",
    "North Korea",
    "Taiwan",
    "United States of America",
    "Philippines",
    "Guam",
    "Northern Mariana Islands",
    "United States Minor Outlying Islands",
    "Spratly Islands",
)
# Too small for Natural Earth's 10m land (or reefs): their positions are checked by hand.
TOO_SMALL = {
    "okinotorishima",
    "mageshima",
    "amami-islands",
    "tarama-island",
    "hateruma",
    "danjo-islands",
    "chujado",
    "yo-do",
    "matsu-islands",
    "wuqiu",
    "dongyin",
    "pratas-island",
    "xiaoliuqiu",
    "mischief-reef",
    "fiery-cross-reef",
    "subi-reef",
    "second-thomas-shoal",
    "moneron-island",
    "mariana-islands",
    "babuyan-islands",
    # Outlying islands of Japan that a Joint Staff release names when it plots a route.
    "okidaitojima",
    "yokoate-jima",
    "tonaki-jima",
    "teuri-island",
    "yagishiri-island",
    "mishima-yamaguchi",
    "hegura-jima",
    "tobishima",
    "kozushima",
    "takarajima",
    "sofu-gan",
    # South Korean outlying islands off the west coast.
    "eocheongdo",
    "gyeongnyeolbiyeoldo",
}
NARROW_WATERS = {"kanmon-straits"}  # narrower than Natural Earth's coastline


@pytest.fixture(scope="module")
def landmarks() -> list[Place]:
    return list(load_landmarks())


@pytest.fixture(scope="module")
def land() -> list:
    natural_earth = NaturalEarth.load()
    return [natural_earth.country(name) for name in LAND]


def test_every_landmark_has_a_kind_a_class_and_a_source(landmarks: list[Place]) -> None:
    assert len(landmarks) >= 150
    for place in landmarks:
        assert place.kind in PLACE_KINDS, place.id
        assert place.feature_class, place.id
        assert "Wikipedia" in place.source, place.id


def test_no_landmark_name_clashes_with_the_hand_kept_gazetteer(landmarks: list[Place]) -> None:
    owners = {fold(n): p.id for p in load_gazetteer() for n in (*p.names, *p.exact_aliases)}
    for place in landmarks:
        for name in place.names:
            assert fold(name) not in owners, (name, place.id, owners.get(fold(name)))


def test_the_file_is_in_canonical_layout() -> None:
    text = LANDMARKS_FILE.read_text(encoding="utf-8")
    assert derived.dumps_gazetteer(json.loads(text)) == text


def test_islands_and_capes_sit_on_land_and_waters_off_it(
    landmarks: list[Place], land: list
) -> None:
    for place in landmarks:
        point = place.anchor
        distance = min(part.distance(point) for part in land)
        if place.kind in ("island", "region", "base") and place.id not in TOO_SMALL:
            assert distance <= 0.08, (place.id, distance)
        if place.kind in ("sea", "strait") and place.id not in NARROW_WATERS:
            assert not any(part.contains(point) for part in land), place.id
            assert distance <= 1.0, (place.id, distance)


def test_the_names_from_the_brief_are_there(landmarks: list[Place]) -> None:
    by_name = {fold(n): p for p in landmarks for n in p.names}
    for name in ("Hateruma", "Cape Shionomisaki", "Izu Islands", "Amami Oshima", "Ulleungdo"):
        assert fold(name) in by_name, name
    assert by_name[fold("Cape Shionomisaki")].anchor.distance(Point(135.76, 33.43)) < 0.05
