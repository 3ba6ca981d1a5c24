"""The offline basemap: built from world-atlas once, valid, rounded, served as GeoJSON."""

from __future__ import annotations

import orjson
import shapely

from webapp.basemap import FILENAME, ensure_basemap


def test_basemap_is_served_and_cached(client, basemap_dir):
    response = client.get("/basemap/countries.geojson")
    assert response.status_code == 200
    assert response.content_type == "application/geo+json"
    collection = orjson.loads(response.get_data())
    response.close()
    assert (basemap_dir / FILENAME).exists()
    assert not list(basemap_dir.glob("*.tmp"))
    names = {f["properties"]["name"] for f in collection["features"]}
    assert {"Japan", "South Korea", "North Korea", "China", "Russia", "Taiwan"} <= names
    assert len(collection["features"]) > 200


def test_basemap_geometries_are_valid_and_rounded(client, basemap_dir):
    client.get("/basemap/countries.geojson").close()
    raw = (basemap_dir / FILENAME).read_text()
    collection = orjson.loads(raw)
    for feature in collection["features"]:
        geometry = shapely.geometry.shape(feature["geometry"])
        assert geometry.geom_type in ("Polygon", "MultiPolygon")
        assert geometry.is_valid or feature["properties"]["name"] in ("Antarctica",)
    japan = next(f for f in collection["features"] if f["properties"]["name"] == "Japan")
    lon = japan["geometry"]["coordinates"][0][0][0][0]
    assert round(lon, 3) == lon
    assert 125 < shapely.geometry.shape(japan["geometry"]).centroid.x < 145


def test_missing_source_is_a_clear_404(tmp_path, layers_dir):
    from geo.settings import Settings
    from webapp import create_app

    app = create_app(
        Settings(layers_dir=layers_dir),
        config={"NODE_MODULES": tmp_path, "BASEMAP_DIR": tmp_path / "bm"},
    )
    response = app.test_client().get("/basemap/countries.geojson")
    assert response.status_code == 404
    assert "npm ci" in response.get_data(as_text=True)


def test_ensure_reuses_the_cache(app, basemap_dir):
    first = ensure_basemap(app.config["NODE_MODULES"], basemap_dir)
    stamp = first.stat().st_mtime_ns
    assert ensure_basemap(app.config["NODE_MODULES"], basemap_dir).stat().st_mtime_ns == stamp
