"""OGC items on the PostGIS store against the file store and tipg, side by side in one run.

One run starts a throwaway PostgreSQL + PostGIS (tools/pgcluster.py), loads N synthetic event
features (bench/ogc_items.py's generator, the layer contract) into drillmap's schema, and serves:
  - drillmap on PostGIS   /ogc/collections/exercises/items?limit=100&kind=...&bbox=<random box>
  - drillmap on files     the same request on a file-store layer (of --file-features, default
                          100,000: the file store holds the whole layer in memory, 11 GB at 1M)
  - tipg                  the same `features` table (tipg 1.6.1, uvicorn, from the bench extra)
each in its own process; wrk (Debian) loads each for --seconds after a warm-up. The bbox is a
new random --box° square near Japan and Korea on every request (no cache helps) and the kind
one of the event kinds. Then the RSS of the drillmap-on-PostGIS server process after the load.

Run: `.venv/bin/pip install -e '.[bench]' && .venv/bin/python bench/ogc_postgis.py
[--features 1000000] [--seconds 10]`.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import orjson
import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ogc_items import (
    LAYER,
    Target,
    fetch,
    load,
    serve,
    synthetic_features,
)

from geo.domain.features import layer_summary
from geo.domain.kinds import EVENT_KINDS
from geo.domain.model import ACTORS
from geo.storage.files import collection_bytes
from geo.storage.migrate import migrate
from geo.storage.postgis_rows import BODY_COLUMNS, EVIDENCE_COLUMNS, FEATURE_COLUMNS, feature_row
from tools import pgcluster

CHUNK = 50_000
KIND = "naval_exercise"

RANDOM_BOX_LUA = """
math.randomseed(7)
request = function()
  local w, s = 120 + math.random() * (30 - {box}), 22 + math.random() * (26 - {box})
  return wrk.format(nil, wrk.path .. string.format("&bbox=%.2f,%.2f,%.2f,%.2f", w, s,
    w + {box}, s + {box}))
end
"""

DRILLMAP_APP = """
from geo.settings import Settings
from webapp import create_app
APP = create_app(Settings(store={store!r}, layers_dir={layers!r}))
"""

TIPG_SERVER = """
import socket, sys, uvicorn
from tipg.main import app
sock = socket.socket()
sock.bind(("127.0.0.1", 0))
print(sock.getsockname()[1], flush=True)
uvicorn.Config  # noqa: B018
server = uvicorn.Server(uvicorn.Config(app, log_level="error", access_log=False))
server.run(sockets=[sock])
"""


def fast_features(count: int, seed: int, first_position: int) -> list[dict[str, Any]]:
    """`count` features shaped like bench/ogc_items.py's (one made by the build's own
    event_feature per 1,000, the others copies of it with new ids, places, years, actors,
    kinds and dates): points (85%) and two-point routes, near Japan and Korea."""
    rng = random.Random(seed)
    templates = synthetic_features(max(1, count // 1000), seed=seed)
    out = []
    for i in range(count):
        base = templates[i % len(templates)]
        fid = f"{LAYER}-{first_position + i:07d}"
        lon, lat = round(rng.uniform(120, 150), 6), round(rng.uniform(22, 48), 6)
        if rng.random() < 0.85:
            geometry = {"type": "Point", "coordinates": [lon, lat]}
            bbox = [lon, lat, lon, lat]
        else:
            lon2, lat2 = round(lon + rng.uniform(0.1, 4), 6), round(lat + rng.uniform(-2, 2), 6)
            geometry = {"type": "LineString", "coordinates": [[lon, lat], [lon2, lat2]]}
            bbox = [lon, min(lat, lat2), lon2, max(lat, lat2)]
        year = rng.choice([2019, 2020, 2021, 2022, 2023, 2024, 2025, None])
        dated = year is not None and rng.random() < 0.7
        month, day = rng.randint(1, 12), rng.randint(1, 25)
        props = {
            **base["properties"],
            "id": fid,
            "kind": rng.choice(EVENT_KINDS),
            "year": year,
            "years": [year],
            "date_start": f"{year}-{month:02d}-{day:02d}" if dated else None,
            "date_end": f"{year}-{month:02d}-{day + rng.randint(0, 3):02d}" if dated else None,
            "actors": sorted(rng.sample(ACTORS[:6], rng.choice([1, 1, 2, 3])), key=ACTORS.index),
        }
        out.append({"type": "Feature", "id": fid, "bbox": bbox, "geometry": geometry,
                    "properties": props})
    return out


def load_postgis(dsn: str, count: int) -> float:
    """Stream `count` features into drillmap's tables with COPY, in chunks (the rows made by
    the store's own `feature_row`); seconds taken."""
    started = time.perf_counter()
    sample: list = []
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("DELETE FROM layers")
        conn.execute(
            "INSERT INTO layers (name, position, summary, property_names) VALUES (%s, 0, '{}', %s)",
            [LAYER, []],
        )
        position = 0
        for start in range(0, count, CHUNK):
            features = fast_features(min(CHUNK, count - start), start + 7, position)
            with conn.transaction(), conn.cursor() as cursor:
                rows = [feature_row(LAYER, position + i, f) for i, f in enumerate(features)]
                position += len(features)
                with cursor.copy(f"COPY features ({', '.join(FEATURE_COLUMNS)}) FROM STDIN") as cp:
                    for row, _ in rows:
                        cp.write_row(row)
                bodies = f"COPY feature_bodies ({', '.join(BODY_COLUMNS)}) FROM STDIN"
                with cursor.copy(bodies) as cp:
                    for _, body in rows:
                        cp.write_row(body)
                with cursor.copy(f"COPY evidence ({', '.join(EVIDENCE_COLUMNS)}) FROM STDIN") as cp:
                    for feature in features:
                        for k, e in enumerate(feature["properties"]["evidence"]):
                            cp.write_row((LAYER, feature["id"], k, e["doc_id"], e["start"],
                                          e["end"], e["text"]))
            sample = sample or features
            print(f"  loaded {position:,} features ({time.perf_counter() - started:.0f} s)",
                  file=sys.stderr, flush=True)
        summary = {**layer_summary(LAYER, sample), "count": count}
        conn.execute(
            "UPDATE layers SET summary = %s, property_names = %s WHERE name = %s",
            [orjson.dumps(summary).decode(), list(sample[0]["properties"]), LAYER],
        )
        conn.execute("UPDATE store_state SET version = version + 1, modified = now()")
        # The sink writes a layer's rows by kind, then in Z-order (postgis_rows.write_order);
        # loaded in chunks, they are put in that order here as a build's write would leave
        # them (a geohash is a Z-order code).
        print("  clustering by kind and Z-order...", file=sys.stderr, flush=True)
        conn.execute("CREATE INDEX features_write_order ON features "
                     "(layer, kind, ST_GeoHash(ST_Centroid(geom), 10))")
        conn.execute("CLUSTER features USING features_write_order")
        conn.execute("DROP INDEX features_write_order")
        for table in ("features", "feature_bodies", "evidence"):
            conn.execute(f"VACUUM ANALYZE {table}")
    return time.perf_counter() - started


def write_file_layers(root: Path, count: int) -> Path:
    """The file store's layer: the same kind of features, written as `drillmap build` would."""
    features = fast_features(count, 7, 0)
    root.mkdir(parents=True, exist_ok=True)
    (root / f"{LAYER}.geojson").write_bytes(collection_bytes(features))
    index = {"layers": [layer_summary(LAYER, features)], "documents": []}
    (root / "index.json").write_bytes(orjson.dumps(index))
    return root


def open_cluster(keep: Path | None, stack: ExitStack) -> tuple[pgcluster.Cluster, int]:
    """A new throwaway cluster with the schema, or the kept one (started; stopped at the end);
    and how many features it holds already."""
    if keep is None:
        cluster = pgcluster.create()
        stack.callback(pgcluster.destroy, cluster)
    elif (keep / "data" / "PG_VERSION").exists():
        cluster = pgcluster.Cluster(keep.resolve(), int((keep / "port").read_text()))
        cluster.start()
        stack.callback(cluster.stop)
    else:
        cluster = pgcluster.create(keep)
        (keep / "port").write_text(str(cluster.port))
        stack.callback(cluster.stop)
    dsn = cluster.dsn()
    with psycopg.connect(dsn, autocommit=True) as conn:
        if conn.execute("SELECT to_regclass('features')").fetchone()[0] is None:
            migrate(dsn, init=True)
        [(count,)] = conn.execute("SELECT count(*) FROM features").fetchall()
    return cluster, count


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--features", type=int, default=1_000_000)
    parser.add_argument("--file-features", type=int, default=100_000)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--box", type=float, default=2.0, help="bbox side in degrees")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument(
        "--keep", type=Path, default=None,
        help="a cluster folder kept between runs (loaded once; e.g. var/bench/postgres)",
    )
    args = parser.parse_args()
    try:
        import tipg  # noqa: F401
        import uvicorn  # noqa: F401
    except ImportError:
        print("tipg is not installed: .venv/bin/pip install -e '.[bench]'", file=sys.stderr)
        return 2

    with ExitStack() as stack, tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        cluster, loaded = open_cluster(args.keep, stack)
        dsn = cluster.dsn()
        load_seconds = float("nan")
        if loaded != args.features:
            print(f"loading {args.features:,} features into PostGIS...", file=sys.stderr)
            load_seconds = load_postgis(dsn, args.features)
        with psycopg.connect(dsn) as conn:
            [(size,)] = conn.execute(
                "SELECT pg_size_pretty(pg_total_relation_size('features'))"
            ).fetchall()
        layers = write_file_layers(work / "layers", args.file_features)

        tipg_env = {
            **os.environ,
            "DATABASE_URL": dsn,
            "TIPG_DB_TABLES": '["public.features"]',
            "TIPG_TABLE_CONFIG__public_features__pk": "id",
            "TIPG_TABLE_CONFIG__public_features__geomcol": "geom",
            "TIPG_DB_SPATIAL_EXTENT": "false",
            "TIPG_DB_DATETIME_EXTENT": "false",
            "TIPG_MAX_FEATURES_PER_QUERY": "10000",
        }
        pg_server = stack.enter_context(serve(
            "drillmap-postgis", sys.executable,
            DRILLMAP_APP.format(store=dsn, layers=str(work / "none")),
        ))
        files_server = stack.enter_context(serve(
            "drillmap-files", sys.executable,
            DRILLMAP_APP.format(store="files", layers=str(layers)),
        ))
        tipg_server = stack.enter_context(serve(
            "tipg", sys.executable, "", env=tipg_env, server_code=TIPG_SERVER,
        ))
        rss_idle = rss_mb(pg_server.process.pid)
        query = f"limit=100&kind={KIND}"
        targets = [
            (f"drillmap on PostGIS ({args.features:,})",
             f"{pg_server.url}/ogc/collections/{LAYER}/items?{query}", pg_server),
            (f"drillmap on files ({args.file_features:,})",
             f"{files_server.url}/ogc/collections/{LAYER}/items?{query}", files_server),
            (f"tipg 1.6.1 on PostGIS ({args.features:,})",
             f"{tipg_server.url}/collections/public.features/items?{query}"
             "&properties=id,layer,kind,years,actors,body", tipg_server),
        ]
        lua = RANDOM_BOX_LUA.format(box=args.box)
        import ogc_items

        ogc_items.RANDOM_BOX_LUA = lua
        rows = []
        for name, url, server in targets:
            first_started = time.perf_counter()
            sample = orjson.loads(fetch(url + "&bbox=130,33,132,35"))
            first = time.perf_counter() - first_started
            load(Target(name, url, random_box=True), 2, work, args.connections)  # warm-up
            result = load(Target(name, url, random_box=True), args.seconds, work,
                          args.connections)
            rows.append((name, result, first, sample.get("numberMatched"),
                         rss_mb(server.process.pid)))
        rss_after = rss_mb(pg_server.process.pid)

    loaded_note = "loaded before" if load_seconds != load_seconds else f"load {load_seconds:.0f} s"
    print(f"\nOGC items, limit 100, kind={KIND}, a random {args.box:g}° bbox per request; "
          f"wrk, {args.connections} connections, {args.seconds:g} s; "
          f"PostGIS {loaded_note}, features table {size}\n")
    print("| server | req/s | p50 ms | p95 ms | p99 ms | errors | first request s "
          "| matched (130,33,132,35) | RSS MB after |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, r, first, matched, rss in rows:
        print(f"| {name} | {r['requests'] / r['seconds']:.0f} | {r['p50']:.1f} | {r['p95']:.1f} "
              f"| {r['p99']:.1f} | {r['errors']} | {first:.2f} | {matched} | {rss:.0f} |")
    print(f"\ndrillmap-on-PostGIS server RSS: {rss_idle:.0f} MB at start, "
          f"{rss_after:.0f} MB after the load ({args.features:,} features in the database)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
