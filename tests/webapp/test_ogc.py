"""OGC API – Features Part 1 at /ogc: documents, paging, filters, errors, HTML escaping.

Uses the layers in tests/gis/data/layers: 8 exercises (two crossing the antimeridian, one
undated without geometry, one with HTML in its title) and 4 zones.
"""

from __future__ import annotations

import re
import shutil
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import orjson
import pytest

from geo.settings import Settings
from geo.storage.files import FRESHNESS_SECONDS
from webapp import create_app

LAYERS = Path(__file__).resolve().parents[1] / "gis" / "data" / "layers"
ITEMS = "/ogc/collections/exercises/items"
CORE = "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/"
ALL_EXERCISES = [
    "exercises-joint-sea-2022",
    "exercises-icbm-2023-03-16",
    "exercises-aleutian-patrol",
    "exercises-bering-split",
    "exercises-clockwise-box",
    "exercises-undated-patrol",
    "exercises-scramble-html",
    "exercises-new-year-2024",
]


@pytest.fixture(params=["files", "postgis"])
def ogc_client(request):
    """The OGC API on the GIS layers, from the file store and from PostGIS."""
    settings = Settings(layers_dir=LAYERS)
    if request.param == "postgis":
        settings = Settings(store=request.getfixturevalue("postgis_layers")(LAYERS))
    return create_app(settings, config={"TESTING": True}).test_client()


def _links(doc: dict) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for link in doc["links"]:
        out.setdefault(link["rel"], []).append(link)
    return out


def _ids(client, query: str = "") -> list[str]:
    response = client.get(f"{ITEMS}?limit=100&{query}")
    assert response.status_code == 200, response.data
    return [f["id"] for f in response.get_json()["features"]]


def _bad(client, url: str) -> dict:
    response = client.get(url)
    assert response.status_code == 400, (url, response.data)
    assert response.headers["Content-Type"] == "application/json"
    doc = response.get_json()
    assert set(doc) == {"code", "description", "status"} and doc["code"] == "InvalidParameterValue"
    return doc


# -- capabilities ------------------------------------------------------------------------------


def test_landing_page_links_to_everything_a_client_needs(ogc_client):
    for url in ("/ogc", "/ogc/"):
        response = ogc_client.get(url)
        assert response.status_code == 200
        assert response.headers["Content-Type"] == "application/json"
    links = _links(response.get_json())
    assert {"self", "alternate", "service-desc", "service-doc", "conformance", "data"} <= set(links)
    assert links["service-desc"][0]["type"] == "application/vnd.oai.openapi+json;version=3.0"
    assert links["data"][0]["href"] == "http://localhost/ogc/collections"


def test_conformance_declares_core_geojson_oas30_html(ogc_client):
    doc = ogc_client.get("/ogc/conformance").get_json()
    assert sorted(doc["conformsTo"]) == sorted(
        CORE + name for name in ("core", "geojson", "oas30", "html")
    )


def test_collections_are_the_indexed_layers(ogc_client):
    doc = ogc_client.get("/ogc/collections").get_json()
    assert [c["id"] for c in doc["collections"]] == ["exercises", "zones"]
    exercises = doc["collections"][0]
    assert exercises["title"] == "Exercises" and exercises["itemType"] == "feature"
    assert exercises["extent"]["spatial"]["bbox"] == [[-178.25, 25.0, 176.5, 57.0]]
    assert exercises["extent"]["temporal"]["interval"] == [
        ["2022-01-01T00:00:00Z", "2024-12-31T23:59:59Z"]
    ]
    items = [link for link in exercises["links"] if link["rel"] == "items"]
    assert {link["type"] for link in items} == {"application/geo+json", "text/html"}
    one = ogc_client.get("/ogc/collections/zones").get_json()
    assert one["id"] == "zones" and one["extent"]["temporal"]["interval"] == [
        ["2022-01-01T00:00:00Z", "2024-12-31T23:59:59Z"]
    ]


def test_openapi_document_describes_the_items_parameters(ogc_client):
    response = ogc_client.get("/ogc/api")
    assert response.headers["Content-Type"] == "application/vnd.oai.openapi+json;version=3.0"
    doc = response.get_json()
    assert doc["openapi"].startswith("3.0")
    assert doc["servers"] == [{"url": "http://localhost/ogc"}]
    for path in ("/", "/conformance", "/api", "/collections", "/collections/{collectionId}"):
        assert path in doc["paths"]
    generic = doc["paths"]["/collections/{collectionId}/items"]["get"]["parameters"]
    names = [p["$ref"].rsplit("/", 1)[-1] for p in generic]
    assert names == [
        "collectionId",
        "f",
        "bbox",
        "datetime",
        "limit",
        "offset",
        "year",
        "actor",
        "kind",
        "lang",
        "place",
        "review",
    ]
    assert "/collections/exercises/items" in doc["paths"]
    assert "/collections/zones/items" in doc["paths"]
    refs = re.findall(r'"\$ref":"#/components/(\w+)/(\w+)"', response.data.decode())
    assert refs and all(name in doc["components"][kind] for kind, name in refs)
    limit = doc["components"]["parameters"]["limit"]["schema"]
    assert (limit["default"], limit["maximum"]) == (10, 10_000)


# -- items: paging -----------------------------------------------------------------------------


def test_items_default_page_and_counts(ogc_client):
    response = ogc_client.get(ITEMS)
    assert response.headers["Content-Type"] == "application/geo+json"
    doc = orjson.loads(response.data)
    assert doc["type"] == "FeatureCollection"
    assert [f["id"] for f in doc["features"]] == ALL_EXERCISES  # default limit 10 > 8
    assert (doc["numberMatched"], doc["numberReturned"]) == (8, 8)
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", doc["timeStamp"])
    links = _links(doc)
    assert "next" not in links and "prev" not in links
    assert links["self"][0]["type"] == "application/geo+json"
    assert links["alternate"][0]["type"] == "text/html"


def test_items_paging_follows_next_and_prev_links(ogc_client):
    seen: list[str] = []
    url = f"{ITEMS}?limit=3"
    pages = []
    while url:
        doc = ogc_client.get(url).get_json()
        assert doc["numberMatched"] == 8
        pages.append(doc)
        seen += [f["id"] for f in doc["features"]]
        url = next((link["href"] for link in doc["links"] if link["rel"] == "next"), None)
    assert seen == ALL_EXERCISES
    assert [p["numberReturned"] for p in pages] == [3, 3, 2]
    assert "prev" not in _links(pages[0])
    prev = _links(pages[2])["prev"][0]["href"]
    assert parse_qs(urlsplit(prev).query) == {"f": ["geojson"], "limit": ["3"], "offset": ["3"]}
    back = ogc_client.get(prev).get_json()
    assert [f["id"] for f in back["features"]] == ALL_EXERCISES[3:6]


def test_paging_links_keep_the_filters(ogc_client):
    doc = ogc_client.get(f"{ITEMS}?actor=Russia&limit=2&bbox=100,0,180,90").get_json()
    assert doc["numberMatched"] == 4 and doc["numberReturned"] == 2
    query = parse_qs(urlsplit(_links(doc)["next"][0]["href"]).query)
    assert query == {
        "actor": ["Russia"],
        "bbox": ["100,0,180,90"],
        "f": ["geojson"],
        "limit": ["2"],
        "offset": ["2"],
    }


def test_offset_past_the_end_is_an_empty_page(ogc_client):
    doc = ogc_client.get(f"{ITEMS}?offset=20").get_json()
    assert doc["features"] == [] and doc["numberMatched"] == 8 and doc["numberReturned"] == 0
    assert "next" not in _links(doc) and "prev" in _links(doc)


def test_limit_above_the_maximum_is_capped_not_refused(ogc_client):
    assert len(ogc_client.get(f"{ITEMS}?limit=20000").get_json()["features"]) == 8


# -- items: filters ----------------------------------------------------------------------------


def test_property_filters(ogc_client):
    assert _ids(ogc_client, "actor=Russia") == [
        "exercises-joint-sea-2022",
        "exercises-aleutian-patrol",
        "exercises-bering-split",
        "exercises-clockwise-box",
    ]
    assert _ids(ogc_client, "actor=russia,north%20korea&year=2023") == [
        "exercises-icbm-2023-03-16",
        "exercises-aleutian-patrol",
        "exercises-bering-split",
        "exercises-clockwise-box",
    ]
    assert _ids(ogc_client, "year=undated") == ["exercises-undated-patrol"]
    assert _ids(ogc_client, "year=2024") == ["exercises-scramble-html", "exercises-new-year-2024"]
    assert _ids(ogc_client, "kind=missile_launch,other") == [
        "exercises-icbm-2023-03-16",
        "exercises-clockwise-box",
    ]
    assert _ids(ogc_client, "actor=India") == []


def test_bbox_filters_including_the_antimeridian(ogc_client):
    assert _ids(ogc_client, "bbox=120,20,130,36") == [
        "exercises-joint-sea-2022",
        "exercises-scramble-html",
        "exercises-new-year-2024",
    ]
    # A box crossing the antimeridian finds both crossing features; a box east of 180
    # finds the split one, whose bbox has west > east.
    assert _ids(ogc_client, "bbox=175,50,-175,60") == [
        "exercises-aleutian-patrol",
        "exercises-bering-split",
    ]
    assert "exercises-bering-split" in _ids(ogc_client, "bbox=-175,50,-170,60")
    assert _ids(ogc_client, "bbox=0,0,10,10") == []


def test_datetime_instants_and_intervals(ogc_client):
    # Dated features by their days; undated-by-day features by their whole year.
    in_2023 = ["exercises-bering-split", "exercises-clockwise-box"]
    assert _ids(ogc_client, "datetime=2023-03-16") == ["exercises-icbm-2023-03-16", *in_2023]
    assert _ids(ogc_client, "datetime=2023-12-31T23:00:00Z") == [
        *in_2023,
        "exercises-new-year-2024",
    ]
    assert _ids(ogc_client, "datetime=2024-01-01/..") == [
        "exercises-scramble-html",
        "exercises-new-year-2024",
    ]
    assert _ids(ogc_client, "datetime=../2022-12-31") == ["exercises-joint-sea-2022"]
    assert _ids(ogc_client, "datetime=/2022-12-21") == ["exercises-joint-sea-2022"]
    assert _ids(ogc_client, "datetime=2023-05-10T00:00:00%2B09:00/2023-05-10") == [
        "exercises-aleutian-patrol",
        *in_2023,
    ]


def test_bad_parameters_are_400_exception_documents(ogc_client):
    for query in (
        "limit=0",
        "limit=-1",
        "limit=ten",
        "offset=-1",
        "offset=x",
        "bbox=1,2,3",
        "bbox=a,b,c,d",
        "bbox=0,10,10,0",
        "bbox=0,0,10,95",
        "datetime=yesterday",
        "datetime=2023-13-01",
        "datetime=../..",
        "datetime=2024-01-01/2023-01-01",
        "datetime=2023-01-01/2023-02-01/2023-03-01",
        "year=23",
        "actor=Atlantis",
        "kind=picnic",
        "f=xml",
        "foo=1",
        "limit=1&limit=2",
    ):
        _bad(ogc_client, f"{ITEMS}?{query}")
    assert "unknown parameter 'foo'" in _bad(ogc_client, f"{ITEMS}?foo=1")["description"]
    for url in ("/ogc?limit=1", "/ogc/conformance?bbox=1,2,3,4", "/ogc/collections?f=geojson"):
        _bad(ogc_client, url)


# -- single features and 404s ------------------------------------------------------------------


def test_one_feature_with_links(ogc_client):
    response = ogc_client.get(f"{ITEMS}/exercises-bering-split")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/geo+json"
    doc = response.get_json()
    assert doc["type"] == "Feature" and doc["id"] == "exercises-bering-split"
    assert doc["bbox"] == [170.0, 55.0, -172.0, 57.0]
    assert {"self", "alternate", "collection"} <= set(_links(doc))


def test_unknown_collections_and_features_are_404(ogc_client):
    for url in (
        "/ogc/collections/nope",
        "/ogc/collections/nope/items",
        "/ogc/collections/nope/items/x",
        f"{ITEMS}/exercises-nope",
        "/ogc/collections/zones/items/exercises-joint-sea-2022",
    ):
        response = ogc_client.get(url)
        assert response.status_code == 404, url
        doc = response.get_json()
        assert doc["code"] == "NotFound" and doc["description"]


# -- formats: f= and Accept --------------------------------------------------------------------


def test_format_by_f_and_by_accept_header(ogc_client):
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    html = ogc_client.get("/ogc/collections", headers={"Accept": browser})
    assert html.headers["Content-Type"] == "text/html; charset=utf-8"
    assert "Accept" in html.headers["Vary"].split(", ")
    as_json = ogc_client.get("/ogc/collections?f=json", headers={"Accept": browser})
    assert as_json.headers["Content-Type"] == "application/json"
    assert ogc_client.get(ITEMS, headers={"Accept": "*/*"}).headers["Content-Type"] == (
        "application/geo+json"
    )
    assert ogc_client.get(f"{ITEMS}?f=json").headers["Content-Type"] == "application/geo+json"
    assert ogc_client.get(f"{ITEMS}?f=html").headers["Content-Type"].startswith("text/html")
    for url in (
        "/ogc",
        "/ogc/conformance",
        "/ogc/api",
        "/ogc/collections/zones",
        f"{ITEMS}/exercises-joint-sea-2022",
    ):
        response = ogc_client.get(f"{url}?f=html")
        assert response.status_code == 200, url
        assert response.data.startswith(b"<!doctype html>"), url


def test_html_escapes_layer_text(ogc_client):
    pages = [
        ogc_client.get(f"{ITEMS}?f=html").data.decode(),
        ogc_client.get(f"{ITEMS}/exercises-scramble-html?f=html").data.decode(),
    ]
    for page in pages:
        assert "<script>alert" not in page and "<i>Tsushima</i>" not in page
        assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &#34;Tsushima&#34;" in page
    assert "&lt;b&gt;Unsafe&lt;/b&gt;" in pages[1]  # evidence shown as escaped JSON text
    assert "<b>" not in pages[1]


def test_html_items_page_has_paging_links(ogc_client):
    page = ogc_client.get(f"{ITEMS}?f=html&limit=3&offset=3").data.decode()
    assert "3 of 8 features, from number 4." in page
    assert 'rel="next"' in page and 'rel="prev"' in page
    assert "f=html&amp;limit=3&amp;offset=6" in page


# -- layer versions ----------------------------------------------------------------------------


def test_a_rebuilt_layer_is_served_without_restarting(tmp_path):
    layers = shutil.copytree(LAYERS, tmp_path / "layers")
    app = create_app(Settings(layers_dir=layers), config={"TESTING": True})
    client = app.test_client()
    assert client.get(ITEMS).get_json()["numberMatched"] == 8
    store = app.extensions["drillmap_store"].features
    first = store.layer("exercises").columns
    client.get(f"{ITEMS}?actor=Russia")
    assert store.layer("exercises").columns is first  # arrays are built once per layer version
    path = layers / "exercises.geojson"
    doc = orjson.loads(path.read_bytes())
    doc["features"] = doc["features"][:2]
    path.write_bytes(orjson.dumps(doc))
    time.sleep(FRESHNESS_SECONDS + 0.05)  # the store looks at the files again after this long
    assert client.get(ITEMS).get_json()["numberMatched"] == 2
