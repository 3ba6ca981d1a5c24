"""Full-text search on PostGIS: the texts `geo.domain.search.search_entries` lists, in
`search_entries` (migration 006), searched as the file store's FTS5 database is.

Words are folded and numbered in Python (`word_spans`) and stored as a tsvector, so the words a
query looks for, the words PostgreSQL indexed and the spans the pages highlight are one
tokenisation; every term reaches SQL as a bound tsquery value built from letters and digits
only, never as query syntax. Chinese, Japanese and Korean terms match as substrings, through a
trigram index. The sink and each ingest write the entries in the transaction that writes the
layers; an index from another version (an upgraded database) is rebuilt from the stores.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import psycopg

from geo.domain.features import Feature
from geo.domain.layers import EVENT_LAYERS
from geo.domain.query import FeatureQuery
from geo.domain.search import (
    CJK,
    SearchEntry,
    SearchQuery,
    fold_word,
    merge_spans,
    search_entries,
    substring_spans,
    term_spans,
    word_spans,
)
from geo.storage.base import SearchHit, SearchIndex, SearchPage
from geo.storage.postgis_rows import copy_rows

MAX_POSITION = 16383  # PostgreSQL's largest tsvector position
MAX_WORD_BYTES = 2047  # and its longest lexeme
TITLE_WEIGHTS = "{0.25,0.25,0.25,1.0}"  # ts_rank weights D, C, B, A: a title word counts 4x
SEARCH_LOCK_KEY = 0x736561726368  # pg_advisory_xact_lock key of a rebuild ("search")
COLUMNS = ("kind", "doc_id", "label", "title", "body", "base", "feature_id", "layer", "cjk",
           "words")


def tsvector(title: str, body: str) -> str:
    """The entry's words as a tsvector literal: the title's (weight A), then the body's, a few
    positions apart so no phrase runs from one into the other."""
    lexemes = []
    position = 1
    for text, weight in ((title, "A"), (body, "")):
        for _, _, word in word_spans(text):
            if len(word.encode()) <= MAX_WORD_BYTES:
                quoted = word.replace("\\", "\\\\").replace("'", "''")
                lexemes.append(f"'{quoted}':{min(position, MAX_POSITION)}{weight}")
            position += 1
        position += 8
    return " ".join(lexemes)


def _row(entry: SearchEntry) -> tuple:
    cjk = bool(CJK.search(entry.title) or CJK.search(entry.body))
    searched = entry.title if entry.kind == "document" else ""
    return (entry.kind, entry.doc_id, entry.title, searched, entry.body, entry.base,
            entry.feature_id, entry.layer, cjk, tsvector(searched, entry.body))


def write_entries(conn: psycopg.Connection, entries: Iterable[SearchEntry]) -> None:
    copy_rows(conn, "search_entries", COLUMNS, (_row(entry) for entry in entries))


def replace_all(
    conn: psycopg.Connection,
    documents: Sequence[Mapping[str, Any]],
    texts: Mapping[str, str],
    layers: Mapping[str, Sequence[Feature]],
) -> None:
    """Every entry again (a build), inside its transaction; the texts a build does not hand
    over are read from the documents table."""
    missing = [str(d.get("id")) for d in documents if d.get("id") not in texts]
    if missing:
        rows = conn.execute(
            "SELECT id, body FROM documents WHERE id = ANY(%s)", [missing]
        ).fetchall()
        texts = {**texts, **dict(rows)}
    conn.execute("DELETE FROM search_entries")
    write_entries(conn, search_entries(documents, texts, layers, EVENT_LAYERS))
    conn.execute("UPDATE store_state SET search_version = version")


def apply(
    conn: psycopg.Connection,
    documents: Sequence[Mapping[str, Any]],
    texts: Mapping[str, str],
    features: Mapping[str, Sequence[Feature]],
    previous: Mapping[str, Iterable[str]],
) -> None:
    """An ingest's changes (inside its transaction): the replaced events' sentences out, the
    redrawn events' and the new documents' in."""
    for layer in EVENT_LAYERS:
        gone = list(previous.get(layer, ()))
        if gone:
            conn.execute(
                "DELETE FROM search_entries WHERE layer = %s AND feature_id = ANY(%s)",
                [layer, gone],
            )
    rows = [_row(entry) for entry in search_entries(documents, texts, features, EVENT_LAYERS)]
    with conn.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO search_entries ({', '.join(COLUMNS)})"  # noqa: S608 - constant
            f" VALUES ({', '.join(['%s'] * len(COLUMNS))})",
            rows,
        )
    conn.execute("UPDATE store_state SET search_version = version")


def _conditions(query: SearchQuery) -> tuple[list[str], list[Any], str | None]:
    """WHERE conditions and their values; the tsquery (None if every term is CJK)."""
    parts = []
    for term in query.terms:
        if term.cjk:
            continue
        words = [fold_word(word) for word in term.words]
        lexemes = [f"'{w}'" for w in words]  # letters and digits only: nothing to escape
        if term.prefix:
            lexemes[-1] += ":*"
        parts.append("(" + " <-> ".join(lexemes) + ")")
    tsquery = " & ".join(parts) or None
    conditions, values = [], []
    if tsquery:
        conditions.append("words @@ %s::tsquery")
        values.append(tsquery)
    for term in query.terms:
        if term.cjk:
            for word in term.words:
                conditions.append("cjk AND (title || ' ' || body) LIKE %s")
                values.append(f"%{word}%")  # a word has no LIKE wildcards: letters only
    return conditions, values, tsquery


def spans(text: str, query: SearchQuery) -> list[tuple[int, int]]:
    """Where the query's terms occur in `text` (what the pages mark)."""
    words = word_spans(text)
    found: list[tuple[int, int]] = []
    for term in query.terms:
        if term.cjk:
            for word in term.words:
                found.extend(substring_spans(text, word))
        else:
            found.extend(term_spans(words, term))
    return merge_spans(found)


class PostgisSearchIndex(SearchIndex):
    """Searches `search_entries`; rebuilds them from the stores when they are from another
    version of the store than the one being read."""

    def __init__(self, db: Any, features: Any, documents: Any) -> None:
        self.db = db  # geo.storage.postgis._Database
        self.features = features
        self.documents = documents

    def _ready(self) -> str:
        """The store's version (as every other read sees it, cached up to a second), with
        entries written for the database's current one."""
        [(fresh,)] = self.db.rows(
            "SELECT search_version IS NOT DISTINCT FROM version FROM store_state"
        )
        if not fresh:
            self._rebuild()
            self.features.refresh()
        return self.features.version()

    def _rebuild(self) -> None:
        documents = self.features.documents()
        layers = {
            name: list(self.features.query(name, FeatureQuery()).features)
            for name in EVENT_LAYERS
            if name in {c["name"] for c in self.features.collections()}
        }
        with self.db.connection() as conn, conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(%s)", [SEARCH_LOCK_KEY])
            [(fresh,)] = conn.execute(
                "SELECT search_version IS NOT DISTINCT FROM version FROM store_state"
            ).fetchall()
            if not fresh:  # another process may have rebuilt it meanwhile
                replace_all(conn, documents, {}, layers)

    def search(self, query: SearchQuery, limit: int = 20, offset: int = 0) -> SearchPage:
        version = self._ready()
        conditions, values, tsquery = _conditions(query)
        where = " AND ".join(conditions)
        order = "ts_rank(%s::float4[], words, %s::tsquery) DESC, id" if tsquery else "id"
        ranking = [TITLE_WEIGHTS, tsquery] if tsquery else []
        [(matched,)] = self.db.rows(
            f"SELECT count(*) FROM search_entries WHERE {where}", values  # noqa: S608
        )
        rows = self.db.rows(
            "SELECT kind, doc_id, label, title, body, base, feature_id, layer"  # noqa: S608
            f" FROM search_entries WHERE {where} ORDER BY {order} LIMIT %s OFFSET %s",
            [*values, *ranking, limit, offset],
        )
        hits = []
        for kind, doc_id, label, title, body, base, feature_id, layer in rows:
            title_spans = spans(title, query) if kind == "document" else []
            row = (kind, doc_id, label, body, base, feature_id, layer)
            hits.append(SearchHit.of(row, spans(body, query), title_spans))
        return SearchPage(hits=hits, matched=matched, version=version)

    def matches(self, doc_id: str, query: SearchQuery) -> list[tuple[int, int]]:
        self._ready()
        conditions, values, _ = _conditions(query)
        rows = self.db.rows(
            "SELECT body FROM search_entries WHERE kind = 'document' AND doc_id = %s"  # noqa: S608
            f" AND {' AND '.join(conditions)} LIMIT 1",
            [doc_id, *values],
        )
        return spans(rows[0][0], query) if rows else []
