"""Reviews with incremental ingest and bounded evidence: a correction is keyed by all of its
event's evidence (not the 5 entries a feature carries), and an ingest into a store with
corrections rebuilds every layer, so the corrections stay applied."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from geo.build.records import HEAD
from geo.build.runner import build_layers
from geo.domain.query import parse_query
from geo.domain.review import review_key, spans_of
from geo.services import review
from geo.services.ingest import ingest_bytes
from geo.settings import Settings
from geo.storage.base import Store
from geo.storage.registry import open_store
from geo.storage.reviews import CORRECTIONS_FILE, REVIEW_DIR

ROOT = Path(__file__).resolve().parents[3]
NEW = b"Chinese and Russian warships sailed through the Tsugaru Strait on Tuesday."


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """seeds/ with its example corpus, built once (copied by each test)."""
    root = tmp_path_factory.mktemp("built")
    shutil.copytree(ROOT / "seeds", root / "seeds")
    build_layers(root / "seeds", root / "layers")
    return root


@pytest.fixture
def store(built: Path, tmp_path: Path) -> Store:
    shutil.copytree(built, tmp_path, dirs_exist_ok=True)
    return open_store(Settings(layers_dir=tmp_path / "layers", seeds_dir=tmp_path / "seeds"))


def everything(store: Store, layer: str) -> list[dict]:
    return list(store.features.query(layer, parse_query({"review": "all"})).features)


def long_event(store: Store) -> dict:
    """An event with more evidence than a feature carries."""
    return next(
        f for f in everything(store, "exercises") if f["properties"]["evidence_count"] > HEAD
    )


def find(store: Store, feature_id: str) -> dict:
    return next(f for layer in ("exercises", "patrols") for f in everything(store, layer)
                if f["id"] == feature_id)


def test_the_key_is_the_full_events_and_the_feature_carries_it(store):
    target = long_event(store)
    props = target["properties"]
    assert len(props["evidence"]) == HEAD < props["evidence_count"]
    every = store.features.evidence("exercises", target["id"], limit=1000).items
    assert len(every) == props["evidence_count"]
    full = review_key(spans_of(every), props["kind"])
    assert full != review_key(spans_of(props["evidence"]), props["kind"])  # truncated: another

    outcome = review.review_event(store, "exercises", target["id"], "confirm", user="ana")
    assert outcome.correction.id == full
    assert outcome.correction.spans == spans_of(every)
    after = find(store, target["id"])
    assert after["properties"]["review"] == "confirmed"
    assert after["properties"]["review_id"] == full  # what the popup/table/form sends back
    assert review.orphaned(store) == []
    # Acting on it again (as the popup does, by layer and id) finds the same correction.
    again = review.review_event(store, "exercises", target["id"], "reject", user="ben")
    assert again.correction.id == full and len(review.corrections(store)) == 1


def places_holding(store: Store, feature_id: str) -> set[str]:
    return {
        f["id"]
        for f in store.features.query("places", parse_query({})).features
        if feature_id in f["properties"]["event_ids"]
    }


def test_an_ingest_into_a_store_with_corrections_rebuilds_and_keeps_them(store):
    target = long_event(store)
    before = places_holding(store, target["id"])
    assert before
    elsewhere = next(
        f["id"].removeprefix("places-")
        for f in store.features.query("places", parse_query({})).features
        if target["id"] not in f["properties"]["event_ids"]
    )
    review.review_event(
        store, "exercises", target["id"], "correct", user="ana",
        changes={"name": "Kept-2022", "place_ids": [elsewhere]},
    )
    # The place layers list the event where the analyst put it, not where the machine did.
    assert places_holding(store, target["id"]) == {f"places-{elsewhere}"}
    result = ingest_bytes(NEW, store, title="New", name="new")
    assert result.build is not None and result.build.touched is None  # a full rebuild
    assert result.doc_id in {entry["id"] for entry in store.features.documents()}
    after = find(store, target["id"])
    assert after["properties"]["name"] == "Kept-2022"
    assert after["properties"]["review"] == "corrected"
    assert after["properties"]["place_ids"] == [elsewhere]
    assert places_holding(store, target["id"]) == {f"places-{elsewhere}"}


def test_records_built_with_corrections_are_never_folded_into(store):
    target = long_event(store)
    review.review_event(store, "exercises", target["id"], "reject", user="ana")
    # The corrections taken away behind the store's back (no rebuild): the layers still show
    # them, and an increment must not fold into records drawn with them.
    (Path(store.details["seeds"]) / REVIEW_DIR / CORRECTIONS_FILE).write_bytes(b"")
    result = ingest_bytes(NEW, store, title="New", name="new")
    assert result.build is not None and result.build.touched is None
    assert find(store, target["id"])["properties"]["review"] == "machine"
    # Built without corrections again: the next ingest folds in.
    other = ingest_bytes(NEW.replace(b"Tuesday", b"Friday"), store, title="Other", name="other")
    assert other.build is not None and other.build.touched is not None
