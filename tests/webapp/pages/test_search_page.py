"""The search box on every page, `/search` results with escaped, marked snippets and paging, and
the document view marking `?highlight=` matches (hostile text stays text throughout)."""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import orjson
import pytest

from geo.build.runner import build_layers
from geo.settings import Settings
from webapp import REPO_ROOT, create_app

TSUGARU_ID = "900_tsugaru"
TSUGARU = (
    "Chinese and Russian warships sailed through the Tsugaru Strait on Tuesday, Japan's "
    "Defense Ministry said.\nTwo Russian Tu-95 bombers flew over the Sea of Japan.\n"
)
HOSTILE_ID = "901_hostile"
HOSTILE = (
    "<script>alert('xss')</script> Warships <img src=x onerror=alert(1)> drilled near "
    "Okinawa & Miyako.\n"
)
JAPANESE_ID = "903_japanese"
JAPANESE = "中国海軍の艦艇が東京湾の近くで演習を行った。<b>防衛省</b>が発表した。\n"
LONG_ID = "902_long"
LONG = ("Routine coastal training continued without incident.\n" * 2_000) + (
    "Then two destroyers sailed through the Tsugaru Strait at night.\n"
)
HIT = re.compile(r'<mark class="hit"(?: id="(m-\d+-\d+)")?>(.*?)</mark>', re.S)
DOC_TEXT = re.compile(r'<div class="doc-text" id="text">(.*?)</div>', re.S)
TAG = re.compile(r"<[^>]+>")


def _add(seeds: Path, doc_id: str, text: str, title: str) -> None:
    (seeds / f"{doc_id}.txt").write_text(text, encoding="utf-8")
    (seeds / f"{doc_id}.json").write_bytes(orjson.dumps({"title": title}))


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("search-page")
    seeds = root / "seeds"
    shutil.copytree(REPO_ROOT / "seeds", seeds)
    _add(seeds, TSUGARU_ID, TSUGARU, "Warships in the Tsugaru Strait")
    _add(seeds, HOSTILE_ID, HOSTILE, "<b>Hostile</b> title")
    _add(seeds, LONG_ID, LONG, "A long log")
    _add(seeds, JAPANESE_ID, JAPANESE, "東京湾の演習")
    build_layers(seeds, root / "layers")
    settings = Settings(layers_dir=root / "layers", seeds_dir=seeds)
    return create_app(settings, config={"TESTING": True}).test_client()


def _page(client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, url
    return response.get_data(as_text=True)


def _text_hits(page: str) -> list[tuple[str | None, str]]:
    """The marked matches inside the document text: (anchor, text as shown)."""
    match = DOC_TEXT.search(page)
    assert match, "no document text on the page"
    return [(a, html.unescape(TAG.sub("", t))) for a, t in HIT.findall(match.group(1))]


@pytest.mark.parametrize(
    "url", ["/documents", "/events", "/documents/new", "/search", f"/documents/{TSUGARU_ID}"]
)
def test_every_page_has_the_search_box_in_the_top_bar(client, url):
    page = _page(client, url)
    header = page[page.index('<header class="site">') : page.index("</header>")]
    assert '<form class="site-search" role="search" action="/search" method="get">' in header
    assert 'name="q"' in header


def test_the_map_has_a_search_box(client):
    page = _page(client, "/")
    assert re.search(r'drillmap\.searchBox\(\s*\w+, \{"action": "/search"', page)
    assert "/static/drillmap/search.js" in page


def test_results_mark_the_phrase_and_link_the_document_and_the_map(client):
    page = _page(client, '/search?q="tsugaru strait"')
    assert re.findall(r"<mark>(.*?)</mark>", page)[:2] == ["Tsugaru Strait", "Tsugaru Strait"]
    start = TSUGARU.index("Tsugaru Strait")
    link = f"/documents/{TSUGARU_ID}?highlight=%22tsugaru+strait%22&amp;at={start}#m-{start}-"
    assert link in page
    assert "Show the event on the map" in page
    assert re.search(r'href="/\?focus=patrols-[0-9a-f]+&amp;center=', page)
    # The box on the results page keeps what was typed, escaped.
    assert 'value="&#34;tsugaru strait&#34;"' in page


def test_hostile_text_is_escaped_before_it_is_marked(client):
    page = _page(client, "/search?q=script+alert")
    assert "<script>alert" not in page and "<img" not in page
    assert "&lt;<mark>script</mark>&gt;<mark>alert</mark>(&#39;xss&#39;)" in page
    assert "&lt;b&gt;Hostile&lt;/b&gt; title" in page


def test_a_hostile_query_is_shown_as_text(client):
    page = _page(client, "/search?q=%3Cscript%3Ealert(1)%3C/script%3E")
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


@pytest.mark.parametrize(
    ("query", "says"),
    [("", "type a word"), ('"*"', "no letters or digits"), ("x" * 10_000, "10000 characters")],
)
def test_a_bad_query_is_explained_with_the_form_kept(client, query, says):
    page = _page(client, f"/search?q={query}", status=400)
    assert re.search(rf'<p class="error" role="alert">[^<]*{says}', html.unescape(page))
    assert 'id="search-q"' in page


def test_no_hit_says_so(client):
    page = _page(client, "/search?q=zeppelin")
    assert "Nothing matches <strong>zeppelin</strong>" in page


def test_results_come_a_page_at_a_time(client):
    first = _page(client, "/search?q=Russia*&limit=2")
    assert 'rel="next"' in first and 'rel="prev"' not in first
    following = html.unescape(re.search(r'href="([^"]+)" rel="next"', first).group(1))
    second = _page(client, following)
    assert 'rel="prev"' in second
    assert "3–4 shown" in second


def test_the_document_view_marks_each_match_at_its_offsets(client):
    start = TSUGARU.index("Tsugaru Strait")
    page = _page(client, f'/documents/{TSUGARU_ID}?highlight="Tsugaru Strait"&at={start}')
    assert _text_hits(page) == [(f"m-{start}-{start + 14}", "Tsugaru Strait")]
    assert "is marked in the text: 1 match" in page
    words = _page(client, f"/documents/{TSUGARU_ID}?highlight=russia*+sea")
    # A match inside a place mention marks the whole mention (a mention is one link, unsplit).
    assert [text for _, text in _text_hits(words)] == ["Russian", "Russian", "Sea of Japan"]


def test_the_document_view_escapes_text_around_and_inside_matches(client):
    page = _page(client, f"/documents/{HOSTILE_ID}?highlight=script+img")
    assert "<script>alert" not in page and "<img" not in page
    assert [text for _, text in _text_hits(page)] == ["script", "script", "img"]
    assert '<mark class="hit" id="m-1-7">script</mark>' in page
    text = DOC_TEXT.search(page)
    assert text and html.unescape(TAG.sub("", text.group(1))) == HOSTILE  # nothing lost or added


def test_a_long_document_opens_at_the_page_holding_the_match(client):
    start = LONG.index("destroyers")
    page = _page(client, f"/documents/{LONG_ID}?highlight=destroyers&at={start}")
    assert "Text, page 3 of 3" in page
    assert _text_hits(page) == [(f"m-{start}-{start + 10}", "destroyers")]
    assert "highlight=destroyers#text" in page  # the pager keeps the marks
    first = _page(client, f"/documents/{LONG_ID}?highlight=destroyers")
    assert _text_hits(first) == [] and "0 on this page" in first


@pytest.mark.parametrize(
    ("highlight", "says"),
    [('"', "cannot be marked"), ("x" * 600, "cannot be marked"), ("zeppelin", "does not occur")],
)
def test_a_highlight_that_cannot_be_marked_is_a_notice(client, highlight, says):
    page = _page(client, f"/documents/{TSUGARU_ID}?highlight={highlight}")
    assert says in html.unescape(page)
    assert _text_hits(page) == []


@pytest.mark.parametrize("typed", ["東京湾", "東京", "防衛省 演習"])
def test_cjk_is_found_marked_and_highlighted(client, typed):
    words = typed.split()
    page = _page(client, f"/search?q={typed}")
    assert "東京湾の演習" in TAG.sub("", page)  # the title, its matches marked
    assert set(re.findall(r"<mark>(.*?)</mark>", page)) == set(words)
    link = html.unescape(re.search(rf'href="(/documents/{JAPANESE_ID}\?[^"]+)"', page).group(1))
    marked = [text for _, text in _text_hits(_page(client, link))]
    # A match inside a place mention is marked with the mention ("東京" in the place "東京湾").
    expected = sorted(words, key=JAPANESE.index)
    assert len(marked) == len(expected)
    assert all(word in text for word, text in zip(expected, marked, strict=True))
    assert "&lt;b&gt;" in _page(client, link)


def test_a_document_title_that_matches_is_marked(client):
    page = _page(client, "/search?q=warships+tsugaru")
    heading = re.search(
        rf'<a class="hit-link" href="/documents/{TSUGARU_ID}\?[^"]*">(.*?)</a>', page
    )
    assert heading
    assert heading.group(1) == "<mark>Warships</mark> in the <mark>Tsugaru</mark> Strait"
    hostile = _page(client, "/search?q=hostile+title")
    assert "&lt;b&gt;<mark>Hostile</mark>&lt;/b&gt; <mark>title</mark>" in hostile
