"""Reviewing from the browser, without a browser: the queue, the forms, who may write, and a
verdict seen by /api, OGC items, exports, the events table and the document page."""

from __future__ import annotations

import base64
import re
import shutil
from pathlib import Path

import orjson
import pytest

from geo.build.runner import build_layers
from geo.services.users import add_user
from geo.settings import Settings
from webapp import REPO_ROOT, create_app

# The three seed documents, not the example corpus: each verdict rebuilds the layers.
NO_EXAMPLES = shutil.ignore_patterns("examples")
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("review-template")
    shutil.copytree(REPO_ROOT / "seeds", root / "seeds", ignore=NO_EXAMPLES)
    build_layers(root / "seeds", root / "layers")
    return root


@pytest.fixture
def dirs(template: Path, tmp_path: Path) -> Path:
    shutil.copytree(template / "seeds", tmp_path / "seeds")
    shutil.copytree(template / "layers", tmp_path / "layers")
    return tmp_path


def make_client(dirs: Path, **config: object):
    app = create_app(
        Settings(layers_dir=dirs / "layers", seeds_dir=dirs / "seeds"),
        config={"TESTING": True, **config},
    )
    return app.test_client()


@pytest.fixture
def client(dirs: Path):
    return make_client(dirs)


def layer(dirs: Path, name: str) -> list[dict]:
    return orjson.loads((dirs / "layers" / f"{name}.geojson").read_bytes())["features"]


def token_of(client, path: str = "/review") -> str:
    match = TOKEN.search(client.get(path).get_data(as_text=True))
    assert match, f"no form token on {path}"
    return match.group(1)


def post(client, fid: str, action: str, layer_name: str = "exercises", **fields):
    data = {"csrf_token": token_of(client), "action": action, **fields}
    return client.post(f"/review/{layer_name}/{fid}", data=data)


def ids(response) -> list[str]:
    return [f["id"] for f in response.get_json()["features"]]


def test_the_queue_lists_unreviewed_events_least_confident_first(client, dirs):
    page = client.get("/review").get_data(as_text=True)
    rows = re.findall(r'<tr id="row-([^"]+)"', page)
    events = {f["id"]: f for name in ("exercises", "patrols") for f in layer(dirs, name)}
    assert sorted(rows) == sorted(events)
    confidences = [events[fid]["properties"]["confidence"] for fid in rows]
    assert confidences == sorted(confidences)
    assert 'href="/review"' in client.get("/events").get_data(as_text=True)  # the top bar


def test_a_rejected_event_leaves_api_ogc_exports_and_the_table_unless_asked_for(client, dirs):
    target = layer(dirs, "exercises")[0]["id"]
    response = post(client, target, "reject", note="a duplicate", next="/events")
    assert (response.status_code, response.headers["Location"]) == (303, "/events")
    assert target not in ids(client.get("/api/layers/exercises.geojson"))
    assert ids(client.get("/api/layers/exercises.geojson?review=rejected")) == [target]
    assert target in ids(client.get("/api/layers/exercises.geojson?review=all"))
    assert target not in ids(client.get("/ogc/collections/exercises/items"))
    assert ids(client.get("/ogc/collections/exercises/items?review=rejected")) == [target]
    assert target not in ids(client.get("/export/exercises.geojson"))
    assert f'id="row-{target}"' not in client.get("/events").get_data(as_text=True)
    rejected = client.get("/events?review=rejected").get_data(as_text=True)
    assert f'id="row-{target}"' in rejected and "a duplicate" in rejected
    assert target not in re.findall(
        r'<tr id="row-([^"]+)"', client.get("/review").get_data(as_text=True)
    )


def test_confirm_shows_in_the_table_and_the_document_page(client, dirs):
    feature = layer(dirs, "patrols")[0]
    doc_id = feature["properties"]["evidence"][0]["doc_id"]
    assert post(client, feature["id"], "confirm", layer_name="patrols").status_code == 303
    table = client.get("/events").get_data(as_text=True)
    row = re.search(rf'<tr id="row-{feature["id"]}".*?</tr>', table, re.S).group(0)
    assert 'data-review="confirmed"' in row
    page = client.get(f"/documents/{doc_id}").get_data(as_text=True)
    block = re.search(rf'id="event-{feature["id"]}" data-review="([a-z]+)"', page)
    assert block and block.group(1) == "confirmed"
    api = client.get("/api/layers/patrols.geojson?review=confirmed").get_json()
    assert ids_of(api) == [feature["id"]]


def ids_of(collection: dict) -> list[str]:
    return [f["id"] for f in collection["features"]]


def test_the_correction_form_saves_fields_places_in_order_and_an_escaped_note(client, dirs):
    target = layer(dirs, "exercises")[0]["id"]
    form = client.get(f"/review/exercises/{target}").get_data(as_text=True)
    assert 'name="kind"' in form and 'id="place-search"' in form
    note = "<script>alert('x')</script> checked"
    response = client.post(
        f"/review/exercises/{target}",
        data={
            "csrf_token": token_of(client, f"/review/exercises/{target}"),
            "action": "correct",
            "kind": "naval_patrol",
            "name": "",
            "year": "2022",
            "date_start": "2022-03-01",
            "date_end": "2022-03-04",
            "actor": ["Russia", "China"],
            "place_id": ["tsugaru-strait", "sea-of-japan"],
            "note": note,
            "next": f"/?focus={target}",
        },
    )
    assert response.status_code == 303
    moved = next(
        f
        for f in client.get("/api/layers/patrols.geojson").get_json()["features"]
        if f["properties"]["review"] == "corrected"
    )
    props = moved["properties"]
    assert props["place_ids"] == ["tsugaru-strait", "sea-of-japan"]
    assert (props["kind"], props["year"], props["date_start"]) == (
        "naval_patrol",
        2022,
        "2022-03-01",
    )
    assert props["actors"] == ["China", "Russia"]
    # Back to the map, focused on the event under its new (patrols) id.
    assert response.headers["Location"] == f"/?focus={moved['id']}"
    page = client.get(f"/review/patrols/{moved['id']}").get_data(as_text=True)
    assert "<script>alert" not in page and "&lt;script&gt;alert" in page
    table = client.get("/events").get_data(as_text=True)
    assert "<script>alert" not in table and "&lt;script&gt;alert" in table


def test_bad_corrections_are_400_not_500(client, dirs):
    target = layer(dirs, "exercises")[0]["id"]
    for fields in ({"kind": "picnic"}, {"year": "99999"}, {"place_id": "atlantis"}):
        response = post(client, target, "correct", **fields)
        assert response.status_code == 400, fields
        assert 'id="review-form"' in response.get_data(as_text=True)  # the form, with the reason
        assert 'class="error"' in response.get_data(as_text=True)
    assert post(client, target, "bless").status_code == 400
    assert post(client, "exercises-nope", "confirm").status_code == 404
    assert post(client, "places-x", "confirm", layer_name="places").status_code == 404
    json = client.post(
        f"/review/exercises/{target}",
        headers={"Accept": "application/json"},
        data={"csrf_token": token_of(client), "action": "correct", "kind": "picnic"},
    )
    assert json.status_code == 400 and json.get_json()["code"] == "InvalidParameterValue"


def test_posts_need_the_form_token(client, dirs):
    target = layer(dirs, "exercises")[0]["id"]
    assert client.post(f"/review/exercises/{target}", data={"action": "reject"}).status_code == 400
    token_of(client)  # the session has a token now, and "x" is not it
    bad = client.post(f"/review/exercises/{target}", data={"action": "reject", "csrf_token": "x"})
    assert bad.status_code == 403
    assert target in ids(client.get("/api/layers/exercises.geojson"))


def test_the_json_answer_carries_the_new_feature(client, dirs):
    target = layer(dirs, "exercises")[0]["id"]
    session = client.get("/review/session").get_json()
    assert session["writable"] is True and session["csrf_token"]
    response = client.post(
        f"/review/exercises/{target}",
        headers={"Accept": "application/json"},
        data={"csrf_token": session["csrf_token"], "action": "confirm"},
    )
    body = response.get_json()
    assert response.status_code == 200 and body["review"] == "confirmed"
    assert body["feature"]["properties"]["review"] == "confirmed"


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.20"])
def test_reviewing_is_refused_off_loopback_without_allow_writes(dirs, host):
    client = make_client(dirs, BOUND_HOST=host)
    target = layer(dirs, "exercises")[0]["id"]
    assert not TOKEN.search(client.get("/review").get_data(as_text=True))  # no buttons
    assert not TOKEN.search(client.get("/events").get_data(as_text=True))
    assert client.get("/review/session").get_json() == {"writable": False, "csrf_token": ""}
    response = client.post(
        f"/review/exercises/{target}", data={"action": "reject", "csrf_token": "x"}
    )
    assert response.status_code == 403
    assert not (dirs / "seeds" / "review").exists()


def _signed_in(client, user: str, password: str):
    value = base64.b64encode(f"{user}:{password}".encode()).decode()
    client.environ_base["HTTP_AUTHORIZATION"] = f"Basic {value}"
    return client


def test_off_loopback_with_allow_writes_a_signed_in_user_reviews_and_is_logged(dirs, tmp_path):
    users = tmp_path / "users.json"
    add_user(users, "analyst", "correct horse battery")
    config = {"BOUND_HOST": "0.0.0.0", "ALLOW_WRITES": True, "USERS_FILE": users}
    target = layer(dirs, "exercises")[0]["id"]

    anonymous = make_client(dirs, **config)
    refused = post(anonymous, target, "reject")
    assert refused.status_code == 401 and refused.headers["WWW-Authenticate"].startswith("Basic ")
    wrong = _signed_in(make_client(dirs, **config), "analyst", "wrong password")
    assert post(wrong, target, "reject").status_code == 401
    assert not (dirs / "seeds" / "review" / "audit.jsonl").exists()

    analyst = _signed_in(make_client(dirs, **config), "analyst", "correct horse battery")
    assert post(analyst, target, "reject").status_code == 303
    log = [
        orjson.loads(line)
        for line in (dirs / "seeds" / "review" / "audit.jsonl").read_bytes().splitlines()
    ]
    assert [(e["user"], e["action"]) for e in log] == [("analyst", "rejected")]


def test_on_loopback_the_audit_log_says_local(client, dirs):
    target = layer(dirs, "exercises")[0]["id"]
    post(client, target, "confirm")
    entry = orjson.loads((dirs / "seeds" / "review" / "audit.jsonl").read_bytes())
    assert entry["user"] == "local" and entry["after"]["status"] == "confirmed"


def test_gazetteer_search_answers_as_you_type(client):
    places = client.get("/api/gazetteer?q=sea of j").get_json()["places"]
    assert places[0]["id"] == "sea-of-japan" and places[0]["name"] == "Sea of Japan"
    alias = client.get("/api/gazetteer?q=east sea").get_json()["places"]
    assert "sea-of-japan" in [p["id"] for p in alias]
    assert len(client.get("/api/gazetteer?q=a&limit=5").get_json()["places"]) == 5
    assert client.get("/api/gazetteer?q=").get_json()["places"] == []
    assert client.get("/api/gazetteer?q=x&limit=0").status_code == 400
    assert client.get("/api/gazetteer?q=x&nope=1").status_code == 400
    assert client.get("/api/gazetteer?q=" + "x" * 201).status_code == 400


def test_api_review_lists_corrections_and_the_orphaned(client, dirs):
    target = layer(dirs, "exercises")[0]["id"]
    post(client, target, "confirm")
    body = client.get("/api/review").get_json()
    assert [c["status"] for c in body["corrections"]] == ["confirmed"]
    assert body["corrections"][0]["orphaned"] is False
    assert client.get("/api/review?orphaned=true").get_json()["corrections"] == []
    assert client.get("/api/review?orphaned=maybe").status_code == 400


def test_openapi_documents_the_review_filter(client):
    doc = client.get("/ogc/api").get_json()
    review = doc["components"]["parameters"]["review"]
    assert review["in"] == "query" and "rejected" in review["description"]
