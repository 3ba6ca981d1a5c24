"""A build from seeds/: RFC 7946 layers, read back through GDAL, reproducible, all-or-nothing."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import orjson
import pyogrio
import pytest

from geo.build.runner import build_layers
from geo.storage import files as files_module
from geo.storage.fts import SEARCH_FILE
from geo.storage.records_db import RECORDS_FILE

ROOT = Path(__file__).resolve().parents[3]
LAYER_NAMES = ("exercises", "patrols", "zones", "places")


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("layers")
    build_layers(ROOT / "seeds", out)
    return out


def test_every_layer_reads_back_through_gdal(built):
    exercises = pyogrio.read_dataframe(built / "exercises.geojson")
    assert "Northern/Interaction-2023" in set(exercises["name"])
    assert exercises.crs.to_epsg() == 4326
    for name in LAYER_NAMES:
        info = pyogrio.read_info(built / f"{name}.geojson")
        assert info["features"] > 0, name


def test_features_carry_evidence_and_stable_ids(built):
    collection = orjson.loads((built / "exercises.geojson").read_bytes())
    for feature in collection["features"]:
        assert feature["id"] == feature["properties"]["id"]
        assert feature["properties"]["evidence"][0]["text"]
        assert "crs" not in collection


def test_rebuild_is_byte_identical(built, tmp_path):
    build_layers(ROOT / "seeds", tmp_path)
    for name in (*LAYER_NAMES, "index"):
        suffix = "json" if name == "index" else "geojson"
        assert (tmp_path / f"{name}.{suffix}").read_bytes() == (
            built / f"{name}.{suffix}"
        ).read_bytes()


def test_every_file_of_a_build_is_the_same_under_any_hash_seed(built, tmp_path):
    """Set order follows the hash seed, which changes per process: no file may show it (the
    merge records and the search database included), or builds on N workers would differ.
    Seeds 0 and 3 ordered a set of actors differently when the records file showed it."""
    code = "import sys; from pathlib import Path; from geo.build.runner import build_layers; "
    code += "build_layers(Path(sys.argv[1]), Path(sys.argv[2]))"
    names = sorted(p.name for p in built.iterdir())
    for seed in ("0", "3"):
        out = tmp_path / seed
        subprocess.run(
            [sys.executable, "-c", code, str(ROOT / "seeds"), str(out)],
            cwd=ROOT, env={**os.environ, "PYTHONHASHSEED": seed}, check=True,
        )
        assert sorted(p.name for p in out.iterdir()) == names
        for name in names:
            assert (out / name).read_bytes() == (built / name).read_bytes(), (seed, name)


def test_committed_layers_are_what_the_seeds_build(built):
    # The search database and the merge records are derived from these (and gitignored): the
    # one is rebuilt when missing, without the other an ingest rebuilds once.
    for path in sorted(p for p in built.iterdir() if p.name not in (SEARCH_FILE, RECORDS_FILE)):
        assert (ROOT / "layers" / path.name).read_bytes() == path.read_bytes(), (
            f"layers/{path.name} is stale: run `make build` and commit it"
        )


def test_a_crash_mid_build_keeps_the_previous_layers(built, tmp_path, monkeypatch):
    out = tmp_path / "layers"
    shutil.copytree(built, out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}

    def explode(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(files_module, "collection_bytes", explode)
    with pytest.raises(RuntimeError):
        build_layers(ROOT / "seeds", out)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_a_bad_document_is_quarantined_and_the_build_goes_on(built, tmp_path):
    seeds = tmp_path / "seeds"
    shutil.copytree(ROOT / "seeds", seeds)  # with the example corpus, as `built` has it
    (seeds / "zzz.txt").write_bytes(b"\xff\xfe\x00binary")
    out = tmp_path / "layers"
    build_layers(seeds, out)
    assert (out / "exercises.geojson").read_bytes() == (built / "exercises.geojson").read_bytes()
    assert not (seeds / "zzz.txt").exists()
    assert "binary" in (seeds / "quarantine" / "zzz.reason.txt").read_text()


@pytest.mark.parametrize("name", LAYER_NAMES)
def test_built_layers_pass_a_geojson_validator(built, name, geojson_problems):
    collection = orjson.loads((built / f"{name}.geojson").read_bytes())
    assert geojson_problems(collection) == {}
