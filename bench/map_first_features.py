"""Time to the first features drawn on the map, in Debian's chromium, at 1k, 10k and 100k.

A synthetic exercises layer of N features (bench/ogc_items.py's, following the layer contract)
is served by drillmap (webapp.server); headless chromium opens `/` and the clock runs from the
navigation until the first data marker or path is in the page, and until every feature is
drawn (or a time limit), on a server that has loaded the layer once (as a running server has;
that first load is printed too). The reference measured in the same run is a 10-feature
layer: what the page costs before much data. Target: first features within 1.5 s at 100k.
Run: `.venv/bin/python bench/map_first_features.py [--sizes 1000,10000,100000]`.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import ogc_items
import orjson
from playwright.sync_api import sync_playwright

from geo.settings import Settings
from webapp import create_app
from webapp.server import make_server

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"]
# Data markers (clusters or single markers) and paths, not the basemap's.
DRAWN = """() => document.querySelectorAll(
    '.marker-cluster, .leaflet-marker-icon, .leaflet-overlay-pane path.leaflet-interactive'
).length"""
# Features the map's layers hold (the client's own registry, as the browser tests read it).
LOADED = """() => Object.values(window.drillmap && drillmap.layers || {})
    .filter(l => l.config && l.config.role !== 'basemap')
    .reduce((n, l) => n + Object.keys(l.features || {}).length, 0)"""


def measure(
    count: int, work: Path, limit_s: float
) -> tuple[float, float | None, float | None, int]:
    """(seconds the server took to load the layer on its first request, then with the server
    warm: seconds to the first data drawn, to every feature with a geometry drawn, how many)."""
    layers = ogc_items.write_layers(work / f"layers-{count}", count)
    collection = orjson.loads((layers / f"{ogc_items.LAYER}.geojson").read_bytes())
    drawable = sum(1 for f in collection["features"] if f["geometry"])
    app = create_app(Settings(layers_dir=layers), config={"ONLINE_TILES": False})
    server = make_server(app, host="127.0.0.1", port=0)
    threading.Thread(target=server.run, daemon=True).start()
    url = f"http://127.0.0.1:{server.effective_port}/"
    warming = time.perf_counter()
    ogc_items.fetch(url)  # a server loads a layer once, on its first request, then keeps it
    ogc_items.fetch(f"{url}api/layers/{ogc_items.LAYER}.geojson?limit=1")
    warm_up = time.perf_counter() - warming
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            started = time.perf_counter()
            page.goto(url, wait_until="commit")
            first = whole = None
            while time.perf_counter() - started < limit_s:
                drawn = page.evaluate(DRAWN)
                if drawn and first is None:
                    first = time.perf_counter() - started
                if first is not None and page.evaluate(LOADED) >= drawable:
                    whole = time.perf_counter() - started
                    break
                time.sleep(0.02)
            shown = page.evaluate(LOADED)
            browser.close()
    finally:
        server.close()
    return warm_up, first, whole, shown


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--limit", type=float, default=120.0, help="seconds to wait at most")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    rows = []
    with tempfile.TemporaryDirectory(prefix="drillmap-first-") as folder:
        for count in [10, *sizes]:
            rows.append((count, *measure(count, Path(folder), args.limit)))
    print(f"{'features':>9} {'server load s':>14} {'first drawn s':>14} {'all drawn s':>12} "
          f"{'drawn':>8}")
    for count, warm_up, first, whole, shown in rows:
        label = f"{count:>9}" if count > 10 else f"{'10 (ref)':>9}"
        f = f"{first:>14.2f}" if first is not None else f"{'> limit':>14}"
        w = f"{whole:>12.2f}" if whole is not None else f"{'> limit':>12}"
        print(f"{label} {warm_up:>14.2f} {f} {w} {shown:>8}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
