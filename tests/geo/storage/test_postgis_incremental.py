"""Incremental ingest on PostGIS: documents folded in one by one, in any order, leave the store
as a build from scratch of the same documents leaves it (every layer's features in their order,
the summaries, the evidence pages, the document entries), each ingest touching a handful of rows
in one transaction."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import psycopg
import pytest

from geo.build.records import HEAD
from geo.domain.query import FeatureQuery
from geo.services.ingest import ingest_bytes, ingest_many, rebuild
from geo.settings import Settings
from geo.storage import postgis, postgis_records
from geo.storage.base import DocumentFields, Store
from geo.storage.registry import open_store

ROOT = Path(__file__).resolve().parents[3]
CORPUS = sorted((ROOT / "seeds" / "examples" / "dev").glob("*.txt")) + sorted(
    (ROOT / "seeds").glob("*.txt")
)
SHARED = b"Chinese and Russian warships held joint drills in the Sea of Japan on Tuesday."


def _snapshot(store: Store) -> dict[str, Any]:
    """What a reader of the store can see: features in order, summaries, every evidence page,
    every document's entry and the events citing it."""
    store.features.refresh()
    features = store.features
    layers = {c["name"]: list(features.query(c["name"], FeatureQuery()).features)
              for c in features.collections()}
    evidence = {
        f["id"]: list(features.evidence(name, f["id"], limit=1000).items)
        for name, members in layers.items() for f in members
    }
    documents = [features.document(entry["id"]) for entry in features.documents()]
    cited = {d["id"]: features.events_for_document(d["id"]) for d in documents}
    return {
        "collections": features.collections(),
        "layers": layers,
        "evidence": evidence,
        "documents": documents,
        "cited": cited,
    }


def _counting(function, calls: list):
    def counted(*args):
        calls.append(args)
        return function(*args)

    return counted


def _ingest_one_by_one(store: Store, order: list[Path]) -> None:
    rebuild(store)  # an empty store, with its (empty) merge records
    for path in order:
        result = ingest_bytes(path.read_bytes(), store, title=path.stem)
        assert result.build is not None and result.build.touched is not None, path


@pytest.mark.parametrize("seed", [4, 5])
def test_one_by_one_in_any_order_is_a_build_from_scratch(postgis_dsn, seed):
    store = open_store(Settings(store=postgis_dsn))
    order = list(CORPUS)
    random.Random(seed).shuffle(order)
    _ingest_one_by_one(store, order)
    folded = _snapshot(store)
    assert sum(len(f) for f in folded["layers"].values()) > 100
    rebuild(store)  # the same documents, in the same (build) order, from scratch
    assert _snapshot(store) == folded


def test_with_no_room_between_positions_the_layer_is_renumbered(postgis_dsn, monkeypatch):
    # Positions two apart: room for one feature between two, then the layer is renumbered.
    monkeypatch.setattr(postgis, "GAP", 2)
    monkeypatch.setattr(postgis_records, "GAP", 2)
    renumbered = []
    monkeypatch.setattr(postgis_records, "_renumber", _counting(postgis_records._renumber,
                                                                renumbered))
    store = open_store(Settings(store=postgis_dsn))
    order = list(CORPUS)
    random.Random(6).shuffle(order)
    _ingest_one_by_one(store, order[:20])
    assert renumbered  # the path under test was taken
    folded = _snapshot(store)
    rebuild(store)
    assert _snapshot(store) == folded


def test_many_documents_in_one_apply_then_one_more_touch_a_few_rows(postgis_dsn):
    store = open_store(Settings(store=postgis_dsn))
    rebuild(store)
    items = [(p.read_bytes(), DocumentFields(title=p.stem), p.name) for p in CORPUS]
    outcomes, result = ingest_many(items, store)
    assert result is not None and result.touched is not None and len(outcomes) == len(CORPUS)
    with psycopg.connect(postgis_dsn) as conn:
        [(before,)] = conn.execute("SELECT version FROM store_state").fetchall()
    places = len(store.features.query("places", FeatureQuery()).features)
    one = ingest_bytes(SHARED, store)
    assert one.build is not None and one.build.touched is not None
    assert one.build.touched < 30 < places * 2  # a handful of rows, not the corpus' hundreds
    with psycopg.connect(postgis_dsn) as conn:
        [(after,)] = conn.execute("SELECT version FROM store_state").fetchall()
    assert after == before + 1  # one transaction: one new version for every server process
    assert ingest_bytes(SHARED, store).duplicate  # the same text again: nothing
    folded = _snapshot(store)
    rebuild(store)
    assert _snapshot(store) == folded


def test_a_feature_carries_a_few_entries_and_postgis_pages_them_all(postgis_dsn):
    store = open_store(Settings(store=postgis_dsn))
    rebuild(store)
    for i in range(HEAD + 3):
        ingest_bytes(SHARED + f" Report {i}.".encode(), store, title=f"report {i}")
    store.features.refresh()
    [zone] = [
        f for f in store.features.query("places", FeatureQuery()).features
        if f["properties"]["name"] == "Sea of Japan"
    ]
    props = zone["properties"]
    assert len(props["evidence"]) == HEAD and props["evidence_count"] == HEAD + 3
    page = store.features.evidence("places", zone["id"], limit=4, offset=6)
    assert page.matched == HEAD + 3
    assert [item["title"] for item in page.items] == ["report 6", "report 7"]
    # The document page finds the events citing a document past a feature's first few.
    last = store.features.document_ids()[-1]
    events = store.features.events_for_document(last)
    assert events and all(
        {e["doc_id"] for e in f["properties"]["evidence"]} == {last} for f in events
    )
    assert store.features.document(last)["mentions"]


def test_an_apply_onto_other_records_is_refused_and_the_ingest_rebuilds(postgis_dsn):
    store = open_store(Settings(store=postgis_dsn))
    rebuild(store)
    ingest_bytes(SHARED, store)
    with psycopg.connect(postgis_dsn, autocommit=True) as conn:
        conn.execute("UPDATE store_state SET records_token = 'someone-else'")
    result = ingest_bytes(SHARED + b" Again.", store)
    assert result.build is not None and result.build.touched is None  # rebuilt
    assert len(store.features.document_ids()) == 2
    assert store.merge is not None and store.merge.token() not in (None, "someone-else")


INGESTER = """
import sys
from pathlib import Path
from geo.services.ingest import ingest_bytes
from geo.settings import Settings
from geo.storage.registry import open_store
store = open_store(Settings(store=sys.argv[1]))
print("ready", flush=True)
for name in sys.argv[2:]:
    ingest_bytes(Path(name).read_bytes(), store, title=Path(name).stem)
    print("ingested", name, flush=True)
"""


def test_an_ingest_killed_at_any_point_leaves_the_store_before_or_after_it(postgis_dsn):
    import signal
    import subprocess
    import sys

    from geo.services.ingest import recover

    store = open_store(Settings(store=postgis_dsn))
    _ingest_one_by_one(store, CORPUS[:5])
    rest = [str(p) for p in CORPUS[5:]]
    finished = []
    # Kills timed from the child's own progress, not the clock, so a slow machine still sees
    # kills during the first document, between documents and inside later ones.
    for after, delay in ((0, 0.05), (0, 0.6), (1, 0.0), (1, 0.15), (2, 0.4)):
        process = subprocess.Popen(
            [sys.executable, "-c", INGESTER, postgis_dsn, *rest],
            cwd=ROOT, stdout=subprocess.PIPE, text=True,
        )
        assert process.stdout is not None and process.stdout.readline().strip() == "ready"
        done = 0
        while done < after and process.stdout.readline().startswith("ingested"):
            done += 1
        try:
            process.wait(timeout=delay)
        except subprocess.TimeoutExpired:
            process.send_signal(signal.SIGKILL)
        process.wait()
        finished.append(done + process.stdout.read().count("ingested"))
        recover(store)  # what a killed writer left, settled as the next writer would
        assert store.documents.pending() == []
        assert store.documents.list() == store.features.document_ids()
        seen = _snapshot(store)
        rebuild(store)  # the store as a build of exactly the documents it holds
        assert _snapshot(store) == seen
    assert any(0 < n < len(rest) for n in finished), finished  # kills fell between documents


def test_a_place_lists_its_first_events_and_counts_them_all_on_postgis(postgis_dsn, monkeypatch):
    from geo.build import records
    from geo.domain import features

    monkeypatch.setattr(records, "EVENTS_LISTED", 3)
    monkeypatch.setattr(features, "EVENTS_LISTED", 3)
    store = open_store(Settings(store=postgis_dsn))
    rebuild(store)
    for year in (2009, 2003, 2007, 2001, 2005):
        text = f"Russian bombers flew over the Sea of Japan in {year}, the ministry said."
        assert ingest_bytes(text.encode(), store).build.touched is not None
    folded = _snapshot(store)
    [sea] = [f for f in folded["layers"]["places"] if f["properties"]["name"] == "Sea of Japan"]
    assert sea["properties"]["event_count"] == 5 and len(sea["properties"]["event_ids"]) == 3
    rebuild(store)
    assert _snapshot(store) == folded
