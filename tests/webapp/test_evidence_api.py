"""`/api/layers/<layer>/features/<id>/evidence`: every sentence of a feature, a page at a time,
from the store's records; the feature itself carries only the first few."""

from __future__ import annotations

from pathlib import Path

import pytest

from geo.build.records import HEAD
from geo.services.ingest import ingest_bytes, rebuild
from geo.settings import Settings
from geo.storage.registry import open_store
from webapp import create_app

REPORTS = 12


@pytest.fixture
def busy(tmp_path: Path, basemap_dir: Path):
    """A store where the Sea of Japan is named by REPORTS documents."""
    settings = Settings(layers_dir=tmp_path / "layers", seeds_dir=tmp_path / "seeds")
    store = open_store(settings)
    rebuild(store)
    for i in range(REPORTS):
        text = f"Chinese and Russian warships held drills in the Sea of Japan. Report {i}."
        ingest_bytes(text.encode(), store, title=f"report {i}")
    app = create_app(settings, config={"BASEMAP_DIR": basemap_dir, "TESTING": True})
    return app.test_client()


def _sea(client) -> dict:
    features = client.get("/api/layers/places.geojson").get_json()["features"]
    [sea] = [f for f in features if f["properties"]["name"] == "Sea of Japan"]
    return sea


def test_the_feature_is_bounded_and_the_endpoint_pages_the_rest(busy):
    sea = _sea(busy)
    assert len(sea["properties"]["evidence"]) == HEAD
    assert sea["properties"]["evidence_count"] == REPORTS
    url = f"/api/layers/places/features/{sea['id']}/evidence"
    first = busy.get(url, query_string={"limit": 5}).get_json()
    assert (first["numberMatched"], first["numberReturned"]) == (REPORTS, 5)
    assert first["evidence"] == sea["properties"]["evidence"]
    seen = [e["title"] for e in first["evidence"]]
    page = first
    while page["next"]:
        page = busy.get(page["next"]).get_json()
        seen += [e["title"] for e in page["evidence"]]
    assert seen == [f"report {i}" for i in range(REPORTS)]


def test_an_event_pages_its_evidence_too(busy):
    [drill] = busy.get("/api/layers/exercises.geojson").get_json()["features"]
    body = busy.get(f"/api/layers/exercises/features/{drill['id']}/evidence").get_json()
    assert body["numberMatched"] == drill["properties"]["evidence_count"] == REPORTS
    assert drill["properties"]["n_sources"] == REPORTS


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/api/layers/nowhere/features/x/evidence", 404),
        ("/api/layers/places/features/places-nowhere/evidence", 404),
        ("/api/layers/places/features/{id}/evidence?limit=0", 400),
        ("/api/layers/places/features/{id}/evidence?offset=-1", 400),
        ("/api/layers/places/features/{id}/evidence?limit=%D9%A3", 400),
        ("/api/layers/places/features/{id}/evidence?year=2020", 400),
    ],
)
def test_bad_requests_are_json_errors(busy, url, status):
    response = busy.get(url.format(id=_sea(busy)["id"]))
    assert response.status_code == status
    assert response.get_json()["status"] == status


def test_a_layer_without_records_pages_what_the_feature_carries(client):
    feature = client.get("/api/layers/exercises.geojson").get_json()["features"][0]
    body = client.get(f"/api/layers/exercises/features/{feature['id']}/evidence").get_json()
    assert body["evidence"] == feature["properties"]["evidence"]
    assert body["next"] is None
