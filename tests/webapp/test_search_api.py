"""`/api/search`: hits with document and map links, paging, the one error shape for bad input
(never a 500, whatever is typed), and a 503 for a store without a search index."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import orjson
import pytest

from geo.build.runner import build_layers
from geo.settings import Settings
from geo.storage.registry import open_store
from webapp import REPO_ROOT, create_app

TSUGARU_ID = "900_tsugaru"
TSUGARU = (
    "Chinese and Russian warships sailed through the Tsugaru Strait on Tuesday, Japan's "
    "Defense Ministry said.\nTwo Russian Tu-95 bombers flew over the Sea of Japan.\n"
)
HOSTILE = [
    '"', "*", "NEAR(", ")", "-", "(", "AND", 'Tsugaru"', "NEAR(Tsugaru Strait, 2)", "title:x",
    "'; DROP TABLE entries; --", "1' OR '1'='1", "%", "\\", "東", "東京湾", "x" * 500, "x" * 10_000,
    "🚢", "\u202e", "<script>alert(1)</script>", "{body}: x", "^Tsugaru", "Tsugaru +Strait",
]


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("search-api")
    shutil.copytree(REPO_ROOT / "seeds", root / "seeds")
    (root / "seeds" / f"{TSUGARU_ID}.txt").write_text(TSUGARU, encoding="utf-8")
    (root / "seeds" / f"{TSUGARU_ID}.json").write_bytes(
        orjson.dumps({"title": "Warships in the Tsugaru Strait", "published": "2024-05-14"})
    )
    build_layers(root / "seeds", root / "layers")
    return root


@pytest.fixture(scope="module", params=["files", "postgis"])
def client(request, root: Path):
    """The app on the seeds and one more document, from the file store and from PostGIS."""
    settings = Settings(layers_dir=root / "layers", seeds_dir=root / "seeds")
    if request.param == "postgis":
        dsn = request.getfixturevalue("postgis_database")(root / "layers", root / "seeds")
        settings = Settings(store=dsn)
    return create_app(settings, config={"TESTING": True}).test_client()


def _get(client, **params):
    response = client.get("/api/search", query_string=params)
    return response.status_code, response.get_json()


def test_a_phrase_finds_the_document_and_the_event_with_their_links(client):
    status, body = _get(client, q='"Tsugaru Strait"')
    assert status == 200
    assert body["query"] == '"Tsugaru Strait"' and body["terms"] == ["Tsugaru Strait"]
    assert body["numberMatched"] == len(body["hits"]) >= 2
    mine = [hit for hit in body["hits"] if hit["document"]["id"] == TSUGARU_ID]
    assert {hit["kind"] for hit in mine} == {"document", "evidence"}
    for hit in mine:
        start, end = hit["matches"][0]
        assert TSUGARU[start:end] == "Tsugaru Strait"
        assert [hit["snippet"][s:e] for s, e in hit["highlights"]] == ["Tsugaru Strait"]
        assert hit["document"]["title"] == "Warships in the Tsugaru Strait"
        url = urlsplit(hit["document"]["url"])
        assert url.path == f"/documents/{TSUGARU_ID}"
        assert parse_qs(url.query) == {"highlight": ['"Tsugaru Strait"'], "at": [str(start)]}
        assert url.fragment == f"m-{start}-{end}"
    (event,) = [hit for hit in mine if hit["kind"] == "evidence"]
    assert event["feature"]["layer"] == "patrols"
    assert event["map_url"].startswith(f"/?focus={event['feature']['id']}&center=")


def test_paging_follows_next_to_the_end(client):
    _, whole = _get(client, q="Russia*")
    assert whole["numberMatched"] > 3
    seen, url = [], "/api/search?q=Russia*&limit=2"
    while url:
        body = client.get(url).get_json()
        assert body["numberReturned"] == len(body["hits"]) <= 2
        seen.extend(body["hits"])
        url = body["next"]
    assert seen[:20] == whole["hits"]
    assert len(seen) == whole["numberMatched"]
    _, past = _get(client, q="Russia*", offset=str(whole["numberMatched"]))
    assert past["hits"] == [] and past["next"] is None


def test_no_hit(client):
    status, body = _get(client, q="zeppelin")
    assert status == 200
    assert (body["numberMatched"], body["hits"], body["next"]) == (0, [], None)


@pytest.mark.parametrize(
    ("params", "says"),
    [
        ({}, "type a word"),
        ({"q": ""}, "type a word"),
        ({"q": "   "}, "type a word"),
        ({"q": '"'}, "no letters or digits"),
        ({"q": "x" * 10_000}, "10000 characters"),
        ({"q": "Tsugaru", "limit": "0"}, "'limit' must be at least 1"),
        ({"q": "Tsugaru", "limit": "101"}, "'limit' must be at most 100"),
        ({"q": "Tsugaru", "limit": "ten"}, "'limit' must be a whole number"),
        ({"q": "Tsugaru", "offset": "-1"}, "'offset' must be a whole number"),
        ({"q": "Tsugaru", "offset": "10001"}, "'offset' must be at most 10000"),
        ({"q": "Tsugaru", "year": "2023"}, "unknown parameter 'year'"),
    ],
)
def test_bad_input_is_a_400_in_the_one_error_shape(client, params, says):
    status, body = _get(client, **params)
    assert status == 400
    assert body["code"] == "InvalidParameterValue" and body["status"] == 400
    assert says in body["description"]


def test_a_repeated_query_is_refused(client):
    response = client.get("/api/search?q=Tsugaru&q=Strait")
    assert response.status_code == 400
    assert "more than once" in response.get_json()["description"]


@pytest.mark.parametrize("typed", HOSTILE, ids=lambda t: repr(t[:12]))
def test_hostile_input_is_never_a_500(client, typed):
    status, body = _get(client, q=typed)
    assert status in (200, 400), body
    assert ("hits" in body) == (status == 200)


def test_a_store_without_search_is_a_503(root):
    settings = Settings(layers_dir=root / "layers", seeds_dir=root / "seeds")
    store = replace(open_store(settings), search=None)
    client = create_app(settings, store=store, config={"TESTING": True}).test_client()
    response = client.get("/api/search?q=Tsugaru")
    assert response.status_code == 503
    assert response.get_json()["code"] == "ServiceUnavailable"
