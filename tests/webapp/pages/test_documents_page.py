"""Document pages: text shown with places marked at the build's offsets, events listed, no path
ever taken from the URL, hostile text shown as text."""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import orjson
import pytest

from geo.build.runner import build_layers
from geo.settings import Settings
from geo.storage.base import newest_first
from webapp import REPO_ROOT, create_app

KNOWN_ID = "900_known"
KNOWN_TEXT = (
    "Chinese and Russian warships sailed through the Tsugaru Strait on Tuesday.\n"
    "Later they entered the Sea of Japan, which Koreans call the East Sea, near Vladivostok.\n"
)
HOSTILE_ID = "901_hostile"
HOSTILE_TEXT = (
    "<script>alert(1)</script> Chinese and Russian warships sailed through the Tsugaru Strait "
    "on Tuesday. <img src=x onerror=alert(1)> `${alert(1)}` C:\\temp\\ </script>\n"
)
MARK = re.compile(r"<mark[^>]*>(.*?)</mark>", re.S)
DOC_TEXT = re.compile(r'<div class="doc-text" id="text">(.*?)</div>', re.S)
TAG = re.compile(r"<[^>]+>")


def _add(seeds: Path, doc_id: str, text: str, **sidecar: object) -> None:
    (seeds / f"{doc_id}.txt").write_text(text, encoding="utf-8")
    (seeds / f"{doc_id}.json").write_bytes(orjson.dumps(sidecar))


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repo's seeds plus two small documents, built by the real pipeline."""
    root = tmp_path_factory.mktemp("documents")
    seeds = root / "seeds"
    shutil.copytree(REPO_ROOT / "seeds", seeds)
    _add(
        seeds, KNOWN_ID, KNOWN_TEXT, title="Warships in the Tsugaru Strait", published="2024-05-14"
    )
    _add(
        seeds,
        HOSTILE_ID,
        HOSTILE_TEXT,
        title="<script>alert('title')</script>",
        published="2024-05-14",
        source="<b>source</b>",
        url="javascript:alert(1)",
    )
    build_layers(seeds, root / "layers")
    return root


@pytest.fixture(scope="module", params=["files", "postgis"])
def client(request, built: Path):
    """The pages on the built layers and documents: from files, then from PostGIS."""
    settings = Settings(layers_dir=built / "layers", seeds_dir=built / "seeds")
    if request.param == "postgis":
        dsn = request.getfixturevalue("postgis_database")(built / "layers", built / "seeds")
        settings = Settings(store=dsn)
    return create_app(settings, config={"TESTING": True}).test_client()


def index(built: Path) -> dict:
    """The index, each document with its mentions (the store keeps them beside the index)."""
    from geo.storage.files import FileFeatureStore

    store = FileFeatureStore(built / "layers")
    entries = orjson.loads((built / "layers" / "index.json").read_bytes())
    entries["documents"] = [store.document(d["id"]) for d in entries["documents"]]
    return entries


def marks(page: str) -> list[str]:
    """The marked place names inside the document text, in order."""
    match = DOC_TEXT.search(page)
    return [html.unescape(m) for m in MARK.findall(match.group(1))] if match else []


def shown_text(page: str) -> str:
    """The document text as the browser shows it: tags dropped, entities decoded."""
    match = DOC_TEXT.search(page)
    assert match, "no document text on the page"
    return html.unescape(TAG.sub("", match.group(1)))


def test_marks_each_place_mention_at_its_offsets(client, built):
    page = client.get(f"/documents/{KNOWN_ID}").get_data(as_text=True)
    entry = next(d for d in index(built)["documents"] if d["id"] == KNOWN_ID)
    expected = [KNOWN_TEXT[m["start"] : m["end"]] for m in entry["mentions"]]
    assert expected[:2] == ["Tsugaru Strait", "Sea of Japan"]
    assert "East Sea" in expected  # an alias is marked as the text says it
    assert marks(page)[: len(expected)] == expected
    assert shown_text(page) == KNOWN_TEXT  # slicing loses and adds nothing


def test_every_built_document_marks_exactly_its_mentions(client, built):
    for entry in index(built)["documents"]:
        page = client.get(f"/documents/{entry['id']}").get_data(as_text=True)
        text = (built / entry["path"]).read_text(encoding="utf-8")
        assert marks(page) == [text[m["start"] : m["end"]] for m in entry["mentions"]], entry["id"]
        assert shown_text(page) == text


def test_marks_link_to_the_map_centred_on_the_place(client):
    page = client.get(f"/documents/{KNOWN_ID}").get_data(as_text=True)
    link = re.search(r'<a class="place" href="([^"]+)"[^>]*><mark[^>]*>Tsugaru Strait<', page)
    assert link
    href = html.unescape(link.group(1))
    assert href.startswith("/?focus=place:tsugaru-strait&")
    center = re.search(r"center=([-\d.]+),([-\d.]+)&zoom=(\d+)", href)
    assert center
    lat, lon, zoom = float(center.group(1)), float(center.group(2)), int(center.group(3))
    assert 40 < lat < 42.5 and 139 < lon < 142 and zoom == 6


def test_lists_the_documents_events_with_evidence_highlighted(client):
    page = client.get(f"/documents/{KNOWN_ID}").get_data(as_text=True)
    assert "naval patrol" in page
    assert re.search(r'href="/\?focus=patrols-[0-9a-f]+&amp;center=', page)
    # The evidence sentence is marked in the text and the event links to it.
    assert '<span class="evidence" id="ev-0-74">Chinese and Russian' in page
    assert 'href="#ev-0-74"' in page


def test_hostile_text_title_and_url_are_shown_as_text(client):
    response = client.get(f"/documents/{HOSTILE_ID}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<script>alert" not in page
    assert "<img src=x" not in page
    assert "<b>source" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert 'href="javascript:' not in page
    assert "javascript:alert(1)" in page  # shown, not linked
    assert shown_text(page) == HOSTILE_TEXT
    assert "Tsugaru Strait" in marks(page)
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]


@pytest.mark.parametrize(
    "path",
    [
        "/documents/nope",
        "/documents/..%2F..%2Fetc%2Fpasswd",
        "/documents/../../etc/passwd",
        "/documents/%2Fetc%2Fpasswd",
        "/documents/900_known.txt",
        "/documents/900_KNOWN",
    ],
)
def test_unknown_or_path_like_ids_are_404(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert b"root:" not in response.data


def test_index_path_outside_the_seeds_folder_is_not_read(built, tmp_path):
    layers = tmp_path / "layers"
    shutil.copytree(built / "layers", layers)
    data = orjson.loads((layers / "index.json").read_bytes())
    data["documents"][0]["path"] = "../../../../../../etc/passwd"
    (layers / "index.json").write_bytes(orjson.dumps(data))
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    app = create_app(Settings(layers_dir=layers, seeds_dir=seeds), config={"TESTING": True})
    response = app.test_client().get(f"/documents/{data['documents'][0]['id']}")
    assert response.status_code == 200
    assert b"root:" not in response.data
    assert b"missing from the seeds folder" in response.data


def test_changed_text_is_shown_without_stale_marks(built, tmp_path):
    seeds = tmp_path / "seeds"
    shutil.copytree(built / "seeds", seeds)
    (seeds / f"{KNOWN_ID}.txt").write_text("Edited. " + KNOWN_TEXT, encoding="utf-8")
    app = create_app(
        Settings(layers_dir=built / "layers", seeds_dir=seeds),
        config={"TESTING": True},
    )
    page = app.test_client().get(f"/documents/{KNOWN_ID}").get_data(as_text=True)
    assert marks(page) == []
    assert "changed after the layers were built" in page
    assert shown_text(page) == "Edited. " + KNOWN_TEXT


def test_document_list_links_every_document_a_page_at_a_time(client, built):
    """Pages of `limit` documents, newest first; the next links walk them all, each once."""
    entries = index(built)["documents"]
    assert len(entries) > 100  # more than the first page
    newest = sorted(entries, key=newest_first, reverse=True)
    for limit in ("", "37"):
        seen: list[str] = []
        url = f"/documents?limit={limit}" if limit else "/documents"
        while url:
            page = client.get(url).get_data(as_text=True)
            ids = re.findall(r'<td><a href="/documents/([^"]+)">', page)
            assert 0 < len(ids) <= (int(limit) if limit else 100)
            assert f"{len(entries)} documents, newest first" in page
            seen += ids
            found = re.search(r'<a href="([^"]+)" rel="next">', page)
            url = html.unescape(found.group(1)) if found else ""
        assert seen == [e["id"] for e in newest]


@pytest.mark.parametrize("query", ["limit=0", "limit=1001", "offset=-1", "page=2"])
def test_a_bad_page_of_documents_is_refused(client, query):
    assert client.get(f"/documents?{query}").status_code == 400
