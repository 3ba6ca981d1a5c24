"""The document, events and add-document pages in headless chromium: hostile text stays text,
the form adds a document and lands on its events, the table sorts and filters, no CSP errors.

Served by waitress on a free loopback port; every other host is unresolvable.
"""

from __future__ import annotations

import os
import re
import shutil
import threading
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from browser_support import BROWSER_TEST

from geo.build.runner import build_layers
from geo.services.ingest import ingest_bytes
from geo.settings import Settings
from geo.storage.registry import open_store
from webapp import REPO_ROOT, create_app
from webapp.server import make_server

HOSTILE_TITLE = "<script>alert('title')</script>"
HOSTILE_TEXT = (
    "<script>alert(1)</script>\n"
    "Chinese and Russian warships sailed through the Tsugaru Strait on Tuesday. "
    "<img src=x onerror=alert(1)> `${alert(1)}` C:\\temp\\new \\u003c/script> </script>\n"
)
TSUGARU = (
    "Chinese and Russian warships sailed through the Tsugaru Strait on Tuesday, "
    "Japan's Defense Ministry said."
)

pytestmark = BROWSER_TEST


@pytest.fixture(scope="module")
def output_dir() -> Path:
    path = Path(os.environ.get("TEST_OUTPUT_DIR", REPO_ROOT / "test-output")) / "pages"
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    """A built copy of the seeds plus the hostile document, served on loopback."""
    root = tmp_path_factory.mktemp("pages-browser")
    shutil.copytree(REPO_ROOT / "seeds", root / "seeds", ignore=shutil.ignore_patterns("examples"))
    build_layers(root / "seeds", root / "layers")
    hostile = ingest_bytes(
        HOSTILE_TEXT.encode(),
        open_store(Settings(layers_dir=root / "layers", seeds_dir=root / "seeds")),
        title=HOSTILE_TITLE,
        published=date(2024, 5, 14),
        source="<b>bold source</b>",
    )
    app = create_app(
        Settings(layers_dir=root / "layers", seeds_dir=root / "seeds"),
        config={"BASEMAP_DIR": root / "basemap", "BOUND_HOST": "127.0.0.1"},
    )
    server = make_server(app, host="127.0.0.1", port=0)
    thread = threading.Thread(target=server.run, name="waitress", daemon=True)
    thread.start()
    try:
        yield {"url": f"http://127.0.0.1:{server.effective_port}", "hostile": hostile.doc_id}
    finally:
        server.close()
        thread.join(timeout=5)


@pytest.fixture
def page(chromium):
    """A page that fails the test on any dialog, script error or console error (CSP included)."""
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.dialogs = []
    page.problems = []

    def on_dialog(dialog) -> None:
        page.dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)

    def on_console(message) -> None:
        # Failed loads are judged by the "response" hook, which knows what was requested.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            page.problems.append(message.text)

    def on_response(response) -> None:
        # A page may answer 400 (a refused form); its CSS and JS must still load.
        if (
            response.status >= 400
            and response.request.resource_type != "document"
            and not response.url.endswith("/favicon.ico")
        ):
            page.problems.append(f"{response.status} {response.url}")

    page.on("pageerror", lambda error: page.problems.append(f"pageerror: {error}"))
    page.on("console", on_console)
    page.on("response", on_response)
    yield page
    context.close()
    assert page.dialogs == [], f"a dialog opened: {page.dialogs}"
    assert page.problems == []


def test_hostile_document_is_shown_as_text(page, site, output_dir):
    page.goto(f"{site['url']}/documents/{site['hostile']}")
    page.get_by_role("heading", level=1, name=HOSTILE_TITLE).wait_for()
    text = page.locator("#text")
    assert text.inner_text().strip() == HOSTILE_TEXT.strip()
    assert page.get_by_text("<script>alert(1)</script>").first.is_visible()
    assert page.get_by_text("<b>bold source</b>").is_visible()
    assert page.locator("#text mark").all_inner_texts() == ["Tsugaru Strait"]
    assert page.locator("img, b").count() == 0  # no injected element exists
    assert page.evaluate("document.querySelectorAll('script').length") == 0
    page.screenshot(path=str(output_dir / "document-hostile.png"), full_page=True)


def test_events_table_shows_hostile_titles_as_text_sorts_and_filters(page, site, output_dir):
    page.goto(f"{site['url']}/events")
    rows = page.locator("#events-table tbody tr")
    total = rows.count()
    assert total >= 2
    assert page.get_by_role("link", name=HOSTILE_TITLE).first.is_visible()
    assert page.locator("#events-table img").count() == 0

    page.select_option("select[name=kind]", "naval_patrol")
    visible = page.locator("#events-table tbody tr:visible")
    assert 0 < visible.count() < total
    assert set(visible.locator("td:nth-child(2)").all_inner_texts()) == {"naval patrol"}
    assert page.locator("#shown-count").inner_text() == str(visible.count())
    assert page.url.endswith("/events?kind=naval_patrol")  # shareable, and the server agrees

    page.select_option("select[name=kind]", "")
    page.fill("#text-filter", "tsugaru")
    assert visible.count() >= 1
    assert all("tsugaru" in t.lower() for t in visible.all_inner_texts())
    page.fill("#text-filter", "")
    assert visible.count() == total

    year_header = page.locator("th", has_text="Year")
    year_header.locator("button").click()
    assert year_header.get_attribute("aria-sort") == "ascending"
    years = [t for t in page.locator("tbody td:nth-child(3)").all_inner_texts() if t != "undated"]
    assert years == sorted(years)
    year_header.locator("button").click()
    years = [t for t in page.locator("tbody td:nth-child(3)").all_inner_texts() if t != "undated"]
    assert years == sorted(years, reverse=True)
    page.screenshot(path=str(output_dir / "events.png"), full_page=True)


def test_server_filtered_table_reloads_on_a_new_choice(page, site):
    page.goto(f"{site['url']}/events?kind=naval_patrol")
    filtered = page.locator("#events-table tbody tr").count()
    with page.expect_navigation():
        page.select_option("select[name=kind]", "")
    assert page.url.endswith("/events")
    assert page.locator("#events-table tbody tr").count() > filtered


def test_a_page_of_events_links_to_the_next_and_filters_on_the_server(page, site):
    page.goto(f"{site['url']}/events")
    everything = page.locator("#events-table tbody tr").count()
    page.goto(f"{site['url']}/events?limit=2")
    first = page.locator("#events-table tbody tr").evaluate_all("rows => rows.map(r => r.id)")
    assert len(first) == 2
    assert f"rows 1–2 of the {everything} selected" in page.locator("p.count").inner_text()
    with page.expect_navigation():
        page.get_by_role("link", name="Next page").click()
    second = page.locator("#events-table tbody tr").evaluate_all("rows => rows.map(r => r.id)")
    assert second and not set(second) & set(first)
    # One page of several: a choice asks the server (rows of other pages may match), and the
    # page size stays.
    with page.expect_navigation():
        page.select_option("select[name=kind]", "naval_patrol")
    assert "kind=naval_patrol" in page.url and "limit=2" in page.url and "offset" not in page.url
    kinds = page.locator("#events-table tbody td:nth-child(2)").all_inner_texts()
    assert kinds and set(kinds) == {"naval patrol"}


def test_form_adds_a_document_and_lands_on_its_events(page, site, output_dir):
    page.goto(f"{site['url']}/documents/new")
    page.fill("#text", TSUGARU)
    page.fill("#title", "Warships transit the Tsugaru Strait")
    page.fill("#published", "2024-05-14")
    page.fill("#source", "Kyodo")
    page.screenshot(path=str(output_dir / "new-document.png"), full_page=True)
    with page.expect_navigation():
        page.get_by_role("button", name="Add document").click()
    assert re.search(r"/documents/\d{3}_[0-9a-f]{16}$", page.url)
    assert page.get_by_role("status").first.inner_text().startswith("Document added")
    event = page.locator(".event").first
    assert "naval patrol" in event.inner_text()
    assert "2024-05-14" in event.inner_text()
    assert page.locator("#text mark").all_inner_texts() == ["Tsugaru Strait", "Japan"]
    href = page.locator("#text a.place").first.get_attribute("href")
    assert href.startswith("/?focus=place:tsugaru-strait&center=")
    page.screenshot(path=str(output_dir / "document-added.png"), full_page=True)


def test_form_shows_the_reason_and_keeps_the_input(page, site):
    page.goto(f"{site['url']}/documents/new")
    page.fill("#text", "   ")
    page.fill("#source", "kept")
    page.get_by_role("button", name="Add document").click()
    page.locator("#form-errors").wait_for()
    assert "empty" in page.locator("#form-errors").inner_text()
    assert page.input_value("#source") == "kept"
