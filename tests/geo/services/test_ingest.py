"""Adding documents: stored with a sidecar, layers rebuilt; refusals change nothing."""

import shutil
import subprocess
import sys
from pathlib import Path

import orjson
import pytest

from geo.build.runner import build_layers
from geo.errors import DocumentRefused
from geo.services import ingest as ingest_module
from geo.services.ingest import ingest_bytes
from geo.settings import Settings
from geo.storage.base import Store
from geo.storage.registry import open_store

ROOT = Path(__file__).resolve().parents[3]
TSUGARU = b"Chinese and Russian warships sailed through the Tsugaru Strait on Tuesday."


@pytest.fixture
def workspace(tmp_path: Path) -> tuple[Path, Path]:
    seeds, layers = tmp_path / "seeds", tmp_path / "layers"
    shutil.copytree(ROOT / "seeds", seeds, ignore=shutil.ignore_patterns("examples"))
    build_layers(seeds, layers)
    return seeds, layers


def _store(seeds: Path, layers: Path) -> Store:
    return open_store(Settings(layers_dir=layers, seeds_dir=seeds))


def _snapshot(folder: Path) -> dict[str, bytes]:
    """The documents and layers (not the write lock and pending marks, which are dotfiles)."""
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if not p.name.startswith(".")}


def test_cli_ingest_stores_the_document_and_its_event_reaches_the_layers(workspace, tmp_path):
    seeds, layers = workspace
    source = tmp_path / "tsugaru.txt"
    source.write_bytes(TSUGARU)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "drillmap.cli",
            "ingest",
            str(source),
            "--published",
            "2024-06-20",
            "--source",
            "Test wire",
            "--seeds",
            str(seeds),
            "--layers",
            str(layers),
        ],
        cwd=ROOT,
        capture_output=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    [stored] = [p for p in seeds.glob("003_*.txt")]
    sidecar = orjson.loads(stored.with_suffix(".json").read_bytes())
    assert (sidecar["title"], sidecar["published"], sidecar["source"]) == (
        "tsugaru",
        "2024-06-20",
        "Test wire",
    )
    patrols = orjson.loads((layers / "patrols.geojson").read_bytes())["features"]
    assert any(
        f["properties"]["places"] == ["Tsugaru Strait"] and f["properties"]["year"] == 2024
        for f in patrols
    )


def test_refused_document_writes_nothing(workspace):
    seeds, layers = workspace
    before = (_snapshot(seeds), _snapshot(layers))
    with pytest.raises(DocumentRefused, match="not UTF-8"):
        ingest_bytes("Mer du Japon \xe9t\xe9".encode("latin-1"), _store(seeds, layers))
    assert (_snapshot(seeds), _snapshot(layers)) == before


def test_failed_rebuild_takes_the_document_out_and_keeps_the_layers(workspace, monkeypatch):
    seeds, layers = workspace
    before = (_snapshot(seeds), _snapshot(layers))

    def broken_build(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(ingest_module, "build", broken_build)
    monkeypatch.setattr(ingest_module, "increment", broken_build)
    with pytest.raises(RuntimeError):
        ingest_bytes(TSUGARU, _store(seeds, layers))
    assert (_snapshot(seeds), _snapshot(layers)) == before


def test_a_failed_apply_keeps_the_layers_and_the_records(workspace, monkeypatch):
    from geo.storage import records_db

    seeds, layers = workspace
    before = (_snapshot(seeds), _snapshot(layers))

    def broken_apply(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(records_db, "apply", broken_apply)
    with pytest.raises(OSError, match="disk full"):
        ingest_bytes(TSUGARU, _store(seeds, layers))
    assert (_snapshot(seeds), _snapshot(layers)) == before


def test_the_same_text_twice_is_stored_once(workspace):
    seeds, layers = workspace
    first = ingest_bytes(TSUGARU, _store(seeds, layers))
    second = ingest_bytes(TSUGARU, _store(seeds, layers))
    assert (first.duplicate, second.duplicate, second.doc_id) == (False, True, first.doc_id)
