"""The PostGIS schema's versions: plain numbered SQL files in `migrations/`, applied in order.

`schema_version` lists what was applied; the missing files run in one transaction under an advisory
lock, so two `drillmap db migrate` at once apply it once and a failed file changes nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import psycopg

from geo.errors import DrillmapError, StoreUnavailable

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
MIGRATE_LOCK_KEY = 0x6D6967726174  # pg_advisory_xact_lock key ("migrat")
_NAME = re.compile(r"^(\d{3})_[a-z0-9_]+\.sql$")


class SchemaError(DrillmapError):
    """The database's schema is not what the command expects (init twice, or a newer one)."""

    status = 409
    code = "Conflict"


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str


def migrations(folder: Path = MIGRATIONS_DIR) -> list[Migration]:
    """Every migration file, by number (a gap or a repeated number is a mistake: refused)."""
    found = []
    for path in sorted(folder.glob("*.sql")):
        match = _NAME.match(path.name)
        if match is None:
            raise SchemaError(f"{path.name}: migrations are named NNN_words.sql")
        found.append(Migration(int(match.group(1)), path.stem, path.read_text()))
    numbers = [m.version for m in found]
    if numbers != list(range(1, len(found) + 1)):
        raise SchemaError(f"migrations must be numbered 1, 2, 3... without gaps: {numbers}")
    return found


def _connect(dsn: str) -> psycopg.Connection:
    try:
        return psycopg.connect(dsn)
    except psycopg.OperationalError as exc:
        raise StoreUnavailable(f"cannot connect to the PostGIS store ({exc})") from None


def current_version(conn: psycopg.Connection) -> int:
    """The newest applied migration; 0 for a database drillmap has not set up."""
    exists = conn.execute("SELECT to_regclass('schema_version') IS NOT NULL").fetchone()
    if not exists or not exists[0]:
        return 0
    row = conn.execute("SELECT coalesce(max(version), 0) FROM schema_version").fetchone()
    return int(row[0]) if row else 0


def schema_version(dsn: str) -> int:
    with _connect(dsn) as conn:
        return current_version(conn)


def migrate(dsn: str, *, init: bool = False, target: int | None = None) -> list[str]:
    """Apply the migrations the database lacks (up to `target`); the names applied.

    With `init`, a database that already has the schema is refused instead of upgraded.
    """
    wanted = migrations()
    target = wanted[-1].version if target is None else target
    applied: list[str] = []
    with _connect(dsn) as conn, conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", [MIGRATE_LOCK_KEY])
        conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_version (version integer PRIMARY KEY,"
            " name text NOT NULL, applied timestamptz NOT NULL DEFAULT now())"
        )
        have = current_version(conn)
        if init and have:
            raise SchemaError(
                f"the database already holds the drillmap schema (version {have});"
                " use `drillmap db migrate` to upgrade it"
            )
        if have > wanted[-1].version:
            raise SchemaError(
                f"the database's schema (version {have}) is newer than this drillmap's"
                f" ({wanted[-1].version})"
            )
        for migration in wanted:
            if have < migration.version <= target:
                conn.execute(migration.sql)
                conn.execute(
                    "INSERT INTO schema_version (version, name) VALUES (%s, %s)",
                    [migration.version, migration.name],
                )
                applied.append(migration.name)
    return applied
