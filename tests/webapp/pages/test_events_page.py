"""The events table: one row per exercise and patrol, filtered server-side exactly as /api is."""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import orjson
import pytest

from geo.build.runner import build_layers
from geo.settings import Settings
from webapp import REPO_ROOT, create_app
from webapp.pages.events import map_view

ROW = re.compile(r'<tr id="row-([^"]+)"')


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("events")
    shutil.copytree(REPO_ROOT / "seeds", root / "seeds", ignore=shutil.ignore_patterns("examples"))
    (root / "seeds" / "900_tsugaru.txt").write_text(
        "Chinese and Russian warships sailed through the Tsugaru Strait on Tuesday.\n"
    )
    (root / "seeds" / "900_tsugaru.json").write_bytes(
        orjson.dumps({"title": "<script>alert(1)</script>", "published": "2024-05-14"})
    )
    build_layers(root / "seeds", root / "layers")
    return root


@pytest.fixture(scope="module", params=["files", "postgis"])
def client(request, built: Path):
    """The events table on the built layers: from files, then from PostGIS."""
    settings = Settings(layers_dir=built / "layers", seeds_dir=built / "seeds")
    if request.param == "postgis":
        settings = Settings(store=request.getfixturevalue("postgis_database")(built / "layers"))
    return create_app(settings, config={"TESTING": True}).test_client()


def events(built: Path) -> list[dict]:
    features = []
    for name in ("exercises", "patrols"):
        features += orjson.loads((built / "layers" / f"{name}.geojson").read_bytes())["features"]
    return features


def api_ids(client, query: str) -> set[str]:
    ids = set()
    for name in ("exercises", "patrols"):
        body = client.get(f"/api/layers/{name}.geojson?{query}").get_json()
        ids |= {f["id"] for f in body["features"]}
    return ids


def row_ids(client, query: str = "") -> list[str]:
    response = client.get(f"/events?{query}")
    assert response.status_code == 200, response.get_data(as_text=True)
    return ROW.findall(response.get_data(as_text=True))


def test_one_row_per_event_with_map_and_document_links(client, built):
    features = events(built)
    page = client.get("/events").get_data(as_text=True)
    assert ROW.findall(page) == [f["id"] for f in features]
    for feature in features:
        props = feature["properties"]
        if feature.get("bbox"):
            view = map_view(feature["bbox"])
            assert view is not None
            href = f"/?focus={feature['id']}&amp;center={view['center']}&amp;zoom={view['zoom']}"
            assert f'href="{href}"' in page
        for evidence in props["evidence"]:
            assert f'href="/documents/{evidence["doc_id"]}"' in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert" not in page
    assert '<script src="/static/pages.js" defer></script>' in page


@pytest.mark.parametrize(
    "query",
    [
        "year=2023",
        "year=2024,undated",
        "actor=Russia",
        "actor=japan",
        "kind=naval_patrol",
        "kind=naval_exercise,air_patrol&year=2022,2023",
        "bbox=130,30,145,45",
        "place=sea-of-japan",
        "place=miyako-strait,korea-strait&actor=China",
    ],
)
def test_server_side_filters_select_what_the_api_selects(client, query):
    assert set(row_ids(client, query)) == api_ids(client, query)


def test_filters_narrow_the_table(client, built):
    everything = row_ids(client)
    patrols = row_ids(client, "kind=naval_patrol")
    assert 0 < len(patrols) < len(everything)
    here = row_ids(client, "place=sea-of-japan")  # what a place's popup links to
    assert 0 < len(here) < len(everything)


def test_empty_select_values_mean_no_filter(client):
    assert row_ids(client, "year=&actor=&kind=") == row_ids(client)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("year=23", "four-digit years"),
        ("actor=Atlantis", "unknown actor"),
        ("kind=picnic", "unknown kind"),
        ("bbox=1,2,3", "four numbers"),
        ("colour=red", "unknown parameter"),
        ("place=Sea%20of%20Japan", "gazetteer place ids"),
    ],
)
def test_bad_filters_are_400_with_the_reason(client, query, message):
    response = client.get(f"/events?{query}")
    assert response.status_code == 400
    page = html.unescape(response.get_data(as_text=True))
    assert message in page
    assert ROW.findall(page) == []


def test_filter_values_are_escaped(client):
    response = client.get('/events?actor="><script>alert(1)</script>')
    assert response.status_code == 400
    assert "<script>alert" not in response.get_data(as_text=True)


def test_map_view_of_points_boxes_and_the_antimeridian():
    assert map_view([140.0, 41.0, 140.0, 41.0]) == {"center": "41.0000,140.0000", "zoom": "6"}
    wide = map_view([125.0, 28.0, 137.0, 43.0])
    assert wide == {"center": "35.5000,131.0000", "zoom": "5"}
    across = map_view([170.0, 50.0, -170.0, 60.0])
    assert across is not None and across["center"] == "55.0000,180.0000"
    assert map_view([-180.0, -90.0, 180.0, 90.0]) == {"center": "0.0000,0.0000", "zoom": "2"}
    assert map_view(None) is None


def test_pages_of_events_follow_each_other_across_the_layers(client):
    """A page holds `limit` rows of the stable order; next links walk it to the end, across
    the exercises and the patrols, each row once, filters kept."""
    for query in ("", "actor=China"):
        everything = row_ids(client, query)
        assert len(everything) > 3
        seen: list[str] = []
        url = f"/events?{query}&limit=2" if query else "/events?limit=2"
        while url:
            page = client.get(url).get_data(as_text=True)
            rows = ROW.findall(page)
            assert 0 < len(rows) <= 2
            assert f"rows {len(seen) + 1}–{len(seen) + len(rows)} of the {len(everything)}" in page
            assert 'data-server-filtered="true"' in page  # a filter asks the server
            seen += rows
            found = re.search(r'<a href="([^"]+)" rel="next">', page)
            url = html.unescape(found.group(1)) if found else ""
            if url and query:
                assert "actor=China" in url
        assert seen == everything
        assert 'rel="prev"' in page


@pytest.mark.parametrize("query", ["limit=0", "limit=5001", "offset=-1", "limit=x"])
def test_a_bad_page_is_refused(client, query):
    response = client.get(f"/events?{query}")
    assert response.status_code == 400
    assert "Bad filter" in response.get_data(as_text=True)
