"""Shared pieces of the map's browser tests: Debian's chromium with every host but loopback made
unresolvable, the app served by waitress on a free loopback port, pages that record each request
and every script error, and a small driver for the map page.

(test_pages_browser.py keeps its own server fixture; module fixtures take precedence over these.)
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from browser_support import ARGS, CHROMIUM
from flask import Flask

from webapp import REPO_ROOT
from webapp.server import make_server

# Leaflet paths the user can click, plus the markers hidden inside cluster icons.
DRAWN = """() => {
    const paths = document.querySelectorAll('.leaflet-map-pane path.leaflet-interactive').length;
    const clustered = [...document.querySelectorAll('.marker-cluster')]
        .reduce((n, el) => n + parseInt(el.textContent, 10), 0);
    return paths + clustered;
}"""
# Ids of the features drawn by the shown data layers (features without geometry are not).
DRAWN_IDS = """() => Object.values(drillmap.layers)
    .filter(l => l.container._map && l.config.role !== 'basemap')
    .flatMap(l => Object.keys(l.features)).sort()"""
IDLE = "() => !!(window.drillmap && window.drillmap.filters) && window.drillmap.pending() === 0"
# Every box of the layer tree as "group:value" (a kind box: "kinds:value@layer") → ticked.
BOXES = """() => Object.fromEntries([...document.querySelectorAll('.dm-filter input[data-group]')]
    .map(i => [i.dataset.group + ':' + i.value
               + (i.dataset.group === 'kinds' ? '@' + i.dataset.layer : ''), i.checked]))"""
VIEW = """() => { const m = drillmap.filters.map; const c = m.getCenter();
    return [Number(c.lat.toFixed(3)), Number(c.lng.toFixed(3)), m.getZoom()]; }"""


def output_root() -> Path:
    """Where tests leave screenshots: $TEST_OUTPUT_DIR, else test-output/ in the repo."""
    return Path(os.environ.get("TEST_OUTPUT_DIR", REPO_ROOT / "test-output"))


@pytest.fixture(scope="module")
def output_dir() -> Path:
    path = output_root() / "browser"
    path.mkdir(parents=True, exist_ok=True)
    return path


@contextmanager
def serving(app: Flask) -> Iterator[str]:
    """Serve `app` with waitress on a free loopback port in a thread; yield its base URL."""
    server = make_server(app, host="127.0.0.1", port=0)
    thread = threading.Thread(target=server.run, name="waitress", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.effective_port}"
    finally:
        server.close()
        thread.join(timeout=5)


@pytest.fixture(scope="session")
def serve() -> Callable[[Flask], Any]:
    """`with serve(app) as base_url:` (fixtures cannot be imported by test modules)."""
    return serving


@pytest.fixture(scope="module")
def chromium():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield browser
        browser.close()


def assert_loopback_only(urls: list[str], base_url: str) -> None:
    """Every request went to the test server: nothing left 127.0.0.1."""
    origin = urlsplit(base_url)
    assert urls, "the page made no requests at all"
    for url in urls:
        parts = urlsplit(url)
        if parts.scheme in ("data", "blob", "about"):
            continue
        assert (parts.scheme, parts.hostname) == ("http", "127.0.0.1"), url
        assert parts.port == origin.port, url


class MapPage:
    """The map page in a test: load it, wait for its layers, read what is drawn."""

    def __init__(self, page: Any, base_url: str, output_dir: Path) -> None:
        self.page = page
        self.base_url = base_url
        self.output_dir = output_dir

    def open(self, query: str = "") -> MapPage:
        self.page.goto(self.base_url + "/" + query)
        self.idle()
        return self

    def idle(self) -> None:
        self.page.wait_for_function(IDLE)

    def drawn(self) -> int:
        self.idle()
        return self.page.evaluate(DRAWN)

    def drawn_ids(self) -> list[str]:
        self.idle()
        return self.page.evaluate(DRAWN_IDS)

    def settle(self, expected: int) -> int:
        """Wait until the drawn count reaches `expected` (filters fetch asynchronously)."""
        self.page.wait_for_function(f"() => ({IDLE})() && ({DRAWN})() === {expected}")
        return self.drawn()

    def settle_ids(self, expected: list[str] | set[str]) -> list[str]:
        wanted = sorted(expected)
        self.page.wait_for_function(
            f"want => ({IDLE})() && JSON.stringify(({DRAWN_IDS})()) === JSON.stringify(want)",
            arg=wanted,
        )
        return self.drawn_ids()

    def boxes(self) -> dict[str, bool]:
        return self.page.evaluate(BOXES)

    def view(self) -> list[float]:
        return self.page.evaluate(VIEW)

    def point_of(self, feature_id: str) -> tuple[float, float]:
        """Page coordinates of a drawn feature (a marker, or the middle of a line)."""
        return tuple(
            self.page.evaluate(
                """id => {
                    const loader = Object.values(drillmap.layers).find(l => l.features[id]);
                    const leaf = loader.features[id].leaves.find(l => l._map);
                    const map = drillmap.filters.map;
                    const at = leaf.getLatLng ? leaf.getLatLng() : leaf.getCenter();
                    const p = map.latLngToContainerPoint(at);
                    const box = map.getContainer().getBoundingClientRect();
                    return [box.left + p.x, box.top + p.y];
                }""",
                feature_id,
            )
        )

    def click_feature(self, feature_id: str) -> Any:
        """A real click on the feature (zones underneath must not catch it); returns the popup."""
        x, y = self.point_of(feature_id)
        self.page.mouse.click(x, y)
        return self.popup()

    def popup(self, text: str | None = None) -> Any:
        """The open popup, once it has faded in (so screenshots show it whole)."""
        popup = self.page.locator(".leaflet-popup-content", has_text=text)
        popup.wait_for()
        self.page.wait_for_function(
            "() => getComputedStyle(document.querySelector('.leaflet-popup')).opacity === '1'"
        )
        return popup

    def screenshot(self, name: str) -> Path:
        path = self.output_dir / name
        self.page.screenshot(path=str(path))
        return path

    def assert_clean(self) -> None:
        """No script error, no dialog, and no request that left the test server."""
        assert self.page.problems == []
        assert self.page.dialogs == []
        assert_loopback_only(self.page.requests, self.base_url)


@pytest.fixture
def open_map(chromium, output_dir: Path) -> Iterator[Callable[..., MapPage]]:
    """`open_map(base_url, query)`: a fresh browser context on the map page, recording
    requests, page errors, console errors and dialogs (a dialog would mean injected code ran)."""
    contexts = []

    def make(base_url: str, query: str = "", viewport: tuple[int, int] = (1280, 800)) -> MapPage:
        context = chromium.new_context(viewport={"width": viewport[0], "height": viewport[1]})
        contexts.append(context)
        page = context.new_page()
        page.requests = []
        page.problems = []
        page.dialogs = []

        def on_dialog(dialog: Any) -> None:
            page.dialogs.append(dialog.message)
            dialog.dismiss()

        context.on("request", lambda request: page.requests.append(request.url))
        page.on("dialog", on_dialog)
        page.on("pageerror", lambda error: page.problems.append(f"pageerror: {error}"))
        page.on(
            "console",
            lambda message: message.type == "error" and page.problems.append(message.text),
        )
        return MapPage(page, base_url, output_dir).open(query)

    yield make
    for context in contexts:
        context.close()
