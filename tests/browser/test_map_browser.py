"""The map in a real browser on small synthetic layers: layers draw, the year slider and the
layer tree change what is drawn, a URL reproduces a view, focus opens a feature or a place,
hostile text stays text, and nothing leaves loopback.

Drives Debian's /usr/bin/chromium through Playwright against the app served by waitress on a
free loopback port; every other host is made unresolvable and every request is recorded.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, urlsplit

import orjson
import pytest
from browser_support import BROWSER_TEST

from geo.domain.query import parse_query, select
from geo.settings import Settings
from webapp import create_app

pytestmark = BROWSER_TEST

ALL = [
    "ex-hostile-2023", "ex-joint-2022", "pa-bombers-2022", "pa-naval-2023", "zones-east_china_sea"
]


@pytest.fixture(scope="module")
def layers(tmp_path_factory: pytest.TempPathFactory, make_layers) -> Path:
    return make_layers(tmp_path_factory.mktemp("browser") / "layers")


@pytest.fixture(scope="module")
def base_url(layers: Path, basemap_dir: Path, serve) -> Iterator[str]:
    app = create_app(Settings(layers_dir=layers), config={"BASEMAP_DIR": basemap_dir})
    with serve(app) as url:
        yield url


@pytest.fixture
def page(open_map, base_url):
    """The map at `/`, loaded: five features drawn (places start hidden)."""
    view = open_map(base_url)
    view.settle(5)
    return view


def expected_ids(layers: Path, params: dict[str, str], names: tuple[str, ...]) -> list[str]:
    """What geo.domain.query selects for these parameters, among features that have a geometry."""
    query = parse_query(params)
    ids = []
    for name in names:
        features = orjson.loads((layers / f"{name}.geojson").read_bytes())["features"]
        ids += [f["id"] for f in select(features, query) if f["geometry"]]
    return sorted(ids)


def test_layers_draw_and_tree_filters_hide_and_restore(page):
    # exercises 2 (a third has no place), patrols 2, zones 1; places are off by default
    assert page.drawn() == 5
    assert page.drawn_ids() == ALL
    assert page.page.evaluate("drillmap.layers.exercises.shown") == 3
    basemap = page.page.evaluate(
        "document.querySelectorAll('.leaflet-dm-basemap-pane path').length"
    )
    assert basemap > 100
    assert page.page.locator(".leaflet-control-scale-line").count() == 2  # metric and imperial
    page.screenshot("map.png")

    page.page.locator('input[data-year="2022"]').uncheck()
    assert page.settle(3) == 3  # the 2022 exercise and the 2022 bomber flight
    page.page.locator('input[data-year="2022"]').check()
    assert page.settle(5) == 5

    page.page.locator('input[data-layer="patrols"][data-kind="bomber_flight"]').uncheck()
    assert page.settle(4) == 4
    page.page.locator('input[data-layer="patrols"][data-kind="bomber_flight"]').check()
    assert page.settle(5) == 5

    page.page.locator('input[data-layer="places"]:not([data-kind])').check()
    assert page.settle(6) == 6
    assert any("/api/layers/places.geojson" in url for url in page.page.requests)
    page.assert_clean()


def test_routes_carry_direction_arrows(page):
    arrows = page.page.evaluate(
        """() => document.querySelectorAll(
            '.leaflet-overlay-pane path:not(.leaflet-interactive)').length"""
    )
    assert arrows >= 2  # at least the end arrow of each route
    page.page.locator('input[data-layer="patrols"]:not([data-kind])').uncheck()
    page.settle(3)
    assert (
        page.page.evaluate(
            """() => document.querySelectorAll(
                '.leaflet-overlay-pane path:not(.leaflet-interactive)').length"""
        )
        == 0
    )
    page.assert_clean()


def test_year_slider_changes_what_is_drawn_and_plays(page, layers):
    slider = page.page.locator(".dm-timeline input[type=range]")
    label = page.page.locator(".dm-year-label")
    assert label.inner_text() == "All years"

    slider.fill("0")  # drag to the first year
    in_2022 = expected_ids(layers, {"year": "2022"}, ("exercises", "patrols", "zones"))
    assert page.settle_ids(in_2022)
    assert page.drawn_ids() == ["ex-joint-2022", "pa-bombers-2022"]
    assert label.inner_text() == "2022"
    boxes = page.boxes()
    assert boxes["years:2022"] and not boxes["years:2023"] and not boxes["years:undated"]
    page.screenshot("year-slider-2022.png")

    slider.press("ArrowRight")  # keyboard: one year on
    assert page.settle_ids(["ex-hostile-2023", "pa-naval-2023", "zones-east_china_sea"])
    assert label.inner_text() == "2023"
    assert "year=2023" in page.page.url

    slider.press("ArrowRight")  # the "all years" position
    assert page.settle_ids(ALL)
    assert all(v for k, v in page.boxes().items() if k.startswith("years:"))

    # A year box ticked by hand moves the slider too.
    page.page.locator('input[data-year="2023"]').uncheck()
    page.page.locator('input[data-year="undated"]').uncheck()
    page.settle_ids(["ex-joint-2022", "pa-bombers-2022"])
    assert slider.input_value() == "0"

    # Play steps through every year and stops on "all years".
    page.page.evaluate(
        """() => { window.__years = [];
            drillmap.timeline.stepMs = 250;
            drillmap.filters.subscribe(() => window.__years.push(
                drillmap.filters.isAll('years') ? 'all' : drillmap.filters.ticked('years').join()));
        }"""
    )
    page.page.locator(".dm-play").click()
    page.page.wait_for_function("() => !drillmap.timeline.playing()")
    assert page.page.evaluate("window.__years") == ["2023", "all"]  # from 2022 on
    page.page.locator(".dm-play").click()
    page.page.wait_for_function("() => !drillmap.timeline.playing()")
    assert page.page.evaluate("window.__years") == ["2023", "all", "2022", "2023", "all"]
    assert page.settle_ids(ALL)
    page.assert_clean()


def test_unticking_an_actor_hides_its_features(page, layers):
    china = page.page.locator('input[data-actor="China"]')
    swatch = page.page.locator(".dm-actor-row", has=china).locator(".dm-swatch")
    legend_colour = swatch.evaluate("el => getComputedStyle(el).backgroundColor")
    drawn_colour = page.page.evaluate(
        """() => getComputedStyle(
            drillmap.layers.patrols.features['pa-naval-2023'].leaves[0].getElement()).stroke"""
    )
    assert legend_colour == drawn_colour  # the legend is the drawing's key

    china.uncheck()
    # joint China–Russia events keep showing through Russia; China-only ones go
    expected = expected_ids(
        layers, {"actor": "Russia,United States"}, ("exercises", "patrols", "zones")
    )
    assert page.settle_ids(expected) == ["ex-hostile-2023", "ex-joint-2022", "pa-bombers-2022"]
    assert "actor=Russia,United%20States" in page.page.url
    page.page.locator('input[data-actor="Russia"]').uncheck()
    assert page.settle_ids(["ex-hostile-2023"])
    page.screenshot("actor-unticked.png")

    page.page.locator('[data-quick="actors:all"]').click()
    assert page.settle_ids(ALL)
    page.page.locator('[data-quick="actors:none"]').click()
    assert page.settle_ids([]) == []
    page.assert_clean()


def test_popup_shows_hostile_text_as_text(page, hostile, hostile_doc_id):
    popup = page.click_feature("ex-hostile-2023")
    page.screenshot("popup.png")
    text = popup.inner_text()
    assert "<script>window.__xss='script'</script>" in text
    assert "<img src=x onerror=" in text
    assert "C:\\temp\\" in text
    assert "`${window.__xss='tpl'}`" in text
    assert "Sources\n1 document" in text or "1 document" in text
    assert popup.locator("img, script, b, iframe").count() == 0
    link = popup.locator("a.dm-doc-link")
    doc_url = "/documents/" + quote(hostile_doc_id, safe="!'()*~")
    expected = f"{doc_url}?at=0#ev-0-{len(hostile)}"
    assert link.first.get_attribute("href") == expected
    assert hostile.split(" ")[0] in link.first.inner_text()
    assert page.page.evaluate("window.__xss") is None
    page.assert_clean()


def test_a_url_reproduces_the_view(open_map, base_url, layers, output_dir):
    first = open_map(base_url)
    first.settle(5)
    first.page.locator('input[data-year="2022"]').uncheck()
    first.page.locator('input[data-actor="United States"]').uncheck()
    first.page.locator('input[data-layer="places"]:not([data-kind])').check()
    first.page.locator('input[data-layer="patrols"][data-kind="bomber_flight"]').uncheck()
    first.page.evaluate(
        "() => { drillmap.filters.map.setView([29.5, 126.25], 6, {animate: false}); }"
    )
    first.idle()
    url = first.page.url
    drawn = first.drawn_ids()
    assert drawn == ["pa-naval-2023", "places-tsushima", "zones-east_china_sea"]
    query = urlsplit(url).query
    assert "center=29.5,126.25" in query and "zoom=6" in query
    assert "layers=exercises,patrols,zones,places" in query

    second = open_map(base_url, "?" + query)
    assert second.settle_ids(drawn) == drawn
    assert second.boxes() == first.boxes()
    assert second.view() == first.view() == [29.5, 126.25, 6]
    assert second.page.url == url.replace(first.base_url, second.base_url)
    second.screenshot("url-state.png")

    # The documented example: the filters are decided by geo.domain.query through the API.
    params = {"year": "2023", "actor": "Russia,China", "kind": "naval_exercise,naval_patrol"}
    third = open_map(
        base_url,
        "?year=2023&actor=Russia,China&kind=naval_exercise,naval_patrol"
        "&layers=exercises,patrols&center=30,128&zoom=6",
    )
    assert third.settle_ids(expected_ids(layers, params, ("exercises", "patrols"))) == [
        "pa-naval-2023"
    ]
    boxes = third.boxes()
    assert [k for k, v in boxes.items() if v and k.startswith("years:")] == ["years:2023"]
    assert boxes["actors:China"] and boxes["actors:Russia"]
    assert not boxes["actors:United States"]
    assert not boxes["layers:zones"] and boxes["layers:patrols"]
    assert third.view() == [30, 128, 6]
    assert third.page.locator(".dm-notice").is_hidden()
    # "Download these features": the export and the API, with the same filters, per layer.
    third.page.locator("summary", has_text="Download these features").click()
    api = third.page.locator('[data-download="patrols"] a.dm-api').get_attribute("href")
    # (patrols have only China and Russia as actors, both ticked: no actor filter needed)
    assert api == "/api/layers/patrols.geojson?year=2023&kind=naval_patrol"
    export = third.page.locator('[data-download="patrols"] a.dm-export').get_attribute("href")
    assert export == "/export/patrols.geojson?year=2023&kind=naval_patrol"
    body = third.page.evaluate(f"fetch('{api}').then(r => r.json())")
    assert [f["id"] for f in body["features"]] == ["pa-naval-2023"]
    for view in (first, second, third):
        view.assert_clean()


def test_invalid_url_values_are_ignored_with_a_notice(open_map, base_url):
    view = open_map(
        base_url,
        "?year=1999,2023&actor=Martians&zoom=abc&center=95,500&layers=nope&focus=nope&bogus=1",
    )
    assert view.settle_ids(["ex-hostile-2023", "pa-naval-2023", "zones-east_china_sea"])
    notice = view.page.locator(".dm-notice")
    notice.wait_for()
    view.page.wait_for_function("() => document.querySelectorAll('.dm-notice li').length >= 7")
    text = notice.inner_text()
    for part in (
        'year "1999"',
        'actor "Martians"',
        'zoom "abc"',
        'center "95,500"',
        'layer "nope"',
        'feature "nope"',
        'parameter "bogus"',
    ):
        assert part in text
    assert view.view() == [33, 130, 5]  # the default view stands
    assert urlsplit(view.page.url).query == "year=2023"  # the URL now says what is shown
    view.screenshot("url-notice.png")
    view.page.locator(".dm-notice .dm-close").click()
    assert notice.is_hidden()
    view.assert_clean()


def test_focus_opens_a_feature_and_centres_on_a_place(open_map, base_url):
    feature = open_map(base_url, "?focus=pa-naval-2023")
    popup = feature.popup()
    assert "Naval patrol near Miyako" in popup.inner_text()
    assert "focus=pa-naval-2023" in feature.page.url
    feature.page.locator(".leaflet-popup-close-button").click()
    feature.page.wait_for_function("() => !location.search.includes('focus')")

    place = open_map(base_url, "?focus=place:tsushima")  # places start hidden
    place.popup("Tsushima")
    assert place.page.locator("path.dm-highlight").count() == 1
    lat, lon, zoom = place.view()
    assert abs(lat - 34.4) < 0.05 and abs(lon - 129.3) < 0.05 and zoom == 7
    place.screenshot("focus-place.png")
    feature.assert_clean()
    place.assert_clean()


def test_a_place_links_to_every_event_held_there(open_map, base_url):
    zone = open_map(base_url, "?focus=zones-east_china_sea")
    popup = zone.popup("East China Sea")
    link = popup.locator("a.dm-events-link")
    assert link.inner_text() == "The 1 event here"
    assert link.get_attribute("href").endswith("/events?place=east_china_sea")
    place = open_map(base_url, "?focus=places-tsushima")  # holds none: no link
    assert place.popup("Tsushima").locator("a.dm-events-link").count() == 0
    zone.assert_clean()
    place.assert_clean()


@pytest.fixture(scope="module")
def hostile_url(
    tmp_path_factory: pytest.TempPathFactory, make_layers, basemap_dir: Path, serve, hostile
) -> Iterator[str]:
    """The synthetic layers with hostile text in the index too (layer title, kind, actor)."""
    root = make_layers(tmp_path_factory.mktemp("hostile") / "layers")
    index = orjson.loads((root / "index.json").read_bytes())
    index["layers"][0]["title"] = hostile
    index["layers"][0]["kinds"].append(hostile)
    index["layers"][0]["actors"].append(hostile)
    (root / "index.json").write_bytes(orjson.dumps(index))
    app = create_app(Settings(layers_dir=root), config={"BASEMAP_DIR": basemap_dir})
    with serve(app) as url:
        yield url


def test_hostile_text_runs_nowhere(open_map, hostile_url, hostile):
    evil = quote("<img src=x onerror=\"window.__xss='url'\">", safe="")
    view = open_map(
        hostile_url,
        f"?year=%3Cscript%3Ewindow.__xss%3D1%3C/script%3E&actor={evil}&focus={evil}"
        f"&{evil}=1&kind=%60%24%7Balert(1)%7D%60%5C",
    )
    view.settle(5)
    view.page.locator(".dm-notice li").nth(4).wait_for()
    hostile_layer = view.page.locator(".dm-layer-name").first
    assert hostile_layer.inner_text() == hostile  # the layer tree shows it as text
    assert view.page.locator(".dm-notice").inner_text().count("<img src=x onerror=") >= 2

    # tooltip on hover, then the popup
    x, y = view.point_of("ex-hostile-2023")
    view.page.mouse.move(x, y)
    tooltip = view.page.locator(".leaflet-tooltip")
    tooltip.wait_for()
    assert "<script>window.__xss='script'</script>" in tooltip.inner_text()
    popup = view.click_feature("ex-hostile-2023")
    assert "`${window.__xss='tpl'}`" in popup.inner_text()
    view.screenshot("hostile.png")

    injected = view.page.evaluate(
        """() => document.querySelectorAll(
            '.leaflet-container img, .leaflet-container script, .leaflet-container iframe,'
            + ' .leaflet-container b, .leaflet-container [onerror]').length"""
    )
    assert injected == 0
    assert view.page.evaluate("window.__xss") is None
    view.assert_clean()


@pytest.fixture(scope="module")
def postgis_base_url(layers: Path, basemap_dir: Path, serve, postgis_database) -> Iterator[str]:
    """The same layers served from the PostGIS store."""
    app = create_app(
        Settings(store=postgis_database(layers)), config={"BASEMAP_DIR": basemap_dir}
    )
    with serve(app) as url:
        yield url


def test_the_map_on_postgis_draws_filters_and_pops_up_the_same(open_map, postgis_base_url, layers):
    view = open_map(postgis_base_url)
    assert view.settle_ids(ALL) == sorted(ALL)
    popup = view.click_feature("ex-hostile-2023")
    assert "<script>window.__xss='script'</script>" in popup.inner_text()
    assert popup.locator("img, script, b, iframe").count() == 0
    assert view.page.evaluate("window.__xss") is None
    expected = expected_ids(layers, {"year": "2022"}, ("exercises", "patrols", "zones"))
    filtered = open_map(postgis_base_url, "?year=2022")
    assert filtered.settle_ids(expected) == expected
    filtered.assert_clean()
    view.assert_clean()
