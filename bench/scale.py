"""Scale of the file store's pipeline: build time against corpus size, one ingest into a built
store, and extraction on 1 vs 2 Dask workers, on synthetic ~3 KB documents.

The documents are bench/extract_speed.py's (sentences of seeds/ and the dev gold set, shuffled
with a fixed seed). Each case runs in a process of its own (its time and peak RSS alone):
  - build N      every document extracted, merged and written (layers, index, records)
  - ingest 1     one new document folded into the store just built (`runner.increment`):
                 its time, the extraction of that document alone, and the rows it wrote,
                 beside the full rebuild it replaces (the build N row of the same run)
  - workers 2    the same build on a LocalCluster of 2 processes, and whether its output is
                 byte-identical to the 1-worker build
  - postgis      with --postgis-ingest N,...: the same N documents built into PostGIS (a
                 throwaway cluster, tools/pgcluster.py), then INGESTS new documents folded in
                 one by one by the PostGIS merge store (a transaction each): the median
The reference is the smallest build, measured in the same run. Timings are noisy on a shared
machine. Run: `.venv/bin/python bench/scale.py [--sizes 10000,20000,50000] [--parallel 20000]`.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def _documents(count: int, first: int = 0):
    from extract_speed import corpus, sentence_pool

    from geo.domain.model import Document, DocumentMeta

    documents = corpus(first + count, sentence_pool())[first:]
    # Ids in build order, as the file store names its documents.
    return [
        Document(DocumentMeta(f"bench-{first + i:07d}", f"seeds/bench-{first + i:07d}.txt",
                              published_year=2024), d.text)
        for i, d in enumerate(documents)
    ]


def _digest(folder: Path) -> str:
    names = sorted(p for p in folder.iterdir() if p.suffix in (".geojson", ".json", ".sqlite"))
    return hashlib.sha256(b"".join(p.read_bytes() for p in names)).hexdigest()[:12]


def _case_build(docs: int, workers: int, out: Path) -> dict:
    from geo.build.runner import build
    from geo.gazetteer.places import default_gazetteer
    from geo.storage.files import FileLayerSink

    documents = _documents(docs)
    gazetteer = default_gazetteer()
    started, cpu = time.perf_counter(), time.process_time()
    result = build(documents, FileLayerSink(out), gazetteer, workers=workers)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    sizes = {p.name: p.stat().st_size for p in out.iterdir()}
    return {
        "seconds": seconds,
        "cpu": cpu,
        "features": sum(result.counts.values()),
        "digest": _digest(out),
        "places_mb": sizes["places.geojson"] / 1e6,
        "index_mb": sizes["index.json"] / 1e6,
        "records_mb": sizes["records.sqlite"] / 1e6,
    }


def _case_ingest(docs: int, out: Path) -> dict:
    from geo.build.runner import increment
    from geo.extraction.pipeline import extract_document
    from geo.gazetteer.places import default_gazetteer
    from geo.storage.files import FileFeatureStore, FileMergeStore

    gazetteer = default_gazetteer()
    [new] = _documents(1, first=docs)
    extract_document(new, gazetteer)  # warm the matcher, as a server or CLI would have it
    started = time.perf_counter()
    extract_document(new, gazetteer)
    extraction = time.perf_counter() - started
    features = FileFeatureStore(out)
    merge = FileMergeStore(out, features)
    applied = []
    original = merge.apply

    def recording(delta):
        applied.append(delta)
        original(delta)

    merge.apply = recording  # type: ignore[method-assign]
    started, cpu = time.perf_counter(), time.process_time()
    rows = increment([new], merge, gazetteer)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    [delta] = applied
    return {
        "seconds": seconds,
        "cpu": cpu,
        "extraction": extraction,
        "rows": rows,
        "records": len(delta.records),
        "evidence": len(delta.evidence),
        "features": sum(len(f) for f in delta.features.values()),
    }


INGESTS = 5  # new documents folded in one after another into each PostGIS store


def _case_postgis_ingest(docs: int, dsn: str) -> dict:
    from geo.build.runner import build, increment
    from geo.extraction.pipeline import extract_document
    from geo.gazetteer.places import default_gazetteer
    from geo.storage.postgis import PostgisFeatureStore, PostgisLayerSink, PostgisMergeStore

    gazetteer = default_gazetteer()
    started = time.perf_counter()
    build(_documents(docs), PostgisLayerSink(dsn), gazetteer)
    built = time.perf_counter() - started
    features = PostgisFeatureStore(dsn)
    merge = PostgisMergeStore(dsn, features)
    merge.token()  # the pool's first connection, as a running CLI or server has it
    runs = []
    for new in _documents(INGESTS, first=docs):
        extract_document(new, gazetteer)  # warm the matcher, as a server or CLI would have it
        started = time.perf_counter()
        extract_document(new, gazetteer)
        extraction = time.perf_counter() - started
        started, cpu = time.perf_counter(), time.process_time()
        rows = increment([new], merge, gazetteer)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        runs.append((seconds, cpu, extraction, rows))
    seconds, cpu, extraction, rows = sorted(runs)[len(runs) // 2]  # the median ingest
    return {"seconds": seconds, "cpu": cpu, "extraction": extraction, "rows": rows,
            "build": built, "all_ms": [round(r[0] * 1000) for r in runs]}


def _postgis_rows(sizes: list[int]) -> list[tuple[str, str, str, str]]:
    """Each size built into a database of its own on one throwaway cluster, then one ingest."""
    from geo.storage.migrate import migrate
    from tools import pgcluster

    rows = []
    cluster = pgcluster.create()
    try:
        for size in sizes:
            dsn = pgcluster.create_database(cluster, f"scale_{size}")
            migrate(dsn, init=True)
            one = _run("postgis-ingest", str(size), dsn)
            rows.append((
                f"postgis: ingest 1 doc into {size:,}",
                f"{one['seconds'] * 1000:.0f} ms (CPU {one['cpu'] * 1000:.0f} ms)",
                f"extraction alone {one['extraction'] * 1000:.0f} ms; "
                f"full build into PostGIS {one['build']:.1f} s",
                f"median of {INGESTS} ingests (all: {one['all_ms']} ms); {one['rows']} rows, "
                "one transaction",
            ))
            print("...", " | ".join(rows[-1]), file=sys.stderr, flush=True)
    finally:
        pgcluster.destroy(cluster)
    return rows


def _run(*args: str) -> dict:
    """One case in a process of its own; its result and its peak RSS."""
    process = subprocess.run(
        [sys.executable, __file__, "--case", *args], capture_output=True, text=True, check=False
    )
    if process.returncode != 0:
        raise SystemExit(f"case {args} failed:\n{process.stderr[-3000:]}")
    return json.loads(process.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,20000,50000")
    parser.add_argument("--ingest", default="10000,50000", help="store sizes to ingest into")
    parser.add_argument("--parallel", type=int, default=20000, help="documents for 1 vs 2")
    parser.add_argument("--postgis-ingest", default="", help="store sizes, on PostGIS")
    parser.add_argument("--case", nargs="*", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.case:
        kind, docs, *rest = args.case
        if kind == "postgis-ingest":
            result = _case_postgis_ingest(int(docs), rest[0])
        else:
            out = Path(rest[-1])
            out.mkdir(parents=True, exist_ok=True)
            result = (
                _case_build(int(docs), int(rest[0]), out)
                if kind == "build"
                else _case_ingest(int(docs), out)
            )
        result["rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps(result))
        return 0
    sizes = [int(s) for s in args.sizes.split(",")]
    ingest_into = {int(s) for s in args.ingest.split(",") if s}
    rows = []
    with tempfile.TemporaryDirectory(prefix="drillmap-scale-") as tmp:
        reference = None
        digests = {}
        for size in sorted({*sizes, args.parallel} - {0}):
            out = Path(tmp) / f"build-{size}"
            built = _run("build", str(size), "1", str(out))
            digests[size] = built["digest"]
            reference = reference or (size, built["seconds"], built["cpu"])
            ratio = built["seconds"] / reference[1]
            rows.append(
                (
                    f"build {size:,} docs, 1 worker",
                    f"{built['seconds']:.1f} s (CPU {built['cpu']:.1f} s)",
                    f"{ratio:.2f}x the {reference[0]:,} build ({size / reference[0]:.0f}x docs); "
                    f"CPU {built['cpu'] / reference[2]:.2f}x",
                    f"{built['features']:,} features; places {built['places_mb']:.1f} MB, "
                    f"index {built['index_mb']:.1f} MB, records {built['records_mb']:.0f} MB; "
                    f"RSS {built['rss_mb']:.0f} MB",
                )
            )
            if size in ingest_into:
                one = _run("ingest", str(size), str(out))
                rows.append(
                    (
                        f"ingest 1 doc into {size:,}",
                        f"{one['seconds'] * 1000:.0f} ms (CPU {one['cpu'] * 1000:.0f} ms)",
                        f"extraction alone {one['extraction'] * 1000:.0f} ms; "
                        f"full rebuild {built['seconds']:.1f} s",
                        f"{one['rows']} rows: {one['records']} records, {one['evidence']} "
                        f"evidence, {one['features']} features",
                    )
                )
            if size == args.parallel:
                out2 = Path(tmp) / f"build-{size}-w2"
                two = _run("build", str(size), "2", str(out2))
                same = "identical" if two["digest"] == built["digest"] else "DIFFERENT"
                rows.append(
                    (
                        f"build {size:,} docs, 2 workers",
                        f"{two['seconds']:.1f} s (driver CPU {two['cpu']:.1f} s)",
                        f"speed-up {built['seconds'] / two['seconds']:.2f}x over 1 worker",
                        f"output {same} (sha {two['digest']} vs {built['digest']}); "
                        f"driver RSS {two['rss_mb']:.0f} MB",
                    )
                )
            print("...", " | ".join(rows[-1]), file=sys.stderr, flush=True)
    if args.postgis_ingest:
        rows += _postgis_rows([int(s) for s in args.postgis_ingest.split(",")])
    widths = [max(len(r[i]) for r in rows) for i in range(3)]
    header = ("case", "time", "against", "details")
    print("  ".join(h.ljust(w) for h, w in zip(header, [*widths, 0], strict=False)).rstrip())
    for row in rows:
        print("  ".join(c.ljust(w) for c, w in zip(row, [*widths, 0], strict=False)).rstrip())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
