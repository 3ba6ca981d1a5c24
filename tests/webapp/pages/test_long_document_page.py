"""A long document is shown a page at a time; a map popup's link lands on the sentence's page."""

from __future__ import annotations

import re
import shutil

import orjson
import pytest

from geo.build.runner import build_layers
from geo.settings import Settings
from webapp import REPO_ROOT, create_app
from webapp.pages.documents import PAGE_CHARS

PARAGRAPH = (
    "Filler paragraph about the weather in the capital, with no activity in it at all. " * 6
).strip()
LATE = "Chinese and Russian warships sailed through the Tsugaru Strait on Tuesday."


@pytest.fixture(scope="module")
def long_site(tmp_path_factory: pytest.TempPathFactory) -> tuple:
    root = tmp_path_factory.mktemp("long")
    seeds = root / "seeds"
    shutil.copytree(REPO_ROOT / "seeds", seeds, ignore=shutil.ignore_patterns("examples"))
    filler = "\n\n".join([PARAGRAPH] * 600)  # ~300 KB
    text = f"{filler}\n\n{LATE}\n\n{filler}\n"
    (seeds / "900_long.txt").write_text(text)
    sidecar = {"title": "Long", "published": "2024-06-20"}
    (seeds / "900_long.json").write_bytes(orjson.dumps(sidecar))
    build_layers(seeds, root / "layers")
    settings = Settings(layers_dir=root / "layers", seeds_dir=seeds)
    app = create_app(settings, config={"TESTING": True})
    return app.test_client(), text


def test_a_long_text_is_split_into_pages_of_bounded_size(long_site):
    client, text = long_site
    first = client.get("/documents/900_long")
    assert first.status_code == 200
    html = first.get_data(as_text=True)
    pages = int(re.search(r"page 1 of (\d+)", html).group(1))
    assert pages == pytest.approx(len(text) / PAGE_CHARS, abs=2)
    assert len(first.data) < 3 * PAGE_CHARS
    shown = []
    for number in range(1, pages + 1):
        page = client.get(f"/documents/900_long?page={number}").get_data(as_text=True)
        body = page.split('id="text">', 1)[1].split("</div>", 1)[0]
        shown.append(re.sub(r"<[^>]+>", "", body))
    assert "".join(shown).replace("&#39;", "'") == text  # every character once, in order


def test_the_sentence_link_lands_on_the_page_that_holds_it(long_site):
    client, text = long_site
    start = text.index(LATE)
    page = client.get(f"/documents/900_long?at={start}").get_data(as_text=True)
    anchor = f'id="ev-{start}-{start + len(LATE)}"'
    assert anchor in page
    assert anchor not in client.get("/documents/900_long").get_data(as_text=True)
    first = client.get("/documents/900_long").get_data(as_text=True)
    assert re.search(rf'href="\?page=\d+#ev-{start}-{start + len(LATE)}"', first)


@pytest.mark.parametrize(
    ("query", "status"),
    [("page=0", 404), ("page=999", 404), ("page=%C2%B2", 400), ("at=-1", 400), ("page=x", 400)],
)
def test_bad_page_numbers_are_refused(long_site, query, status):
    client, _ = long_site
    assert client.get(f"/documents/900_long?{query}").status_code == status


def test_a_short_document_has_no_pager(long_site):
    client, _ = long_site
    html = client.get("/documents/000_053b0657fcaa53d4").get_data(as_text=True)
    assert "page 1 of" not in html and 'class="pager"' not in html
