"""Full-text search in SQLite FTS5: one database file beside the layers, written with them.

Two FTS5 tables over the same rows: `words` (the `unicode61` tokenizer, diacritics folded) for
words, phrases and prefixes, and `grams` (the `trigram` tokenizer) for Chinese, Japanese and
Korean, written without spaces between words and so matched as substrings. Every term reaches
FTS5 as a quoted string, never as syntax. The database records the layers' version it was built
from; `FileSearchIndex` rebuilds it from the stores when it is missing, damaged or stale.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Callable, Iterable, Sequence
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from geo.budget import check_budget
from geo.domain.layers import EVENT_LAYERS
from geo.domain.query import FeatureQuery
from geo.domain.search import (
    CJK,
    SearchEntry,
    SearchQuery,
    merge_spans,
    search_entries,
    substring_spans,
)
from geo.errors import BudgetExceeded, DrillmapError
from geo.storage.atomic import write_atomically
from geo.storage.base import (
    DocumentStore,
    FeatureStore,
    SearchHit,
    SearchIndex,
    SearchPage,
)

SEARCH_FILE = "search.sqlite"
SCHEMA_VERSION = "3"
TRIGRAM = 3  # the trigram tokenizer finds substrings of at least three characters
PROGRESS_STEPS = 20_000  # SQLite virtual-machine steps between two looks at the time budget
TITLE_WEIGHT = 4.0  # bm25: a match in the title counts four times one in the text
_OPEN, _CLOSE = "\x02", "\x03"  # highlight() markers, found again to give offsets
log = logging.getLogger("drillmap.search")
T = TypeVar("T")

SCHEMA = """
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE entries(
    id INTEGER PRIMARY KEY, kind TEXT NOT NULL, doc_id TEXT NOT NULL, label TEXT NOT NULL,
    title TEXT NOT NULL, body TEXT NOT NULL, base INTEGER NOT NULL, feature_id TEXT, layer TEXT,
    cjk INTEGER NOT NULL
);
-- `label` is shown (a document's or an event's title); `title` is searched: a document's title,
-- but nothing for an evidence sentence, whose event title is made up, not text to be found.
CREATE INDEX entries_by_document ON entries(doc_id, kind);
CREATE INDEX entries_with_cjk ON entries(cjk);
CREATE VIEW cjk_entries AS SELECT id, title, body FROM entries WHERE cjk = 1;
CREATE VIRTUAL TABLE words USING fts5(
    title, body, content='entries', content_rowid='id', tokenize='unicode61 remove_diacritics 2'
);
"""
# Only texts holding CJK can match a CJK term: trigrams of the rest would be most of the file.
GRAMS = """CREATE VIRTUAL TABLE grams USING fts5(
    title, body, content='cjk_entries', content_rowid='id', tokenize='{tokenizer}'
)"""


def database_bytes(entries: Iterable[SearchEntry], version: str) -> bytes:
    """A complete search database holding `entries`, as bytes to write in one step."""
    with closing(sqlite3.connect(":memory:")) as db:
        db.executescript(SCHEMA)
        try:
            db.execute(GRAMS.format(tokenizer="trigram"))
        except sqlite3.OperationalError:  # an SQLite before 3.34: CJK runs match as whole words
            log.warning("drillmap: this SQLite has no trigram tokenizer; CJK search is weaker")
            db.execute(GRAMS.format(tokenizer="unicode61"))
        db.executemany(
            "INSERT INTO entries(kind, doc_id, label, title, body, base, feature_id, layer, cjk) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                (
                    e.kind, e.doc_id, e.title, e.title if e.kind == "document" else "", e.body,
                    e.base, e.feature_id, e.layer, has_cjk(e),
                )
                for e in entries
            ),
        )
        for table in ("words", "grams"):
            db.execute(f"INSERT INTO {table}({table}) VALUES ('rebuild')")  # noqa: S608
            db.execute(f"INSERT INTO {table}({table}) VALUES ('optimize')")  # noqa: S608
        db.executemany(
            "INSERT INTO meta VALUES (?, ?)", [("version", version), ("schema", SCHEMA_VERSION)]
        )
        db.commit()
        return db.serialize()


def has_cjk(entry: SearchEntry) -> int:
    """1 if the entry's title or text holds a Chinese, Japanese or Korean character."""
    return int(bool(CJK.search(entry.title) or CJK.search(entry.body)))


def _quoted(text: str) -> str:
    """An FTS5 string: whatever is inside is text for the tokenizer, never query syntax."""
    return '"' + text.replace('"', '""') + '"'


@dataclass(frozen=True)
class _Compiled:
    """A query as FTS5 sees it: a `words` expression, a `grams` one, short CJK substrings."""

    words: str | None
    grams: str | None
    short: tuple[str, ...]
    substrings: tuple[str, ...]  # every CJK word, found again in Python for the highlights

    @classmethod
    def of(cls, query: SearchQuery) -> _Compiled:
        words, grams, short, substrings = [], [], [], []
        for term in query.terms:
            if term.cjk:
                for word in term.words:
                    substrings.append(word)
                    (grams if len(word) >= TRIGRAM else short).append(word)
            else:
                words.append(_quoted(" ".join(term.words)) + (" *" if term.prefix else ""))
        return cls(
            " AND ".join(words) or None,
            " AND ".join(_quoted(w) for w in grams) or None,
            tuple(short),
            tuple(substrings),
        )

    def where(self) -> tuple[str, list[str], str]:
        """FROM and WHERE clauses, their parameters, and the ORDER BY (best first)."""
        params: list[str] = []
        clauses: list[str] = []
        if self.words:
            source, order = "words JOIN entries e ON e.id = words.rowid", "bm25(words, ?, 1.0)"
            clauses.append("words MATCH ?")
            params.append(self.words)
            if self.grams:
                clauses.append("e.id IN (SELECT rowid FROM grams WHERE grams MATCH ?)")
                params.append(self.grams)
        elif self.grams:
            source, order = "grams JOIN entries e ON e.id = grams.rowid", "bm25(grams, ?, 1.0)"
            clauses.append("grams MATCH ?")
            params.append(self.grams)
        else:
            source, order = "entries e", "e.id"
        for word in self.short:
            clauses.append("e.cjk = 1 AND (instr(e.body, ?) > 0 OR instr(e.title, ?) > 0)")
            params.extend((word, word))
        return f"FROM {source} WHERE {' AND '.join(clauses)}", params, order


def _marked_spans(marked: str, original: str) -> list[tuple[int, int]]:
    """The spans highlight() marked, as offsets into the unmarked text."""
    spans, at, start = [], 0, None
    for char in marked:
        if char == _OPEN:
            start = at
        elif char == _CLOSE and start is not None:
            spans.append((start, at))
            start = None
        else:
            at += 1
    plain = marked.replace(_OPEN, "").replace(_CLOSE, "")
    return spans if plain == original else []  # the text held a marker itself: trust nothing


def _spans(
    db: sqlite3.Connection, compiled: _Compiled, rowid: int, body: str, column: int = 1
) -> list[tuple]:
    """Where the query matches in one row's `body` (column 1) or title (column 0)."""
    spans: list[tuple[int, int]] = []
    if compiled.words and body:
        row = db.execute(
            "SELECT highlight(words, ?, ?, ?) FROM words WHERE words MATCH ? AND rowid = ?",
            (column, _OPEN, _CLOSE, compiled.words, rowid),
        ).fetchone()
        if row and row[0] is not None:
            spans.extend(_marked_spans(row[0], body))
    for word in compiled.substrings:
        spans.extend(substring_spans(body, word))
    return merge_spans(spans)


def _over_budget() -> int:
    """For SQLite's progress handler: 1 (interrupt the query) once the request's budget is
    spent, so a search can never hold a worker past it."""
    try:
        check_budget("searching the documents")
    except BudgetExceeded:
        return 1
    return 0


def search_database(
    db: sqlite3.Connection, query: SearchQuery, limit: int, offset: int, version: str
) -> SearchPage:
    """One page of hits from an open search database."""
    compiled = _Compiled.of(query)
    where, params, order = compiled.where()
    weight = [TITLE_WEIGHT] if order != "e.id" else []
    matched = db.execute(f"SELECT count(*) {where}", params).fetchone()[0]
    rows = db.execute(
        "SELECT e.id, e.kind, e.doc_id, e.label, e.body, e.base, e.feature_id, e.layer "
        f"{where} ORDER BY {order}, e.id LIMIT ? OFFSET ?",
        [*params, *weight, limit, offset],
    ).fetchall()
    hits = []
    for rowid, kind, doc_id, title, body, base, feature_id, layer in rows:
        spans = _spans(db, compiled, rowid, body)
        in_title = _spans(db, compiled, rowid, title, column=0) if kind == "document" else []
        row = (kind, doc_id, title, body, base, feature_id, layer)
        hits.append(SearchHit.of(row, spans, in_title))
    return SearchPage(hits=hits, matched=matched, version=version)


def document_matches(db: sqlite3.Connection, doc_id: str, query: SearchQuery) -> list[tuple]:
    """Where the query matches in one document's text, if the document matches it at all."""
    compiled = _Compiled.of(query)
    where, params, _ = compiled.where()
    row = db.execute(
        f"SELECT e.id, e.body {where} AND e.kind = 'document' AND e.doc_id = ? LIMIT 1",
        [*params, doc_id],
    ).fetchone()
    return _spans(db, compiled, row[0], row[1]) if row else []


class FileSearchIndex(SearchIndex):
    """The search database at `path`, checked against the feature store's version on every use.

    The build writes it with the layers; if it is missing, damaged or from other layers, it is
    rebuilt here from the feature and document stores (in memory if the folder is read-only).
    """

    def __init__(self, features: FeatureStore, documents: DocumentStore, path: Path) -> None:
        self.features = features
        self.documents = documents
        self.path = Path(path)
        self._lock = threading.Lock()
        self._db: sqlite3.Connection | None = None
        self._version: str | None = None

    def search(self, query: SearchQuery, limit: int = 20, offset: int = 0) -> SearchPage:
        return self._run(lambda db, version: search_database(db, query, limit, offset, version))

    def matches(self, doc_id: str, query: SearchQuery) -> list[tuple[int, int]]:
        return self._run(lambda db, _: document_matches(db, doc_id, query))

    def _run(self, ask: Callable[[sqlite3.Connection, str], T]) -> T:
        """`ask` on the database of the current layers, within the request's time budget
        (BudgetExceeded, a 503); once more on a rebuilt database if the file turns out damaged
        while in use."""
        version = self.features.version()
        with self._lock:
            if self._db is None or self._version != version:
                self._use(self._open_file(version) or self._rebuild(version), version)
            assert self._db is not None
            self._db.set_progress_handler(_over_budget, PROGRESS_STEPS)
            try:
                return ask(self._db, version)
            except sqlite3.DatabaseError as exc:
                if _over_budget():  # interrupted by the progress handler: a 503, not damage
                    check_budget("searching the documents")
                log.error("drillmap: %s cannot be read (%s); rebuilding it", self.path, exc)
                self._use(self._rebuild(version), version)
                return ask(self._db, version)

    def _use(self, db: sqlite3.Connection, version: str) -> None:
        if self._db is not None:
            self._db.close()
        self._db, self._version = db, version

    def _open_file(self, version: str) -> sqlite3.Connection | None:
        """The database file if it is whole and built from these layers, else None."""
        if not self.path.is_file():
            return None
        uri = f"{self.path.resolve().as_uri()}?mode=ro"  # resolved: a relative folder too
        db = sqlite3.connect(uri, uri=True, check_same_thread=False)
        try:
            meta = dict(db.execute("SELECT key, value FROM meta").fetchall())
            db.execute("SELECT count(*) FROM words WHERE words MATCH 'x'").fetchone()
        except sqlite3.DatabaseError as exc:
            log.warning("drillmap: %s cannot be read (%s); rebuilding it", self.path, exc)
            meta = {}
        if meta.get("version") == version and meta.get("schema") == SCHEMA_VERSION:
            return db
        db.close()
        return None

    def _rebuild(self, version: str) -> sqlite3.Connection:
        """Build the database from the stores, write it (if the folder allows), open it."""
        data = database_bytes(self._entries(), version)
        try:
            write_atomically(self.path, data)
        except OSError as exc:
            log.warning("drillmap: cannot write %s (%s); searching in memory", self.path, exc)
        db = sqlite3.connect(":memory:", check_same_thread=False)
        db.deserialize(data)
        return db

    def _entries(self) -> list[SearchEntry]:
        documents = self.features.documents()
        texts = {}
        for entry in documents:
            location = entry.get("path")
            try:
                texts[entry["id"]] = self.documents.text(
                    entry["id"], location if isinstance(location, str) else None
                )
            except DrillmapError:
                continue  # gone or unreadable: its title and evidence stay searchable
        built = {entry["name"] for entry in self.features.collections()}
        layers: dict[str, Sequence] = {}
        for name in EVENT_LAYERS:
            if name in built:
                try:
                    layers[name] = self.features.query(name, FeatureQuery()).features
                except DrillmapError:
                    continue  # a damaged layer: the pages say so
        return search_entries(documents, texts, layers, EVENT_LAYERS)
