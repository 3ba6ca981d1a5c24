"""Reviewing on layers the real pipeline built from a copy of seeds/: a verdict reaches every
layer, survives a rebuild with changed rules (or is reported orphaned), and is logged."""

from __future__ import annotations

import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import orjson
import pytest

from geo.build import parallel
from geo.build.runner import build_layers
from geo.domain.model import Evidence
from geo.domain.query import FeatureQuery, parse_query
from geo.errors import InvalidParameter, NotFound
from geo.extraction.pipeline import extract_document
from geo.services import review
from geo.services.ingest import rebuild
from geo.settings import Settings
from geo.storage.base import Store
from geo.storage.registry import open_store

# The three seed documents, not the example corpus: each verdict rebuilds the layers.
NO_EXAMPLES = shutil.ignore_patterns("examples")
ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def file_store(tmp_path: Path) -> Store:
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds", ignore=NO_EXAMPLES)
    build_layers(tmp_path / "seeds", tmp_path / "layers")
    return open_store(Settings(layers_dir=tmp_path / "layers", seeds_dir=tmp_path / "seeds"))


@pytest.fixture(params=["files", "postgis"])
def store(request, tmp_path: Path) -> Store:
    """The seeds' layers on each store: reviewing is the same on files and on PostGIS."""
    if request.param == "files":
        return request.getfixturevalue("file_store")
    from geo.services.ingest import import_documents
    from geo.storage.files import FileDocumentStore

    shutil.copytree(ROOT / "seeds", tmp_path / "seeds", ignore=NO_EXAMPLES)
    pg = open_store(Settings(store=request.getfixturevalue("postgis_dsn")))
    import_documents(FileDocumentStore(tmp_path / "seeds").documents(), pg)
    return pg


def everything(store: Store, layer: str) -> list[dict]:
    return list(store.features.query(layer, parse_query({"review": "all"})).features)


def by_key(store: Store, key: str) -> dict | None:
    for layer in ("exercises", "patrols"):
        for feature in everything(store, layer):
            if feature["properties"].get("review_id") == key:
                return feature
    return None


def first_exercise(store: Store) -> dict:
    return everything(store, "exercises")[0]


def test_a_correction_reaches_the_layers_and_moves_the_event_to_its_kinds_layer(store):
    target = first_exercise(store)
    outcome = review.review_event(
        store,
        "exercises",
        target["id"],
        "correct",
        user="ana",
        changes={
            "kind": "air_patrol",
            "name": "Checked name",
            "year": "2021",
            "actors": ["Russia"],
            "place_ids": ["korea-strait", "sea-of-japan"],
        },
        note="read the original",
    )
    assert (outcome.layer, outcome.correction.status) == ("patrols", "corrected")
    moved = store.features.get("patrols", outcome.feature_id)
    props = moved["properties"]
    assert (props["kind"], props["name"], props["year"]) == ("air_patrol", "Checked name", 2021)
    assert props["places"] == ["Korea Strait", "Sea of Japan"]  # in the order given
    assert moved["geometry"]["type"] == "LineString"  # a route now, drawn through them
    assert (props["review"], props["review_note"]) == ("corrected", "read the original")
    assert target["id"] not in {f["id"] for f in everything(store, "exercises")}
    assert props["evidence"] == target["properties"]["evidence"]  # the machine's evidence


def test_a_rejected_event_leaves_the_default_answers_but_not_review_all(store):
    target = first_exercise(store)
    review.review_event(store, "exercises", target["id"], "reject", user="ana")
    default = [f["id"] for f in store.features.query("exercises", FeatureQuery()).features]
    rejected = store.features.query("exercises", parse_query({"review": "rejected"})).features
    assert target["id"] not in default
    assert [f["id"] for f in rejected] == [target["id"]]
    # It stays in the document's events (marked), so an analyst can take it back.
    doc_id = target["properties"]["evidence"][0]["doc_id"]
    mine = {f["id"]: f["properties"]["review"] for f in store.features.events_for_document(doc_id)}
    assert mine[target["id"]] == "rejected"
    review.review_event(store, "exercises", target["id"], "reset", user="ana")
    assert target["id"] in [
        f["id"] for f in store.features.query("exercises", FeatureQuery()).features
    ]


def shifted_extractor(monkeypatch, chars: int) -> None:
    """New rules: every event's evidence starts `chars` earlier (a longer clause)."""

    def extract(document, gazetteer):
        extraction = extract_document(document, gazetteer)
        for event in extraction.events:
            event.evidence = [
                Evidence(
                    e.doc_id,
                    document.text[max(0, e.start - chars) : e.end],
                    max(0, e.start - chars),
                    e.end,
                )
                for e in event.evidence
            ]
        return extraction

    monkeypatch.setattr(parallel, "extract_document", extract)  # serial extraction


def test_a_correction_survives_a_rebuild_whose_rules_move_the_evidence(store, monkeypatch):
    target = first_exercise(store)
    outcome = review.review_event(
        store,
        "exercises",
        target["id"],
        "correct",
        user="ana",
        changes={"name": "Survivor-2023"},
    )
    key = outcome.correction.id
    shifted_extractor(monkeypatch, 25)
    result = rebuild(store)
    assert result.orphaned == []
    after = by_key(store, key)
    assert after is not None and after["properties"]["name"] == "Survivor-2023"
    moved = {(e["doc_id"], e["start"], e["end"]) for e in after["properties"]["evidence"]}
    shifted = {
        (e["doc_id"], max(0, e["start"] - 25), e["end"]) for e in target["properties"]["evidence"]
    }
    assert shifted <= moved  # the same event, its evidence moved by the new rules
    assert review.orphaned(store) == []


def test_a_correction_whose_event_the_new_rules_drop_is_orphaned(
    file_store, monkeypatch, tmp_path
):
    target = first_exercise(file_store)
    outcome = review.review_event(file_store, "exercises", target["id"], "confirm", user="ana")
    key = outcome.correction.id
    spans = {(e["doc_id"], e["start"]) for e in target["properties"]["evidence"]}

    def extract(document, gazetteer):
        extraction = extract_document(document, gazetteer)
        extraction.events[:] = [
            e for e in extraction.events if not {(x.doc_id, x.start) for x in e.evidence} & spans
        ]
        return extraction

    monkeypatch.setattr(parallel, "extract_document", extract)  # serial extraction
    result = rebuild(file_store)
    assert [c.id for c in result.orphaned] == [key]
    assert [c.id for c in review.orphaned(file_store)] == [key]
    assert [c.id for c in review.corrections(file_store)] == [key]  # kept, not dropped
    index = orjson.loads((Path(file_store.details["layers"]) / "index.json").read_bytes())
    assert index["review"] == {"corrections": 1, "orphaned": [key]}
    monkeypatch.undo()
    rebuild(file_store)  # the old rules find the event again: the correction applies again
    assert review.orphaned(file_store) == [] and by_key(file_store, key) is not None


def test_every_change_is_in_the_audit_log_with_who_before_and_after(store):
    target = first_exercise(store)
    review.review_event(store, "exercises", target["id"], "confirm", user="ana", note="ok")
    review.review_event(store, "exercises", target["id"], "reject", user="ben")
    review.review_event(store, "exercises", target["id"], "reset", user="cy")
    log = store.reviews.audit()
    assert [(e["user"], e["action"]) for e in log] == [
        ("ana", "confirmed"),
        ("ben", "rejected"),
        ("cy", "reset"),
    ]
    assert log[0]["before"] is None and log[0]["after"]["note"] == "ok"
    assert log[1]["before"]["status"] == "confirmed" and log[1]["after"]["status"] == "rejected"
    assert log[2]["after"] is None and all(e["at"] for e in log)
    assert review.corrections(store) == []


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"kind": "picnic"}, "unknown kind"),
        ({"actors": ["Atlantis"]}, "unknown actor"),
        ({"place_ids": ["nowhere-at-all"]}, "no gazetteer place"),
        ({"year": "20x3"}, "year"),
        ({"date_start": "2024-07-09", "date_end": "2024-07-01"}, "after"),
        ({"evidence": []}, "unknown field"),
    ],
)
def test_bad_corrections_are_refused_and_change_nothing(store, changes, message):
    target = first_exercise(store)
    with pytest.raises(InvalidParameter, match=message):
        review.review_event(store, "exercises", target["id"], "correct", user="a", changes=changes)
    assert review.corrections(store) == [] and store.reviews.audit() == []


def test_unknown_layers_features_and_actions_are_refused(store):
    with pytest.raises(NotFound):
        review.review_event(store, "places", "places-x", "confirm", user="a")
    with pytest.raises(NotFound):
        review.review_event(store, "exercises", "exercises-nope", "confirm", user="a")
    with pytest.raises(InvalidParameter):
        review.review_event(store, "exercises", first_exercise(store)["id"], "approve", user="a")


def test_the_queue_is_unreviewed_events_least_confident_first(store):
    queue = review.queue(store)
    confidences = [f["properties"]["confidence"] for f in queue]
    assert confidences == sorted(confidences) and len(queue) > 2
    review.review_event(store, queue[0]["properties"]["layer"], queue[0]["id"], "confirm", user="a")
    assert queue[0]["id"] not in {f["id"] for f in review.queue(store)}


def _cli(store: Store, *args: str) -> subprocess.CompletedProcess:
    where = ["--seeds", store.details["seeds"], "--layers", store.details["layers"]]
    return subprocess.run(
        [sys.executable, "-m", "drillmap.cli", "review", *args, *where],
        cwd=ROOT,
        capture_output=True,
        timeout=120,
    )


def test_cli_export_then_import_is_idempotent_and_lists_orphans(file_store, tmp_path):
    target = first_exercise(file_store)
    review.review_event(file_store, "exercises", target["id"], "reject", user="ana", note="dup")
    exported = tmp_path / "corrections.jsonl"
    assert _cli(file_store, "export", str(exported)).returncode == 0
    line = orjson.loads(exported.read_bytes().splitlines()[0])
    assert (line["status"], line["note"], line["user"]) == ("rejected", "dup", "ana")

    again = _cli(file_store, "import", str(exported))
    assert again.returncode == 0 and b"0 new, 0 changed, 1 unchanged" in again.stdout
    assert len(file_store.reviews.audit()) == 1  # nothing was written

    # Into a fresh copy of the seeds: the import applies it there.
    (Path(file_store.details["seeds"]) / "review" / "corrections.jsonl").unlink()
    fresh = _cli(file_store, "import", str(exported))
    assert b"1 new" in fresh.stdout and b"layers rebuilt" in fresh.stdout
    file_store.features.refresh()
    assert target["id"] not in [
        f["id"] for f in file_store.features.query("exercises", FeatureQuery()).features
    ]

    # A correction of an event no document reports any more: listed as orphaned.
    ghost = {**line, "evidence": [{"doc_id": "999_gone", "start": 0, "end": 10}]}
    ghost.pop("id")
    ghost_file = tmp_path / "ghost.jsonl"
    ghost_file.write_bytes(orjson.dumps(ghost) + b"\n")
    imported = _cli(file_store, "import", str(ghost_file))
    assert b"orphaned" in imported.stderr
    listed = _cli(file_store, "list", "--orphaned")
    assert listed.returncode == 0
    rows = listed.stdout.decode().splitlines()
    assert len(rows) == 1 and "ORPHANED" in rows[0] and "rejected" in rows[0]
    assert len(_cli(file_store, "list").stdout.decode().splitlines()) == 2
    where = ["--seeds", file_store.details["seeds"], "--layers", file_store.details["layers"]]
    built = subprocess.run(
        [sys.executable, "-m", "drillmap.cli", "build", "--quiet", *where],
        cwd=ROOT,
        capture_output=True,
        timeout=120,
    )
    assert built.returncode == 0 and built.stderr.count(b"is orphaned") == 1


def test_cli_import_refuses_a_bad_line_and_writes_nothing(file_store, tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"status": "rejected"}\n')
    result = _cli(file_store, "import", str(bad))
    assert result.returncode == 2 and b"line 1" in result.stderr
    assert review.corrections(file_store) == []


def test_an_identical_correction_is_still_keyed_after_unrelated_documents_arrive(store):
    from geo.services.ingest import ingest_bytes

    target = first_exercise(store)
    key = review.review_event(store, "exercises", target["id"], "confirm", user="a").correction.id
    ingest_bytes(
        b"Chinese and Russian warships sailed through the Tsugaru Strait on Tuesday.",
        store,
        published=None,
    )
    assert by_key(store, key)["id"] == target["id"]
    assert replace(review.corrections(store)[0]).id == key
