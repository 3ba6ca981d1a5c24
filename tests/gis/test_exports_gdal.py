"""Exports read back through GDAL match the layer: every format, from the CLI code and the web.

Same features, same geometries (to 1e-6°, after the RFC 7946 cut for GeoJSON), and every
property, with lists and objects as JSON text where the format has no list type.
"""

from __future__ import annotations

import json
import math
import shutil
import subprocess
from datetime import date, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyogrio
import pytest
import shapely
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from geo.domain.query import FeatureQuery, parse_query, select
from geo.services.export import FORMATS, crosses_antimeridian, export_layer, unwrap_antimeridian
from geo.settings import Settings
from geo.storage.registry import open_store
from webapp import create_app

pytestmark = pytest.mark.gis

TOLERANCE = 1e-6
# Fields LIBKML adds for KML's own Placemark elements; not properties of ours.
KML_OWN_FIELDS = {
    "description",
    "timestamp",
    "begin",
    "end",
    "altitudeMode",
    "tessellate",
    "extrude",
    "visibility",
    "drawOrder",
    "icon",
}
OGRINFO = Path("/usr/bin/ogrinfo")
GIS_LAYERS = Path(__file__).parent / "data" / "layers"


def read_back(path: Path, fmt: str) -> dict[str, dict[str, Any]]:
    """Features by id, as GDAL reads the file: {"geometry": ..., "properties": {...}}."""
    options = {"AUTODETECT_TYPE": "YES", "EMPTY_STRING_AS_NULL": "YES"} if fmt == "csv" else {}
    frame = pyogrio.read_dataframe(path, **options)
    if fmt == "kml":
        assert set(frame.columns) >= KML_OWN_FIELDS
        frame = frame.drop(columns=sorted(KML_OWN_FIELDS)).rename(columns={"Name": "name"})
    if fmt == "csv":
        frame = frame.drop(columns=["WKT"])
    out = {}
    for row in frame.to_dict("records"):
        geometry = row.pop("geometry")
        out[row["id"]] = {"geometry": geometry, "properties": row}
    return out


def plain(value: Any, like: Any) -> Any:
    """A value as GDAL returned it, in the terms of the source value `like`."""
    if value is None or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(like, list | dict):
        if isinstance(value, str):
            return json.loads(value)
        return value.tolist() if isinstance(value, np.ndarray) else value
    if isinstance(value, datetime | date):
        return value.date().isoformat() if isinstance(value, datetime) else value.isoformat()
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(like, bool):
        return bool(value)
    if isinstance(like, int):
        return int(value)
    if isinstance(like, float):
        return float(value)
    return value


def _unwrapped_lines(geometry: BaseGeometry) -> BaseGeometry:
    return shapely.line_merge(unwrap_antimeridian(geometry))


def assert_same_geometry(
    source: dict[str, Any] | None, back: BaseGeometry | None, fmt: str, fid: str
):
    if source is None:
        assert back is None or back.is_empty, fid
        return
    original = shape(source)
    back = shapely.force_2d(back)  # KML writes 0 altitudes
    if back.geom_type == f"Multi{original.geom_type}" and len(back.geoms) == 1:
        back = back.geoms[0]  # promoted to multi for a one-type format
    if fmt == "geojson" and crosses_antimeridian(original):
        # Cut at 180 by the writer: the same line once both are put on one side of it.
        distance = shapely.hausdorff_distance(_unwrapped_lines(back), unwrap_antimeridian(original))
        assert back.geom_type.startswith("Multi") and distance < TOLERANCE, fid
        return
    assert shapely.normalize(back).equals_exact(shapely.normalize(original), TOLERANCE), fid


def assert_matches_source(path: Path, fmt: str, expected: list[dict[str, Any]]) -> None:
    back = read_back(path, fmt)
    assert sorted(back) == sorted(f["id"] for f in expected)
    for feature in expected:
        got = back[feature["id"]]
        assert_same_geometry(feature["geometry"], got["geometry"], fmt, feature["id"])
        source_props = feature["properties"]
        assert set(got["properties"]) == set(source_props), (fmt, feature["id"])
        for key, value in source_props.items():
            assert plain(got["properties"][key], value) == value, (fmt, feature["id"], key)


@pytest.mark.parametrize("fmt", sorted(FORMATS))
@pytest.mark.parametrize("layer", ["exercises", "zones"])
def test_every_format_reads_back_as_the_layer(gis_store, tmp_path, fmt, layer):
    path = tmp_path / f"{layer}.{FORMATS[fmt].extension}"
    count = export_layer(gis_store, layer, fmt, FeatureQuery(), path)
    source = gis_store.layer(layer).features
    assert count == len(source)
    assert pyogrio.read_info(path)["features"] == len(source)
    assert_matches_source(path, fmt, source)


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_filtered_exports_read_back_as_the_selection(gis_store, tmp_path, fmt):
    query = parse_query({"actor": "Russia,China", "year": "2023"})
    path = tmp_path / f"selection.{FORMATS[fmt].extension}"
    export_layer(gis_store, "exercises", fmt, query, path)
    expected = select(gis_store.layer("exercises").features, query)
    assert len(expected) == 4
    assert_matches_source(path, fmt, expected)


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_web_downloads_are_the_same_files_with_types_and_names(gis_layers, tmp_path, fmt):
    client = create_app(Settings(layers_dir=gis_layers), config={"TESTING": True}).test_client()
    spec = FORMATS[fmt]
    response = client.get(f"/export/exercises.{spec.extension}?actor=Russia&year=2023")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == spec.media_type
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="exercises_year-2023_actor-Russia.{spec.extension}"'
    )
    path = tmp_path / f"download.{spec.extension}"
    path.write_bytes(response.data)
    store = client.application.extensions["drillmap_store"].features
    query = parse_query({"actor": "Russia", "year": "2023"})
    assert_matches_source(path, fmt, select(store.layer("exercises").features, query))


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_exports_from_postgis_read_back_as_the_layer(gis_store, postgis_layers, tmp_path, fmt):
    """The same exports with the features read from the PostGIS store (one SQL query)."""
    store = open_store(Settings(store=postgis_layers(GIS_LAYERS))).features
    query = parse_query({"actor": "Russia,China", "year": "2023"})
    for name, selection in (("whole", FeatureQuery()), ("selection", query)):
        path = tmp_path / f"{name}.{FORMATS[fmt].extension}"
        export_layer(store, "exercises", fmt, selection, path)
        assert_matches_source(path, fmt, select(gis_store.layer("exercises").features, selection))


def test_web_downloads_refuse_bad_requests(gis_layers):
    client = create_app(Settings(layers_dir=gis_layers), config={"TESTING": True}).test_client()
    assert client.get("/export/nope.geojson").status_code == 404
    assert client.get("/export/exercises.shp").status_code == 404
    # Repeated list filters are joined (year=2023&year=2024); a repeated bbox is refused.
    for query in ("actor=Atlantis", "year=20x3", "bogus=1", "bbox=0,0,1,1&bbox=0,0,2,2"):
        response = client.get(f"/export/exercises.geojson?{query}")
        assert response.status_code == 400, query
        assert set(response.get_json()) == {"code", "description", "status"}


@pytest.mark.skipif(not OGRINFO.exists(), reason="Debian gdal-bin is not installed")
@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_debian_ogrinfo_reads_every_export(gis_store, tmp_path, fmt):
    path = tmp_path / f"exercises.{FORMATS[fmt].extension}"
    export_layer(gis_store, "exercises", fmt, FeatureQuery(), path)
    result = subprocess.run(
        [shutil.which("ogrinfo") or str(OGRINFO), "-ro", "-al", "-so", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "Feature Count: 8" in result.stdout
