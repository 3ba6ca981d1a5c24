"""Memory of one loaded layer in the file store: its features served as slices of the file's
bytes (now) against a serialised copy per feature (before), in the same run.

The layer is bench/ogc_items.py's synthetic exercises layer. Each way loads it in a process of
its own and reports the growth of RSS over the process before loading, and the file's size.
Run: `.venv/bin/python bench/layer_memory.py [--features 100000]`.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _case(layers: Path, copies: bool) -> dict:
    import gc

    import orjson

    from geo.domain.query import FeatureQuery
    from geo.storage import columns, files

    if copies:  # the former cache: one orjson.dumps per feature, kept
        files.line_spans = lambda data, count: None  # type: ignore[assignment]
    gc.collect()
    before = _rss_mb()
    store = files.FileFeatureStore(layers)
    page = store.query("exercises", FeatureQuery(), limit=100)
    gc.collect()
    grown = _rss_mb() - before
    layer = store.layer("exercises")
    assert isinstance(layer.columns.encoded, columns.Spans) != copies
    assert bytes(page.encoded[0]) == orjson.dumps(page.features[0])
    return {"rss_mb": grown, "file_mb": layer.path.stat().st_size / 1e6}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--features", type=int, default=100_000)
    parser.add_argument("--case", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.case:
        print(json.dumps(_case(Path(args.case[0]), args.case[1] == "copies")))
        return 0
    from ogc_items import write_layers

    with tempfile.TemporaryDirectory(prefix="drillmap-memory-") as tmp:
        layers = write_layers(Path(tmp), args.features)
        results = {}
        for way in ("copies", "spans"):
            out = subprocess.run(
                [sys.executable, __file__, "--case", str(layers), way],
                capture_output=True, text=True, check=True,
            ).stdout
            results[way] = json.loads(out.strip().splitlines()[-1])
    file_mb = results["spans"]["file_mb"]
    print(f"{'layer of ' + format(args.features, ',') + ' features':<40}{'RSS growth':>12}"
          f"{'x file':>8}")
    for way, label in (("copies", "a serialised copy per feature (before)"),
                       ("spans", "slices of the file's bytes (now)")):
        rss = results[way]["rss_mb"]
        print(f"{label:<40}{rss:>9.0f} MB{rss / file_mb:>8.1f}")
    print(f"{'the file':<40}{file_mb:>9.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
