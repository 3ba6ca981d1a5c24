"""The JSON API: layer summaries, filters through geo.domain.query, and JSON errors."""

from __future__ import annotations

import pytest

from geo.settings import Settings
from webapp import create_app


@pytest.fixture(params=["files", "postgis"])
def app(request, layers_dir, basemap_dir):
    """The app on the synthetic layers, from the file store and from PostGIS."""
    settings = Settings(layers_dir=layers_dir)
    if request.param == "postgis":
        settings = Settings(store=request.getfixturevalue("postgis_layers")(layers_dir))
    return create_app(settings, config={"BASEMAP_DIR": basemap_dir, "TESTING": True})


def ids(response) -> set[str]:
    assert response.status_code == 200, response.get_json()
    return {f["id"] for f in response.get_json()["features"]}


def test_layers_lists_every_layer_with_its_url(client):
    response = client.get("/api/layers")
    assert response.status_code == 200
    assert response.content_type == "application/json"
    layers = {entry["name"]: entry for entry in response.get_json()["layers"]}
    assert set(layers) == {"exercises", "patrols", "zones", "places"}
    exercises = layers["exercises"]
    assert exercises["count"] == 3
    assert exercises["years"] == [2022, 2023]
    assert exercises["actors"] == ["China", "Russia", "United States"]
    assert exercises["kinds"] == ["naval_exercise"]
    assert len(exercises["bbox"]) == 4
    assert exercises["url"] == "/api/layers/exercises.geojson"
    assert client.get(exercises["url"]).status_code == 200


def test_layer_without_filters_is_the_whole_feature_collection(client):
    response = client.get("/api/layers/exercises.geojson")
    assert response.content_type == "application/geo+json"
    body = response.get_json()
    assert body["type"] == "FeatureCollection"
    assert ids(response) == {"ex-joint-2022", "ex-hostile-2023", "ex-nowhere-2023"}
    assert all(f["type"] == "Feature" for f in body["features"])
    assert all("bbox" in f for f in body["features"] if f["geometry"])


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("year=2022", {"ex-joint-2022"}),
        ("year=2023", {"ex-hostile-2023", "ex-nowhere-2023"}),
        ("year=2022,2023", {"ex-joint-2022", "ex-hostile-2023", "ex-nowhere-2023"}),
        ("year=2022&year=2023", {"ex-joint-2022", "ex-hostile-2023", "ex-nowhere-2023"}),
        ("year=undated", set()),
        ("actor=russia", {"ex-joint-2022"}),
        ("actor=China", {"ex-joint-2022", "ex-nowhere-2023"}),
        ("actor=United%20States,Russia", {"ex-joint-2022", "ex-hostile-2023"}),
        ("year=2023&actor=China", {"ex-nowhere-2023"}),
        ("kind=naval_exercise&year=2022", {"ex-joint-2022"}),
        ("kind=air_patrol", set()),
        ("bbox=130,38,140,45", {"ex-joint-2022"}),
        ("bbox=120,20,128,32", {"ex-hostile-2023"}),
    ],
)
def test_filters(client, query, expected):
    assert ids(client.get(f"/api/layers/exercises.geojson?{query}")) == expected


def test_undated_year_selects_undated_places(client):
    assert ids(client.get("/api/layers/places.geojson?year=undated")) == {"places-tsushima"}
    assert ids(client.get("/api/layers/places.geojson?year=2022,undated")) == {"places-tsushima"}


def test_same_query_revalidates_with_etag(client):
    first = client.get("/api/layers/patrols.geojson?year=2022")
    again = client.get(
        "/api/layers/patrols.geojson?year=2022", headers={"If-None-Match": first.headers["ETag"]}
    )
    assert again.status_code == 304
    other = client.get("/api/layers/patrols.geojson?year=2023")
    assert other.headers["ETag"] != first.headers["ETag"]


@pytest.mark.parametrize(
    ("query", "fragment"),
    [
        ("year=22", "'year'"),
        ("year=", "'year'"),
        ("year=2022,,2023", "'year'"),
        ("actor=Narnia", "unknown actor"),
        ("kind=picnic", "unknown kind"),
        ("bbox=1,2,3", "'bbox'"),
        ("bbox=a,b,c,d", "'bbox'"),
        ("bbox=0,50,10,40", "'bbox'"),
        ("colour=red", "unknown parameter 'colour'"),
        ("year=2022&limit=0", "'limit' must be at least 1"),
        ("year=2022&page=5", "unknown parameter 'page'"),
    ],
)
def test_bad_parameters_are_400_with_a_json_message(client, query, fragment):
    response = client.get(f"/api/layers/exercises.geojson?{query}")
    assert response.status_code == 400
    assert response.content_type == "application/json"
    body = response.get_json()
    assert body["status"] == 400
    assert fragment in body["description"]


def test_unknown_layer_is_404_json(client):
    response = client.get("/api/layers/secret.geojson")
    assert response.status_code == 404
    assert response.get_json() == {
        "code": "NotFound",
        "description": "no layer named 'secret'",
        "status": 404,
    }


def test_api_routing_errors_are_json(client):
    missing = client.get("/api/nowhere")
    assert missing.status_code == 404
    assert missing.get_json()["status"] == 404
    wrong_method = client.post("/api/layers")
    assert wrong_method.status_code == 405
    assert wrong_method.get_json()["status"] == 405


def test_errors_outside_api_stay_html(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert response.content_type.startswith("text/html")


def test_server_errors_under_api_are_json(layers_dir, basemap_dir, monkeypatch):
    app = create_app(Settings(layers_dir=layers_dir), config={"BASEMAP_DIR": basemap_dir})
    store = app.extensions["drillmap_store"].features

    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(store, "query", broken)
    response = app.test_client().get("/api/layers/zones.geojson")
    assert response.status_code == 500
    assert response.get_json()["status"] == 500


def test_a_damaged_layer_under_api_is_503_json(layers_dir, basemap_dir):
    app = create_app(Settings(layers_dir=layers_dir), config={"BASEMAP_DIR": basemap_dir})
    (layers_dir / "zones.geojson").write_text("{not json")
    response = app.test_client().get("/api/layers/zones.geojson")
    assert response.status_code == 503
    assert response.get_json()["status"] == 503


def test_empty_layers_dir_lists_nothing(tmp_path, basemap_dir):
    app = create_app(
        Settings(layers_dir=tmp_path),
        config={"BASEMAP_DIR": basemap_dir, "TESTING": True},
    )
    client = app.test_client()
    assert client.get("/api/layers").get_json() == {"layers": []}
    assert client.get("/api/layers/exercises.geojson").status_code == 404
    assert client.get("/").status_code == 200


def test_a_layer_comes_in_pages_that_add_up_to_the_whole(client):
    whole = client.get("/api/layers/exercises.geojson").get_json()
    assert whole["numberMatched"] == len(whole["features"]) == 3
    pages = [
        client.get(f"/api/layers/exercises.geojson?limit=2&offset={offset}").get_json()
        for offset in (0, 2, 4)
    ]
    assert [len(p["features"]) for p in pages] == [2, 1, 0]
    assert all(p["numberMatched"] == 3 for p in pages)
    assert [f["id"] for p in pages for f in p["features"]] == [f["id"] for f in whole["features"]]
    url = "/api/layers/exercises.geojson?limit=2&offset="
    assert client.get(url + "0").headers["ETag"] != client.get(url + "2").headers["ETag"]
