"""The file store's merge records and full evidence: one SQLite file beside the layers.

SQLite (the standard library's, no server) gives what the GeoJSON files cannot: a record
looked up by key, a feature's evidence paged by (owner, position), a document's evidence by
an index on doc_id, and an ingest's rows written in one transaction. The layers' index names
the token of the records it was built with; records with another token are ignored.
"""

from __future__ import annotations

import os
import sqlite3
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping
from contextlib import closing
from pathlib import Path
from typing import Any

import orjson

from geo.domain.features import Feature, sorted_actors, sorted_years
from geo.domain.layers import layer_spec
from geo.storage.base import MergeDelta

RECORDS_FILE = "records.sqlite"
SCHEMA = """
CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE records (owner TEXT PRIMARY KEY, body BLOB NOT NULL);
CREATE TABLE evidence (
    owner TEXT NOT NULL, position INTEGER NOT NULL, doc_id TEXT NOT NULL, entry BLOB NOT NULL,
    PRIMARY KEY (owner, position)
) WITHOUT ROWID;
CREATE INDEX evidence_by_document ON evidence (doc_id);
CREATE TABLE owners (fid TEXT PRIMARY KEY, owner TEXT NOT NULL);
CREATE TABLE mentions (doc_id TEXT PRIMARY KEY, body BLOB NOT NULL);
CREATE TABLE members (
    place_id TEXT NOT NULL, owner TEXT NOT NULL, fid TEXT NOT NULL, body BLOB NOT NULL,
    PRIMARY KEY (place_id, owner)
) WITHOUT ROWID;
CREATE INDEX members_by_id ON members (place_id, fid);
CREATE TABLE facets (
    layer TEXT NOT NULL, facet TEXT NOT NULL, value BLOB NOT NULL, n INTEGER NOT NULL,
    PRIMARY KEY (layer, facet, value)
) WITHOUT ROWID;
"""
BOX = ("west", "south", "east", "north")
Facet = tuple[str, str, Any]  # (layer, facet, value)


def _read(path: Path) -> sqlite3.Connection:
    """A read-only connection (one per call: cheap, and safe from any thread)."""
    return sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)


def _write_rows(conn: sqlite3.Connection, delta: MergeDelta) -> None:
    conn.executemany(
        "INSERT OR REPLACE INTO records VALUES (?, ?)",
        ((owner, orjson.dumps(body)) for owner, body in delta.records.items()),
    )
    conn.executemany(
        "INSERT OR REPLACE INTO evidence VALUES (?, ?, ?, ?)",
        ((o, p, d, orjson.dumps(e)) for o, d, p, e in delta.evidence),
    )
    conn.executemany("INSERT OR REPLACE INTO owners VALUES (?, ?)", delta.owners.items())
    conn.executemany(
        "INSERT OR REPLACE INTO mentions VALUES (?, ?)",
        ((d, orjson.dumps(m)) for d, m in delta.mentions.items()),
    )
    conn.executemany(
        "INSERT OR REPLACE INTO members VALUES (?, ?, ?, ?)",
        ((p, o, m[0], orjson.dumps(m)) for p, o, m in delta.members if m is not None),
    )
    conn.executemany(
        "DELETE FROM members WHERE place_id = ? AND owner = ?",
        ((p, o) for p, o, m in delta.members if m is None),
    )
    conn.execute("INSERT OR REPLACE INTO meta VALUES ('token', ?)", (delta.token,))


def facets_of(layer: str, feature: Feature) -> list[Facet]:
    """What a feature adds to its layer's summary, counted so a replaced one can be taken off
    again: the summary then costs a few indexed reads, not a pass over the layer."""
    props = feature["properties"]
    found: list[Facet] = [(layer, "count", 0), (layer, "kind", orjson.dumps(props["kind"]))]
    # Each value once, in the feature's order (a set's order changes with the hash seed, and
    # so would the records file's bytes).
    found += [(layer, "year", orjson.dumps(y)) for y in dict.fromkeys(props["years"])]
    found += [(layer, "actor", orjson.dumps(a)) for a in dict.fromkeys(props["actors"])]
    if "bbox" in feature:
        found.append((layer, "bbox", 0))
        found += [(layer, side, v) for side, v in zip(BOX, feature["bbox"], strict=False)]
    if feature["geometry"]:
        found.append((layer, "geometry", orjson.dumps(feature["geometry"]["type"])))
    return found


def count_facets(layers: Mapping[str, Iterable[Feature]]) -> Counter[Facet]:
    return Counter(
        facet for name, members in layers.items() for x in members for facet in facets_of(name, x)
    )


def add_facets(conn: sqlite3.Connection, changes: Counter[Facet]) -> None:
    """Counts up (and down, for features replaced); a value no feature holds is dropped."""
    conn.executemany(
        "INSERT INTO facets VALUES (?, ?, ?, ?) "
        "ON CONFLICT (layer, facet, value) DO UPDATE SET n = n + excluded.n",
        ((layer, facet, value, n) for (layer, facet, value), n in changes.items() if n),
    )
    conn.executemany(
        "DELETE FROM facets WHERE layer = ? AND facet = ? AND value = ? AND n <= 0",
        [key for key, n in changes.items() if n < 0],
    )


def summary_from(
    layer: str,
    values: Callable[[str], list[Any]],
    count: Callable[[str], int],
    edge: Callable[[str, str], float],
) -> dict[str, Any]:
    """A layer's index entry from its facets, equal to `layer_summary` over its features:
    `values(facet)` the values held, `count(facet)` one facet's count, `edge(side, "min" or
    "max")` an extent side (each store reads its own facets table)."""
    bbox = None
    if count("bbox"):
        west, south = edge("west", "min"), edge("south", "min")
        bbox = [west, south, edge("east", "max"), edge("north", "max")]
    return {
        "name": layer,
        "title": layer_spec(layer).title,
        "count": count("count"),
        "years": sorted_years(values("year")),
        "actors": sorted_actors(values("actor")),
        "kinds": sorted(values("kind")),
        "bbox": bbox,
        "geometry_types": sorted(values("geometry")),
    }


def summary(conn: sqlite3.Connection, layer: str) -> dict[str, Any]:
    """A layer's index entry from the records file's facets."""

    def values(facet: str) -> list[Any]:
        rows = conn.execute(
            "SELECT value FROM facets WHERE layer = ? AND facet = ?", (layer, facet)
        )
        return [orjson.loads(v) for (v,) in rows]

    def count(facet: str) -> int:
        row = conn.execute(
            "SELECT n FROM facets WHERE layer = ? AND facet = ?", (layer, facet)
        ).fetchone()
        return row[0] if row else 0

    def edge(side: str, pick: str) -> float:
        sql = f"SELECT {pick}(value) FROM facets WHERE layer = ? AND facet = ?"  # noqa: S608
        return conn.execute(sql, (layer, side)).fetchone()[0]

    return summary_from(layer, values, count, edge)


def create(path: Path, delta: MergeDelta, facets: Counter[Facet]) -> None:
    """A new records file holding a build's delta (every record) and its layers' facets,
    synced to disk."""
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("PRAGMA journal_mode=OFF")  # a fresh temp file: nothing to roll back to
        conn.execute("PRAGMA synchronous=OFF")
        conn.executescript(SCHEMA)
        with conn:
            _write_rows(conn, delta)
            add_facets(conn, facets)
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())
    os.chmod(path, 0o644)  # readable by a server running as another user, like the layers


def open_for_writing(path: Path) -> sqlite3.Connection:
    """A connection for one ingest's transaction (the caller commits or rolls back)."""
    conn = sqlite3.connect(path, isolation_level="DEFERRED")
    conn.execute("PRAGMA synchronous=FULL")
    return conn


def apply(conn: sqlite3.Connection, delta: MergeDelta, facets: Counter[Facet]) -> None:
    """An ingest's rows and its facet changes, inside the caller's transaction."""
    _write_rows(conn, delta)
    add_facets(conn, facets)


def token(path: Path) -> str | None:
    """The records' version; None if the file is missing or unreadable."""
    if not Path(path).is_file():
        return None
    try:
        with closing(_read(path)) as conn:
            row = conn.execute("SELECT value FROM meta WHERE name = 'token'").fetchone()
    except sqlite3.DatabaseError:
        return None
    return row[0] if row else None


def records(path: Path, owners: Collection[str]) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    with closing(_read(path)) as conn:
        for owner in owners:
            row = conn.execute("SELECT body FROM records WHERE owner = ?", (owner,)).fetchone()
            if row is not None:
                found[owner] = orjson.loads(row[0])
    return found


def members(path: Path, pairs: Collection[tuple[str, str]]) -> dict[tuple[str, str], Any]:
    found = {}
    with closing(_read(path)) as conn:
        for place_id, owner in pairs:
            row = conn.execute(
                "SELECT body FROM members WHERE place_id = ? AND owner = ?", (place_id, owner)
            ).fetchone()
            if row is not None:
                found[(place_id, owner)] = orjson.loads(row[0])
    return found


def first_members(path: Path, limits: Mapping[str, int]) -> dict[str, list[tuple[str, str]]]:
    with closing(_read(path)) as conn:
        return {
            place_id: conn.execute(
                "SELECT owner, fid FROM members WHERE place_id = ? ORDER BY fid LIMIT ?",
                (place_id, limit),
            ).fetchall()
            for place_id, limit in limits.items()
        }


def evidence_page(
    path: Path, fid: str, limit: int, offset: int
) -> tuple[list[dict[str, Any]], int] | None:
    """A page of a feature's evidence and the count of all; None if the feature is unknown."""
    with closing(_read(path)) as conn:
        row = conn.execute("SELECT owner FROM owners WHERE fid = ?", (fid,)).fetchone()
        if row is None:
            return None
        (owner,) = row
        (count,) = conn.execute(
            "SELECT count(*) FROM evidence WHERE owner = ?", (owner,)
        ).fetchone()
        rows = conn.execute(
            "SELECT entry FROM evidence WHERE owner = ? ORDER BY position LIMIT ? OFFSET ?",
            (owner, limit, offset),
        ).fetchall()
    return [orjson.loads(entry) for (entry,) in rows], count


def document_evidence(
    path: Path, doc_id: str, prefix: str
) -> dict[str, tuple[dict[str, Any], list[dict[str, Any]]]]:
    """The records (owners starting with `prefix`) citing a document: record, its entries."""
    cited: dict[str, list[dict[str, Any]]] = defaultdict(list)
    with closing(_read(path)) as conn:
        for owner, entry in conn.execute(
            "SELECT owner, entry FROM evidence WHERE doc_id = ? ORDER BY owner, position",
            (doc_id,),
        ):
            if owner.startswith(prefix):
                cited[owner].append(orjson.loads(entry))
    bodies = records(path, list(cited))
    return {owner: (bodies[owner], items) for owner, items in cited.items() if owner in bodies}


def mentions(path: Path, doc_id: str) -> list[dict[str, Any]] | None:
    with closing(_read(path)) as conn:
        row = conn.execute("SELECT body FROM mentions WHERE doc_id = ?", (doc_id,)).fetchone()
    return orjson.loads(row[0]) if row else None

