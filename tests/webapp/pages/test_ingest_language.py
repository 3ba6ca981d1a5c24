"""The language on the add-document form and the document page, and `lang` on /api."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import orjson
import pytest

from geo.build.runner import build_layers
from geo.settings import Settings
from webapp import REPO_ROOT, create_app

KO = "합동참모본부에 따르면 중국과 러시아 군용기 8대가 6일 독도 동북쪽 카디즈에 진입했다."
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
def client(tmp_path: Path):
    shutil.copytree(REPO_ROOT / "seeds", tmp_path / "seeds")
    build_layers(tmp_path / "seeds", tmp_path / "layers")
    app = create_app(
        Settings(layers_dir=tmp_path / "layers", seeds_dir=tmp_path / "seeds"),
        config={"TESTING": True},
    )
    client = app.test_client()
    client.dirs = tmp_path
    return client


def post(client, **fields):
    page = client.get("/documents/new").get_data(as_text=True)
    data = {"title": "", "published": "2024-12-07", "source": "", "url": "", "text": KO}
    data = {**data, **fields, "csrf_token": TOKEN.search(page).group(1)}
    return client.post("/documents", data=data, content_type="multipart/form-data")


def test_the_form_offers_the_languages_and_detects_by_default(client):
    page = client.get("/documents/new").get_data(as_text=True)
    assert '<select id="lang" name="lang"><option value="">Detect from the text</option>' in page
    for code in ("en", "ja", "zh", "ko", "ru"):
        assert f'<option value="{code}"' in page


def test_a_korean_document_is_stored_detected_and_shown_in_its_language(client):
    response = post(client)
    assert response.status_code == 303
    doc_id = response.headers["Location"].rsplit("/", 1)[1]
    sidecar = orjson.loads((client.dirs / "seeds" / f"{doc_id}.json").read_bytes())
    assert sidecar["lang"] == "ko"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert '<dd class="doc-lang">Korean</dd>' in page
    assert '<div lang="ko"><div class="doc-text" id="text">' in page
    assert '<mark data-place="liancourt-rocks">독도</mark>' in page
    assert '<mark data-place="korea-adiz">카디즈</mark>' in page
    mine = client.get("/api/layers/patrols.geojson?lang=ko").get_json()["features"]
    assert {f["properties"]["kind"] for f in mine} == {"air_patrol"}
    english = client.get("/api/layers/patrols.geojson?lang=en").get_json()["features"]
    assert not {f["id"] for f in mine} & {f["id"] for f in english}
    table = client.get("/events?lang=ko").get_data(as_text=True)
    assert 'data-langs="ko"' in table and 'data-langs="en"' not in table


def test_the_chosen_language_overrides_detection(client):
    response = post(client, lang="en")
    doc_id = response.headers["Location"].rsplit("/", 1)[1]
    assert orjson.loads((client.dirs / "seeds" / f"{doc_id}.json").read_bytes())["lang"] == "en"


def test_an_unknown_language_is_refused_with_the_reason(client):
    response = post(client, lang="xx")
    assert response.status_code == 400
    assert "unknown language" in response.get_data(as_text=True)


def test_a_bad_lang_on_the_api_and_ogc_is_a_400_json(client):
    for url in ("/api/layers/patrols.geojson?lang=xx", "/ogc/collections/patrols/items?lang=xx"):
        response = client.get(url)
        assert response.status_code == 400
        assert response.get_json()["code"] == "InvalidParameterValue"
        assert "unknown language" in response.get_json()["description"]
