"""`/api/stats` and `/stats`: counts that agree with the layers for the same filters, 400 for bad
parameters, and a page that loads only its own scripts under the strict CSP."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import orjson
import pytest

from geo.domain.query import parse_query, select

EVENT_LAYERS = ("exercises", "patrols")


def selected(layers_dir: Path, params: dict[str, str], names=EVENT_LAYERS) -> list[dict]:
    """What geo.domain.query's reference predicate selects from the layer files themselves."""
    query = parse_query(params)
    found = []
    for name in names:
        features = orjson.loads((layers_dir / f"{name}.geojson").read_bytes())["features"]
        found += select(features, query)
    return found


def year_key(year):
    return "undated" if year is None else str(year)


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"year": "2023"},
        {"year": "2022,undated"},
        {"actor": "China"},
        {"kind": "naval_exercise,bomber_flight"},
        {"bbox": "120,20,130,32"},
        {"datetime": "2022-05-25"},
        {"year": "2023", "actor": "China,United States", "kind": "naval_exercise"},
    ],
)
def test_counts_agree_with_the_layers(client, layers_dir, params):
    answer = client.get("/api/stats", query_string=params)
    assert answer.status_code == 200
    assert answer.mimetype == "application/json"
    stats = answer.get_json()
    features = selected(layers_dir, params)
    assert stats["events"] == len(features)
    query = parse_query(params)

    years = lambda f: [  # noqa: E731 - the chosen years of a feature
        y for y in f["properties"]["years"] or [None] if query.years is None or y in query.years
    ]
    actors = lambda f: [  # noqa: E731
        a for a in f["properties"]["actors"] or ["unattributed"]
        if query.actors is None or a in query.actors
    ]
    by_kind = Counter(
        (year_key(y), f["properties"]["kind"]) for f in features for y in years(f)
    )
    by_actor = Counter(
        (year_key(y), a) for f in features for y in years(f) for a in actors(f)
    )
    by_place = Counter(p for f in features for p in f["properties"]["places"])
    assert {(r["year"], r["kind"]): r["count"] for r in stats["by_kind"]} == by_kind
    assert {(r["year"], r["actor"]): r["count"] for r in stats["by_actor"]} == by_actor
    assert {r["place"]: r["count"] for r in stats["by_place"]} == by_place
    assert stats["query"] == query.as_params()


def test_the_fixture_counts(client, hostile):
    stats = client.get("/api/stats").get_json()
    assert stats["events"] == 5
    assert stats["years"] == ["2022", "2023"]
    assert stats["by_actor"] == [
        {"year": "2022", "actor": "China", "count": 2},  # the joint drill and the bomber flight
        {"year": "2022", "actor": "Russia", "count": 2},
        {"year": "2023", "actor": "China", "count": 2},
        {"year": "2023", "actor": "United States", "count": 1},
    ]
    assert [(r["year"], r["kind"], r["count"]) for r in stats["by_kind"]] == [
        ("2022", "naval_exercise", 1),
        ("2022", "bomber_flight", 1),
        ("2023", "naval_exercise", 2),
        ("2023", "naval_patrol", 1),
    ]
    assert sorted(r["place"] for r in stats["by_place"]) == sorted(
        [hostile, "Korea Strait", "Miyako Strait", "Sea of Japan"]
    )
    assert stats["places"] == 4
    assert stats["problems"] == []


def test_top_and_layers(client):
    top = client.get("/api/stats?top=2").get_json()
    assert len(top["by_place"]) == 2
    assert top["places"] == 4
    patrols = client.get("/api/stats?layers=patrols").get_json()
    assert patrols["events"] == 2
    assert patrols["kinds"] == ["naval_patrol", "bomber_flight"]
    both = client.get("/api/stats?layers=patrols,exercises").get_json()
    assert both["events"] == 5


@pytest.mark.parametrize(
    "query",
    [
        "year=20x",
        "year=",
        "actor=Atlantis",
        "kind=picnic",
        "bbox=1,2,3",
        "datetime=yesterday",
        "top=0",
        "top=101",
        "top=ten",
        "top=1&top=2",
        "layers=zones",
        "layers=",
        "colour=red",
    ],
)
def test_bad_parameters_are_400_json(client, query):
    answer = client.get(f"/api/stats?{query}")
    assert answer.status_code == 400
    body = answer.get_json()
    assert body["code"] == "InvalidParameterValue"
    assert body["status"] == 400
    assert body["description"]


def test_the_page_loads_only_its_own_scripts(client):
    answer = client.get("/stats?year=2023")
    assert answer.status_code == 200
    policy = answer.headers["Content-Security-Policy"]
    assert "script-src 'self';" in policy
    assert "unsafe-eval" not in policy and "unsafe-inline" not in policy
    html = answer.get_data(as_text=True)
    assert "://" not in html  # no other host, not even as a link
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)  # no inline script
    assert re.search(r"<style|\bstyle=", html) is None  # no inline style either
    sources = re.findall(r'<script src="([^"]+)"', html)
    assert sources[:3] == [
        "/vendor/vega/build/vega.min.js",
        "/vendor/vega-lite/build/vega-lite.min.js",
        "/vendor/vega-embed/build/vega-embed.min.js",
    ]
    for src in sources + re.findall(r'<link rel="stylesheet" href="([^"]+)"', html):
        assert client.get(src).status_code == 200, src
    assert 'data-stats-url="/api/stats?year=2023"' in html
    assert 'aria-current="page">Charts' in html


def test_a_bad_filter_on_the_page_says_so(client):
    answer = client.get("/stats?actor=Atlantis")
    assert answer.status_code == 400
    html = answer.get_data(as_text=True)
    assert "unknown actor &#39;Atlantis&#39;" in html
    assert "vega" not in html  # no charts for a query that was refused


def test_the_map_carries_the_chart_panel(client):
    answer = client.get("/")
    html = answer.get_data(as_text=True)
    assert "drillmap.chartPanel(" in html
    assert '"statsUrl": "/api/stats"' in html
    assert "/vendor/vega-embed/build/vega-embed.min.js" in html  # loaded by the panel, later
    assert "/static/drillmap/charts.css" in html
    assert "unsafe-eval" not in answer.headers["Content-Security-Policy"]


@pytest.fixture(scope="module")
def both_stores(tmp_path_factory, make_layers, basemap_dir, postgis_database):
    """The same layers served from the file store and from PostGIS."""
    from geo.settings import Settings
    from webapp import create_app

    layers = make_layers(tmp_path_factory.mktemp("stats") / "layers")
    config = {"TESTING": True, "BASEMAP_DIR": basemap_dir}
    return [
        create_app(Settings(layers_dir=layers), config=config).test_client(),
        create_app(Settings(store=postgis_database(layers)), config=config).test_client(),
    ]


@pytest.mark.parametrize(
    "query",
    ["", "year=2023", "actor=Russia,China&kind=bomber_flight", "bbox=120,20,130,32", "top=1"],
)
def test_postgis_counts_as_the_file_store(both_stores, query):
    files, postgis = (client.get(f"/api/stats?{query}") for client in both_stores)
    assert files.status_code == postgis.status_code == 200
    assert postgis.get_json() == files.get_json()
