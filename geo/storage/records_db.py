"""The file store's merge records and full evidence: one SQLite file beside the layers.

SQLite (the standard library's, no server) gives what the GeoJSON files cannot: a record
looked up by key, a feature's evidence paged by (owner, position), a document's evidence by
an index on doc_id, and an ingest's rows written in one transaction. The layers' index names
the token of the records it was built with; records with another token are ignored.
"""

from __future__ import annotations

import os
import sqlite3
from collections import defaultdict
from collections.abc import Collection
from contextlib import closing
from pathlib import Path
from typing import Any

import orjson

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
"""


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
    conn.execute("INSERT OR REPLACE INTO meta VALUES ('token', ?)", (delta.token,))


def create(path: Path, delta: MergeDelta) -> None:
    """A new records file holding a build's delta (every record), synced to disk."""
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("PRAGMA journal_mode=OFF")  # a fresh temp file: nothing to roll back to
        conn.execute("PRAGMA synchronous=OFF")
        conn.executescript(SCHEMA)
        with conn:
            _write_rows(conn, delta)
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())
    os.chmod(path, 0o644)  # readable by a server running as another user, like the layers


def apply(path: Path, delta: MergeDelta) -> None:
    """An ingest's rows into the records file, in one transaction."""
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("PRAGMA synchronous=FULL")
        with conn:
            _write_rows(conn, delta)


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

