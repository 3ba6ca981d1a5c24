"""The search index: written by build and ingest, answering words, phrases, prefixes and CJK,
offsets that point into the documents, on both stores (`searchable`); the file store's rebuilt
when missing, damaged, stale or unwritable, PostGIS's when from another version."""

from __future__ import annotations

import shutil
import sqlite3
import time
from datetime import date
from pathlib import Path

import pytest

from geo.budget import time_budget
from geo.build.runner import build_layers
from geo.domain.query import FeatureQuery
from geo.domain.search import parse_search
from geo.errors import BudgetExceeded
from geo.services.ingest import ingest_bytes, rebuild
from geo.settings import Settings
from geo.storage import fts
from geo.storage.base import Store
from geo.storage.files import FileDocumentStore
from geo.storage.fts import SEARCH_FILE
from geo.storage.registry import open_store

TSUGARU = (
    "Chinese and Russian warships sailed through the Tsugaru Strait on Tuesday, Japan's "
    "Defense Ministry said.\nTwo Russian Tu-95 bombers flew over the Sea of Japan the same day.\n"
)
JAPANESE = "中国海軍の艦艇が東京湾の近くで演習を行った。防衛省が発表した。\n"
KOREAN = "북한은 동해상으로 탄도미사일을 발사했다고 합참이 밝혔다.\n"
HOSTILE = "<script>alert('x')</script> Warships <b>drilled</b> near Okinawa & Miyako.\n"
HOSTILE_QUERIES = [
    '"', "*", "NEAR(", ")", "-", "(", "^", ":", "AND", "OR NOT", 'Tsugaru"', '"Tsugaru',
    "NEAR(Tsugaru Strait, 2)", "title:Tsugaru", "-Tsugaru", "Tsugaru*Strait", "{body}: x",
    "'; DROP TABLE entries; --", "1' OR '1'='1", "%", "_", "\\", "東", "\x00x", "x" * 500,
    "🚢 warships", "Tsugaru\u202eStrait",
]


def _write(seeds: Path, name: str, text: str, title: str) -> None:
    (seeds / f"{name}.txt").write_text(text, encoding="utf-8")
    (seeds / f"{name}.json").write_text(f'{{"title": "{title}", "published": "2024-06-20"}}')


@pytest.fixture
def folders(tmp_path: Path) -> tuple[Path, Path]:
    seeds, layers = tmp_path / "seeds", tmp_path / "layers"
    seeds.mkdir()
    _write(seeds, "100_tsugaru", TSUGARU, "Warships in the Tsugaru Strait")
    _write(seeds, "101_japanese", JAPANESE, "東京湾の演習")
    _write(seeds, "102_korean", KOREAN, "동해 발사")
    _write(seeds, "103_hostile", HOSTILE, "Hostile")
    build_layers(seeds, layers)
    return seeds, layers


@pytest.fixture(params=["files", "postgis"])
def searchable(request, folders) -> tuple[Store, dict[str, str]]:
    """The four documents on each store, under the same ids (their file names), built; and
    their texts by id."""
    texts = _texts(folders)
    if request.param == "files":
        return _store(folders), texts
    import psycopg

    dsn = request.getfixturevalue("postgis_dsn")
    with psycopg.connect(dsn, autocommit=True) as conn:
        for position, document in enumerate(FileDocumentStore(folders[0]).documents()):
            meta = document.meta
            conn.execute(
                "INSERT INTO documents (id, position, sha256, body, title, published, pending)"
                " VALUES (%s, %s, md5(%s), %s, %s, %s, false)",
                [meta.doc_id, position, document.text, document.text, meta.title,
                 meta.published],
            )
    store = open_store(Settings(store=dsn))
    rebuild(store)
    return store, texts


def _store(folders: tuple[Path, Path]) -> Store:
    seeds, layers = folders
    return open_store(Settings(layers_dir=layers, seeds_dir=seeds))


def _texts(folders: tuple[Path, Path]) -> dict[str, str]:
    return {p.stem: p.read_text(encoding="utf-8") for p in folders[0].glob("*.txt")}


def _search(store: Store, text: str, limit: int = 50, offset: int = 0):
    assert store.search is not None
    return store.search.search(parse_search(text), limit=limit, offset=offset)


def test_build_writes_the_index_for_the_layers_it_wrote(folders):
    store = _store(folders)
    path = folders[1] / SEARCH_FILE
    with sqlite3.connect(path) as db:
        meta = dict(db.execute("SELECT key, value FROM meta"))
        kinds = dict(db.execute("SELECT kind, count(*) FROM entries GROUP BY kind"))
    assert meta["version"] == store.features.version()
    assert kinds["document"] == 4
    assert kinds["evidence"] >= 1


def test_a_phrase_matches_in_order_and_its_offsets_point_into_the_text(searchable):
    store, texts = searchable
    page = _search(store, '"tsugaru strait"')
    assert page.matched >= 1
    assert {hit.doc_id for hit in page.hits} == {"100_tsugaru"}
    kinds = {hit.kind for hit in page.hits}
    assert "document" in kinds
    for hit in page.hits:
        assert [texts[hit.doc_id][s:e] for s, e in hit.matches] == ["Tsugaru Strait"]
        assert [hit.snippet[s:e] for s, e in hit.marks] == ["Tsugaru Strait"]
    assert _search(store, '"Strait Tsugaru"').matched == 0


def test_words_must_all_match(searchable):
    store, _ = searchable
    assert {h.doc_id for h in _search(store, "warships Tsugaru").hits} == {"100_tsugaru"}
    assert _search(store, "warships Vladivostok").matched == 0


def test_evidence_hits_name_their_event(searchable):
    store, texts = searchable
    evidence = [hit for hit in _search(store, "Tsugaru").hits if hit.kind == "evidence"]
    assert evidence, "the Tsugaru sentence reports an event"
    for hit in evidence:
        assert hit.layer is not None and hit.feature_id is not None
        feature = store.features.get(hit.layer, hit.feature_id)
        sentences = [e["text"] for e in feature["properties"]["evidence"]]
        assert any("Tsugaru" in sentence for sentence in sentences)
        assert [texts[hit.doc_id][s:e] for s, e in hit.matches] == ["Tsugaru"]


def test_prefix_finds_longer_words_and_a_word_does_not(searchable):
    store, texts = searchable
    page = _search(store, "bomb*")
    assert page.matched >= 1
    found = {texts[h.doc_id][s:e] for h in page.hits for s, e in h.matches}
    assert found == {"bombers"}
    assert _search(store, "bomb").matched == 0


def test_no_hit_is_an_empty_page(searchable):
    page = _search(searchable[0], "zeppelin")
    assert (page.matched, list(page.hits)) == (0, [])


@pytest.mark.parametrize("typed", HOSTILE_QUERIES)
def test_hostile_queries_never_reach_fts5_as_syntax(searchable, typed):
    store, _ = searchable
    try:
        query = parse_search(typed)
    except Exception as exc:  # refused before the index: a 400, never a crash
        assert type(exc).__name__ == "InvalidParameter"
        return
    page = _search(store, query.text)
    assert page.matched >= len(page.hits)


@pytest.mark.parametrize(
    ("typed", "doc_id", "found"),
    [
        ("東京湾", "101_japanese", "東京湾"),  # three characters: the trigram index
        ("東京", "101_japanese", "東京"),  # two: a substring scan
        ("演習 防衛省", "101_japanese", "演習"),
        ("동해상", "102_korean", "동해상"),
        ("탄도미사일을", "102_korean", "탄도미사일을"),
    ],
)
def test_cjk_is_found_as_substrings(searchable, typed, doc_id, found):
    store, texts = searchable
    page = _search(store, typed)
    assert {hit.doc_id for hit in page.hits} == {doc_id}
    spans = page.hits[0].matches
    assert found in [texts[doc_id][s:e] for s, e in spans]


def test_cjk_and_words_together_must_both_match(searchable):
    store, _ = searchable
    assert _search(store, "東京湾 Tsugaru").matched == 0
    # The Japanese document, and the sentence of the exercise it reports.
    assert {hit.doc_id for hit in _search(store, "中国海軍").hits} == {"101_japanese"}


def test_pages_cut_one_ordered_answer(searchable):
    store, _ = searchable
    whole = _search(store, "Tsugaru")
    pages = [_search(store, "Tsugaru", limit=1, offset=i).hits[0] for i in range(whole.matched)]
    assert pages == list(whole.hits)
    assert _search(store, "Tsugaru", offset=whole.matched).hits == []


def test_matches_in_one_document(searchable):
    store, texts = searchable
    assert store.search is not None
    spans = store.search.matches("100_tsugaru", parse_search("sea"))
    assert [texts["100_tsugaru"][s:e] for s, e in spans] == ["Sea"]
    assert store.search.matches("101_japanese", parse_search("sea")) == []
    assert store.search.matches("no_such_document", parse_search("sea")) == []


def test_a_missing_index_is_rebuilt(folders):
    (folders[1] / SEARCH_FILE).unlink()
    store = _store(folders)
    assert _search(store, '"Tsugaru Strait"').matched >= 1
    assert (folders[1] / SEARCH_FILE).is_file()


def test_a_damaged_index_is_rebuilt(folders):
    (folders[1] / SEARCH_FILE).write_bytes(b"not a database" * 100)
    store = _store(folders)
    assert _search(store, '"Tsugaru Strait"').matched >= 1
    with sqlite3.connect(folders[1] / SEARCH_FILE) as db:
        assert db.execute("SELECT count(*) FROM entries").fetchone()[0] > 0


def test_an_index_of_other_layers_is_stale_and_rebuilt(folders, tmp_path):
    layers = folders[1]
    other_seeds, other_layers = tmp_path / "other-seeds", tmp_path / "other-layers"
    other_seeds.mkdir()
    _write(other_seeds, "200_other", "Zeppelins drilled over the Yellow Sea.\n", "Other")
    build_layers(other_seeds, other_layers)
    shutil.copy(other_layers / SEARCH_FILE, layers / SEARCH_FILE)
    store = _store(folders)
    assert _search(store, "zeppelins").matched == 0
    assert _search(store, "Tsugaru").matched >= 1


def test_an_unwritable_folder_searches_in_memory(folders, monkeypatch):
    (folders[1] / SEARCH_FILE).unlink()

    def refuse(path, data):
        raise PermissionError(f"{path}: read-only file system")

    monkeypatch.setattr(fts, "write_atomically", refuse)
    store = _store(folders)
    assert _search(store, "Tsugaru").matched >= 1
    assert not (folders[1] / SEARCH_FILE).exists()


def test_an_ingested_document_is_searchable_at_once(folders):
    store = _store(folders)
    assert _search(store, "Kamchatka").matched == 0  # the index is open before the ingest
    added = ingest_bytes(
        b"Russian warships drilled off Kamchatka on Monday.\n",
        store,
        title="Kamchatka drills",
        published=date(2024, 7, 1),
    )
    page = _search(store, "kamchatka")
    assert added.doc_id in {hit.doc_id for hit in page.hits}
    with sqlite3.connect(folders[1] / SEARCH_FILE) as db:  # written by the ingest's build
        meta = dict(db.execute("SELECT key, value FROM meta"))
    assert meta["version"] == store.features.version()


def test_document_text_is_indexed_as_it_is(searchable):
    """The index holds text, not HTML: markup is searchable words and comes back verbatim."""
    store, texts = searchable
    (hit,) = [h for h in _search(store, "script alert").hits if h.kind == "document"]
    assert hit.snippet.startswith("<script>alert('x')</script>")
    assert [texts[hit.doc_id][s:e] for s, e in hit.matches] == ["script", "alert", "script"]


def test_a_search_past_the_time_budget_is_refused_not_damaged(folders, monkeypatch):
    store = _store(folders)
    assert _search(store, "Tsugaru").matched >= 1  # opened within no budget
    monkeypatch.setattr(fts, "PROGRESS_STEPS", 10)  # a small corpus takes few steps
    with time_budget(0.0), pytest.raises(BudgetExceeded):
        time.sleep(0.01)
        _search(store, "東京")
    with sqlite3.connect(folders[1] / SEARCH_FILE) as db:  # not taken for damage and rebuilt
        assert db.execute("SELECT count(*) FROM entries").fetchone()[0] > 0
    assert _search(store, "Tsugaru").matched >= 1


def test_a_document_another_writer_ingests_is_searched_by_a_running_reader(folders):
    reader, writer = _store(folders), _store(folders)  # a server, and `drillmap ingest`
    assert _search(reader, "Kamchatka").matched == 0
    added = ingest_bytes(b"Russian warships drilled off Kamchatka.\n", writer, title="K")
    reader.features.refresh()  # what the reader's next look at the files (within 1 s) does
    assert {hit.doc_id for hit in _search(reader, "Kamchatka").hits} == {added.doc_id}
    writer.documents.remove(added.doc_id)
    rebuild(writer)
    reader.features.refresh()
    assert _search(reader, "Kamchatka").matched == 0  # taken out again: gone from the index


def test_an_event_title_is_shown_not_searched(searchable):
    """Event titles ("China–Russia naval patrol, Tsugaru Strait") are made up by the build: an
    evidence sentence is found by its own words only, so every evidence hit has a mark."""
    store, _ = searchable
    evidence = [h for h in _search(store, "Tsugaru").hits if h.kind == "evidence"]
    assert evidence and all("patrol" in hit.title for hit in evidence)
    assert [h for h in _search(store, "patrol").hits if h.kind == "evidence"] == []
    for hit in _search(store, "Russian*").hits:
        assert hit.matches, hit


def test_a_relative_layers_folder_reopens_its_index(folders, monkeypatch):
    """`drillmap serve` names `layers` relative to the working folder."""
    seeds, layers = folders
    monkeypatch.chdir(layers.parent)
    for _ in range(2):  # the second store opens the file the first one found
        store = open_store(Settings(layers_dir=Path(layers.name), seeds_dir=Path(seeds.name)))
        assert _search(store, "Tsugaru").matched >= 1


def test_postgis_searches_an_ingested_document_at_once_and_drops_a_replaced_sentence(
    postgis_dsn, folders
):
    """On PostGIS an ingest writes its document's entries and its redrawn events' sentences in
    its own transaction: the index follows the store's version without a rebuild."""
    store = open_store(Settings(store=postgis_dsn))
    rebuild(store)
    first = ingest_bytes(TSUGARU.encode(), store, title="Tsugaru")
    assert first.build is not None and first.build.touched is not None  # folded in
    again = ingest_bytes(b"Russian warships drilled off Kamchatka. " + TSUGARU.encode(), store)
    assert again.build is not None and again.build.touched is not None
    hits = _search(store, "Kamchatka").hits
    assert {hit.doc_id for hit in hits} == {again.doc_id}
    assert any(hit.kind == "document" for hit in hits)
    # Each event's sentences in the index are the ones its feature carries, once each.
    evidence = [h for h in _search(store, '"tsugaru strait"').hits if h.kind == "evidence"]
    carried = [
        (f["id"], e["doc_id"])
        for layer in ("exercises", "patrols")
        for f in store.features.query(layer, FeatureQuery()).features
        for e in f["properties"]["evidence"]
        if "Tsugaru Strait" in e["text"]
    ]
    assert evidence and sorted((h.feature_id, h.doc_id) for h in evidence) == sorted(carried)


def test_postgis_rebuilds_an_index_of_another_version(postgis_dsn):
    import psycopg

    store = open_store(Settings(store=postgis_dsn))
    rebuild(store)
    ingest_bytes("Warships visited Đà Nẵng on Monday.\n".encode(), store, title="Visit")
    with psycopg.connect(postgis_dsn, autocommit=True) as conn:  # as after `db migrate`
        conn.execute("DELETE FROM search_entries")
        conn.execute("UPDATE store_state SET search_version = NULL")
    page = _search(store, "da nang")  # diacritics folded, as FTS5 folds them
    assert page.matched == 1
    [hit] = page.hits
    assert [hit.snippet[s:e] for s, e in hit.marks] == ["Đà", "Nẵng"]  # two words
