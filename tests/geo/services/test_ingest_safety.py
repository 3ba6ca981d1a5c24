"""Writes across processes: none lost when they race, none half-done when a writer is killed,
and one unreadable document set aside instead of blocking every later one."""

from __future__ import annotations

import random
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import orjson
import pytest

from geo.services.ingest import ingest_bytes, rebuild, recover
from geo.settings import Settings
from geo.storage.base import Store
from geo.storage.registry import open_store

ROOT = Path(__file__).resolve().parents[3]
WRITERS = 3
INGESTS_PER_WRITER = 14
KILLS = 20

WRITER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from geo.services.ingest import ingest_bytes
    from geo.settings import Settings
    from geo.storage.registry import open_store

    seeds, layers, writer, count = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    store = open_store(Settings(seeds_dir=Path(seeds), layers_dir=Path(layers)))
    print("ready", flush=True)
    for i in range(count):
        text = f"Writer {writer} report {i}: Russian warships sailed through the Tsugaru Strait."
        ingest_bytes(text.encode(), store, title=f"{writer}-{i}")
    """
)


def _store(root: Path) -> Store:
    return open_store(Settings(seeds_dir=root / "seeds", layers_dir=root / "layers"))


@pytest.fixture
def root(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds", ignore=shutil.ignore_patterns("examples"))
    rebuild(_store(tmp_path))
    return tmp_path


def _writer(root: Path, name: str, count: int) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", WRITER, str(root / "seeds"), str(root / "layers"), name, str(count)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _consistent(root: Path) -> tuple[set[str], set[str]]:
    """The documents stored and the documents the layers were built from."""
    stored = {p.stem for p in (root / "seeds").glob("*.txt")}
    index = orjson.loads((root / "layers" / "index.json").read_bytes())
    built = {entry["id"] for entry in index["documents"]}
    cited = {
        e["doc_id"]
        for name in ("exercises", "patrols")
        for f in orjson.loads((root / "layers" / f"{name}.geojson").read_bytes())["features"]
        for e in f["properties"]["evidence"]
    }
    assert cited <= built
    return stored, built


def test_racing_writers_lose_nothing(root):
    writers = [_writer(root, f"w{n}", INGESTS_PER_WRITER) for n in range(WRITERS)]
    for process in writers:
        _, errors = process.communicate(timeout=600)
        assert process.returncode == 0, errors
    stored, built = _consistent(root)
    assert len(stored) == 3 + WRITERS * INGESTS_PER_WRITER
    assert stored == built
    titles = {orjson.loads(p.read_bytes())["title"] for p in (root / "seeds").glob("*.json")}
    expected = {f"w{n}-{i}" for n in range(WRITERS) for i in range(INGESTS_PER_WRITER)}
    assert expected <= titles
    assert _store(root).documents.pending() == []


def test_a_writer_killed_at_any_point_leaves_the_store_as_before_or_after(root):
    rng = random.Random(11)
    outcomes = {"before": 0, "after": 0}  # killed before its build was written, or after
    for kill in range(KILLS):
        process = _writer(root, f"k{kill}", 1)
        assert process.stdout is not None
        assert process.stdout.readline().strip() == "ready"
        time.sleep(rng.uniform(0.0, 0.6))
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
        recover(_store(root))  # what the next writer (or server start) does first
        stored, built = _consistent(root)
        assert stored == built, kill
        assert _store(root).documents.pending() == []
        outcomes["after" if len(stored) > 3 + outcomes["after"] else "before"] += 1
    print(f"kills: {KILLS}, settled back: {outcomes['before']}, forward: {outcomes['after']}")
    assert sum(outcomes.values()) == KILLS


def test_an_unreadable_document_is_quarantined_and_blocks_nothing(root):
    store = _store(root)
    (root / "seeds" / "zzz_bad.txt").write_bytes(b"\xff\xfe binary \x00 junk")
    result = ingest_bytes(b"Chinese bombers flew over the East China Sea on Monday.", store)
    assert not result.duplicate
    stored, built = _consistent(root)
    assert stored == built and "zzz_bad" not in stored
    [(name, reason)] = store.documents.quarantined()
    assert name == "zzz_bad" and "binary" in reason
    assert (root / "seeds" / "quarantine" / "zzz_bad.txt").exists()
