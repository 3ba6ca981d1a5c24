"""Japanese and Korean documents through the web form, onto the map, in headless chromium.

Each document is pasted into /documents/new with its language left to detection; the document
page says its language and marks its place names in its own script; the map, filtered to that
language (`?lang=ja`), draws its event, whose popup quotes the sentence in its own script with
the place names marked. A screenshot of each page is left in test-output/languages/.
"""

from __future__ import annotations

import json
import os
import shutil
import threading
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_support import BROWSER_TEST

from geo.build.runner import build_layers
from geo.settings import Settings
from webapp import REPO_ROOT, create_app
from webapp.server import make_server

pytestmark = BROWSER_TEST

# Written for this test, in our own words.
DOCUMENTS = {
    "ja": {
        "title": "中国海軍の駆逐艦が宮古海峡を通過",
        "published": "2023-07-21",
        "text": (
            "中国海軍の駆逐艦が宮古海峡を通過\n\n"
            "防衛省統合幕僚監部によると、中国海軍の駆逐艦2隻が20日、宮古海峡を通過し、"
            "東シナ海から太平洋に出た。海上自衛隊の護衛艦が警戒監視にあたった。\n"
        ),
        "language": "Japanese",
        "layer": "patrols",
        "marks": ["宮古海峡", "宮古海峡", "東シナ海", "太平洋"],
        "places": {"Miyako Strait", "East China Sea", "Pacific Ocean"},
    },
    "ko": {
        "title": "중러 군용기 카디즈 진입",
        "published": "2024-12-07",
        "text": (
            "합동참모본부에 따르면 중국과 러시아 군용기 8대가 6일 오전 독도 동북쪽 "
            "카디즈에 진입했다가 이탈했다. 우리 군은 공군 전투기를 긴급 출격시켜 "
            "전술조치를 했다.\n"
        ),
        "language": "Korean",
        "layer": "patrols",
        "marks": ["독도", "카디즈"],
        "places": {"Korea ADIZ", "Liancourt Rocks"},
    },
}


@pytest.fixture(scope="module")
def output_dir() -> Path:
    path = Path(os.environ.get("TEST_OUTPUT_DIR", REPO_ROOT / "test-output")) / "languages"
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The seeds, built and served on loopback, ready to take documents through the form."""
    root = tmp_path_factory.mktemp("languages-browser")
    shutil.copytree(REPO_ROOT / "seeds", root / "seeds")
    build_layers(root / "seeds", root / "layers")
    app = create_app(
        Settings(layers_dir=root / "layers", seeds_dir=root / "seeds"),
        config={"BASEMAP_DIR": root / "basemap", "BOUND_HOST": "127.0.0.1"},
    )
    server = make_server(app, host="127.0.0.1", port=0)
    thread = threading.Thread(target=server.run, name="waitress", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.effective_port}"
    finally:
        server.close()
        thread.join(timeout=5)


def _page(chromium):
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.problems = []
    page.on("pageerror", lambda error: page.problems.append(f"pageerror: {error}"))
    page.on(
        "console",
        lambda m: m.type == "error"
        and not m.text.startswith("Failed to load resource")
        and page.problems.append(m.text),
    )
    return context, page


@pytest.mark.parametrize("lang", ["ja", "ko"])
def test_a_document_goes_from_the_form_to_the_map_in_its_own_script(
    chromium, site, output_dir, lang
):
    doc = DOCUMENTS[lang]
    context, page = _page(chromium)
    try:
        page.goto(f"{site}/documents/new")
        page.fill("#text", doc["text"])
        page.fill("#title", doc["title"])
        page.fill("#published", doc["published"])
        assert page.input_value("#lang") == ""  # detected from the text
        with page.expect_navigation():
            page.get_by_role("button", name="Add document").click()
        assert page.get_by_role("status").first.inner_text().startswith("Document added")
        assert page.locator(".doc-lang").inner_text() == doc["language"]
        assert page.locator("#text mark").all_inner_texts() == doc["marks"]
        assert page.locator(f"div[lang={lang}] #text").count() == 1
        assert page.locator(".event").count() >= 1
        page.screenshot(path=str(output_dir / f"document-{lang}.png"), full_page=True)

        # The event, in the layer, found by the one query parser's language filter.
        with urllib.request.urlopen(f"{site}/api/layers/{doc['layer']}.geojson?lang={lang}") as r:
            features = json.load(r)["features"]
        assert features, f"no {lang} feature in {doc['layer']}"
        feature = next(f for f in features if set(f["properties"]["places"]) & doc["places"])
        assert feature["properties"]["langs"] == [lang]
        with urllib.request.urlopen(f"{site}/api/layers/{doc['layer']}.geojson?lang=en") as r:
            english = {f["id"] for f in json.load(r)["features"]}
        assert feature["id"] not in english

        page.goto(f"{site}/?lang={lang}&focus={feature['id']}")
        popup = page.locator(".leaflet-popup-content")
        popup.wait_for()
        page.wait_for_function(
            "() => getComputedStyle(document.querySelector('.leaflet-popup')).opacity === '1'"
        )
        quote = popup.locator(f"blockquote[lang={lang}]").first
        evidence = feature["properties"]["evidence"][0]
        assert quote.inner_text() == evidence["text"]
        marked = quote.locator("mark").all_inner_texts()
        assert marked and set(marked) <= set(doc["marks"])
        drawn = page.evaluate(
            "() => Object.values(drillmap.layers).flatMap(l => Object.keys(l.features))"
        )
        assert feature["id"] in drawn
        assert f"lang={lang}" in page.evaluate("() => location.search")  # kept, shareable
        page.screenshot(path=str(output_dir / f"map-{lang}.png"))
        assert page.problems == []
    finally:
        context.close()
