"""The packaged gazetteer data: it loads, its geometries are sane and sourced, the names news
uses resolve to the right places, and the files are exactly what their tools rebuild."""

from __future__ import annotations

import io
import json
import pickle
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from shapely.geometry import Point

from geo.extraction.text import fold, fold_case_kept
from geo.gazetteer.places import GAZETTEER_FILE, MARINE_FILE, PLACE_KINDS, Gazetteer, load_gazetteer
from tools import derived
from tools.naturalearth import CacheError, _DataOnlyUnpickler, load_cache

REPO = Path(__file__).resolve().parents[3]

# Ids and names other modules rely on.
REQUIRED = {
    "sea-of-japan": "Sea of Japan",
    "east-china-sea": "East China Sea",
    "yellow-sea": "Yellow Sea",
    "bohai-sea": "Bohai Sea",
    "philippine-sea": "Philippine Sea",
    "south-china-sea": "South China Sea",
    "sea-of-okhotsk": "Sea of Okhotsk",
    "bering-sea": "Bering Sea",
    "western-pacific": "Western Pacific",
    "pacific-ocean": "Pacific Ocean",
    "korea-strait": "Korea Strait",
    "tsugaru-strait": "Tsugaru Strait",
    "soya-strait": "Soya Strait",
    "miyako-strait": "Miyako Strait",
    "osumi-strait": "Osumi Strait",
    "taiwan-strait": "Taiwan Strait",
    "bashi-channel": "Bashi Channel",
    "yonaguni-taiwan-gap": "Yonaguni–Taiwan gap",
    "kunashir-strait": "Kunashir Strait",
    "tatar-strait": "Tatar Strait",
    "senkaku-islands": "Senkaku Islands",
    "okinawa": "Okinawa",
    "miyako-jima": "Miyako-jima",
    "yonaguni": "Yonaguni",
    "liancourt-rocks": "Liancourt Rocks",
    "kuril-islands": "Kuril Islands",
    "southern-kurils": "Southern Kuril Islands",
    "sakhalin": "Sakhalin",
    "hokkaido": "Hokkaido",
    "jeju": "Jeju Island",
    "guam": "Guam",
    "taiwan": "Taiwan",
    "paracel-islands": "Paracel Islands",
    "spratly-islands": "Spratly Islands",
    "japan-adiz": "Japan ADIZ",
    "korea-adiz": "Korea ADIZ",
    "china-ecs-adiz": "East China Sea ADIZ",
    "taiwan-adiz": "Taiwan ADIZ",
    "korean-peninsula": "Korean Peninsula",
    "indo-pacific": "Indo-Pacific",
    "asia-pacific": "Asia-Pacific",
    "east-asia": "East Asia",
    "arctic": "Arctic",
    "central-asia": "Central Asia",
    "kamchatka": "Kamchatka",
    "vladivostok": "Vladivostok",
    "china": "China",
    "russia": "Russia",
    "japan": "Japan",
    "south-korea": "South Korea",
    "north-korea": "North Korea",
    "united-states": "United States",
    "philippines": "Philippines",
}


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return load_gazetteer()


def test_every_entry_loads_with_a_kind_and_a_source(gazetteer: Gazetteer) -> None:
    entries = json.loads(GAZETTEER_FILE.read_text(encoding="utf-8"))["places"]
    assert len(gazetteer) == len(entries)
    for place in gazetteer:
        assert place.kind in PLACE_KINDS, place.id
        assert place.source.strip(), place.id


def test_required_ids_have_their_names(gazetteer: Gazetteer) -> None:
    for place_id, name in REQUIRED.items():
        assert place_id in gazetteer.places, place_id
        assert gazetteer[place_id].name == name


def test_geometries_are_valid_and_on_the_globe(gazetteer: Gazetteer) -> None:
    for place in gazetteer:
        geometry = place.geometry
        assert geometry.is_valid and not geometry.is_empty, place.id
        west, south, east, north = geometry.bounds
        assert -180 <= west <= east <= 180, place.id
        assert -90 <= south <= north <= 90, place.id
        assert place.anchor.distance(geometry) < 1e-9, place.id


@pytest.mark.parametrize(
    ("alias", "place_id"),
    [
        ("East Sea", "sea-of-japan"),
        ("east sea", "sea-of-japan"),
        ("Diaoyu", "senkaku-islands"),
        ("Diaoyutai", "senkaku-islands"),
        ("Diaoyu Islands", "senkaku-islands"),
        ("Dokdo", "liancourt-rocks"),
        ("Takeshima", "liancourt-rocks"),
        ("KADIZ", "korea-adiz"),
        ("Northern Territories", "southern-kurils"),
        ("La Pérouse Strait", "soya-strait"),
        ("Tsushima Strait", "korea-strait"),
        ("Formosa", "taiwan"),
        ("West Philippine Sea", "south-china-sea"),
        ("Japanese airspace", "japan-adiz"),
        ("Republic of Korea", "south-korea"),
    ],
)
def test_news_names_resolve(gazetteer: Gazetteer, alias: str, place_id: str) -> None:
    place = gazetteer.resolve(alias)
    assert place is not None and place.id == place_id


def test_case_sensitive_aliases_stay_out_of_the_folded_table(gazetteer: Gazetteer) -> None:
    assert "US" in gazetteer["united-states"].exact_aliases
    assert gazetteer.resolve("us") is None


def test_aliases_are_unique_as_the_matcher_folds_them(gazetteer: Gazetteer) -> None:
    # The matcher folds dashes, quotes and "é" too; a clash there would silently drop a place.
    folded: dict[str, str] = {}
    exact: dict[str, str] = {}
    for place in gazetteer:
        for name in place.names:
            assert folded.setdefault(fold(name), place.id) == place.id, name
        for name in place.exact_aliases:
            assert exact.setdefault(fold_case_kept(name), place.id) == place.id, name


def test_contested_places_are_flagged(gazetteer: Gazetteer) -> None:
    for place_id in (
        "sea-of-japan",
        "senkaku-islands",
        "liancourt-rocks",
        "southern-kurils",
        "paracel-islands",
        "spratly-islands",
    ):
        assert gazetteer[place_id].disputed, place_id


@pytest.mark.parametrize(
    ("place_id", "lon", "lat"),
    [
        ("japan-adiz", 130.0, 30.0),
        ("japan-adiz", 135.0, 38.0),  # mid Sea of Japan
        ("korea-adiz", 125.18, 32.12),  # Socotra Rock, added in 2013
        ("korea-adiz", 126.27, 33.12),  # Marado
        ("china-ecs-adiz", 123.5, 25.75),  # the Senkakus
        ("china-ecs-adiz", 125.18, 32.12),
        ("taiwan-adiz", 121.5, 25.0),
        ("taiwan-adiz", 119.5, 23.5),  # Penghu
    ],
)
def test_adiz_polygons_contain_known_points(
    gazetteer: Gazetteer, place_id: str, lon: float, lat: float
) -> None:
    assert gazetteer[place_id].geometry.contains(Point(lon, lat))


def test_korea_adiz_leaves_out_the_1951_gap_south_of_kyushu(gazetteer: Gazetteer) -> None:
    assert not gazetteer["korea-adiz"].geometry.contains(Point(130.0, 32.0))


def test_senkakus_are_where_they_are(gazetteer: Gazetteer) -> None:
    senkakus = gazetteer["senkaku-islands"]
    assert senkakus.geometry.distance(Point(123.5, 25.7)) < 0.1
    assert senkakus.anchor.distance(Point(123.5, 25.7)) < 0.3


def test_points_sit_where_the_sources_put_them(gazetteer: Gazetteer) -> None:
    assert gazetteer["liancourt-rocks"].anchor.distance(Point(131.87, 37.24)) < 0.05
    assert gazetteer["vladivostok"].anchor.distance(Point(131.9, 43.1)) < 0.1
    assert gazetteer["japan"].anchor.within(gazetteer["japan-adiz"].geometry)


def test_marine_references_exist_and_the_file_is_small() -> None:
    collection = json.loads(MARINE_FILE.read_text(encoding="utf-8"))
    names = [feature["properties"]["name"] for feature in collection["features"]]
    assert names == sorted(names)
    assert all(feature["properties"]["source"] for feature in collection["features"])
    entries = json.loads(GAZETTEER_FILE.read_text(encoding="utf-8"))["places"]
    refs = {e["geometry_ref"].removeprefix("marine:") for e in entries if "geometry_ref" in e}
    assert refs <= set(names)
    assert MARINE_FILE.stat().st_size < 1_000_000


def test_marine_tool_rebuilds_the_file_byte_for_byte(tmp_path: Path) -> None:
    output = tmp_path / "marine.geojson"
    subprocess.run(
        [sys.executable, "-m", "tools.marine", "--output", str(output)],
        cwd=REPO,
        check=True,
        capture_output=True,
    )
    assert output.read_bytes() == MARINE_FILE.read_bytes()


REBUILD = "run `python -m tools.derived --write` and review the diff"


def test_derived_geometries_match_their_recipes(capsys: pytest.CaptureFixture[str]) -> None:
    status = derived.main(["--gazetteer", str(GAZETTEER_FILE)])
    assert status == 0, f"{capsys.readouterr().out}{REBUILD}"


def test_gazetteer_file_is_in_canonical_layout() -> None:
    text = GAZETTEER_FILE.read_text(encoding="utf-8")
    assert derived.dumps_gazetteer(json.loads(text)) == text, REBUILD


def test_cache_loader_checks_the_digest_before_unpickling(tmp_path: Path) -> None:
    forged = tmp_path / "cache.pkl"
    forged.write_bytes(pickle.dumps({"version": 3, "marine": []}))
    with pytest.raises(CacheError, match="refusing"):
        load_cache(forged)


def test_cache_unpickler_refuses_anything_but_plain_data() -> None:
    with pytest.raises(pickle.UnpicklingError):
        _DataOnlyUnpickler(io.BytesIO(pickle.dumps(date(2024, 1, 1)))).load()
