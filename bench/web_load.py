"""The map page, /api and OGC items at 64 connections, each beside a bare-Flask ceiling.

One run builds a synthetic 10k-feature layer (bench/ogc_items.py's), serves drillmap with the
production server settings (webapp.server: waitress, 8 threads) and, for each target, a bare
Flask app on the same server returning that target's exact bytes: the ceiling is what the
server itself costs for that answer. Debian's wrk loads each for a bounded time (`make bench`
installs it; else a threaded Python client, which saturates earlier). Target: >= 50% of the
ceiling each. Run: `.venv/bin/python bench/web_load.py [--seconds 10] [--connections 64]`.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import ogc_items

SERVER = """
import logging
from webapp.server import make_server
logging.getLogger("waitress.queue").setLevel(logging.ERROR)
server = make_server(APP, host="127.0.0.1", port=0)
print(server.effective_port, flush=True)
server.run()
"""

CEILING = """
from pathlib import Path
from flask import Flask, Response
BODY = Path({body!r}).read_bytes()
APP = Flask("ceiling")

@APP.get("/x")
def x():
    return Response(BODY, headers={{"Content-Type": {mimetype!r}}})
"""

PATHS = (
    ("map page /", "/", "text/html; charset=utf-8"),
    ("/api layer year=2023", "/api/layers/exercises.geojson?year=2023", "application/geo+json"),
    ("OGC items limit=100", "/ogc/collections/exercises/items?limit=100", "application/geo+json"),
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--warmup", type=float, default=2.0)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--features", type=int, default=10_000)
    args = parser.parse_args(argv)
    rows = []
    with ExitStack() as stack:
        work = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="drillmap-load-")))
        layers = ogc_items.write_layers(work / "layers", args.features)
        app = ogc_items.DRILLMAP_APP.format(layers=str(layers))
        drillmap = stack.enter_context(_serve("drillmap", app))
        client = "wrk" if ogc_items.WRK.exists() else "python threads"
        print(
            f"layer: {args.features} features; drillmap on webapp.server (waitress, production "
            f"settings); {args.connections} connections, {args.seconds:g} s per target after "
            f"{args.warmup:g} s warm-up; client: {client}"
        )
        for name, path, mimetype in PATHS:
            body = ogc_items.fetch(drillmap.url + path)
            (work / "body").write_bytes(body)
            ceiling_app = CEILING.format(body=str(work / "body"), mimetype=mimetype)
            ceiling = stack.enter_context(_serve("ceiling", ceiling_app))
            pair = ((f"{name}: ceiling", ceiling.url + "/x"), (name, drillmap.url + path))
            for label, url in pair:
                target = ogc_items.Target(label, url)
                ogc_items.load(target, args.warmup, work, args.connections)
                result = ogc_items.load(target, args.seconds, work, args.connections)
                rows.append((label, result, len(body)))
                time.sleep(0.5)
    print()
    print(f"{'target':<34} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'bytes':>9} "
          f"{'vs ceiling':>10} {'errors':>6}")
    for i, (label, result, size) in enumerate(rows):
        rps = result["requests"] / result["seconds"]
        ceiling_rps = rows[i - i % 2][1]["requests"] / rows[i - i % 2][1]["seconds"]
        print(f"{label:<34} {rps:>8.1f} {result['p50']:>8.2f} {result['p99']:>8.2f} {size:>9} "
              f"{rps / ceiling_rps:>10.0%} {result['errors']:>6}")
    return 0


def _serve(name: str, app_code: str):
    """ogc_items.serve, with the production server settings instead of its fixed threads."""
    return ogc_items.serve(name, sys.executable, app_code, server_code=SERVER)


if __name__ == "__main__":
    raise SystemExit(main())
