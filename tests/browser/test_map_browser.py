"""The map in a real browser: layers draw, filters change what is drawn, nothing leaves loopback.

Drives Debian's /usr/bin/chromium through Playwright against the app served by waitress on a
free loopback port; every other host is made unresolvable and every request is recorded.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest

from webapp import REPO_ROOT, create_app
from webapp.server import make_server

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists() and not os.environ.get("CI"),
        reason=f"{CHROMIUM} is not installed (apt-get install chromium); required when CI is set",
    ),
]

# Leaflet paths the user can click, plus the markers hidden inside cluster icons.
DRAWN = """() => {
    const paths = document.querySelectorAll('.leaflet-map-pane path.leaflet-interactive').length;
    const clustered = [...document.querySelectorAll('.marker-cluster')]
        .reduce((n, el) => n + parseInt(el.textContent, 10), 0);
    return paths + clustered;
}"""
IDLE = "() => window.drillmap && window.drillmap.pending() === 0"


@pytest.fixture(scope="module")
def output_dir() -> Path:
    path = Path(os.environ.get("DRILLMAP_TEST_OUTPUT", REPO_ROOT / "test-output")) / "browser"
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture(scope="module")
def base_url(
    tmp_path_factory: pytest.TempPathFactory, basemap_dir: Path, make_layers
) -> Iterator[str]:
    layers = make_layers(tmp_path_factory.mktemp("browser") / "layers")
    app = create_app({"LAYERS_DIR": layers, "BASEMAP_DIR": basemap_dir})
    server = make_server(app, host="127.0.0.1", port=0)
    thread = threading.Thread(target=server.run, name="waitress", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.effective_port}"
    finally:
        server.close()
        thread.join(timeout=5)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, base_url):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.requests = []
    page.problems = []
    page.on("request", lambda request: page.requests.append(request.url))
    page.on("pageerror", lambda error: page.problems.append(f"pageerror: {error}"))
    page.on(
        "console",
        lambda message: message.type == "error" and page.problems.append(message.text),
    )
    page.goto(base_url + "/")
    page.wait_for_function(IDLE)
    page.wait_for_function(f"() => ({DRAWN})() >= 5")
    yield page
    context.close()


def drawn(page) -> int:
    page.wait_for_function(IDLE)
    return page.evaluate(DRAWN)


def settle(page, expected: int) -> int:
    """Wait until the drawn count reaches `expected` (filters fetch asynchronously)."""
    page.wait_for_function(f"() => ({IDLE})() && ({DRAWN})() === {expected}", timeout=10_000)
    return drawn(page)


def test_layers_draw_and_year_filter_hides_and_restores(page, base_url, output_dir):
    # exercises 2 (a third has no place), patrols 2, zones 1; places are off by default
    assert drawn(page) == 5
    assert page.evaluate("drillmap.layers.exercises.shown") == 3
    basemap = page.evaluate("document.querySelectorAll('.leaflet-dm-basemap-pane path').length")
    assert basemap > 100
    page.screenshot(path=str(output_dir / "map.png"))

    page.locator('input[data-year="2022"]').uncheck()
    assert settle(page, 3) == 3  # the 2022 exercise and the 2022 bomber flight
    page.locator('input[data-year="2022"]').check()
    assert settle(page, 5) == 5

    page.locator('input[data-actor="China"]').uncheck()
    assert settle(page, 3) == 3  # joint events keep showing through Russia
    page.locator('input[data-actor="China"]').check()
    assert settle(page, 5) == 5

    page.locator('input[data-layer="patrols"][data-kind="bomber_flight"]').uncheck()
    assert settle(page, 4) == 4
    page.locator('input[data-layer="patrols"][data-kind="bomber_flight"]').check()
    assert settle(page, 5) == 5

    page.locator('input[data-layer="places"]:not([data-kind])').check()
    assert settle(page, 6) == 6
    assert any("/api/layers/places.geojson" in url for url in page.requests)

    assert page.problems == []
    assert_loopback_only(page.requests, base_url)


def test_popup_shows_hostile_text_as_text(page, base_url, output_dir, hostile, hostile_doc_id):
    point = page.evaluate(
        """() => {
            const loader = drillmap.layers.exercises;
            const marker = loader.container.getLayers()
                .find(layer => layer.feature.id === 'ex-hostile-2023');
            const p = loader.container._map.latLngToContainerPoint(marker.getLatLng());
            const box = loader.container._map.getContainer().getBoundingClientRect();
            return [box.left + p.x, box.top + p.y];
        }"""
    )
    page.mouse.click(point[0], point[1])  # a real click: zones underneath must not catch it
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    page.screenshot(path=str(output_dir / "popup.png"))
    text = popup.inner_text()
    assert "<script>window.__xss='script'</script>" in text
    assert "<img src=x onerror=" in text
    assert "C:\\temp\\" in text
    assert "`${window.__xss='tpl'}`" in text
    assert popup.locator("img, script, b, iframe").count() == 0
    link = popup.locator("a")
    assert link.first.get_attribute("href") == "/documents/" + quote(hostile_doc_id, safe="!'()*~")
    assert hostile.split(" ")[0] in link.first.inner_text()
    assert page.evaluate("window.__xss") is None
    assert page.problems == []
    assert_loopback_only(page.requests, base_url)


def assert_loopback_only(urls: list[str], base_url: str) -> None:
    origin = urlsplit(base_url)
    assert urls, "the page made no requests at all"
    for url in urls:
        parts = urlsplit(url)
        if parts.scheme in ("data", "blob", "about"):
            continue
        assert (parts.scheme, parts.hostname) == ("http", "127.0.0.1"), url
        assert parts.port == origin.port, url
