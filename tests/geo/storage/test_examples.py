"""The example corpus in `seeds/examples/` is part of the default build, never of what a user adds,
and can be left out; the committed layers show a newcomer years of activity."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import orjson

from geo.domain.documents import EXAMPLES_DIR
from geo.domain.layers import EVENT_LAYERS
from geo.storage.base import DocumentFields
from geo.storage.files import FileDocumentStore

ROOT = Path(__file__).resolve().parents[3]
SEEDS = ROOT / "seeds"


def _tiny_seeds(tmp_path: Path) -> Path:
    seeds = tmp_path / "seeds"
    (seeds / EXAMPLES_DIR / "dev").mkdir(parents=True)
    (seeds / "000_own.txt").write_text("Chinese warships sailed through the Tsugaru Strait.\n")
    (seeds / EXAMPLES_DIR / "dev" / "044_example.txt").write_text("Bombers flew.\n")
    return seeds


def test_examples_are_listed_after_the_folders_own_documents(tmp_path):
    seeds = _tiny_seeds(tmp_path)
    assert FileDocumentStore(seeds).list() == ["000_own", "044_example"]
    assert FileDocumentStore(seeds, examples=False).list() == ["000_own"]


def test_an_added_document_is_numbered_after_the_users_own_not_the_examples(tmp_path):
    store = FileDocumentStore(_tiny_seeds(tmp_path))
    added = store.add(b"Russian bombers flew over the Sea of Japan.\n", DocumentFields())
    assert added.doc_id.startswith("001_")
    assert Path(added.location).parent == tmp_path / "seeds"


def test_an_example_document_reads_back_by_its_recorded_path(tmp_path):
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    store = FileDocumentStore(seeds)
    index = orjson.loads((ROOT / "layers" / "index.json").read_bytes())
    example = next(d for d in index["documents"] if f"/{EXAMPLES_DIR}/" in d["path"])
    assert example["path"].startswith(f"seeds/{EXAMPLES_DIR}/")
    assert store.text(example["id"], example["path"]) == (ROOT / example["path"]).read_text()


def test_the_committed_layers_show_years_of_activity():
    years: Counter[int] = Counter()
    for name in EVENT_LAYERS:
        path = ROOT / "layers" / f"{name}.geojson"
        for feature in orjson.loads(path.read_bytes())["features"]:
            if feature["properties"].get("year"):
                years[feature["properties"]["year"]] += 1
    assert sum(years.values()) >= 100, years
    assert len([year for year, count in years.items() if count >= 2]) >= 6, years
