"""The map and the documents behind it, on layers built by the real pipeline from a copy of
seeds/: every mark leads back to the sentence it came from, and a document added through the
form shows its event on the map.

Headless Debian chromium against waitress on a free loopback port; nothing may leave it.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import orjson
import pytest
from browser_support import BROWSER_TEST

from geo.build.runner import build_layers
from geo.settings import Settings
from webapp import REPO_ROOT, create_app

pytestmark = BROWSER_TEST

TSUGARU = (
    "Chinese and Russian warships sailed through the Tsugaru Strait on Tuesday, "
    "Japan's Defense Ministry said."
)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, serve) -> Iterator[dict[str, Any]]:
    """A built copy of the seeds, served on loopback with writes allowed (loopback only)."""
    root = tmp_path_factory.mktemp("map-documents")
    shutil.copytree(REPO_ROOT / "seeds", root / "seeds", ignore=shutil.ignore_patterns("examples"))
    build_layers(root / "seeds", root / "layers")
    app = create_app(
        Settings(layers_dir=root / "layers", seeds_dir=root / "seeds"),
        config={"BASEMAP_DIR": root / "basemap", "BOUND_HOST": "127.0.0.1"},
    )
    with serve(app) as url:
        yield {"url": url, "layers": root / "layers"}


def features(layers: Path, name: str) -> list[dict[str, Any]]:
    return orjson.loads((layers / f"{name}.geojson").read_bytes())["features"]


def test_popup_evidence_opens_the_document_at_its_sentence(open_map, site):
    route = next(
        f
        for f in features(site["layers"], "patrols")
        if f["geometry"] and f["geometry"]["type"] == "LineString"
    )
    view = open_map(site["url"])
    popup = view.click_feature(route["id"])
    props = route["properties"]
    text = popup.inner_text()
    assert props["title"] in text
    assert " → ".join(props["places"]) in text  # a route lists its places in order
    assert f"{props['n_sources']} document" in text
    links = popup.locator("a.dm-doc-link")
    assert links.count() == len(props["evidence"])
    for i, evidence in enumerate(props["evidence"]):
        assert evidence["text"] in text
        start, end = evidence["start"], evidence["end"]
        href = f"/documents/{quote(evidence['doc_id'])}?at={start}#ev-{start}-{end}"
        assert links.nth(i).get_attribute("href") == href
    view.screenshot("popup-evidence.png")

    first = props["evidence"][0]
    with view.page.context.expect_page() as opened:
        links.first.click()  # opens in a new tab, so the map keeps its state
    doc = opened.value
    doc.wait_for_load_state()
    assert doc.url.endswith(f"#ev-{first['start']}-{first['end']}")
    target = doc.locator(":target")
    assert target.get_attribute("id") == f"ev-{first['start']}-{first['end']}"
    assert "evidence" in target.get_attribute("class")
    assert doc.evaluate("getComputedStyle(document.querySelector(':target')).outlineStyle") != (
        "none"
    )
    box = target.bounding_box()
    assert box is not None and -2 <= box["y"] < doc.viewport_size["height"]  # scrolled to it
    # The whole sentence is marked as evidence, with the places it names highlighted.
    evidence_text = doc.evaluate(
        "[...document.querySelectorAll('#text .evidence')].map(e => e.textContent).join('')"
    )
    assert first["text"] in evidence_text
    assert doc.locator("#text .evidence mark").count() >= 1
    doc.screenshot(path=str(view.output_dir / "document-from-popup.png"))
    view.assert_clean()


def test_a_document_added_through_the_form_shows_its_event_on_the_map(open_map, site):
    view = open_map(site["url"])
    before = view.page.evaluate("drillmap.layers.patrols.shown")
    page = view.page

    page.goto(f"{site['url']}/documents/new")
    page.fill("#text", TSUGARU)
    page.fill("#title", "Warships transit the Tsugaru Strait")
    page.fill("#published", "2024-05-14")
    page.fill("#source", "Kyodo")
    with page.expect_navigation():
        page.get_by_role("button", name="Add document").click()
    doc_id = re.search(r"/documents/([^/?#]+)$", page.url).group(1)
    event = page.locator(".event", has_text="naval patrol").first
    with page.expect_navigation():
        event.get_by_role("link", name="Show on the map").click()
    assert "focus=" in page.url
    view.idle()

    popup = view.popup("Tsugaru Strait")
    assert "naval patrol" in popup.inner_text()
    assert "Warships transit the Tsugaru Strait" in popup.inner_text()
    assert (
        popup.locator("a.dm-doc-link")
        .first.get_attribute("href")
        .startswith(f"/documents/{doc_id}?at=")
    )
    assert page.evaluate("drillmap.layers.patrols.shown") == before + 1
    new = [
        f["id"]
        for f in features(site["layers"], "patrols")
        if any(e["doc_id"] == doc_id for e in f["properties"]["evidence"])
    ]
    assert new and set(new) <= set(view.drawn_ids())
    view.screenshot("document-added-on-map.png")
    view.assert_clean()
