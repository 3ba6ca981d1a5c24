"""The document language end to end: the sidecar, `--lang`, the layers and the `lang` filter."""

from __future__ import annotations

import json
from pathlib import Path

import orjson
import pytest

from drillmap.cli import main
from geo.domain.query import FeatureQuery, matches, parse_query
from geo.errors import InvalidParameter
from geo.storage.columns import LayerColumns

JA = (
    "防衛省統合幕僚監部によると、中国海軍の駆逐艦2隻が20日、宮古海峡を通過し、"
    "東シナ海から太平洋に出た。"
)
EN = "Chinese and Russian warships sailed through the Tsugaru Strait on Tuesday."


def _ingest(tmp_path: Path, name: str, text: str, *extra: str) -> None:
    path = tmp_path / f"{name}.txt"
    path.write_text(text, encoding="utf-8")
    seeds, layers = tmp_path / "seeds", tmp_path / "layers"
    args = ["ingest", str(path), "--seeds", str(seeds), "--layers", str(layers)]
    assert main([*args, "--published", "2023-07-21", *extra]) == 0


@pytest.fixture
def store(tmp_path: Path) -> Path:
    (tmp_path / "seeds").mkdir()
    _ingest(tmp_path, "ja", JA)
    _ingest(tmp_path, "en", EN)
    return tmp_path


def test_ingest_stores_the_detected_language_in_the_sidecar(store):
    sidecars = [json.loads(p.read_text()) for p in sorted((store / "seeds").glob("*.json"))]
    assert [s["lang"] for s in sidecars] == ["ja", "en"]
    index = orjson.loads((store / "layers" / "index.json").read_bytes())
    assert sorted(d["lang"] for d in index["documents"]) == ["en", "ja"]


def test_lang_overrides_detection_on_ingest(tmp_path):
    (tmp_path / "seeds").mkdir()
    _ingest(tmp_path, "doc", EN, "--lang", "ru")
    (sidecar,) = [json.loads(p.read_text()) for p in (tmp_path / "seeds").glob("*.json")]
    assert sidecar["lang"] == "ru"


def test_an_unknown_lang_is_refused_by_the_command_line(tmp_path, capsys):
    path = tmp_path / "doc.txt"
    path.write_text(EN)
    with pytest.raises(SystemExit):
        main(["extract", str(path), "--lang", "xx"])
    assert "unknown language 'xx'" in capsys.readouterr().err


def test_extract_takes_lang(tmp_path, capsysbinary):
    path = tmp_path / "doc.txt"
    path.write_text(JA, encoding="utf-8")
    assert main(["extract", str(path), "--published", "2023-07-21"]) == 0
    (event,) = orjson.loads(capsysbinary.readouterr().out)["events"]
    assert event["places"] == ["Miyako Strait", "East China Sea", "Pacific Ocean"]
    assert main(["extract", str(path), "--lang", "en"]) == 0
    assert orjson.loads(capsysbinary.readouterr().out)["events"] == []


def test_layers_carry_the_languages_and_the_evidence_its_marks(store):
    patrols = orjson.loads((store / "layers" / "patrols.geojson").read_bytes())["features"]
    by_lang = {tuple(f["properties"]["langs"]): f for f in patrols}
    assert set(by_lang) == {("ja",), ("en",)}
    evidence = by_lang[("ja",)]["properties"]["evidence"][-1]
    assert evidence["lang"] == "ja"
    marked = [evidence["text"][s:e] for s, e in evidence["marks"]]
    assert marked == ["宮古海峡", "東シナ海", "太平洋"]
    assert "lang" not in by_lang[("en",)]["properties"]["evidence"][0]  # English as before


def test_the_lang_filter_agrees_in_the_reference_predicate_and_the_file_store(store):
    features = []
    for layer in ("exercises", "patrols", "zones", "places"):
        features += orjson.loads((store / "layers" / f"{layer}.geojson").read_bytes())["features"]
    columns = LayerColumns.build(features)
    for value in ("ja", "en", "ja,en", "ko"):
        query = parse_query({"lang": value})
        expected = [i for i, f in enumerate(features) if matches(f, query)]
        rows = columns.select(query)
        assert list(rows if rows is not None else range(len(features))) == expected
    assert parse_query({"lang": "ko"}) == FeatureQuery(langs=frozenset({"ko"}))
    assert not [f for f in features if matches(f, parse_query({"lang": "ko"}))]


def test_a_feature_without_languages_is_english():
    feature = {"properties": {"kind": "naval_patrol"}}
    assert matches(feature, parse_query({"lang": "en"}))
    assert not matches(feature, parse_query({"lang": "ja"}))


@pytest.mark.parametrize("value", ["xx", "", "ja,,ko", "日本語"])
def test_a_bad_lang_is_an_invalid_parameter(value):
    with pytest.raises(InvalidParameter):
        parse_query({"lang": value})
