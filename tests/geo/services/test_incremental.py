"""Incremental ingest: one document folded into the merge records gives the same layers as a
build from scratch, in any order of arrival; the same text twice is a no-op; features carry a
few evidence entries and the store pages the rest; extraction on Dask gives the same output."""

import random
import shutil
from pathlib import Path

import orjson
import pytest

from geo.build.records import HEAD
from geo.build.runner import build_layers
from geo.services.ingest import ingest_bytes, ingest_many, rebuild
from geo.settings import Settings
from geo.storage.base import BuiltLayers, DocumentFields, Store
from geo.storage.files import FileLayerSink
from geo.storage.registry import open_store

ROOT = Path(__file__).resolve().parents[3]
# The dev example texts and the seeds: real documents that share places and events.
CORPUS = sorted((ROOT / "seeds" / "examples" / "dev").glob("*.txt")) + sorted(
    (ROOT / "seeds").glob("*.txt")
)
SHARED = b"Chinese and Russian warships held joint drills in the Sea of Japan on Tuesday."


def _store(root: Path, layers: str = "layers") -> Store:
    return open_store(Settings(layers_dir=root / layers, seeds_dir=root / "seeds"))


def _layers(folder: Path) -> dict[str, bytes]:
    """Every layer file and the index, as bytes."""
    paths = [*sorted(folder.glob("*.geojson")), folder / "index.json"]
    return {p.name: p.read_bytes() for p in paths}


def _from_scratch(root: Path) -> dict[str, bytes]:
    build_layers(root / "seeds", root / "scratch")
    return _layers(root / "scratch")


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_one_by_one_in_any_order_is_a_build_from_scratch(tmp_path, seed):
    store = _store(tmp_path)
    rebuild(store)  # an empty store, with its (empty) merge records
    order = list(CORPUS)
    random.Random(seed).shuffle(order)
    for path in order:
        result = ingest_bytes(path.read_bytes(), store, title=path.stem)
        assert result.build is not None and result.build.touched is not None, path
    assert _layers(tmp_path / "layers") == _from_scratch(tmp_path)


def test_an_ingest_beside_the_example_corpus_is_folded_in_last(tmp_path):
    seeds = tmp_path / "seeds"
    shutil.copytree(ROOT / "seeds", seeds, ignore=shutil.ignore_patterns("holdout*"))
    store = _store(tmp_path)
    rebuild(store)
    result = ingest_bytes(SHARED, store)
    assert result.build is not None and result.build.touched is not None
    assert store.documents.build_order()[-1] == result.doc_id
    assert store.documents.list()[0] != result.doc_id  # listed among the folder's own
    assert _layers(tmp_path / "layers") == _from_scratch(tmp_path)


def test_many_documents_in_one_apply_are_a_build_from_scratch(tmp_path):
    store = _store(tmp_path)
    rebuild(store)
    first = [(p.read_bytes(), DocumentFields(title=p.stem), p.name) for p in CORPUS[:20]]
    rest = [(p.read_bytes(), DocumentFields(title=p.stem), p.name) for p in CORPUS[20:]]
    ingest_many(first, store)
    outcomes, result = ingest_many(rest, store)
    assert result is not None and result.touched is not None
    assert len(outcomes) == len(rest) and result.documents == len(CORPUS)
    assert _layers(tmp_path / "layers") == _from_scratch(tmp_path)


def test_the_same_text_again_changes_nothing(tmp_path):
    store = _store(tmp_path)
    rebuild(store)
    ingest_bytes(SHARED, store)
    before = _layers(tmp_path / "layers"), (tmp_path / "layers" / "records.sqlite").read_bytes()
    again = ingest_bytes(SHARED, store, title="another title")
    assert again.duplicate and again.build is None
    after = _layers(tmp_path / "layers"), (tmp_path / "layers" / "records.sqlite").read_bytes()
    assert after == before


def test_an_ingest_writes_only_what_the_document_touches(tmp_path):
    store = _store(tmp_path)
    rebuild(store)
    ingest_many([(p.read_bytes(), DocumentFields(title=p.stem), p.name) for p in CORPUS], store)
    result = ingest_bytes(SHARED, store)
    assert result.build is not None and result.build.touched is not None
    places = orjson.loads((tmp_path / "layers" / "places.geojson").read_bytes())["features"]
    # A handful of records, evidence rows and features, not the corpus' hundreds.
    assert result.build.touched < 30 < len(places) * 2


def test_layers_without_records_are_rebuilt_once_then_folded_into(tmp_path):
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    store = _store(tmp_path)
    rebuild(store)
    index = orjson.loads((tmp_path / "layers" / "index.json").read_bytes())
    index.pop("state")
    layers = {
        name: orjson.loads((tmp_path / "layers" / f"{name}.geojson").read_bytes())["features"]
        for name in ("exercises", "patrols", "zones", "places")
    }
    FileLayerSink(tmp_path / "layers").write(BuiltLayers(layers=layers, index=index))
    first = ingest_bytes(SHARED, store)
    assert first.build is not None and first.build.touched is None  # rebuilt: no records
    second = ingest_bytes(SHARED + b" Again.", store)
    assert second.build is not None and second.build.touched is not None
    assert _layers(tmp_path / "layers") == _from_scratch(tmp_path)


def test_a_feature_carries_a_few_entries_and_the_store_pages_them_all(tmp_path):
    store = _store(tmp_path)
    rebuild(store)
    for i in range(HEAD + 3):
        ingest_bytes(SHARED + f" Report {i}.".encode(), store, title=f"report {i}")
    [zone] = [
        f
        for f in store.features.query("places", _all()).features
        if f["properties"]["name"] == "Sea of Japan"
    ]
    props = zone["properties"]
    assert len(props["evidence"]) == HEAD
    assert props["evidence_count"] == props["n_sources"] == HEAD + 3
    page = store.features.evidence("places", zone["id"], limit=4, offset=6)
    assert page.matched == HEAD + 3
    assert [item["title"] for item in page.items] == ["report 6", "report 7"]
    everything = store.features.evidence("places", zone["id"], limit=100)
    assert everything.items[:HEAD] == props["evidence"]
    # The document page still finds every event citing a document past the first few.
    last = store.features.documents()[-1]["id"]
    events = store.features.events_for_document(last)
    assert events and all(
        {e["doc_id"] for e in f["properties"]["evidence"]} == {last} for f in events
    )
    assert store.features.document(last)["mentions"]


def test_extraction_on_two_dask_workers_gives_the_same_layers(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    for i, path in enumerate(CORPUS):
        shutil.copy(path, seeds / f"{i:03d}_{path.name}")
    build_layers(seeds, tmp_path / "one", workers=1)
    build_layers(seeds, tmp_path / "two", workers=2)
    assert _layers(tmp_path / "one") == _layers(tmp_path / "two")
    assert (tmp_path / "one" / "records.sqlite").read_bytes() == (
        tmp_path / "two" / "records.sqlite"
    ).read_bytes()


def _all():
    from geo.domain.query import FeatureQuery

    return FeatureQuery()


def _many_events_at_one_place(count: int) -> list[bytes]:
    """Reports of events at the Sea of Japan, each a year of its own (so events of their own)."""
    return [
        f"Russian bombers flew over the Sea of Japan in {2000 + i}, the ministry said.".encode()
        for i in range(count)
    ]


def test_a_place_lists_its_first_events_and_counts_them_all(tmp_path, monkeypatch):
    from geo.build import records
    from geo.domain import features

    monkeypatch.setattr(records, "EVENTS_LISTED", 3)
    monkeypatch.setattr(features, "EVENTS_LISTED", 3)
    store = _store(tmp_path)
    rebuild(store)
    for text in _many_events_at_one_place(7):
        assert ingest_bytes(text, store).build.touched is not None
    [sea] = [
        f for f in store.features.query("places", _all()).features
        if f["properties"]["name"] == "Sea of Japan"
    ]
    props = sea["properties"]
    assert props["event_count"] == 7 and len(props["event_ids"]) == 3
    assert props["event_ids"] == sorted(props["event_ids"])
    assert len(props["years"]) == 7  # every event's year, not only the listed ones'
    # The record keeps counts, not the events: its size does not grow with them.
    record = store.merge.records(["p:sea-of-japan"])["p:sea-of-japan"]
    assert set(record) == {"place_id", "evidence_count", "head", "doc_years", "event_count",
                           "years", "actors"}
    assert _layers(tmp_path / "layers") == _from_scratch(tmp_path)


def test_extractions_from_dask_workers_come_back_whole_and_in_order():
    """Workers send each extraction back without its text; the driver puts the text back."""
    from geo.build.parallel import extract_all
    from geo.storage.files import FileDocumentStore

    documents = list(FileDocumentStore(ROOT / "seeds").documents())
    serial = extract_all(documents, workers=1)
    parallel = extract_all(documents, workers=2)
    assert [x.document.meta.doc_id for x in parallel] == [d.meta.doc_id for d in documents]
    assert parallel == serial
    assert all(x.document.text for x in parallel)
