"""OGC items throughput: drillmap's /ogc against pygeoapi and a bare Flask ceiling.

One run builds a 10k-feature synthetic layer (following the layer contract) in a temp dir and
serves it, each app in its own process on the same WSGI server (waitress, same thread count):
  - drillmap   /ogc/collections/exercises/items?limit=100 (plain, bbox, actor=Russia, kind)
  - pygeoapi   the same layer through its GeoJSON file provider (its own venv, see below)
  - ceiling    a bare Flask route returning drillmap's plain response as prebuilt bytes
A second process (Debian's wrk, else a threaded Python client) loads each target on 127.0.0.1
for a bounded time after a warm-up, and a table is printed.

pygeoapi is installed into var/bench/pygeoapi-venv (never into the project's venv: its
dependencies would conflict). 0.21.0 is the newest release for Python 3.11; 0.22+ needs 3.12.
Run: `.venv/bin/python bench/ogc_items.py [--seconds 10] [--features 10000]`.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import textwrap
import time
import urllib.request
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import orjson
from shapely.geometry import LineString, MultiLineString, MultiPoint, Point, Polygon

from geo.domain.features import EvidenceJSON, event_feature
from geo.domain.geojson import rfc7946
from geo.domain.kinds import EVENT_KINDS
from geo.domain.model import ACTORS, Event
from geo.storage.files import collection_bytes

ROOT = Path(__file__).resolve().parents[1]
THREADS = 4
CONNECTIONS = 8
PYGEOAPI_VENV = ROOT / "var" / "bench" / "pygeoapi-venv"
PYGEOAPI_PINS = ["pygeoapi==0.21.0", "waitress==3.0.2"]
WRK = Path("/usr/bin/wrk")
LAYER = "exercises"

# -- the synthetic layer ------------------------------------------------------------------------

WORDS = [
    "ships",
    "aircraft",
    "drills",
    "strait",
    "patrol",
    "navy",
    "joint",
    "exercise",
    "destroyer",
    "bomber",
    "fighter",
    "missile",
    "coast",
    "guard",
    "frigate",
    "live-fire",
    "waters",
    "airspace",
    "surveillance",
    "carrier",
    "group",
    "reported",
    "ministry",
]


def _geometry(rng: random.Random) -> Any:
    """Mostly points near Japan and Korea; some routes, areas, and a few Bering crossings."""
    lon, lat = rng.uniform(120, 150), rng.uniform(22, 48)
    roll = rng.random()
    if roll < 0.01:
        return None
    if roll < 0.60:
        return Point(lon, lat)
    if roll < 0.80:
        return MultiPoint([(lon, lat), (lon + rng.uniform(-3, 3), lat + rng.uniform(-2, 2))])
    if roll < 0.94:
        return LineString([(lon, lat), (lon + rng.uniform(1, 6), lat + rng.uniform(-3, 3))])
    if roll < 0.99:
        w, s = lon, lat
        return Polygon([(w, s), (w, s + 1), (w + 1.5, s + 1), (w + 1.5, s)])  # clockwise
    south = rng.uniform(52, 58)
    return MultiLineString(
        [[(172.0, south), (180.0, south + 1)], [(-180.0, south + 1), (-171.0, south + 2)]]
    )


def synthetic_features(count: int, seed: int = 7) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    features = []
    for i in range(count):
        year = rng.choice([2019, 2020, 2021, 2022, 2023, 2024, 2025, None])
        dated = year is not None and rng.random() < 0.7
        month, day = rng.randint(1, 12), rng.randint(1, 25)
        start = f"{year}-{month:02d}-{day:02d}" if dated else None
        end = f"{year}-{month:02d}-{day + rng.randint(0, 3):02d}" if dated else None
        actors = sorted(rng.sample(ACTORS[:6], rng.choice([1, 1, 2, 3])), key=ACTORS.index)
        text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(20, 40)))
        fid = f"{LAYER}-{i:06d}"
        geometry = _geometry(rng)
        geometry = rfc7946(geometry) if geometry is not None else None
        doc_id = f"doc-{rng.randint(0, 999):04d}"
        evidence: EvidenceJSON = {
            "doc_id": doc_id,
            "title": f"Report {rng.randint(0, 9999)}",
            "published": start,
            "text": text,
            "start": 0,
            "end": len(text),
        }
        event = Event(
            kind=rng.choice(EVENT_KINDS),
            name=None,
            year=year,
            actors=actors,
            place_ids=["sea-of-japan"],
            evidence=[],
            confidence=round(rng.uniform(0.3, 1.0), 2),
            date_start=date.fromisoformat(start) if start else None,
            date_end=date.fromisoformat(end) if end else None,
            doc_ids=[doc_id],
        )
        feature = event_feature(
            event,
            fid=fid,
            place_names=["Sea of Japan"],
            geometry=geometry,
            evidence=[evidence],
            title=f"{'–'.join(actors)} activity {i}",
        )
        features.append(orjson.loads(orjson.dumps(feature)))  # plain JSON types, as on disk
    return features


def write_layers(root: Path, count: int) -> Path:
    features = synthetic_features(count)
    root.mkdir(parents=True, exist_ok=True)
    (root / f"{LAYER}.geojson").write_bytes(collection_bytes(features))
    entry = {
        "name": LAYER,
        "title": "Exercises (synthetic)",
        "count": len(features),
        "years": [*sorted({f["properties"]["year"] for f in features} - {None}), None],
        "actors": list(ACTORS[:6]),
        "kinds": sorted(EVENT_KINDS),
        "bbox": [-180.0, 22.0, 180.0, 60.0],
        "geometry_types": sorted({f["geometry"]["type"] for f in features if f["geometry"]}),
    }
    (root / "index.json").write_bytes(orjson.dumps({"layers": [entry], "documents": []}))
    return root


# -- the servers ----------------------------------------------------------------------------------

WAITRESS = """
import logging
from waitress.server import create_server
logging.getLogger("waitress.queue").setLevel(logging.ERROR)  # more connections than threads
server = create_server(APP, host="127.0.0.1", port=0, threads={threads})
print(server.effective_port, flush=True)
server.run()
"""

DRILLMAP_APP = """
from pathlib import Path
from geo.settings import Settings
from webapp import create_app
APP = create_app(Settings(layers_dir=Path({layers!r})))
"""

CEILING_APP = """
from pathlib import Path
from flask import Flask, Response
BODY = Path({body!r}).read_bytes()
APP = Flask("ceiling")

@APP.get("/items")
def items():
    return Response(BODY, headers={{"Content-Type": "application/geo+json"}})
"""

PYGEOAPI_APP = """
from pygeoapi.flask_app import APP
"""


@dataclass
class Server:
    name: str
    url: str
    process: subprocess.Popen


@contextmanager
def serve(
    name: str,
    python: str,
    app_code: str,
    env: dict[str, str] | None = None,
    server_code: str | None = None,
) -> Iterator[Server]:
    """Run `app_code` (which defines APP) under waitress in its own process."""
    code = textwrap.dedent(app_code) + (server_code or WAITRESS.format(threads=THREADS))
    process = subprocess.Popen(
        [python, "-c", code], cwd=ROOT, stdout=subprocess.PIPE, text=True, env=env
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        if not line:
            raise RuntimeError(f"{name} server did not start")
        yield Server(name, f"http://127.0.0.1:{int(line)}", process)
    finally:
        process.terminate()
        process.wait(timeout=10)


def ensure_pygeoapi() -> tuple[Path | None, str]:
    """The separate venv's python, installing pygeoapi there once; (None, why) if impossible."""
    python = PYGEOAPI_VENV / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(PYGEOAPI_VENV)], check=True)
    check = subprocess.run([str(python), "-c", "import pygeoapi, waitress"], capture_output=True)
    if check.returncode != 0:
        install = subprocess.run(
            [str(python), "-m", "pip", "install", "--quiet", *PYGEOAPI_PINS],
            capture_output=True,
            text=True,
        )
        if install.returncode != 0:
            return None, install.stderr.strip().splitlines()[-1]
    return python, ""


def pygeoapi_env(work: Path, layers: Path, python: Path) -> dict[str, str]:
    """A minimal pygeoapi config for the layer, and its generated OpenAPI document."""
    config = {
        "server": {
            "bind": {"host": "127.0.0.1", "port": 0},
            "url": "http://127.0.0.1",
            "mimetype": "application/json; charset=UTF-8",
            "encoding": "utf-8",
            "language": "en-US",
            "cors": False,
            "pretty_print": False,
            "limits": {"default_items": 10, "max_items": 10000},
            "map": {"url": "http://127.0.0.1/tiles/{z}/{x}/{y}.png", "attribution": "none"},
        },
        "logging": {"level": "ERROR"},
        "metadata": {
            "identification": {
                "title": "bench",
                "description": "bench",
                "keywords": ["bench"],
                "keywords_type": "theme",
                "terms_of_service": "none",
                "url": "http://127.0.0.1",
            },
            "license": {"name": "none", "url": "http://127.0.0.1"},
            "provider": {"name": "bench", "url": "http://127.0.0.1"},
            "contact": {"name": "bench", "email": "bench@localhost", "url": "http://127.0.0.1"},
        },
        "resources": {
            LAYER: {
                "type": "collection",
                "title": "Exercises (synthetic)",
                "description": "synthetic",
                "keywords": ["bench"],
                "extents": {"spatial": {"bbox": [-180, -90, 180, 90]}},
                "providers": [
                    {
                        "type": "feature",
                        "name": "GeoJSON",
                        "data": str(layers / f"{LAYER}.geojson"),
                        "id_field": "id",
                    }
                ],
            }
        },
    }
    config_path = work / "pygeoapi-config.yml"
    config_path.write_text(json.dumps(config))  # JSON is YAML
    openapi_path = work / "pygeoapi-openapi.yml"
    env = {**os.environ, "PYGEOAPI_CONFIG": str(config_path), "PYGEOAPI_OPENAPI": str(openapi_path)}
    pygeoapi_cli = python.parent / "pygeoapi"
    subprocess.run(
        [
            str(pygeoapi_cli),
            "openapi",
            "generate",
            str(config_path),
            "--output-file",
            str(openapi_path),
        ],
        check=True,
        capture_output=True,
        env=env,
    )
    return env


# -- the load -------------------------------------------------------------------------------------

# A box of 5° x 5° somewhere near Japan and Korea, new for every request, so no selection cache
# helps: this is the cost of filtering 10k features on each request.
RANDOM_BOX_LUA = """
math.randomseed(7)
request = function()
  local w, s = 120 + math.random() * 25, 22 + math.random() * 21
  return wrk.format(nil, wrk.path .. string.format("&bbox=%.2f,%.2f,%.2f,%.2f", w, s, w + 5, s + 5))
end
"""

WRK_REPORT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'RESULT {"requests": %d, "seconds": %f, "p50": %f, "p95": %f, "p99": %f, "errors": %d}\\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1e3,
    latency:percentile(95) / 1e3, latency:percentile(99) / 1e3,
    e.status + e.connect + e.read + e.write + e.timeout))
end
"""

PY_CLIENT = """
import http.client, json, random, sys, threading, time, urllib.parse
url, seconds, connections, random_box = sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), \
    sys.argv[4]
parts = urllib.parse.urlsplit(url)
path = parts.path + ("?" + parts.query if parts.query else "")
latencies, errors = [], [0]
deadline = time.perf_counter() + seconds
def worker(seed):
    rng = random.Random(seed)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    while time.perf_counter() < deadline:
        target = path
        if random_box == "1":
            w, s = 120 + rng.random() * 25, 22 + rng.random() * 21
            target += f"&bbox={w:.2f},{s:.2f},{w + 5:.2f},{s + 5:.2f}"
        t = time.perf_counter()
        conn.request("GET", target)
        response = conn.getresponse()
        response.read()
        latencies.append((time.perf_counter() - t) * 1000)
        errors[0] += response.status != 200
threads = [threading.Thread(target=worker, args=(i,)) for i in range(connections)]
start = time.perf_counter()
[t.start() for t in threads]
[t.join() for t in threads]
took = time.perf_counter() - start
latencies.sort()
pick = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))] if latencies else 0
print("RESULT " + json.dumps({"requests": len(latencies), "seconds": took, "p50": pick(0.5),
      "p95": pick(0.95), "p99": pick(0.99), "errors": errors[0]}))
"""


@dataclass(frozen=True)
class Target:
    name: str
    url: str
    random_box: bool = False


def load(
    target: Target, seconds: float, work: Path, connections: int = CONNECTIONS
) -> dict[str, float]:
    """Load a target from another process; {"requests","seconds","p50","p95","p99","errors"}
    (latencies in ms)."""
    if WRK.exists():
        script = work / ("random-box.lua" if target.random_box else "report.lua")
        script.write_text((RANDOM_BOX_LUA if target.random_box else "") + WRK_REPORT)
        command = [
            str(WRK),
            "-t2",
            f"-c{connections}",
            f"-d{max(1, round(seconds))}s",
            "--timeout",
            "30s",
            "-s",
            str(script),
            target.url,
        ]
    else:
        command = [
            sys.executable,
            "-c",
            PY_CLIENT,
            target.url,
            str(seconds),
            str(connections),
            "1" if target.random_box else "0",
        ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 120)
    line = next((s for s in result.stdout.splitlines() if s.startswith("RESULT ")), None)
    if line is None:
        raise RuntimeError(f"load on {target.url} failed: {result.stdout}{result.stderr}")
    return json.loads(line.removeprefix("RESULT "))


def fetch(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=120) as response:  # loopback only
        if response.status != 200:
            raise RuntimeError(f"{url}: HTTP {response.status}")
        return response.read()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="load per target")
    parser.add_argument("--warmup", type=float, default=2.0, help="unmeasured load first")
    parser.add_argument("--features", type=int, default=10_000)
    args = parser.parse_args(argv)

    with ExitStack() as stack:
        work = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="drillmap-bench-")))
        layers = write_layers(work / "layers", args.features)
        size_mb = (layers / f"{LAYER}.geojson").stat().st_size / 1e6
        print(
            f"layer: {args.features} features, {size_mb:.1f} MB; waitress threads={THREADS}, "
            f"{CONNECTIONS} connections, {args.seconds:g} s per target after "
            f"{args.warmup:g} s warm-up; client: {'wrk' if WRK.exists() else 'python threads'}"
        )

        drillmap = stack.enter_context(
            serve("drillmap", sys.executable, DRILLMAP_APP.format(layers=str(layers)))
        )
        items = f"{drillmap.url}/ogc/collections/{LAYER}/items?limit=100"
        body = fetch(items)
        (work / "body.json").write_bytes(body)
        ceiling = stack.enter_context(
            serve("ceiling", sys.executable, CEILING_APP.format(body=str(work / "body.json")))
        )
        targets = [
            Target("ceiling (bare Flask, same bytes)", f"{ceiling.url}/items"),
            Target("drillmap items", items),
            Target("drillmap items bbox", f"{items}&bbox=125,30,135,40"),
            Target("drillmap items bbox, new box each", items, random_box=True),
            Target("drillmap items actor=Russia", f"{items}&actor=Russia"),
            Target("drillmap items kind=naval_exercise", f"{items}&kind=naval_exercise"),
        ]
        python, why = ensure_pygeoapi()
        if python is not None:
            env = pygeoapi_env(work, layers, python)
            pygeoapi = stack.enter_context(serve("pygeoapi", str(python), PYGEOAPI_APP, env))
            pitems = f"{pygeoapi.url}/collections/{LAYER}/items?f=json&limit=100"
            # pygeoapi's GeoJSON provider compares str(property) == value, so it cannot
            # filter on the `actors` list; `kind` is its comparable property filter.
            targets += [
                Target("pygeoapi items", pitems),
                Target("pygeoapi items bbox", f"{pitems}&bbox=125,30,135,40"),
                Target("pygeoapi items kind=naval_exercise", f"{pitems}&kind=naval_exercise"),
            ]

        rows = []
        for target in targets:
            size = len(fetch(target.url)) if not target.random_box else None
            load(target, args.warmup, work)
            result = load(target, args.seconds, work)
            rows.append(
                (
                    target.name,
                    result["requests"] / result["seconds"],
                    result["p50"],
                    result["p95"],
                    size,
                    result["errors"],
                    result["requests"],
                )
            )
            time.sleep(0.5)

    ceiling_rps = rows[0][1]
    print()
    print(
        f"{'target':<38} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'bytes':>9} "
        f"{'vs ceiling':>10} {'errors':>6}"
    )
    for name, rps, p50, p95, size, errors, count in rows:
        latency = f"{p50:>8.2f} {p95:>8.2f}" if count else f"{'n/a':>8} {'n/a':>8}"
        shown = f"{size:>9}" if size is not None else f"{'~85k':>9}"
        print(f"{name:<38} {rps:>8.1f} {latency} {shown} {rps / ceiling_rps:>10.0%} {errors:>6}")
    if python is None:
        print(f"\npygeoapi not run: installing {' '.join(PYGEOAPI_PINS)} failed: {why}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
