"""The PostGIS store: documents, layers, features and evidence in PostgreSQL tables.

For a corpus that outgrows files and for several server processes: every read is one SQL
statement (filters in WHERE, bbox through the GiST index, count and page together), never a
full load; every write is one transaction that also bumps `store_state.version`, so ETags stay
right across processes. The schema is `geo/storage/migrations/` (`drillmap db init|migrate`).
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson
import psycopg
from psycopg import errors as pg_errors
from psycopg_pool import ConnectionPool, PoolClosed, PoolTimeout

from geo.budget import check_budget, remaining
from geo.domain.documents import check_sidecar, decode_text
from geo.domain.features import Feature
from geo.domain.layers import EVENT_LAYERS, PLACE_LAYERS
from geo.domain.model import Document, DocumentMeta
from geo.domain.query import DEFAULT_REVIEWS, FeatureQuery, lon_ranges
from geo.domain.review import STATUSES
from geo.errors import NotFound, StoreUnavailable
from geo.storage import postgis_records, postgis_search
from geo.storage.base import (
    Added,
    BuiltLayers,
    DocumentFields,
    DocumentStore,
    EvidencePage,
    FeatureStore,
    LayerSink,
    MergeDelta,
    MergeStore,
    Page,
)
from geo.storage.files import FRESHNESS_SECONDS, MAX_URL_CHARS, WRITE_LOCK_SECONDS, _clean_field
from geo.storage.postgis_rows import (
    BODY_COLUMNS,
    EVIDENCE_COLUMNS,
    FEATURE_COLUMNS,
    GAP,
    copy_rows,
    evidence_rows,
    feature_row,
    property_names,
    write_order,
)

POOL_TIMEOUT_SECONDS = 3.0  # a request waits twice this for a connection, then gets a 503
POOL_MAX_SIZE = 16  # waitress runs 8 threads; the writer and the lock take their own
WRITER_LOCK_KEY = 0x6472696C6C  # pg_advisory_lock key of the one writer ("drill")
_POOLS: dict[str, ConnectionPool] = {}
_POOLS_LOCK = threading.Lock()



def pool_for(dsn: str) -> ConnectionPool:
    """One connection pool per address per process, opened without waiting for the database
    (a server starts while PostgreSQL is down and serves 503s until it is back)."""
    with _POOLS_LOCK:
        pool = _POOLS.get(dsn)
        if pool is None:
            pool = ConnectionPool(
                dsn,
                min_size=1,
                max_size=POOL_MAX_SIZE,
                timeout=POOL_TIMEOUT_SECONDS,
                open=False,
                kwargs={"autocommit": True},
                configure=_configure,
                name="drillmap",
            )
            pool.open(wait=False)
            _POOLS[dsn] = pool
        return pool


def _configure(conn: psycopg.Connection) -> None:
    """Plan every statement for its own values: a bbox's selectivity decides between the GiST
    index and the others, which a generic plan of a prepared statement cannot know."""
    conn.execute("SET plan_cache_mode = force_custom_plan")


def _replace_pool(dsn: str, stale: ConnectionPool) -> None:
    """A pool that gave no connection in time is swapped for a new one (closed aside): the old
    one backs off exponentially while the database is down (1, 2, 4... s between attempts), the
    new one tries at once."""
    with _POOLS_LOCK:
        if _POOLS.get(dsn) is stale:
            del _POOLS[dsn]
    threading.Thread(target=stale.close, kwargs={"timeout": 1.0}, daemon=True).start()


def close_pools() -> None:
    """Close every pool this process opened (tests; a server exits without it)."""
    with _POOLS_LOCK:
        for pool in _POOLS.values():
            pool.close(timeout=1.0)
        _POOLS.clear()


def _unavailable(exc: BaseException) -> StoreUnavailable:
    if isinstance(exc, pg_errors.UndefinedTable):
        return StoreUnavailable(
            "the PostGIS database has no drillmap schema; run `drillmap db init`"
        )
    reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return StoreUnavailable(f"the PostGIS store cannot be reached right now ({reason})")


_DOWN = (
    psycopg.OperationalError, psycopg.InterfaceError, PoolTimeout, PoolClosed,
    pg_errors.UndefinedTable,
)


class _Database:
    """The pool, and the one way to run a statement: a lost database is StoreUnavailable.

    A connection is not checked when it is taken (a round trip per request): a read that
    finds its connection dead (the server restarted) has the pool drop every dead one and
    runs once more; a write checks its connection first, as it is rare and not repeated.
    """

    def __init__(self, dsn: str) -> None:
        self.dsn = dsn

    def _checkout(self) -> tuple[ConnectionPool, psycopg.Connection]:
        """A connection; a pool that cannot give one in time (it backs off while the database
        is away) is replaced and the new one asked once more, so the first request after the
        database is back is answered."""
        pool = pool_for(self.dsn)
        try:
            return pool, pool.getconn()
        except (PoolTimeout, PoolClosed):
            _replace_pool(self.dsn, pool)
        pool = pool_for(self.dsn)
        try:
            return pool, pool.getconn()
        except (PoolTimeout, PoolClosed) as exc:
            _replace_pool(self.dsn, pool)
            raise _unavailable(exc) from None

    @contextmanager
    def connection(self) -> Iterator[psycopg.Connection]:
        """A checked connection, for a write."""
        pool, conn = self._checkout()
        try:
            try:
                ConnectionPool.check_connection(conn)
            except _DOWN:
                pool.putconn(conn)  # dead: the pool drops it
                pool.check()
                pool, conn = self._checkout()
            yield conn
        except _DOWN as exc:
            raise _unavailable(exc) from None
        finally:
            pool.putconn(conn)

    def rows(self, statement: str, params: Sequence[Any] = ()) -> list[tuple]:
        """The rows of one read (on a connection found dead, once more on a checked one after
        the pool has dropped the dead ones)."""
        pool, conn = self._checkout()
        try:
            return self._read(conn, statement, params)
        except _DOWN as exc:
            if not conn.broken:
                raise _unavailable(exc) from None
        finally:
            pool.putconn(conn)
        pool.check()
        with self.connection() as checked:
            return self._read(checked, statement, params)

    @staticmethod
    def _read(conn: psycopg.Connection, statement: str, params: Sequence[Any]) -> list[tuple]:
        """Under a request's time budget, PostgreSQL itself cancels the statement when the
        budget runs out (statement_timeout), and the request gets its 503."""
        left = remaining()  # after waiting for the connection, which spends the budget too
        if left is None:
            return conn.execute(statement, params, prepare=True).fetchall()
        check_budget("querying the PostGIS store")
        timeout = f"{max(1, int(left * 1000) + 2)}ms"  # ends just past the deadline
        try:
            with conn.transaction():
                conn.execute("SELECT set_config('statement_timeout', %s, true)", [timeout])
                return conn.execute(statement, params, prepare=True).fetchall()
        except pg_errors.QueryCanceled:
            check_budget("querying the PostGIS store")
            raise  # cancelled for another reason than the budget


def _where(layer: str, query: FeatureQuery) -> tuple[str, list[Any]]:
    """The WHERE clause of `query` on one layer: what geo.domain.query.matches means, in SQL.

    The bbox goes through the GiST index (`geom &&`), then the feature's own RFC 7946 bbox
    columns decide exactly (as the reference predicate does, antimeridian included).
    """
    parts, params = ["layer = %s"], [layer]
    if query.years is not None:
        dated = sorted(y for y in query.years if y is not None)
        years = "years && %s::int[]"
        parts.append(f"({years} OR undated)" if None in query.years else years)
        params.append(dated)
    # Filters on a list property: any of the wanted values (an array overlap, GIN-indexed).
    for wanted, column in ((query.actors, "actors"), (query.langs, "langs"),
                           (query.places, "place_ids")):
        if wanted is not None:
            parts.append(f"{column} && %s::text[]")
            params.append(sorted(wanted))
    if query.kinds is not None:
        parts.append("kind = ANY(%s::text[])")
        params.append(sorted(query.kinds))
    if query.bbox is not None:
        west, south, east, north = query.bbox
        spans = []
        for lo, hi in lon_ranges(west, east):
            spans.append(
                "(geom && ST_MakeEnvelope(%s, %s, %s, %s, 4326) AND CASE WHEN west <= east "
                "THEN west <= %s AND east >= %s ELSE (west <= %s OR east >= %s) END)"
            )
            params += [lo, south, hi, north, hi, lo, hi, lo]
        parts.append(f"({' OR '.join(spans)}) AND south <= %s AND north >= %s")
        params += [north, south]
    wanted = DEFAULT_REVIEWS if query.reviews is None else query.reviews
    if wanted != frozenset(STATUSES):  # else every row passes
        parts.append("review = ANY(%s::text[])")
        params.append(sorted(wanted))
    if query.interval is not None:
        lo, hi = query.interval
        parts.append("first_day IS NOT NULL")
        if hi is not None:
            parts.append("first_day <= %s")
            params.append(hi)
        if lo is not None:
            parts.append("last_day >= %s")
            params.append(lo)
    return " AND ".join(parts), params


def _feature(body: str) -> Feature:
    return orjson.loads(body)


@dataclass(frozen=True)
class _State:
    """The store's version, when it changed and the layer summaries, as one read saw them."""

    seen: float
    version: str
    modified: datetime
    summaries: list[dict[str, Any]]
    records: bool  # merge records kept (every evidence entry, the mentions)


class PostgisFeatureStore(FeatureStore):
    """The built layers in `layers`, `features` and `evidence`; reads are single statements.

    The version, Last-Modified and the layer summaries are read together and kept for
    FRESHNESS_SECONDS, as the file store keeps its file stamps: a write by another process
    shows within that time, and requests in between cost one query (their own).
    """

    def __init__(self, dsn: str) -> None:
        self.db = _Database(dsn)
        self._state: _State | None = None
        self._lock = threading.Lock()

    def _current(self) -> _State:
        state = self._state
        now = time.monotonic()
        if state is not None and now - state.seen < FRESHNESS_SECONDS:
            return state
        [(token, version, modified, summaries, records)] = self.db.rows(
            "SELECT token, version, modified,"
            " (SELECT coalesce(json_agg(summary ORDER BY position), '[]') FROM layers),"
            " records_token IS NOT NULL FROM store_state"
        )
        state = _State(now, f"pg-{token}-{version}", modified, summaries, records)
        with self._lock:
            self._state = state
        return state

    def refresh(self) -> None:
        self._state = None

    def version(self) -> str:
        return self._current().version

    def modified(self) -> datetime | None:
        return self._current().modified

    def collections(self) -> list[dict[str, Any]]:
        return [dict(entry) for entry in self._current().summaries]

    def query(
        self, collection: str, query: FeatureQuery, limit: int | None = None, offset: int = 0
    ) -> Page:
        where, params = _where(collection, query)
        # One statement: the count (and whether the layer exists, and the version) in one row,
        # the page's features in the others; `position` orders them whatever the plan. `where`
        # is made of constant SQL fragments only; every value is a bound parameter.
        if query != FeatureQuery():
            # Filtered: one scan of the narrow rows gives the page and (as a window) the count;
            # a page past the end counts again (COALESCE evaluates that only when needed).
            statement = (
                "WITH page AS MATERIALIZED (SELECT layer, position, count(*) OVER () AS n "  # noqa: S608
                f"FROM features WHERE {where} ORDER BY position LIMIT %s OFFSET %s) "
                "SELECT -1, NULL, (SELECT count(*) FROM layers WHERE name = %s), "
                "(SELECT token || '-' || version FROM store_state), "
                "coalesce((SELECT max(n) FROM page), "
                f"(SELECT count(*) FROM features WHERE {where})) "
                "UNION ALL "
                "SELECT b.position, b.body, 0, NULL, 0 FROM page "
                "JOIN feature_bodies b ON b.layer = page.layer AND b.position = page.position"
            )
            values = [*params, limit, offset, collection, *params]
        else:
            statement = (
                "SELECT -1, NULL, (SELECT count(*) FROM layers WHERE name = %s), "  # noqa: S608
                "(SELECT token || '-' || version FROM store_state), "
                f"(SELECT count(*) FROM features WHERE {where}) "
                "UNION ALL "
                "SELECT b.position, b.body, 0, NULL, 0 FROM "
                f"(SELECT layer, position FROM features WHERE {where} "
                "ORDER BY position LIMIT %s OFFSET %s) AS page "
                "JOIN feature_bodies b ON b.layer = page.layer AND b.position = page.position"
            )
            values = [collection, *params, *params, limit, offset]
        rows = self.db.rows(statement, values)
        head = next(row for row in rows if row[0] == -1)
        if not head[2]:
            raise NotFound(f"no layer named {collection!r}")
        bodies = [row[1] for row in sorted(r for r in rows if r[0] != -1)]
        return Page(
            features=[_feature(body) for body in bodies],
            matched=head[4],
            version=f"pg-{head[3]}",
            encoded=[body.encode() for body in bodies],
        )

    def get(self, collection: str, feature_id: str) -> Feature:
        rows = self.db.rows(
            "SELECT (SELECT count(*) FROM layers WHERE name = %s), "
            "(SELECT b.body FROM features f JOIN feature_bodies b"
            "  ON b.layer = f.layer AND b.position = f.position"
            "  WHERE f.layer = %s AND f.id = %s)",
            [collection, collection, feature_id],
        )
        [(layers, body)] = rows
        if not layers:
            raise NotFound(f"no layer named {collection!r}")
        if body is None:
            raise NotFound(f"no feature {feature_id!r} in collection {collection!r}")
        return _feature(body)

    def properties(self, collection: str) -> list[str]:
        rows = self.db.rows("SELECT property_names FROM layers WHERE name = %s", [collection])
        if not rows:
            raise NotFound(f"no layer named {collection!r}")
        return list(rows[0][0])

    def events_for_document(self, doc_id: str) -> list[Feature]:
        """The event features citing the document; with merge records, each with the
        document's own evidence entries (a feature carries only its first few)."""
        if self._current().records:
            rows = self.db.rows(
                "SELECT b.body, array_agg(e.entry ORDER BY e.position) FROM merge_evidence e"
                " JOIN merge_owners o ON o.owner = e.owner"
                " JOIN features f ON f.id = o.fid AND f.layer = ANY(%s)"
                " JOIN feature_bodies b ON b.layer = f.layer AND b.position = f.position"
                " WHERE e.doc_id = %s AND e.owner LIKE 'e:%%'"
                " GROUP BY f.layer, f.position, b.body"
                " ORDER BY array_position(%s, f.layer), f.position",
                [list(EVENT_LAYERS), doc_id, list(EVENT_LAYERS)],
            )
            found = []
            for body, entries in rows:
                feature = _feature(body)
                items = [orjson.loads(entry) for entry in entries]
                props = {**feature["properties"], "evidence": items}
                found.append({**feature, "properties": props})
            return found
        rows = self.db.rows(
            "SELECT b.body FROM features f"
            " JOIN feature_bodies b ON b.layer = f.layer AND b.position = f.position"
            " WHERE f.layer = ANY(%s) AND EXISTS ("
            "  SELECT 1 FROM evidence e"
            "  WHERE e.doc_id = %s AND e.layer = f.layer AND e.feature_id = f.id)"
            " ORDER BY array_position(%s, f.layer), f.position",
            [list(EVENT_LAYERS), doc_id, list(EVENT_LAYERS)],
        )
        return [_feature(body) for (body,) in rows]

    def evidence(
        self, collection: str, feature_id: str, limit: int = 50, offset: int = 0
    ) -> EvidencePage:
        self.get(collection, feature_id)  # NotFound for an unknown layer or feature
        owner = self.db.rows("SELECT owner FROM merge_owners WHERE fid = %s", [feature_id])
        if not owner:
            return super().evidence(collection, feature_id, limit, offset)
        [(count,)] = self.db.rows(
            "SELECT count(*) FROM merge_evidence WHERE owner = %s", [owner[0][0]]
        )
        rows = self.db.rows(
            "SELECT entry FROM merge_evidence WHERE owner = %s ORDER BY position"
            " LIMIT %s OFFSET %s",
            [owner[0][0], limit, offset],
        )
        return EvidencePage([orjson.loads(entry) for (entry,) in rows], count)

    def place_bbox(self, place_id: str) -> list[float] | None:
        rows = self.db.rows(
            "SELECT west, south, east, north FROM features"
            " WHERE layer = ANY(%s) AND place_ids @> ARRAY[%s]::text[]"
            " ORDER BY array_position(%s, layer), position LIMIT 1",
            [list(PLACE_LAYERS), place_id, list(PLACE_LAYERS)],
        )
        if not rows or rows[0][0] is None:
            return None
        return list(rows[0])

    def place_bboxes(self, place_ids: Iterable[str]) -> dict[str, list[float] | None]:
        wanted = sorted(set(place_ids))
        rows = self.db.rows(
            "SELECT DISTINCT ON (pid) pid, west, south, east, north"
            " FROM features, unnest(place_ids) AS pid"
            " WHERE layer = ANY(%s) AND place_ids && %s::text[] AND pid = ANY(%s)"
            " ORDER BY pid, array_position(%s, layer), position",
            [list(PLACE_LAYERS), wanted, wanted, list(PLACE_LAYERS)],
        )
        found = {pid: None if west is None else [west, south, east, north]
                 for pid, west, south, east, north in rows}
        return {pid: found.get(pid) for pid in wanted}

    def event_counts(self, doc_ids: Iterable[str] | None = None) -> dict[str, int]:
        wanted = None if doc_ids is None else sorted(set(doc_ids))
        rows = self.db.rows(
            "SELECT d.id, count(DISTINCT (e.layer, e.feature_id)) FROM built_documents d"
            " LEFT JOIN evidence e ON e.doc_id = d.id AND e.layer = ANY(%s)"
            " WHERE %s::text[] IS NULL OR d.id = ANY(%s) GROUP BY d.id",
            [list(EVENT_LAYERS), wanted, wanted],
        )
        return dict(rows)

    def documents_page(self, limit: int, offset: int = 0) -> tuple[list[dict[str, Any]], int]:
        # The order of base.newest_first, in SQL: a published date, else the year, then the id.
        rows = self.db.rows(
            "SELECT entry, count(*) OVER () FROM built_documents ORDER BY coalesce("
            "nullif(entry->>'published', ''), entry->>'published_year', '') COLLATE \"C\" DESC,"
            " id COLLATE \"C\" DESC LIMIT %s OFFSET %s",
            [limit, offset],
        )
        total = rows[0][1] if rows else self.document_count()
        return [row[0] for row in rows], total

    def documents(self) -> list[dict[str, Any]]:
        rows = self.db.rows("SELECT entry FROM built_documents ORDER BY position")
        return [row[0] for row in rows]

    def document_ids(self) -> list[str]:
        return [row[0] for row in self.db.rows("SELECT id FROM built_documents ORDER BY position")]

    def document_count(self) -> int:
        return int(self.db.rows("SELECT count(*) FROM built_documents")[0][0])

    def documents_for(self, doc_ids: Iterable[str]) -> dict[str, dict[str, Any]]:
        rows = self.db.rows(
            "SELECT id, entry FROM built_documents WHERE id = ANY(%s)", [sorted(set(doc_ids))]
        )
        return dict(rows)

    def document(self, doc_id: str) -> dict[str, Any]:
        rows = self.db.rows(
            "SELECT d.entry, m.body FROM built_documents d"
            " LEFT JOIN merge_mentions m ON m.doc_id = d.id WHERE d.id = %s",
            [doc_id],
        )
        if not rows:
            raise NotFound(f"no document {doc_id!r}")
        entry, mentions = rows[0]
        if "mentions" not in entry:  # kept with the merge records, out of the index
            entry = {**entry, "mentions": orjson.loads(mentions) if mentions else []}
        return entry


class PostgisLayerSink(LayerSink):
    """Replaces every layer, feature, evidence row, merge record and the index in one
    transaction. Positions leave GAP between features for an ingest to put one in."""

    keeps_records = True

    def __init__(self, dsn: str) -> None:
        self.db = _Database(dsn)

    def write(self, built: BuiltLayers) -> None:
        with self.db.connection() as conn, conn.transaction():
            # The state row first: its lock orders concurrent writers; readers keep reading
            # the previous layers (MVCC) until this commits.
            conn.execute("UPDATE store_state SET version = version + 1, modified = now()")
            conn.execute("DELETE FROM built_documents")
            conn.execute("DELETE FROM layers")  # features, bodies and evidence cascade
            for position, (name, features) in enumerate(built.layers.items()):
                summary = next(
                    (e for e in built.index.get("layers", []) if e.get("name") == name),
                    {"name": name, "count": len(features)},
                )
                conn.execute(
                    "INSERT INTO layers (name, position, summary, property_names)"
                    " VALUES (%s, %s, %s, %s)",
                    [name, position, orjson.dumps(summary).decode(), property_names(features)],
                )
            for name, features in built.layers.items():
                rows = [feature_row(name, i * GAP, f) for i, f in enumerate(features)]
                order = sorted(range(len(features)), key=lambda i: write_order(features[i]))
                copy_rows(conn, "features", FEATURE_COLUMNS, (rows[i][0] for i in order))
                copy_rows(conn, "feature_bodies", BODY_COLUMNS, (row[1] for row in rows))
                copy_rows(conn, "evidence", EVIDENCE_COLUMNS, (
                    row for f in features for row in evidence_rows(name, f)
                ))
            copy_rows(conn, "built_documents", ("id", "position", "entry"), (
                (entry["id"], i, orjson.dumps(entry).decode())
                for i, entry in enumerate(built.index.get("documents", []))
            ))
            if built.state is not None:
                postgis_records.replace_all(conn, built.state, built.layers)
            else:
                postgis_records.clear(conn)
            postgis_search.replace_all(
                conn, built.index.get("documents", []), built.texts, built.layers
            )


class PostgisMergeStore(MergeStore):
    """Incremental ingest on PostGIS: records looked up by key, a delta applied in one
    transaction that bumps the store's version (`geo.storage.postgis_records.apply`)."""

    def __init__(self, dsn: str, features: PostgisFeatureStore) -> None:
        self.db = _Database(dsn)
        self.features = features

    def token(self) -> str | None:
        with self.db.connection() as conn:
            return postgis_records.token(conn)

    def records(self, owners: Collection[str]) -> dict[str, dict[str, Any]]:
        with self.db.connection() as conn:
            return postgis_records.records(conn, owners)

    def members(self, pairs: Collection[tuple[str, str]]) -> dict[tuple[str, str], Any]:
        with self.db.connection() as conn:
            return postgis_records.members(conn, pairs)

    def first_members(self, limits: Mapping[str, int]) -> dict[str, list[tuple[str, str]]]:
        with self.db.connection() as conn:
            return postgis_records.first_members(conn, limits)

    def follows(self, documents: DocumentStore, doc_ids: Sequence[str]) -> bool:
        """Documents are only appended (a position from a sequence) and only the write lock's
        holder adds or takes them out, settling a killed writer's first: so the records hold
        the rest if the counts agree and `doc_ids` are the last documents (two index reads)."""
        [(last, stored, built)] = self.db.rows(
            "SELECT (SELECT coalesce(array_agg(id ORDER BY position), '{}') FROM"
            "  (SELECT id, position FROM documents ORDER BY position DESC LIMIT %s) tail),"
            " (SELECT count(*) FROM documents), (SELECT count(*) FROM built_documents)",
            [len(doc_ids)],
        )
        return list(last) == list(doc_ids) and stored == built + len(doc_ids)

    def apply(self, delta: MergeDelta) -> None:
        with self.db.connection() as conn, conn.transaction(), conn.pipeline():
            conn.execute("UPDATE store_state SET version = version + 1, modified = now()")
            postgis_records.apply(conn, delta)
            postgis_search.apply(conn, delta.documents, delta.texts, delta.features,
                                 delta.previous)
        self.features.refresh()


def _sidecar(fields: DocumentFields, name: str) -> dict[str, Any]:
    """The metadata as the file store's sidecar holds it, checked by the same schema."""
    sidecar = {
        "title": _clean_field(fields.title, "title"),
        "published": fields.published.isoformat() if fields.published else None,
        "published_year": fields.published.year if fields.published else fields.published_year,
        "source": _clean_field(fields.source, "source"),
        "url": _clean_field(fields.url, "url", MAX_URL_CHARS, spaces=False),
    }
    check_sidecar(sidecar, name)
    return sidecar


class PostgisDocumentStore(DocumentStore):
    """Documents in the `documents` table; the same text (sha256, unique) is stored once."""

    def __init__(self, dsn: str) -> None:
        self.dsn = dsn
        self.db = _Database(dsn)

    def add(self, data: bytes, fields: DocumentFields, name: str = "document") -> Added:
        text = decode_text(data, name)
        digest = hashlib.sha256(text.encode()).hexdigest()
        sidecar = _sidecar(fields, name)
        with self.db.connection() as conn:
            # Two writers adding the same text: the unique sha256 makes the second wait for the
            # first and then insert nothing.
            rows = conn.execute(
                "INSERT INTO documents (id, position, sha256, body, title, published,"
                " published_year, source, url)"
                " SELECT lpad(n::text, 3, '0') || '_' || left(%s, 16), n, %s, %s, %s, %s, %s, %s,"
                " %s FROM (SELECT nextval('documents_position_seq') AS n) s"
                " ON CONFLICT (sha256) DO NOTHING RETURNING id",
                [digest, digest, text, sidecar["title"], sidecar["published"],
                 sidecar["published_year"], sidecar["source"], sidecar["url"]],
            ).fetchall()
            if rows:
                return Added(rows[0][0], rows[0][0], duplicate=False)
            [(doc_id,)] = conn.execute(
                "SELECT id FROM documents WHERE sha256 = %s", [digest]
            ).fetchall()
        return Added(doc_id, doc_id, duplicate=True)

    def remove(self, doc_id: str) -> None:
        self.db.rows("DELETE FROM documents WHERE id = %s RETURNING id", [doc_id])

    @contextmanager
    def transaction(self) -> Iterator[object]:
        """A session advisory lock on a connection of its own: every writer of every process
        waits here; a killed writer's lock goes with its connection."""
        try:
            conn = psycopg.connect(self.dsn, autocommit=True)
        except psycopg.OperationalError as exc:
            raise _unavailable(exc) from None
        try:
            conn.execute(f"SET lock_timeout = '{WRITE_LOCK_SECONDS}s'")
            conn.execute("SELECT pg_advisory_lock(%s)", [WRITER_LOCK_KEY])
            yield conn
        except pg_errors.LockNotAvailable:
            raise StoreUnavailable("another writer holds the store's write lock") from None
        finally:
            conn.close()

    def pending(self) -> list[str]:
        rows = self.db.rows("SELECT id FROM documents WHERE pending ORDER BY position")
        return [row[0] for row in rows]

    def confirm(self, doc_id: str) -> None:
        self.db.rows("UPDATE documents SET pending = false WHERE id = %s RETURNING id", [doc_id])

    def text(self, doc_id: str, location: str | None = None) -> str:
        rows = self.db.rows("SELECT body FROM documents WHERE id = %s", [doc_id])
        if not rows:
            raise NotFound("The document's text is missing from the store.")
        return rows[0][0]

    def list(self) -> list[str]:
        return [r[0] for r in self.db.rows("SELECT id FROM documents ORDER BY position")]

    def documents(self) -> Iterator[Document]:
        with self.db.connection() as conn, conn.transaction():
            cursor = conn.cursor(name="drillmap_documents")
            cursor.itersize = 500
            cursor.execute(f"SELECT {_DOCUMENT_COLUMNS} FROM documents ORDER BY position")  # noqa: S608
            for row in cursor:
                yield _document(row)

    def document(self, doc_id: str) -> Document:
        """One document by its id (an ingest reads the new one; never a scan of them all)."""
        rows = self.db.rows(
            f"SELECT {_DOCUMENT_COLUMNS} FROM documents WHERE id = %s",  # noqa: S608
            [doc_id],
        )
        if not rows:
            raise NotFound(f"no document {doc_id!r}")
        return _document(rows[0])


_DOCUMENT_COLUMNS = "id, body, title, published, published_year, source, url"


def _document(row: tuple) -> Document:
    """A `documents` row (`_DOCUMENT_COLUMNS`) as the pipeline reads a document."""
    doc_id, body, title, published, year, source, url = row
    meta = DocumentMeta(
        doc_id=doc_id,
        path=f"documents/{doc_id}.txt",
        title=title,
        published=published,
        published_year=published.year if published else year,
        source=source,
        url=url,
    )
    return Document(meta=meta, text=body)
