"""The charts in a real browser: the panel beside the map and the /stats page draw their bars
with vega under the pages' CSP (no script error, nothing leaving loopback), a click on a bar
filters the map and its URL (or, on /stats, opens the map filtered so), and the PNG and SVG
buttons download files. Screenshots go to test-output/browser/.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from browser_support import BROWSER_TEST

from geo.settings import Settings
from webapp import create_app

pytestmark = BROWSER_TEST

PANEL = ".dm-charts-panel"
READY = "() => document.querySelector('.dm-charts-panel')?.dataset.state === 'ready'"
BARS = "chart => document.querySelectorAll(`[data-chart=${chart}] .mark-rect path`).length"


@pytest.fixture(scope="module")
def layers(tmp_path_factory: pytest.TempPathFactory, make_layers) -> Path:
    return make_layers(tmp_path_factory.mktemp("charts") / "layers")


@pytest.fixture(scope="module")
def base_url(layers: Path, basemap_dir: Path, serve) -> Iterator[str]:
    app = create_app(Settings(layers_dir=layers), config={"BASEMAP_DIR": basemap_dir})
    with serve(app) as url:
        yield url


@pytest.fixture
def page(open_map, base_url):
    view = open_map(base_url)
    view.settle(5)
    view.page.wait_for_function(READY)
    return view


def bar(page, chart: str, **fields: str):
    """The bar of `chart` whose ARIA description (vega writes one per mark) has these fields."""
    selector = f'[data-chart="{chart}"] .mark-rect path'
    for name, value in fields.items():
        selector += f'[aria-label*="{name}: {value}"]'
    return page.locator(selector)


def search(page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def test_panel_draws_three_charts_beside_the_map(page, output_dir: Path):
    p = page.page
    assert p.evaluate(BARS, "actor") == 4  # 2022: China, Russia; 2023: China, United States
    assert p.evaluate(BARS, "kind") == 4
    assert p.evaluate(BARS, "place") == 4
    assert p.locator(PANEL).get_attribute("data-events") == "5"
    # Beside the map, not over it: the map ends where the panel starts, and the layer tree
    # (top right of the map) is left of the panel.
    map_box = p.locator(".folium-map").bounding_box()
    panel_box = p.locator(PANEL).bounding_box()
    tree_box = p.locator(".dm-filter").bounding_box()
    assert map_box["x"] + map_box["width"] <= panel_box["x"] + 1
    assert tree_box["x"] + tree_box["width"] <= panel_box["x"]
    page.screenshot("map-with-charts.png")
    assert (output_dir / "map-with-charts.png").stat().st_size > 10_000
    # The hostile place name is a bar's label and tooltip as text; nothing of it ran.
    bar(p, "place", place="<script>").hover()
    tooltip = p.locator("#vg-tooltip-element.visible")
    tooltip.wait_for()
    assert "<script>window.__xss='script'</script>" in tooltip.inner_text()
    assert tooltip.locator("script, img, b").count() == 0
    assert p.evaluate("window.__xss") is None
    page.assert_clean()


def test_panel_collapses_and_the_map_takes_the_room(page):
    p = page.page
    wide = p.locator(".folium-map").bounding_box()["width"]
    p.locator(".dm-charts-toggle").click()
    p.wait_for_function(
        f"() => document.querySelector('.folium-map').getBoundingClientRect().width > {wide + 200}"
    )
    assert p.locator(".dm-charts-body").is_hidden()
    p.locator(".dm-charts-toggle").click()
    p.wait_for_function(READY)
    assert p.locator(".dm-charts-body").is_visible()
    page.assert_clean()


def test_clicking_a_bar_filters_the_map_and_the_url(page):
    p = page.page
    assert page.drawn() == 5
    bar(p, "actor", year="2023", actor="China").click()
    # The 2023 events of China: the naval patrol (the 2023 China exercise has no place), and
    # the zone of 2023, which has no actor to filter on.
    page.settle_ids(["pa-naval-2023", "zones-east_china_sea"])
    assert search(p) == {"year": ["2023"], "actor": ["China"]}  # the view did not move
    assert p.locator('input[data-year="2022"]').is_checked() is False
    # The charts follow the filter they set.
    p.wait_for_function(READY)
    assert p.locator(PANEL).get_attribute("data-events") == "2"
    assert p.evaluate(BARS, "actor") == 1

    p.locator(".dm-charts-reset").click()
    page.settle(5)
    p.wait_for_function(READY)
    assert search(p) == {}

    bar(p, "kind", year="2022", kind="bomber flight").click()
    page.settle_ids(["pa-bombers-2022"])
    assert search(p)["kind"] == ["bomber_flight"]
    assert search(p)["year"] == ["2022"]
    page.assert_clean()


def test_panel_honours_the_url_filters(open_map, base_url):
    view = open_map(base_url, "?year=2022&actor=Russia")
    view.page.wait_for_function(READY)
    assert view.page.locator(PANEL).get_attribute("data-events") == "2"
    assert view.page.evaluate(BARS, "actor") == 1  # Russia in 2022 only
    link = view.page.locator(".dm-charts-page").get_attribute("href")
    assert parse_qs(urlsplit(link).query) == {"year": ["2022"], "actor": ["Russia"]}
    view.assert_clean()


@pytest.mark.parametrize("fmt", ["png", "svg"])
def test_export_buttons_download_the_chart(page, fmt: str, output_dir: Path):
    p = page.page
    with p.expect_download() as info:
        p.locator(f'[data-chart="actor"] .dm-export[data-format="{fmt}"]').click()
    download = info.value
    assert download.suggested_filename == f"drillmap-events-by-actor.{fmt}"
    path = output_dir / download.suggested_filename
    download.save_as(path)
    data = path.read_bytes()
    if fmt == "png":
        assert data[:8] == b"\x89PNG\r\n\x1a\n"
        assert len(data) > 2_000
    else:
        text = data.decode()
        assert text.lstrip().startswith("<svg")
        assert "China" in text and "Russia" in text  # the legend
        assert text.count("<path") >= 4
    page.assert_clean()


def stats_page(chromium, url: str):
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    page.requests, page.problems = [], []
    context.on("request", lambda request: page.requests.append(request.url))
    page.on("pageerror", lambda error: page.problems.append(f"pageerror: {error}"))
    page.dialogs = []

    def on_dialog(dialog) -> None:
        page.dialogs.append(dialog.message)
        dialog.dismiss()

    def on_console(message) -> None:
        # As test_pages_browser: failed loads are judged by their responses (not the favicon).
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            page.problems.append(message.text)

    def on_response(response) -> None:
        if response.status >= 400 and not response.url.endswith("/favicon.ico"):
            page.problems.append(f"{response.status} {response.url}")

    page.on("dialog", on_dialog)
    page.on("console", on_console)
    page.on("response", on_response)
    page.goto(url)
    page.wait_for_function("() => document.getElementById('dm-stats')?.dataset.state === 'ready'")
    return context, page


def test_stats_page_draws_and_links_a_bar_to_the_filtered_map(chromium, base_url, output_dir):
    context, p = stats_page(chromium, base_url + "/stats?kind=naval_exercise")
    try:
        assert p.evaluate(BARS, "actor") == 4  # naval exercises: 2022 China+Russia, 2023 US+China
        assert p.get_attribute("#dm-stats", "data-events") == "3"
        p.screenshot(path=str(output_dir / "stats.png"), full_page=True)
        assert p.problems == []
        # Under each chart, its numbers, each row a link to the map as its bar (keyboard users).
        table = p.locator('[data-chart="actor"] .dm-chart-table')
        table.locator("summary").click()
        link = table.get_by_role("link", name="2023 · United States")
        assert parse_qs(urlsplit(link.get_attribute("href")).query) == {
            "year": ["2023"], "actor": ["United States"], "kind": ["naval_exercise"]
        }
        assert table.locator("tbody tr").count() == 4
        with p.expect_navigation() as navigation:
            bar(p, "actor", year="2022", actor="Russia").click()
        assert urlsplit(navigation.value.url).path == "/"
        assert p.evaluate("window.__xss") is None
        assert parse_qs(urlsplit(navigation.value.url).query) == {
            "year": ["2022"], "actor": ["Russia"], "kind": ["naval_exercise"]
        }
        p.wait_for_function(
            "() => window.drillmap && drillmap.filters && drillmap.pending() === 0"
        )
        drawn = p.evaluate(
            """() => Object.values(drillmap.layers).filter(l => l.container._map
                && l.config.role !== 'basemap').flatMap(l => Object.keys(l.features)).sort()"""
        )
        assert drawn == ["ex-joint-2022"]
        assert p.problems == []
        assert p.dialogs == []
        assert p.evaluate("window.__xss") is None
        origin = urlsplit(base_url)
        assert all(
            urlsplit(u).scheme in ("data", "blob") or urlsplit(u).netloc == origin.netloc
            for u in p.requests
        ), p.requests
    finally:
        context.close()


def test_a_place_bar_on_the_stats_page_opens_the_map_on_that_place(chromium, base_url):
    context, p = stats_page(chromium, base_url + "/stats?year=2022")
    try:
        with p.expect_navigation() as navigation:
            bar(p, "place", place="Korea Strait").click()
        # The address asked for (the map drops the focus from its URL once it finds no place).
        assert parse_qs(urlsplit(navigation.value.url).query) == {
            "year": ["2022"], "focus": ["place:korea_strait"]
        }
        # No place layer holds the strait in this fixture: the map says so instead of failing.
        p.locator(".dm-notice", has_text='No place "korea_strait"').wait_for()
        assert p.problems == []
    finally:
        context.close()
