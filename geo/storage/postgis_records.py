"""The PostGIS store's merge records: what `records_db` keeps in SQLite for the file store,
in tables (migration 004), and an ingest's delta applied to them and to the layers.

An apply runs inside the caller's transaction: it checks the records' token, takes out the
features the delta replaces, puts the redrawn ones at their place in their layer's order
(between their neighbours' positions), counts the layers' summaries up and down in
`layer_facets`, and writes the records, evidence, owners and mentions. Every step is an
indexed lookup or a write of the delta's own rows, so its cost follows the delta, not the
corpus.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Mapping
from typing import Any

import orjson
import psycopg

from geo.domain.features import Feature
from geo.domain.layers import LAYER_NAMES
from geo.errors import StoreUnavailable
from geo.storage.base import MergeDelta
from geo.storage.postgis_rows import (
    EVIDENCE_COLUMNS,
    FEATURE_COLUMNS,
    GAP,
    copy_rows,
    evidence_rows,
    feature_row,
    order_text,
    property_names,
)
from geo.storage.records_db import Facet, count_facets, facets_of, summary_from

MERGE_TABLES = (
    "merge_records", "merge_evidence", "merge_owners", "merge_mentions", "merge_members",
)
_INSERT_FEATURE = (
    f"INSERT INTO features ({', '.join(FEATURE_COLUMNS)})"  # noqa: S608 - constant columns
    f" VALUES ({', '.join(['%s'] * len(FEATURE_COLUMNS))})"
)
_INSERT_BODY = "INSERT INTO feature_bodies (layer, position, body) VALUES (%s, %s, %s)"
_INSERT_EVIDENCE = (
    f"INSERT INTO evidence ({', '.join(EVIDENCE_COLUMNS)})"  # noqa: S608 - constant columns
    f" VALUES ({', '.join(['%s'] * len(EVIDENCE_COLUMNS))})"
)


def _facet_row(facet: Facet) -> tuple[str, str, str, float | None]:
    """A facet as a row: its value as text (JSON, or a number's repr) and, for an extent
    side, the number itself (its min and max come from the index)."""
    layer, name, value = facet
    if isinstance(value, bytes):
        return layer, name, value.decode(), None
    return layer, name, repr(value), float(value)


def _add_facets(conn: psycopg.Connection, changes: Mapping[Facet, int]) -> None:
    """Counts up (and down, for features replaced); a value no feature holds is dropped."""
    with conn.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO layer_facets (layer, facet, value, number, n)"
            " VALUES (%s, %s, %s, %s, %s)"
            " ON CONFLICT (layer, facet, value) DO UPDATE SET n = layer_facets.n + excluded.n",
            [(*_facet_row(facet), n) for facet, n in changes.items() if n],
        )
        cursor.executemany(
            "DELETE FROM layer_facets WHERE layer = %s AND facet = %s AND value = %s AND n <= 0",
            [_facet_row(facet)[:3] for facet, n in changes.items() if n < 0],
        )


def summary(conn: psycopg.Connection, layer: str) -> dict[str, Any]:
    """A layer's summary from its facets (equal to `layer_summary` over its features), in
    two statements: the facets listed whole, then the extent's four sides by the index."""
    held: dict[str, list[tuple[str, int]]] = {}
    for facet, value, n in conn.execute(
        "SELECT facet, value, n FROM layer_facets WHERE layer = %s"
        " AND facet IN ('count', 'bbox', 'year', 'actor', 'kind', 'geometry')",
        [layer],
    ):
        held.setdefault(facet, []).append((value, int(n)))
    [sides] = conn.execute(
        "SELECT (SELECT min(number) FROM layer_facets WHERE layer = %s AND facet = 'west'),"
        " (SELECT min(number) FROM layer_facets WHERE layer = %s AND facet = 'south'),"
        " (SELECT max(number) FROM layer_facets WHERE layer = %s AND facet = 'east'),"
        " (SELECT max(number) FROM layer_facets WHERE layer = %s AND facet = 'north')",
        [layer] * 4,
    ).fetchall()
    edges = dict(zip(("west", "south", "east", "north"), sides, strict=True))

    def values(facet: str) -> list[Any]:
        return [orjson.loads(value) for value, _ in held.get(facet, [])]

    def count(facet: str) -> int:
        return sum(n for _, n in held.get(facet, []))

    return summary_from(layer, values, count, lambda side, _pick: edges[side])


def _write_rows(conn: psycopg.Connection, delta: MergeDelta) -> None:
    with conn.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO merge_records (owner, body) VALUES (%s, %s)"
            " ON CONFLICT (owner) DO UPDATE SET body = excluded.body",
            [(owner, orjson.dumps(body).decode()) for owner, body in delta.records.items()],
        )
        cursor.executemany(
            "INSERT INTO merge_evidence (owner, position, doc_id, entry) VALUES (%s, %s, %s, %s)"
            " ON CONFLICT (owner, position) DO UPDATE SET doc_id = excluded.doc_id,"
            " entry = excluded.entry",
            [(o, p, d, orjson.dumps(e).decode()) for o, d, p, e in delta.evidence],
        )
        cursor.executemany(
            "INSERT INTO merge_owners (fid, owner) VALUES (%s, %s)"
            " ON CONFLICT (fid) DO UPDATE SET owner = excluded.owner",
            list(delta.owners.items()),
        )
        cursor.executemany(
            "INSERT INTO merge_mentions (doc_id, body) VALUES (%s, %s)"
            " ON CONFLICT (doc_id) DO UPDATE SET body = excluded.body",
            [(d, orjson.dumps(m).decode()) for d, m in delta.mentions.items()],
        )
        cursor.executemany(
            "INSERT INTO merge_members (place_id, owner, fid, body) VALUES (%s, %s, %s, %s)"
            " ON CONFLICT (place_id, owner) DO UPDATE SET fid = excluded.fid,"
            " body = excluded.body",
            [(p, o, m[0], orjson.dumps(m).decode()) for p, o, m in delta.members if m],
        )
        cursor.executemany(
            "DELETE FROM merge_members WHERE place_id = %s AND owner = %s",
            [(p, o) for p, o, m in delta.members if m is None],
        )


def clear(conn: psycopg.Connection) -> None:
    """No records (a build that keeps none): the next ingest rebuilds."""
    for table in (*MERGE_TABLES, "layer_facets"):  # DELETE, not TRUNCATE: readers read on
        conn.execute(f"DELETE FROM {table}")  # noqa: S608 - constant names
    conn.execute("UPDATE store_state SET records_token = NULL")


def replace_all(
    conn: psycopg.Connection, delta: MergeDelta, layers: Mapping[str, Iterable[Feature]]
) -> None:
    """A build's records (every one) and its layers' facets, in place of the old ones."""
    clear(conn)
    copy_rows(conn, "merge_records", ("owner", "body"), (
        (owner, orjson.dumps(body).decode()) for owner, body in delta.records.items()
    ))
    copy_rows(conn, "merge_evidence", ("owner", "position", "doc_id", "entry"), (
        (o, p, d, orjson.dumps(e).decode()) for o, d, p, e in delta.evidence
    ))
    copy_rows(conn, "merge_owners", ("fid", "owner"), delta.owners.items())
    copy_rows(conn, "merge_mentions", ("doc_id", "body"), (
        (d, orjson.dumps(m).decode()) for d, m in delta.mentions.items()
    ))
    copy_rows(conn, "merge_members", ("place_id", "owner", "fid", "body"), (
        (p, o, m[0], orjson.dumps(m).decode()) for p, o, m in delta.members if m
    ))
    copy_rows(conn, "layer_facets", ("layer", "facet", "value", "number", "n"), (
        (*_facet_row(facet), n) for facet, n in count_facets(layers).items() if n
    ))
    conn.execute("UPDATE store_state SET records_token = %s", [delta.token])


def token(conn: psycopg.Connection) -> str | None:
    row = conn.execute("SELECT records_token FROM store_state").fetchone()
    return row[0] if row else None


def records(conn: psycopg.Connection, owners: Collection[str]) -> dict[str, dict[str, Any]]:
    rows = conn.execute(
        "SELECT owner, body FROM merge_records WHERE owner = ANY(%s)", [list(owners)]
    )
    return {owner: orjson.loads(body) for owner, body in rows}


def members(
    conn: psycopg.Connection, pairs: Collection[tuple[str, str]]
) -> dict[tuple[str, str], Any]:
    places, owners = [p for p, _ in pairs], [o for _, o in pairs]
    rows = conn.execute(
        "SELECT m.place_id, m.owner, m.body FROM unnest(%s::text[], %s::text[]) AS k(p, o)"
        " JOIN merge_members m ON m.place_id = k.p AND m.owner = k.o",
        [places, owners],
    )
    return {(place_id, owner): orjson.loads(body) for place_id, owner, body in rows}


def first_members(
    conn: psycopg.Connection, limits: Mapping[str, int]
) -> dict[str, list[tuple[str, str]]]:
    """Every place's first members in one statement (an index range per place)."""
    found: dict[str, list[tuple[str, str]]] = {place_id: [] for place_id in limits}
    rows = conn.execute(
        "SELECT k.p, m.owner, m.fid FROM unnest(%s::text[], %s::int[]) AS k(p, n)"
        " CROSS JOIN LATERAL (SELECT owner, fid FROM merge_members WHERE place_id = k.p"
        "  ORDER BY fid LIMIT k.n) m ORDER BY k.p, m.fid",
        [list(limits), list(limits.values())],
    )
    for place_id, owner, fid in rows:
        found[place_id].append((owner, fid))
    return found


def _renumber(conn: psycopg.Connection, layer: str, spacing: int) -> None:
    """Every feature of the layer `spacing` apart again, in order (when an ingest found no
    room between two neighbours); the bodies follow (ON UPDATE CASCADE)."""
    # First above both the current positions and the new ones (a row's position is checked
    # unique as soon as it changes), then `spacing` apart from 0.
    conn.execute(
        "UPDATE features f SET position = f.position - s.lo + 1 + s.top FROM ("
        "  SELECT min(position) AS lo, greatest(max(position), count(*) * %s) AS top"
        "  FROM features WHERE layer = %s) s"
        " WHERE f.layer = %s",
        [spacing, layer, layer],
    )
    conn.execute(
        "UPDATE features f SET position = r.n * %s FROM ("
        "  SELECT position, row_number() OVER (ORDER BY order_key, id) - 1 AS n"
        "  FROM features WHERE layer = %s) r"
        " WHERE f.layer = %s AND f.position = r.position",
        [spacing, layer, layer],
    )


def _spread(before: int | None, after: int | None, count: int) -> list[int] | None:
    """`count` positions in order strictly between two neighbours' (None: no neighbour on that
    side); None if there is no room."""
    if before is None and after is None:
        return [i * GAP for i in range(count)]
    if before is None:
        return [after - GAP * (count - i) for i in range(count)]
    if after is None:
        return [before + GAP * (i + 1) for i in range(count)]
    if after - before <= count:
        return None
    return [before + (after - before) * (i + 1) // (count + 1) for i in range(count)]


def _positions(conn: psycopg.Connection, layer: str, keys: list[str]) -> list[int]:
    """Positions for features with these order keys (sorted), each between the stored
    features before and after it, found in one query; the layer is renumbered if a gap is
    too narrow."""
    for _ in range(2):
        rows = conn.execute(
            "SELECT (SELECT position FROM features WHERE layer = %s"
            "        AND order_key < k.key COLLATE \"C\" ORDER BY order_key DESC LIMIT 1),"
            "       (SELECT position FROM features WHERE layer = %s"
            "        AND order_key > k.key COLLATE \"C\" ORDER BY order_key LIMIT 1)"
            " FROM unnest(%s::text[]) WITH ORDINALITY AS k(key, n) ORDER BY k.n",
            [layer, layer, keys],
        ).fetchall()
        groups: dict[tuple, int] = {}
        for neighbours in rows:
            groups[neighbours] = groups.get(neighbours, 0) + 1
        spread = {gap: _spread(*gap, count) for gap, count in groups.items()}
        if all(positions is not None for positions in spread.values()):
            taken = {gap: iter(positions) for gap, positions in spread.items()}
            return [next(taken[neighbours]) for neighbours in rows]  # type: ignore[arg-type]
        _renumber(conn, layer, GAP * (max(groups.values()) + 1))  # room for the largest group
    raise StoreUnavailable(f"no room in the order of layer {layer!r}; rebuild the layers")


def _replace_features(
    conn: psycopg.Connection, layer: str, old_ids: Collection[str], redrawn: list[Feature]
) -> Counter[Facet]:
    """Take out the features `old_ids` names and put `redrawn` in at their places in the
    layer's order; the facet changes."""
    facets: Counter[Facet] = Counter()
    rows = conn.execute(
        "DELETE FROM features f USING feature_bodies b"
        " WHERE f.layer = %s AND f.id = ANY(%s) AND b.layer = f.layer"
        " AND b.position = f.position RETURNING b.body",
        [layer, list(old_ids)],
    ).fetchall()
    if len(rows) != len(old_ids):
        raise StoreUnavailable(f"layer {layer!r} and its merge records disagree; rebuild them")
    for (body,) in rows:
        facets.subtract(facets_of(layer, orjson.loads(body)))
    redrawn = sorted(redrawn, key=order_text)
    positions = _positions(conn, layer, [order_text(f) for f in redrawn])
    written = [feature_row(layer, p, f) for p, f in zip(positions, redrawn, strict=True)]
    with conn.cursor() as cursor:
        cursor.executemany(_INSERT_FEATURE, [row for row, _ in written])
        cursor.executemany(_INSERT_BODY, [body for _, body in written])
        cursor.executemany(
            _INSERT_EVIDENCE, [row for f in redrawn for row in evidence_rows(layer, f)]
        )
    for feature in redrawn:
        facets.update(facets_of(layer, feature))
    return facets


def apply(conn: psycopg.Connection, delta: MergeDelta) -> None:
    """An ingest's delta, inside the caller's transaction (which bumps the store's version)
    and pipeline (only the statements whose answer is read wait for one): refused
    (StoreUnavailable) unless the records are the ones it was folded into."""
    row = conn.execute("SELECT records_token FROM store_state FOR UPDATE").fetchone()
    if delta.base is None or row is None or row[0] != delta.base:
        raise StoreUnavailable("the layers changed under this ingest; rebuild them")
    facets: Counter[Facet] = Counter()
    touched = []
    for layer in LAYER_NAMES:
        redrawn = list(delta.features.get(layer, ()))
        previous = delta.previous.get(layer, {})
        if not redrawn and not previous:
            continue
        facets.update(_replace_features(conn, layer, list(previous), redrawn))
        touched.append((layer, redrawn))
    _add_facets(conn, facets)
    for layer, redrawn in touched:
        # The property names the redrawn features add, after the layer's own, in order.
        conn.execute(
            "UPDATE layers SET summary = %s, property_names = property_names || coalesce(("
            "  SELECT array_agg(k.name ORDER BY k.n) FROM unnest(%s::text[])"
            "  WITH ORDINALITY AS k(name, n) WHERE NOT k.name = ANY(property_names)), '{}')"
            " WHERE name = %s",
            [orjson.dumps(summary(conn, layer)).decode(), property_names(redrawn), layer],
        )
    _write_rows(conn, delta)
    with conn.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO built_documents (id, position, entry) VALUES (%s, %s, %s)",
            [(entry["id"], position, orjson.dumps(entry).decode())
             for position, entry in enumerate(delta.documents, start=_next_document(conn))],
        )
    conn.execute("UPDATE store_state SET records_token = %s", [delta.token])


def _next_document(conn: psycopg.Connection) -> int:
    [(position,)] = conn.execute(
        "SELECT coalesce(max(position), -1) + 1 FROM built_documents"
    ).fetchall()
    return int(position)
