"""`geo.services.export`: what each format's writer is asked, RFC 7946 output, atomic files, CLI.

Reading every format back through GDAL and comparing it with the layer is in
tests/gis/test_exports_gdal.py; here the GeoJSON output is checked strictly as text.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import orjson
import pyogrio
import pytest
import shapely
from shapely.geometry import LineString, Polygon, shape

from drillmap.cli import main as cli_main
from geo.domain.query import FeatureQuery, parse_query, select
from geo.errors import NotFound
from geo.services import export
from geo.services.export import FORMATS, column_values, crosses_antimeridian, export_layer
from geo.storage.files import FileFeatureStore

LAYERS = Path(__file__).resolve().parents[2] / "gis" / "data" / "layers"


@pytest.fixture
def store() -> FileFeatureStore:
    return FileFeatureStore(LAYERS)


def _positions(geometry: dict) -> list[list[float]]:
    out: list[list[float]] = []

    def walk(value: list) -> None:
        if value and isinstance(value[0], int | float):
            out.append(value)
        else:
            for item in value:
                walk(item)

    walk(geometry["coordinates"])
    return out


def main(argv: list[str]) -> int:
    """`drillmap export ARGS`."""
    return cli_main(["export", *argv])


def _written(store: FileFeatureStore, tmp_path: Path, layer: str, query: FeatureQuery) -> dict:
    path = tmp_path / f"{layer}.geojson"
    export_layer(store, layer, "geojson", query, path)
    return orjson.loads(path.read_bytes())


# -- how properties become columns -------------------------------------------------------------


def test_columns_keep_types_and_turn_lists_and_objects_into_json_text():
    assert column_values([2022, None]).dtype == "Int32"
    assert column_values([2**40, 1]).dtype == "Int64"
    assert column_values([0.5, None, 1]).dtype == "Float64"
    assert column_values([True, None]).dtype == "boolean"
    assert list(column_values(["a", None])) == ["a", None]
    lists = column_values([["China", "Russia"], [], None, [{"doc_id": "d", "start": 0}]])
    assert list(lists) == ['["China","Russia"]', "[]", None, '[{"doc_id":"d","start":0}]']
    assert list(column_values(["x", 3])) == ["x", "3"]


def test_antimeridian_crossing_is_a_jump_of_more_than_180_degrees():
    assert crosses_antimeridian(LineString([(176.5, 52), (-178.25, 53.5)]))
    assert crosses_antimeridian(Polygon([(170, 30), (-170, 30), (-170, 35), (170, 35)]))
    assert not crosses_antimeridian(LineString([(170, 55), (180, 56)]))
    assert not crosses_antimeridian(LineString([(-10, 0), (10, 0)]))
    assert not crosses_antimeridian(
        shape({"type": "MultiPoint", "coordinates": [[179, 1], [-179, 1]]})
    )
    unwrapped = export.unwrap_antimeridian(LineString([(176.5, 52), (-178.25, 53.5)]))
    assert shapely.get_coordinates(unwrapped)[:, 0].tolist() == [176.5, 181.75]


# -- GeoJSON: RFC 7946 -------------------------------------------------------------------------


@pytest.mark.parametrize("layer", ["exercises", "zones"])
def test_geojson_export_is_rfc7946(store, tmp_path, layer, geojson_problems):
    doc = _written(store, tmp_path, layer, FeatureQuery())
    assert "crs" not in doc
    assert geojson_problems(doc) == {}
    # The validator's antimeridian check is left out (see the fixture): read raw longitudes.
    for feature in doc["features"]:
        geometry = feature["geometry"]
        if geometry is None:
            continue
        for lon, lat in _positions(geometry):
            assert -180 <= lon <= 180 and -90 <= lat <= 90
            assert round(lon, 6) == lon and round(lat, 6) == lat
        assert not crosses_antimeridian(shape(geometry)), feature["id"]
        for part in shapely.get_parts(shape(geometry)):
            if part.geom_type == "Polygon":
                assert part.exterior.is_ccw, feature["id"]
                assert all(not ring.is_ccw for ring in part.interiors), feature["id"]


def test_geojson_export_cuts_an_unsplit_crossing_and_keeps_a_split_one(store, tmp_path):
    features = {
        f["id"]: f for f in _written(store, tmp_path, "exercises", FeatureQuery())["features"]
    }
    cut = features["exercises-aleutian-patrol"]["geometry"]
    assert cut["type"] == "MultiLineString"
    assert cut["coordinates"] == [[[176.5, 52.0], [180.0, 53.0]], [[-180.0, 53.0], [-178.25, 53.5]]]
    assert features["exercises-aleutian-patrol"]["bbox"] == [176.5, 52.0, -178.25, 53.5]
    source = store.layer("exercises").by_id["exercises-bering-split"]
    assert features["exercises-bering-split"]["geometry"] == source["geometry"]


def test_geojson_export_reorients_clockwise_rings(store, tmp_path):
    source = store.layer("exercises").by_id["exercises-clockwise-box"]["geometry"]
    assert not shape(source).exterior.is_ccw  # the fixture really is clockwise
    features = {
        f["id"]: f for f in _written(store, tmp_path, "exercises", FeatureQuery())["features"]
    }
    written = shape(features["exercises-clockwise-box"]["geometry"])
    assert written.exterior.is_ccw and not written.interiors[0].is_ccw
    assert shapely.normalize(written).equals_exact(shapely.normalize(shape(source)), 1e-9)


@pytest.mark.parametrize("layer", ["exercises", "zones"])
def test_geojson_export_keeps_ids_and_every_property_as_json(store, tmp_path, layer):
    written = _written(store, tmp_path, layer, FeatureQuery())["features"]
    source = store.layer(layer).features
    assert [f["id"] for f in written] == [f["id"] for f in source]
    for out, original in zip(written, source, strict=True):
        assert out["properties"] == original["properties"]  # lists, objects, nulls, unicode


def test_export_applies_the_shared_filters(store, tmp_path):
    query = parse_query({"actor": "Russia", "year": "2023"})
    written = _written(store, tmp_path, "exercises", query)["features"]
    expected = select(store.layer("exercises").features, query)
    assert [f["id"] for f in written] == [f["id"] for f in expected]
    assert len(written) == 3


def test_an_empty_selection_still_writes_a_valid_file(store, tmp_path):
    doc = _written(store, tmp_path, "exercises", parse_query({"actor": "India"}))
    assert doc["type"] == "FeatureCollection" and doc["features"] == []


# -- one geometry type where the format needs it; null geometries --------------------------------


@pytest.mark.parametrize("fmt", ["gpkg", "fgb"])
def test_point_and_multipoint_become_multipoint_where_the_format_needs_one_type(
    store, tmp_path, fmt
):
    query = parse_query({"actor": "China,North Korea", "kind": "naval_exercise,missile_launch"})
    kinds = {f["geometry"]["type"] for f in select(store.layer("exercises").features, query)}
    assert kinds == {"Point", "MultiPoint"}
    path = tmp_path / f"points.{fmt}"
    export_layer(store, "exercises", fmt, query, path)
    assert pyogrio.read_info(path)["geometry_type"] == "MultiPoint"
    frame = pyogrio.read_dataframe(path)
    assert set(frame.geometry.geom_type) == {"MultiPoint"}


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_null_geometries_are_written(store, tmp_path, fmt):
    query = parse_query({"year": "undated"})
    path = tmp_path / f"undated.{fmt}"
    assert export_layer(store, "exercises", fmt, query, path) == 1
    kwargs = {"EMPTY_STRING_AS_NULL": "YES"} if fmt == "csv" else {}
    frame = pyogrio.read_dataframe(path, **kwargs)
    assert len(frame) == 1
    geometry = frame.geometry.iloc[0]
    assert geometry is None or geometry.is_empty


# -- files appear whole --------------------------------------------------------------------------


def test_export_replaces_the_target_in_one_step_and_leaves_no_temp_files(store, tmp_path):
    target = tmp_path / "out" / "layer.gpkg"
    target.parent.mkdir()
    target.write_bytes(b"old")
    export_layer(store, "zones", "gpkg", FeatureQuery(), target)
    assert target.read_bytes()[:16] == b"SQLite format 3\x00"
    assert sorted(p.name for p in target.parent.iterdir()) == ["layer.gpkg"]


def test_a_failed_write_keeps_the_old_file(store, tmp_path, monkeypatch):
    target = tmp_path / "layer.geojson"
    target.write_bytes(b"old")

    def failing(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(export.pyogrio, "write_dataframe", failing)
    with pytest.raises(RuntimeError):
        export_layer(store, "zones", "geojson", FeatureQuery(), target)
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["layer.geojson"]


def test_unknown_layer_and_format_are_refused(store, tmp_path):
    with pytest.raises(NotFound):
        export_layer(store, "nope", "geojson", FeatureQuery(), tmp_path / "x.geojson")
    with pytest.raises(ValueError, match="unknown format"):
        export_layer(store, "zones", "shp", FeatureQuery(), tmp_path / "x.shp")


# -- the CLI entry point -------------------------------------------------------------------------


def test_main_exports_with_filters(tmp_path, capsys):
    out = tmp_path / "russia.csv"
    code = main(
        [
            "exercises",
            "--layers",
            str(LAYERS),
            "--actor",
            "Russia",
            "--year",
            "2023",
            "-o",
            str(out),
        ]
    )
    assert code == 0
    assert "wrote 3 features" in capsys.readouterr().out
    frame = pyogrio.read_dataframe(out)
    assert sorted(frame["id"]) == [
        "exercises-aleutian-patrol",
        "exercises-bering-split",
        "exercises-clockwise-box",
    ]
    assert frame.columns[0] == "WKT"


def test_main_takes_the_format_from_the_flag_or_the_suffix(tmp_path):
    assert main(["zones", "--layers", str(LAYERS), "-o", str(tmp_path / "z.fgb")]) == 0
    assert pyogrio.read_info(tmp_path / "z.fgb")["driver"] == "FlatGeobuf"
    assert (
        main(["zones", "--layers", str(LAYERS), "--format", "kml", "-o", str(tmp_path / "z.out")])
        == 0
    )
    assert pyogrio.read_info(tmp_path / "z.out")["driver"] == "LIBKML"


def test_main_reports_bad_filters_and_layers(tmp_path, capsys):
    assert (
        main(
            [
                "exercises",
                "--layers",
                str(LAYERS),
                "--actor",
                "Atlantis",
                "-o",
                str(tmp_path / "x.geojson"),
            ]
        )
        == 2
    )
    assert "unknown actor 'Atlantis'" in capsys.readouterr().err
    assert main(["nope", "--layers", str(LAYERS), "-o", str(tmp_path / "x.geojson")]) == 2
    assert "layers: exercises, zones" in capsys.readouterr().err
    assert not (tmp_path / "x.geojson").exists()


def test_every_format_has_a_driver_this_gdal_can_write():
    drivers = pyogrio.list_drivers(write=True)
    assert all(fmt.driver in drivers for fmt in FORMATS.values())
    assert np.array([fmt.extension for fmt in FORMATS.values()]).size == len(set(FORMATS))
