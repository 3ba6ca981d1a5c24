"""GDAL's OGC API – Features client (OAPIF) reads /ogc as a real server on a loopback port.

What reaches the server is recorded too, to show which filters GDAL hands to it: the bbox,
`datetime` (the DATETIME open option) and `where` clauses on fields the OpenAPI document lists
as query parameters (`year`, `kind`). GDAL has no way to send `actor`: the layer's field is the
list `actors`, and an items URL with `?actor=` is not accepted as a dataset name.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pyogrio
import pytest

from geo.domain.query import parse_query, select

pytestmark = pytest.mark.gis

OGRINFO = Path("/usr/bin/ogrinfo")
ITEMS = "/ogc/collections/exercises/items"


def _ids(frame) -> list[str]:
    return sorted(frame["id"])


def _expected(store, **params: str) -> list[str]:
    return sorted(f["id"] for f in select(store.layer("exercises").features, parse_query(params)))


def test_gdal_lists_the_collections(served_app):
    layers = pyogrio.list_layers(f"OAPIF:{served_app.url}/ogc")
    assert sorted(layers[:, 0]) == ["exercises", "zones"]


def test_gdal_reads_every_feature_with_its_properties(served_app, gis_store):
    frame = pyogrio.read_dataframe(f"OAPIF:{served_app.url}/ogc", layer="exercises")
    source = gis_store.layer("exercises")
    assert _ids(frame) == sorted(source.by_id)
    row = frame.set_index("id").loc["exercises-joint-sea-2022"]
    assert list(row["actors"]) == ["China", "Russia"]
    assert row["evidence"][0]["doc_id"] == "doc-2022-12-joint"
    assert frame.set_index("id").loc["exercises-undated-patrol"].geometry is None


def test_gdal_sends_the_bbox_to_the_server(served_app, gis_store):
    frame = pyogrio.read_dataframe(
        f"OAPIF:{served_app.url}/ogc", layer="exercises", bbox=(120, 20, 130, 36)
    )
    assert _ids(frame) == _expected(gis_store, bbox="120,20,130,36")
    assert _ids(frame) == [
        "exercises-joint-sea-2022",
        "exercises-new-year-2024",
        "exercises-scramble-html",
    ]
    assert any("bbox=120" in q for q in served_app.queries(ITEMS))


def test_gdal_sends_where_on_listed_parameters_to_the_server(served_app, gis_store):
    frame = pyogrio.read_dataframe(
        f"OAPIF:{served_app.url}/ogc",
        layer="exercises",
        where="year = 2023 AND kind = 'naval_exercise'",
    )
    assert _ids(frame) == _expected(gis_store, year="2023", kind="naval_exercise")
    assert len(frame) == 3
    assert any("year=2023" in q and "kind=naval_exercise" in q for q in served_app.queries(ITEMS))


def test_gdal_sends_datetime_to_the_server(served_app, gis_store):
    frame = pyogrio.read_dataframe(
        f"OAPIF:{served_app.url}/ogc", layer="exercises", DATETIME="2024-01-01/.."
    )
    assert _ids(frame) == _expected(gis_store, datetime="2024-01-01/..")
    assert _ids(frame) == ["exercises-new-year-2024", "exercises-scramble-html"]


def test_an_items_url_with_a_query_is_not_a_gdal_dataset(served_app):
    with pytest.raises(pyogrio.errors.DataSourceError):
        pyogrio.read_dataframe(f"OAPIF:{served_app.url}{ITEMS}?actor=Russia")


@pytest.mark.skipif(not OGRINFO.exists(), reason="Debian gdal-bin is not installed")
def test_debian_ogrinfo_reads_the_api(served_app):
    def ogrinfo(*args: str) -> str:
        result = subprocess.run(
            [str(OGRINFO), "-ro", *args, f"OAPIF:{served_app.url}/ogc", "exercises"],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout

    summary = ogrinfo("-so")
    assert "Feature Count: 8" in summary
    assert "TITLE=Exercises" in summary
    assert "actors: StringList" in summary
    features = ogrinfo("-q", "-spat", "120", "20", "130", "36", "-where", "kind = 'missile_launch'")
    assert "OGRFeature" not in features  # the one launch is outside that box
    features = ogrinfo("-q", "-where", "kind = 'missile_launch'")
    assert features.count("OGRFeature(exercises)") == 1
    assert "id (String) = exercises-icbm-2023-03-16" in features
