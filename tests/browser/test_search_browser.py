"""Search in headless chromium: a phrase typed in the top bar's box, the results with it marked,
a result opening the document view with the phrase marked and scrolled into view; hostile text
stays text and no script error (CSP included) occurs. Screenshots in test-output/browser/."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest
from browser_support import BROWSER_TEST

from geo.build.runner import build_layers
from geo.settings import Settings
from webapp import REPO_ROOT, create_app

pytestmark = BROWSER_TEST

TSUGARU_ID = "900_tsugaru"
TSUGARU = (
    "Routine reports opened the week.\n" * 60
    + "Chinese and Russian warships sailed through the Tsugaru Strait on Tuesday, Japan's "
    "Defense Ministry said.\nTwo Russian Tu-95 bombers flew over the Sea of Japan.\n"
    + "Nothing else was reported.\n" * 60
)
HOSTILE_ID = "901_hostile"
HOSTILE = (
    "<script>alert('xss')</script> Warships <img src=x onerror=alert(1)> drilled near "
    "Okinawa. `${alert(1)}`\n"
)


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory, serve) -> Iterator[str]:
    root = tmp_path_factory.mktemp("search-browser")
    seeds = root / "seeds"
    shutil.copytree(REPO_ROOT / "seeds", seeds)
    for doc_id, text, title in (
        (TSUGARU_ID, TSUGARU, "Warships in the Tsugaru Strait"),
        (HOSTILE_ID, HOSTILE, "<img src=x onerror=alert(2)> title"),
    ):
        (seeds / f"{doc_id}.txt").write_text(text, encoding="utf-8")
        (seeds / f"{doc_id}.json").write_bytes(orjson.dumps({"title": title}))
    build_layers(seeds, root / "layers")
    settings = Settings(layers_dir=root / "layers", seeds_dir=seeds)
    app = create_app(settings)  # the basemap of `make setup` (var/basemap)
    with serve(app) as url:
        yield url


@pytest.fixture
def page(chromium):
    """A page that fails the test on a dialog, a script error or a console error."""
    context = chromium.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    problems: list[str] = []
    page.on("dialog", lambda d: (problems.append(f"dialog: {d.message}"), d.dismiss()))
    page.on("pageerror", lambda error: problems.append(f"pageerror: {error}"))

    def on_console(message) -> None:
        # Failed loads are judged by the "response" hook, which knows what was requested.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            problems.append(message.text)

    def on_response(response) -> None:
        # A page may answer 400 (a refused query); its CSS and JS must still load.
        if (
            response.status >= 400
            and response.request.resource_type != "document"
            and not response.url.endswith("/favicon.ico")
        ):
            problems.append(f"{response.status} {response.url}")

    page.on("console", on_console)
    page.on("response", on_response)
    yield page
    context.close()
    assert problems == []


def test_a_phrase_typed_in_the_top_bar_is_marked_in_results_and_document(
    page, base_url, output_dir: Path
):
    page.goto(f"{base_url}/events")
    box = page.locator("header.site input[name=q]")
    box.fill('"tsugaru strait"')
    box.press("Enter")
    page.wait_for_url("**/search?q=*")
    page.locator("ol.hits").wait_for()
    marks = page.locator("ol.hits .snippet mark").all_inner_texts()
    assert marks and {mark.casefold() for mark in marks} == {"tsugaru strait"}
    mine = page.locator("li.hit", has_text="Warships in the Tsugaru Strait")
    assert mine.count() == 2  # the document and its event's sentence
    assert mine.first.locator(".snippet mark").all_inner_texts() == ["Tsugaru Strait"]
    assert page.locator("header.site input[name=q]").input_value() == '"tsugaru strait"'
    page.screenshot(path=str(output_dir / "search-results.png"), full_page=True)

    document_hit = page.locator("li.hit-document", has_text="Warships in the Tsugaru Strait")
    document_hit.locator("a.hit-link").click()
    page.wait_for_url(f"**/documents/{TSUGARU_ID}?*")
    marked = page.locator("#text mark.hit")
    marked.first.wait_for()
    assert marked.all_inner_texts() == ["Tsugaru Strait"]
    # The link's #m-<start>-<end> scrolled the match into view, far down the text.
    start = TSUGARU.index("Tsugaru Strait")
    assert marked.first.get_attribute("id") == f"m-{start}-{start + 14}"
    page.wait_for_function(
        """() => { const r = document.querySelector('#text mark.hit').getBoundingClientRect();
                   return window.scrollY > 0 && r.top >= 0 && r.bottom <= window.innerHeight; }"""
    )
    page.screenshot(path=str(output_dir / "search-document.png"))

    page.go_back()
    page.locator("li.hit-evidence a", has_text="Show the event on the map").first.click()
    page.wait_for_url("**/?focus=patrols-*")
    page.wait_for_function("() => !!document.querySelector('.leaflet-popup-content')")


def test_hostile_text_stays_text_in_results_and_marks(page, base_url, output_dir: Path):
    page.goto(f"{base_url}/search?q=script+alert")
    hit = page.locator("li.hit-document", has_text="title")
    hit.wait_for()
    assert hit.locator(".snippet mark").all_inner_texts()[:2] == ["script", "alert"]
    assert "<script>alert('xss')</script>" in hit.locator(".snippet").inner_text()
    assert page.locator("main img, main script").count() == 0
    hit.locator("a.hit-link").click()
    page.locator("#text mark.hit").first.wait_for()
    assert page.locator("#text").inner_text().strip() == HOSTILE.strip()
    assert page.locator("#text img, #text script").count() == 0
    page.screenshot(path=str(output_dir / "search-hostile.png"), full_page=True)


def test_a_bad_query_is_explained_on_the_page(page, base_url):
    page.goto(f"{base_url}/documents")
    box = page.locator("header.site input[name=q]")
    box.fill("( - * )")
    box.press("Enter")
    page.get_by_role("alert").wait_for()
    assert "no letters or digits" in page.get_by_role("alert").inner_text()


def test_the_map_has_a_search_box(page, base_url, output_dir: Path):
    page.goto(f"{base_url}/")
    box = page.locator(".dm-search input[name=q]")
    box.wait_for()
    page.screenshot(path=str(output_dir / "search-map-box.png"))
    box.fill("bomb*")
    box.press("Enter")
    page.wait_for_url("**/search?q=bomb*")
    marks = set(page.locator("ol.hits .snippet mark").all_inner_texts())
    assert "bombers" in marks and marks <= {"bomber", "bombers", "Bomber", "Bombers"}
