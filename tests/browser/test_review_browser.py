"""Reviewing in the browser, on layers the real pipeline built from a copy of seeds/: confirm
and reject from the map popup, confirm and correct from the events table; the popup and the
table change, a rebuild keeps the verdict, and a rejected event leaves the map.

Headless Debian chromium against waitress on a free loopback port; nothing may leave it.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest
from browser_support import BROWSER_TEST

from geo.build.runner import build_layers
from geo.settings import Settings
from webapp import REPO_ROOT, create_app

pytestmark = BROWSER_TEST
# The three seed documents, not the example corpus: each verdict rebuilds the layers.
NO_EXAMPLES = shutil.ignore_patterns("examples")
# A note is the analyst's text: shown as text everywhere, never run.
NOTE = "Name from the ministry's release <img src=x onerror=\"alert('note')\">"


@pytest.fixture
def site(tmp_path: Path, serve) -> Iterator[dict[str, Any]]:
    """A built copy of the seeds, served on loopback (where reviewing is allowed)."""
    shutil.copytree(REPO_ROOT / "seeds", tmp_path / "seeds", ignore=NO_EXAMPLES)
    build_layers(tmp_path / "seeds", tmp_path / "layers")
    app = create_app(
        Settings(layers_dir=tmp_path / "layers", seeds_dir=tmp_path / "seeds"),
        config={"BASEMAP_DIR": tmp_path / "basemap", "BOUND_HOST": "127.0.0.1"},
    )
    with serve(app) as url:
        yield {"url": url, "seeds": tmp_path / "seeds", "layers": tmp_path / "layers"}


def features(site: dict[str, Any], name: str) -> list[dict[str, Any]]:
    return orjson.loads((site["layers"] / f"{name}.geojson").read_bytes())["features"]


def rebuild(site: dict[str, Any]) -> None:
    """`drillmap build` as a user would run it after changing nothing: corrections re-applied."""
    build_layers(site["seeds"], site["layers"])


def a_route(site: dict[str, Any]) -> dict[str, Any]:
    return next(
        f
        for f in features(site, "patrols")
        if f["geometry"] and f["geometry"]["type"] == "LineString"
    )


def review_of(site: dict[str, Any], fid: str) -> str | None:
    found = [f for n in ("exercises", "patrols") for f in features(site, n) if f["id"] == fid]
    return found[0]["properties"]["review"] if found else None


def test_confirm_from_the_popup_marks_it_and_a_rebuild_keeps_it(open_map, site):
    route = a_route(site)
    view = open_map(site["url"])
    popup = view.click_feature(route["id"])
    assert "machine reading (not reviewed)" in popup.inner_text()
    popup.get_by_role("button", name="Confirm").click()
    view.popup("confirmed by an analyst")
    assert popup.get_by_role("button", name="Confirm").count() == 0  # done: only Reject left
    assert review_of(site, route["id"]) == "confirmed"
    view.screenshot("review-popup-confirmed.png")

    rebuild(site)
    assert review_of(site, route["id"]) == "confirmed"
    again = open_map(site["url"])
    assert "confirmed by an analyst" in again.click_feature(route["id"]).inner_text()
    view.assert_clean()
    again.assert_clean()


def test_reject_from_the_popup_takes_it_off_the_map_and_a_rebuild_keeps_it_off(open_map, site):
    route = a_route(site)
    view = open_map(site["url"])
    drawn = view.drawn_ids()
    assert route["id"] in drawn
    popup = view.click_feature(route["id"])
    popup.get_by_role("button", name="Reject").click()
    remaining = [fid for fid in drawn if fid != route["id"]]
    assert view.settle_ids(remaining) == remaining
    # The popup fades out (Leaflet's close animation) while the layers are drawn again.
    view.page.wait_for_selector(".leaflet-popup", state="detached", timeout=5000)
    assert view.page.locator(".leaflet-popup").count() == 0
    view.screenshot("review-popup-rejected.png")

    rebuild(site)
    assert review_of(site, route["id"]) == "rejected"
    fresh = open_map(site["url"])
    assert route["id"] not in fresh.drawn_ids()
    shown = open_map(site["url"], "?review=all")  # asked for, it is drawn, marked rejected
    assert route["id"] in shown.drawn_ids()
    assert "review=all" in shown.page.url
    assert "rejected by an analyst" in shown.click_feature(route["id"]).inner_text()
    for page in (view, fresh, shown):
        page.assert_clean()


def test_confirm_and_correct_from_the_events_table(open_map, site):
    first, second = features(site, "exercises")[:2]
    view = open_map(site["url"])
    page = view.page
    failed: list[str] = []
    page.on(
        "response",
        lambda r: r.status >= 400 and not r.url.endswith("/favicon.ico") and failed.append(r.url),
    )
    page.goto(f"{site['url']}/events")
    row = page.locator(f"tr[id='row-{first['id']}']")
    with page.expect_navigation():
        row.get_by_role("button", name="Confirm").click()
    row = page.locator(f"tr[id='row-{first['id']}']")
    assert row.locator(".review-status").inner_text() == "confirmed"
    assert "Event confirmed by an analyst" in page.locator(".notice").inner_text()
    page.screenshot(path=str(view.output_dir / "review-table-confirmed.png"))

    with page.expect_navigation():
        page.locator(f"tr[id='row-{second['id']}']").get_by_role("link", name="Correct…").click()
    page.fill("#field-name", "Corrected Drill-2024")
    page.select_option("#field-kind", "naval_patrol")
    listed = "els => els.map(e => e.dataset.placeId)"
    before = page.eval_on_selector_all("#place-list li", listed)
    page.fill("#place-search", "Tsugaru")
    page.locator("#place-results .place-pick", has_text="Tsugaru Strait").first.click()
    added = page.locator("#place-list li[data-place-id='tsugaru-strait']")
    assert added.count() == 1
    added.get_by_role("button", name="Move up").click()  # the route now starts there
    order = page.eval_on_selector_all("#place-list li", listed)
    assert order == [*before[:-1], "tsugaru-strait", *before[-1:]]
    page.fill("#field-note", NOTE)
    page.screenshot(path=str(view.output_dir / "review-correct-form.png"))
    with page.expect_navigation():
        page.get_by_role("button", name="Save correction").click()
    assert page.url.startswith(f"{site['url']}/events")
    corrected = page.locator("tr", has_text="Corrected Drill-2024")
    assert corrected.count() == 1
    assert corrected.locator(".review-status").inner_text() == "corrected"
    assert "Name from the ministry" in corrected.inner_text()
    assert "naval patrol" in corrected.inner_text()
    corrected.scroll_into_view_if_needed()
    page.screenshot(path=str(view.output_dir / "review-table-corrected.png"))

    rebuild(site)
    moved = next(f for f in features(site, "patrols") if f["properties"]["review"] == "corrected")
    assert moved["properties"]["name"] == "Corrected Drill-2024"
    assert moved["properties"]["place_ids"] == order
    page.reload()
    assert page.locator("tr", has_text="Corrected Drill-2024").count() == 1
    on_map = open_map(site["url"], f"?focus={moved['id']}")
    popup = on_map.popup("Corrected Drill-2024")
    assert "corrected by an analyst" in popup.inner_text() and NOTE in popup.inner_text()
    on_map.screenshot("review-popup-corrected.png")
    on_map.assert_clean()
    # The pages have no favicon (a 404 the console reports); nothing else may fail.
    assert failed == []
    assert [p for p in page.problems if not p.startswith("Failed to load resource")] == []
    assert page.dialogs == []
