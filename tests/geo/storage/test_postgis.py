"""What only the PostGIS store has to prove: its schema versions, the index it queries through,
one version for every process, one document for two concurrent writers, a write killed at any
point, and a database that goes away under the server and comes back."""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import orjson
import psycopg
import pytest
from shapely.geometry import Point

from geo.domain.features import layer_summary, make_feature
from geo.domain.kinds import EVENT_KINDS
from geo.domain.query import FeatureQuery, parse_query
from geo.settings import Settings
from geo.storage.base import BuiltLayers, DocumentFields
from geo.storage.files import FRESHNESS_SECONDS
from geo.storage.migrate import SchemaError, migrate, migrations, schema_version
from geo.storage.postgis import _where
from geo.storage.postgis_rows import write_order
from geo.storage.registry import open_store
from webapp import create_app

ROOT = Path(__file__).resolve().parents[3]


def _points(n: int, layer: str = "exercises", tag: str = "a") -> list:
    """n point features on a grid over the theatre, alternating kinds, actors and years."""
    kinds = ("naval_exercise", "missile_launch")
    actors = (["China"], ["Russia"], ["China", "Russia"], ["United States"])
    features = []
    for i in range(n):
        props = {
            "id": f"{layer}-{tag}{i}", "layer": layer, "kind": kinds[i % 2], "name": None,
            "title": f"t{i}", "year": 2020 + i % 4, "years": [2020 + i % 4],
            "date_start": None, "date_end": None, "actors": actors[i % 4], "places": [],
            "place_ids": [], "evidence": [{"doc_id": f"d{i % 50}", "title": "T",
                                          "published": None, "text": "s", "start": 0, "end": 1}],
            "n_sources": 1, "confidence": 0.5,
        }
        point = Point(110 + (i * 7919 % 6000) / 100, 10 + (i * 104729 % 5500) / 100)
        features.append(make_feature(props["id"], point, props))
    return features


def _built(features: list, name: str = "exercises") -> BuiltLayers:
    return BuiltLayers(
        layers={name: features},
        index={"layers": [layer_summary(name, features)], "documents": []},
    )


def test_migrations_are_numbered_applied_once_and_init_refuses_twice(postgis_cluster):
    from tools.pgcluster import create_database

    dsn = create_database(postgis_cluster, "drillmap_migrations")
    assert schema_version(dsn) == 0
    assert migrate(dsn, init=True) == [m.name for m in migrations()]
    assert schema_version(dsn) == migrations()[-1].version
    assert migrate(dsn) == []  # up to date: nothing again
    with pytest.raises(SchemaError, match="already holds"):
        migrate(dsn, init=True)


def test_a_store_of_version_3_upgrades_and_its_next_ingest_rebuilds_once(postgis_cluster):
    """Migration 4 keeps the features a version-3 store holds (positions widened, bodies still
    joined); without merge records the next ingest rebuilds, the one after folds in."""
    from geo.services.ingest import ingest_bytes
    from tools.pgcluster import create_database

    dsn = create_database(postgis_cluster, "drillmap_upgrade")
    migrate(dsn, init=True, target=3)
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("INSERT INTO layers VALUES ('places', 0, '{\"count\": 1}', '{}')")
        conn.execute(
            "INSERT INTO features (layer, position, id, years, undated, actors, place_ids)"
            " VALUES ('places', 0, 'places-x', '{}', true, '{}', '{}')"
        )
        conn.execute("INSERT INTO feature_bodies VALUES ('places', 0, '{\"id\": \"places-x\"}')")
    assert migrate(dsn) == [
        "004_merge_records", "005_reviews", "006_search", "007_langs", "008_kind_indexes"
    ]
    with psycopg.connect(dsn, autocommit=True) as conn:
        [(body, token)] = conn.execute(
            "SELECT b.body, (SELECT records_token FROM store_state) FROM features f"
            " JOIN feature_bodies b USING (layer, position)"
        ).fetchall()
    assert orjson.loads(body) == {"id": "places-x"} and token is None
    store = open_store(Settings(store=dsn))
    first = ingest_bytes(b"Russian bombers flew over the Sea of Japan in 2024.", store)
    assert first.build is not None and first.build.touched is None  # rebuilt: no records
    second = ingest_bytes(b"Chinese bombers flew over the East China Sea in 2024.", store)
    assert second.build is not None and second.build.touched is not None


def test_cli_db_commands(postgis_cluster, capsys):
    from drillmap.cli import main
    from tools.pgcluster import create_database

    dsn = create_database(postgis_cluster, "drillmap_cli")

    def db(*args: str) -> tuple[int, str]:
        status = main(["db", *args, "--store", dsn])
        return status, capsys.readouterr().out

    applied = (
        "001_schema, 002_narrow_rows, 003_review, 004_merge_records, 005_reviews, 006_search,"
        " 007_langs, 008_kind_indexes"
    )
    assert db("init") == (0, f"applied {applied}\n")
    assert db("init")[0] == 2
    assert "up to date" in db("migrate")[1]
    assert db("version")[1].startswith("schema version 8")
    status, out = db("import", "--seeds", str(ROOT / "seeds"), "--no-examples")
    assert status == 0 and "imported 3 new documents" in out
    store = open_store(Settings(store=dsn))
    assert len(store.documents.list()) == 3 and store.documents.pending() == []
    assert [c["name"] for c in store.features.collections()] == [
        "exercises", "patrols", "zones", "places"
    ]


def test_bbox_and_filters_go_through_the_indexes(postgis_dsn):
    store = open_store(Settings(store=postgis_dsn))
    store.sink.write(_built(_points(5000)))
    query = parse_query({"bbox": "130,30,131,31", "kind": "naval_exercise"})
    where, params = _where("exercises", query)
    with psycopg.connect(postgis_dsn) as conn:
        conn.execute("ANALYZE features")
        plan = "\n".join(
            row[0] for row in conn.execute(f"EXPLAIN SELECT id FROM features WHERE {where}", params)
        )
    assert "features_geom_naval_exercise" in plan, plan  # its kind's own GiST index
    page = store.features.query("exercises", query, limit=5)
    assert 0 < page.matched < 100 and len(page.features) == min(5, page.matched)


def test_every_event_kind_has_its_own_gist_index(postgis_dsn):
    with psycopg.connect(postgis_dsn) as conn:
        indexes = dict(conn.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'features'"
        ).fetchall())
    for kind in EVENT_KINDS:
        definition = indexes.get(f"features_geom_{kind}", "")
        assert "USING gist (geom)" in definition and f"'{kind}'" in definition, kind


def test_a_built_layer_lies_on_disk_by_kind_then_in_z_order(postgis_dsn):
    store = open_store(Settings(store=postgis_dsn))
    features = _points(600)
    store.sink.write(_built(features))
    by_id = {f["id"]: f for f in features}
    with psycopg.connect(postgis_dsn) as conn:
        ids = [row[0] for row in conn.execute("SELECT id FROM features ORDER BY ctid")]
    order = [write_order(by_id[i]) for i in ids]
    assert order == sorted(order)
    assert [kind for kind, _ in order].count("missile_launch") == 300


def test_every_process_sees_one_version_and_etags_follow_it(postgis_layers, layers_dir):
    dsn = postgis_layers(layers_dir)
    server = create_app(Settings(store=dsn), config={"TESTING": True}).test_client()
    first = server.get("/ogc/collections/exercises/items")
    assert first.status_code == 200
    etag = first.headers["ETag"]
    assert server.get("/ogc/collections/exercises/items",
                      headers={"If-None-Match": etag}).status_code == 304
    # Another process (here: another store on the same database) writes the layers.
    other = open_store(Settings(store=dsn))
    before = other.features.version()
    other.sink.write(_built(_points(3)))
    other.features.refresh()
    assert other.features.version() != before
    assert open_store(Settings(store=dsn)).features.version() == other.features.version()
    time.sleep(FRESHNESS_SECONDS)  # the server looks at the version again after this long
    again = server.get("/ogc/collections/exercises/items", headers={"If-None-Match": etag})
    assert again.status_code == 200
    assert again.get_json()["numberMatched"] == 3


def test_two_concurrent_adds_of_one_text_store_it_once(postgis_dsn):
    data = b"Russian bombers flew over the Sea of Japan on Monday, the ministry said."
    results, barrier = [], threading.Barrier(6)

    def add() -> None:
        store = open_store(Settings(store=postgis_dsn))
        barrier.wait()
        results.append(store.documents.add(data, DocumentFields(title="Bombers")))

    threads = [threading.Thread(target=add) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len({r.doc_id for r in results}) == 1
    assert sorted(r.duplicate for r in results) == [False] + [True] * 5
    assert open_store(Settings(store=postgis_dsn)).documents.list() == [results[0].doc_id]


def test_the_write_lock_is_one_for_every_process(postgis_dsn):
    """Two writers: the second waits at `transaction()` until the first leaves it."""
    store = open_store(Settings(store=postgis_dsn))
    order: list[str] = []
    with store.documents.transaction():
        waiter = threading.Thread(target=lambda: (
            open_store(Settings(store=postgis_dsn)).documents.transaction().__enter__(),
            order.append("second"),
        ))
        waiter.start()
        time.sleep(0.5)
        order.append("first done")
    waiter.join(timeout=10)
    assert order == ["first done", "second"]


WRITER = """
import sys
from geo.settings import Settings
from geo.storage.registry import open_store
sys.path.insert(0, sys.argv[2])
from test_postgis import _built, _points
store = open_store(Settings(store=sys.argv[1]))
print("ready", flush=True)
store.sink.write(_built(_points(8000, tag="new")))
print("written", flush=True)
"""


def test_a_write_killed_at_any_point_leaves_the_old_or_the_new_layers(postgis_dsn):
    store = open_store(Settings(store=postgis_dsn))
    store.sink.write(_built(_points(10, tag="old")))
    outcomes = []
    for delay in (0.05, 0.3, 0.7, 30):
        process = subprocess.Popen(
            [sys.executable, "-c", WRITER, postgis_dsn, str(Path(__file__).parent)],
            cwd=ROOT, stdout=subprocess.PIPE, text=True,
        )
        assert process.stdout is not None and process.stdout.readline().strip() == "ready"
        try:
            process.wait(timeout=delay)
        except subprocess.TimeoutExpired:
            process.send_signal(signal.SIGKILL)
            process.wait()
        page = store.features.query("exercises", FeatureQuery(), limit=1)
        [summary] = store.features.collections()
        assert page.matched in (10, 8000)
        assert summary["count"] == page.matched  # index and features from the same write
        with psycopg.connect(postgis_dsn) as conn:
            [(evidence,)] = conn.execute("SELECT count(*) FROM evidence").fetchall()
        assert evidence == page.matched
        outcomes.append(page.matched)
        if page.matched == 8000:
            store.sink.write(_built(_points(10, tag="old")))  # back to the old layers
    assert outcomes[-1] == 8000  # the last one was left to finish
    assert 10 in outcomes  # and at least one kill came before the commit


def test_the_database_stopped_under_the_server_is_503_then_recovers(
    postgis_cluster, postgis_database, layers_dir, monkeypatch
):
    """The session's cluster is stopped and started again (it is always started again)."""
    dsn = postgis_database(layers_dir)
    # A request waits a second for a connection (not five), so the test is quick.
    monkeypatch.setattr("geo.storage.postgis.POOL_TIMEOUT_SECONDS", 1.0)
    client = create_app(Settings(store=dsn), config={"TESTING": True}).test_client()
    urls = ("/ogc/collections/exercises/items", "/api/layers/exercises.geojson")
    for url in urls:
        assert client.get(url).status_code == 200, url
    postgis_cluster.stop()
    try:
        for url in urls:
            response = client.get(url)
            assert response.status_code == 503, (url, response.data[:300])
            doc = response.get_json()
            assert doc["code"] == "ServiceUnavailable" and "PostGIS" in doc["description"]
    finally:
        postgis_cluster.start()
    # The first request after the database is back is answered (the pool is new).
    for url in urls:
        assert client.get(url).status_code == 200, url


def test_ingest_on_postgis_builds_once_per_new_text_and_settles_a_killed_writer(postgis_dsn):
    from geo.services.ingest import ingest_bytes, recover

    store = open_store(Settings(store=postgis_dsn))
    text = b"Chinese and Russian warships sailed through the Tsugaru Strait on Tuesday, 2023."
    first = ingest_bytes(text, store, title="Tsugaru")
    assert not first.duplicate and first.build is not None
    assert store.documents.pending() == []
    assert [d["id"] for d in store.features.documents()] == [first.doc_id]
    cited = store.features.events_for_document(first.doc_id)
    assert cited and all(f["properties"]["layer"] in ("exercises", "patrols") for f in cited)
    assert ingest_bytes(text, store).duplicate
    # A writer killed after adding its document and before its build: the next one takes the
    # document out again, so the documents and the layers agree.
    orphan = store.documents.add(b"Russian bombers flew over the Sea of Japan.", DocumentFields())
    assert store.documents.pending() == [orphan.doc_id]
    assert recover(store) == [orphan.doc_id]
    assert store.documents.list() == [first.doc_id]
    assert [d["id"] for d in store.features.documents()] == [first.doc_id]


def _serve(dsn: str) -> tuple[subprocess.Popen, str]:
    """`drillmap serve` on the database in a process of its own, on a free port: (process, URL)."""
    process = subprocess.Popen(
        [sys.executable, "-m", "drillmap.cli", "serve", "--store", dsn, "--port", "0"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    assert "serving on http://" in line, line
    return process, line.split("serving on ")[1].split()[0].rstrip("/")


def test_two_server_processes_on_one_database_follow_an_ingest_by_a_third(
    postgis_dsn, tmp_path
):
    """The documented multi-process set-up: two `drillmap serve` on one database and an ingest
    from the CLI; both servers answer with the new layers and a new ETag, no restart."""
    import urllib.request

    def get(url: str) -> tuple[str, dict]:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.headers["ETag"], orjson.loads(response.read())

    def ingest(name: str, text: str) -> None:
        article = tmp_path / name
        article.write_text(text)
        done = subprocess.run(
            [sys.executable, "-m", "drillmap.cli", "ingest", str(article), "--store",
             postgis_dsn], cwd=ROOT, capture_output=True, text=True, timeout=120,
        )
        assert done.returncode == 0, done.stderr

    ingest("tsugaru.txt", "Chinese and Russian warships sailed through the Tsugaru Strait on"
           " 20 July 2023 after a joint naval exercise, the Joint Staff said.")
    servers = [_serve(postgis_dsn) for _ in range(2)]
    try:
        items = "/ogc/collections/places/items?limit=100"
        before = [get(url + items) for _, url in servers]
        assert before[0][1]["numberMatched"] == before[1][1]["numberMatched"] >= 1
        ingest("okinawa.txt", "Two Russian Tu-95 bombers and two Chinese H-6 bombers flew a"
               " joint patrol over the East China Sea near Okinawa on 30 November 2022.")
        time.sleep(FRESHNESS_SECONDS + 0.5)  # each server looks at the version again by then
        after = [get(url + items) for _, url in servers]
        for (old_etag, _), (new_etag, doc) in zip(before, after, strict=True):
            assert new_etag != old_etag
            assert doc["numberMatched"] > before[0][1]["numberMatched"]
            assert "East China Sea" in [f["properties"]["name"] for f in doc["features"]]
        # One version: both processes serve the same features (their links differ by port).
        ids = [[f["id"] for f in doc["features"]] for _, doc in after]
        assert ids[0] == ids[1]
    finally:
        for process, _ in servers:
            process.send_signal(signal.SIGINT)
            process.wait(timeout=30)


def test_a_read_past_the_request_budget_is_cancelled_by_postgresql(postgis_dsn):
    from geo.budget import time_budget
    from geo.errors import BudgetExceeded
    from geo.storage.postgis import _Database

    db = _Database(postgis_dsn)
    started = time.monotonic()
    with time_budget(0.2), pytest.raises(BudgetExceeded, match="time budget"):
        db.rows("SELECT pg_sleep(5)")
    assert time.monotonic() - started < 2.0  # cancelled, not waited out
    assert db.rows("SELECT 1") == [(1,)]  # the connection is fine afterwards, no timeout left


def test_a_read_on_pooled_connections_the_server_dropped_is_answered(postgis_dsn):
    """Connections are not checked when taken: a read that finds its own dead runs again."""
    store = open_store(Settings(store=postgis_dsn))
    store.sink.write(_built(_points(50)))
    assert store.features.query("exercises", FeatureQuery()).matched == 50
    with psycopg.connect(postgis_dsn, autocommit=True) as conn:
        [(dropped,)] = conn.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        ).fetchall()
    assert dropped >= 1
    store.features.refresh()
    assert store.features.query("exercises", FeatureQuery()).matched == 50
    store.sink.write(_built(_points(20)))  # a write checks its connection first
    assert store.features.query("exercises", FeatureQuery()).matched == 20
