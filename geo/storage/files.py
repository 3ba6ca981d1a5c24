"""The embedded store: layers as GeoJSON files with an index, documents as .txt files + sidecars.

No server to run, what `make run` uses. A layer is re-read only when its file changes, so
requests never pay for parsing; queries run on per-layer arrays (`geo.storage.columns`).
"""

from __future__ import annotations

import bisect
import hashlib
import logging
import os
import re
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Collection, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
from filelock import FileLock

from geo.domain.documents import (
    EXAMPLES_DIR,
    check_sidecar,
    decode_text,
    invisible_character,
)
from geo.domain.features import Feature, feature_order
from geo.domain.language import detect_language
from geo.domain.layers import EVENT_LAYERS, LAYER_NAMES, PLACE_LAYERS
from geo.domain.model import Document
from geo.domain.query import FeatureQuery
from geo.domain.search import search_entries
from geo.errors import DocumentRefused, NotFound, StoreUnavailable
from geo.storage import records_db
from geo.storage.atomic import staged_files, write_atomically
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
from geo.storage.columns import LayerColumns, line_spans
from geo.storage.documents import load_document, sidecar_path
from geo.storage.fts import SEARCH_FILE, database_bytes
from geo.storage.records_db import RECORDS_FILE

INDEX_FILE = "index.json"
LOCK_FILE = ".drillmap.lock"
PENDING_DIR = ".pending"
QUARANTINE_DIR = "quarantine"
WRITE_LOCK_SECONDS = 300  # a writer waits this long for another one to finish
# A file's version as stat sees it: mtime, size, ctime, inode.
Stamp = tuple[int, int, int, int]
log = logging.getLogger("drillmap.storage")
FRESHNESS_SECONDS = 1.0
MAX_FIELD_CHARS = 300
MAX_URL_CHARS = 2000
_INDEX_PREFIX = re.compile(r"^(\d+)_")


def collection_bytes(features: list[Feature]) -> bytes:
    """A FeatureCollection with one feature per line, so diffs of committed layers stay readable."""
    body = b",\n".join(orjson.dumps(f) for f in features)
    return b'{"type":"FeatureCollection","features":[\n' + body + b"\n]}\n"


@dataclass(frozen=True)
class Layer:
    """One version of a layer file, with its query arrays."""

    name: str
    path: Path
    features: list[Feature]
    by_id: dict[str, Feature]
    stamp: Stamp
    columns: LayerColumns
    digest: str  # of the file's bytes: the layer's version


@dataclass(frozen=True)
class _Damaged:
    """A layer file that could not be read, remembered until the file changes."""

    stamp: Stamp
    problem: str


@dataclass(frozen=True)
class _Loaded:
    """One version of the index file: parsed, or why it could not be."""

    stamp: Stamp
    digest: str
    value: dict[str, Any] | None
    problem: str | None


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]


def content_version(index_digest: str, layer_digests: list[str]) -> str:
    """The layers' version from the index's and each layer's digest (in the index's order):
    what `FileFeatureStore.version` says and what the search database records."""
    return hashlib.sha256(repr([index_digest, *layer_digests]).encode()).hexdigest()[:16]


def _checked_index(index: Any) -> dict[str, Any]:
    """The index as the build writes it, or ValueError saying what is wrong."""
    if not isinstance(index, dict) or not isinstance(index.get("layers"), list):
        raise ValueError("no list of layers")
    if not all(isinstance(e, dict) and isinstance(e.get("name"), str) for e in index["layers"]):
        raise ValueError("a layer entry without a name")
    documents = index.setdefault("documents", [])
    if not isinstance(documents, list) or not all(
        isinstance(d, dict) and isinstance(d.get("id"), str) for d in documents
    ):
        raise ValueError("a document entry without an id")
    return index


def _checked_features(collection: Any) -> list[Feature]:
    """A layer's features, or ValueError saying what is wrong with the collection."""
    if not isinstance(collection, dict) or not isinstance(collection.get("features"), list):
        raise ValueError("not a FeatureCollection")
    for feature in collection["features"]:
        if not isinstance(feature, dict) or not isinstance(feature.get("properties"), dict):
            raise ValueError("a feature without properties")
        if "id" not in feature or not isinstance(feature.get("geometry"), dict | None):
            raise ValueError(f"feature {feature.get('id')!r} has no id or a bad geometry")
    return collection["features"]


@dataclass(frozen=True)
class _Lookups:
    """Per index version: which event features cite a document, where each place lies."""

    stamp: tuple
    by_document: dict[str, list[Feature]]
    place_boxes: dict[str, list[float] | None]
    property_names: dict[str, list[str]] = field(default_factory=dict)


class FileFeatureStore(FeatureStore):
    """Built layers under one folder, cached by file modification time and size."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self._cache: dict[str, Layer | _Damaged] = {}
        self._index: _Loaded | None = None
        self._lookups: _Lookups | None = None
        self._lock = threading.RLock()
        self._stamps: dict[Path, tuple[float, Stamp | None]] = {}
        self._index_path = self.root / INDEX_FILE
        self._layer_paths: dict[str, Path] = {}
        self._records_token: tuple[Stamp, str | None] | None = None

    def _stamp(self, path: Path) -> Stamp | None:
        """The file's version (None if missing), looked up at most every FRESHNESS_SECONDS: a
        rebuild shows within that time, and requests in between skip the stat call."""
        now = time.monotonic()
        seen = self._stamps.get(path)
        if seen is not None and now - seen[0] < FRESHNESS_SECONDS:
            return seen[1]
        try:
            stat = path.stat()
            # ctime and inode too: `cp -p` keeps size and mtime, a rename changes the inode.
            stamp: Stamp | None = (stat.st_mtime_ns, stat.st_size, stat.st_ctime_ns, stat.st_ino)
        except FileNotFoundError:
            stamp = None
        self._stamps[path] = (now, stamp)
        return stamp

    def refresh(self) -> None:
        self._stamps.clear()

    def _layer_path(self, name: str) -> Path:
        """`<root>/<name>.geojson`, joined once (pathlib joins showed in every request's cost)."""
        path = self._layer_paths.get(name)
        if path is None:
            path = self._layer_paths.setdefault(name, self.root / f"{name}.geojson")
        return path

    def index(self) -> dict[str, Any]:
        """The build's index: layers with counts, years, actors, kinds; documents.

        A damaged index is StoreUnavailable (503) until the file changes; it is not re-read
        on every request meanwhile.
        """
        path = self._index_path
        stamp = self._stamp(path)
        if stamp is None:
            return {"layers": [], "documents": []}
        with self._lock:
            if self._index is None or self._index.stamp != stamp:
                data = path.read_bytes()
                try:
                    parsed: dict[str, Any] | None = _checked_index(orjson.loads(data))
                    problem = None
                except (orjson.JSONDecodeError, ValueError, TypeError) as exc:
                    parsed, problem = None, f"{path} is damaged ({exc})"
                    log.error("drillmap: %s; rebuild with `drillmap build`", problem)
                self._index = _Loaded(stamp, _digest(data), parsed, problem)
            if self._index.value is None:
                raise StoreUnavailable(
                    f"the layers' index is damaged; rebuild them ({self._index.problem})"
                )
            return self._index.value

    def version(self) -> str:
        """A hash of the contents (not the file times): an identical rebuild keeps it."""
        self.index()
        digests = []
        for name in self.names():
            try:
                digests.append(self.layer(name).digest)
            except (NotFound, StoreUnavailable):
                digests.append(repr(self._stamp(self._layer_path(name))))
        return content_version(self._index.digest if self._index else "no index", digests)

    def problems(self) -> list[str]:
        """The layers that cannot be read right now (for a notice on the pages)."""
        problems = []
        for name in self.names():
            try:
                self.layer(name)
            except StoreUnavailable as exc:
                problems.append(exc.description)
            except NotFound:
                continue
        return problems

    def modified(self) -> datetime | None:
        stamps = [self._stamp(self._index_path)]
        stamps += [self._stamp(self._layer_path(name)) for name in self.names()]
        times = [stamp[0] for stamp in stamps if stamp is not None]
        return datetime.fromtimestamp(max(times) / 1e9, UTC) if times else None

    def names(self) -> list[str]:
        return [entry["name"] for entry in self.index()["layers"]]

    def collections(self) -> list[dict[str, Any]]:
        return list(self.index().get("layers", []))

    def layer(self, name: str) -> Layer:
        if name not in self.names():
            raise NotFound(f"no layer named {name!r}")
        path = self._layer_path(name)
        stamp = self._stamp(path)
        if stamp is None:
            raise NotFound(f"no layer named {name!r}")
        with self._lock:
            cached = self._cache.get(name)
            if cached is None or cached.stamp != stamp:
                cached = self._load(name, path, stamp)
                self._cache[name] = cached
        if isinstance(cached, _Damaged):
            raise StoreUnavailable(cached.problem)
        return cached

    def _load(self, name: str, path: Path, stamp: Stamp) -> Layer | _Damaged:
        """Parse and index one layer file; a damaged one is reported once and remembered."""
        data = path.read_bytes()
        try:
            features = _checked_features(orjson.loads(data))
            return Layer(
                name=name,
                path=path,
                features=features,
                by_id={str(f["id"]): f for f in features},
                stamp=stamp,
                columns=LayerColumns.build(features, line_spans(data, len(features))),
                digest=_digest(data),
            )
        except (orjson.JSONDecodeError, ValueError, TypeError, KeyError, AttributeError) as exc:
            problem = f"layer {name!r} cannot be read ({type(exc).__name__}: {exc})"
            log.error("drillmap: %s: %s; rebuild with `drillmap build`", path, problem)
            return _Damaged(stamp, f"{problem}; the other layers are unaffected")

    def query(
        self, collection: str, query: FeatureQuery, limit: int | None = None, offset: int = 0
    ) -> Page:
        layer = self.layer(collection)
        rows = layer.columns.select(query)
        matched = len(layer.features) if rows is None else len(rows)
        stop = matched if limit is None else min(offset + limit, matched)
        indices = list(range(offset, stop)) if rows is None else rows[offset:stop].tolist()
        return Page(
            features=[layer.features[i] for i in indices],
            matched=matched,
            version=layer.digest,
            encoded=[layer.columns.encoded[i] for i in indices],
        )

    def get(self, collection: str, feature_id: str) -> Feature:
        feature = self.layer(collection).by_id.get(feature_id)
        if feature is None:
            raise NotFound(f"no feature {feature_id!r} in collection {collection!r}")
        return feature

    def _layer_if_built(self, name: str) -> Layer | None:
        """The layer, or None if it is not built or cannot be read (see `problems`)."""
        try:
            return self.layer(name)
        except (NotFound, StoreUnavailable):
            return None

    def _current_lookups(self) -> _Lookups:
        layers = {name: self._layer_if_built(name) for name in (*EVENT_LAYERS, *PLACE_LAYERS)}
        stamp = tuple((n, layer.stamp if layer else None) for n, layer in layers.items())
        with self._lock:
            if self._lookups is not None and self._lookups.stamp == stamp:
                return self._lookups
            by_document: dict[str, list[Feature]] = {}
            for name in EVENT_LAYERS:
                for feature in layers[name].features if layers[name] else []:
                    cited = {e.get("doc_id") for e in feature["properties"].get("evidence") or []}
                    for doc_id in cited:
                        by_document.setdefault(doc_id, []).append(feature)
            boxes: dict[str, list[float] | None] = {}
            for name in PLACE_LAYERS:
                for feature in layers[name].features if layers[name] else []:
                    for place_id in feature["properties"].get("place_ids") or []:
                        boxes.setdefault(place_id, feature.get("bbox"))
            self._lookups = _Lookups(stamp, by_document, boxes)
            return self._lookups

    def records_path(self) -> Path | None:
        """The merge records file, if it belongs to the current layers (same token)."""
        state = self.index().get("state")
        path = self.root / RECORDS_FILE
        stamp = self._stamp(path)
        if state is None or stamp is None:
            return None
        with self._lock:
            if self._records_token is None or self._records_token[0] != stamp:
                self._records_token = (stamp, records_db.token(path))
            return path if self._records_token[1] == state else None

    def events_for_document(self, doc_id: str) -> list[Feature]:
        """The event features citing the document, each with the document's own evidence
        entries (a feature carries only its first few; the records hold them all)."""
        path = self.records_path()
        if path is None:
            return list(self._current_lookups().by_document.get(doc_id, []))
        found: list[tuple[int, tuple, Feature]] = []
        for body, items in records_db.document_evidence(path, doc_id, "e:").values():
            layer_name, fid, _ = body.get("drawn") or (None, None, None)
            layer = self._layer_if_built(layer_name) if layer_name in EVENT_LAYERS else None
            feature = layer.by_id.get(fid) if layer is not None else None
            if feature is None:
                continue
            copy = {**feature, "properties": {**feature["properties"], "evidence": items}}
            found.append((EVENT_LAYERS.index(layer_name), feature_order(feature), copy))
        found.sort(key=lambda row: row[:2])
        return [feature for _, _, feature in found]

    def document(self, doc_id: str) -> dict[str, Any]:
        entry = super().document(doc_id)
        path = None if "mentions" in entry else self.records_path()
        if path is not None:
            entry = {**entry, "mentions": records_db.mentions(path, doc_id) or []}
        return entry

    def evidence(
        self, collection: str, feature_id: str, limit: int = 50, offset: int = 0
    ) -> EvidencePage:
        self.get(collection, feature_id)  # NotFound for an unknown layer or feature
        path = self.records_path()
        page = None if path is None else records_db.evidence_page(path, feature_id, limit, offset)
        if page is None:
            return super().evidence(collection, feature_id, limit, offset)
        return EvidencePage(page[0], page[1])

    def place_bbox(self, place_id: str) -> list[float] | None:
        return self._current_lookups().place_boxes.get(place_id)

    def properties(self, collection: str) -> list[str]:
        seen: dict[str, None] = {}
        for feature in self.layer(collection).features:
            for key in feature.get("properties") or {}:
                seen.setdefault(key, None)
        return list(seen)

    def documents(self) -> list[dict[str, Any]]:
        return list(self.index().get("documents", []))


class FileLayerSink(LayerSink):
    """Writes `<name>.geojson` per layer, `records.sqlite`, the search database and
    `index.json` last, all or nothing. The search database is written when the build hands over
    every document's text (else `FileSearchIndex` builds it from the stores when first asked)."""

    keeps_records = True

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def write(self, built: BuiltLayers) -> None:
        """Every layer, then the merge records (when the build made them), the search database,
        the index last."""
        entry = dict(built.index)
        with staged_files(self.root) as stage:
            digests = {}
            for name, features in built.layers.items():
                data = collection_bytes(features)
                digests[name] = _digest(data)
                stage(f"{name}.geojson", data)
            if built.state is not None:
                fd, temp = tempfile.mkstemp(prefix=f".{RECORDS_FILE}.", dir=self.root)
                os.close(fd)
                try:
                    facets = records_db.count_facets(built.layers)
                    records_db.create(Path(temp), built.state, facets)
                except BaseException:
                    Path(temp).unlink(missing_ok=True)
                    raise
                # A killed ingest's journal belongs to the records this build replaces.
                (self.root / f"{RECORDS_FILE}-journal").unlink(missing_ok=True)
                stage(RECORDS_FILE, Path(temp))
                entry["state"] = built.state.token
            index = orjson.dumps(entry, option=orjson.OPT_INDENT_2) + b"\n"
            documents = built.index.get("documents") or []
            if documents and all(d.get("id") in built.texts for d in documents):
                names = [e["name"] for e in built.index.get("layers", [])]
                version = content_version(_digest(index), [digests.get(n, "") for n in names])
                entries = search_entries(documents, built.texts, built.layers, EVENT_LAYERS)
                stage(SEARCH_FILE, database_bytes(entries, version))
            stage(INDEX_FILE, index)

class FileMergeStore(MergeStore):
    """Incremental ingest on the file store: records from `records.sqlite`, and an apply that
    rewrites the touched layer files, commits the records and swaps the index in last."""

    def __init__(self, root: Path, features: FileFeatureStore) -> None:
        self.root = Path(root)
        self.features = features

    def token(self) -> str | None:
        self.features.refresh()
        try:
            return self.features.index().get("state") if self.features.records_path() else None
        except StoreUnavailable:
            return None

    def records(self, owners: Collection[str]) -> dict[str, dict[str, Any]]:
        return records_db.records(self.root / RECORDS_FILE, owners)

    def members(self, pairs: Collection[tuple[str, str]]) -> dict[tuple[str, str], Any]:
        return records_db.members(self.root / RECORDS_FILE, pairs)

    def first_members(self, limits: Mapping[str, int]) -> dict[str, list[tuple[str, str]]]:
        return records_db.first_members(self.root / RECORDS_FILE, limits)

    def follows(self, documents: DocumentStore, doc_ids: Sequence[str]) -> bool:
        # The folder's order is its file names: a file dropped in among them breaks it.
        return [*self.features.document_ids(), *doc_ids] == documents.build_order()

    def apply(self, delta: MergeDelta) -> None:
        """Splice the redrawn features into each touched layer file by their place in the
        layer's order (a binary search reads a few lines, not the layer), count the layers'
        summaries up and down in the records, then swap: records committed, layers, index."""
        if self.token() != delta.base or delta.base is None:
            raise StoreUnavailable("the layers changed under this ingest; rebuild them")
        index = dict(self.features.index())
        summaries = {entry["name"]: entry for entry in index["layers"]}
        conn = records_db.open_for_writing(self.root / RECORDS_FILE)
        try:
            with staged_files(self.root) as stage:
                facets: Counter = Counter()
                touched = []
                for name in LAYER_NAMES:
                    redrawn = list(delta.features.get(name, ()))
                    previous = delta.previous.get(name, {})
                    if not redrawn and not previous:
                        continue
                    lines = _FeatureLines(self.features._layer_path(name))
                    for fid, key in previous.items():
                        old = lines.take(fid, tuple(key))
                        facets.subtract(records_db.facets_of(name, old))
                    for feature in redrawn:
                        lines.put(feature)
                        facets.update(records_db.facets_of(name, feature))
                    stage(f"{name}.geojson", lines.collection())
                    touched.append(name)
                records_db.apply(conn, delta, facets)
                for name in touched:
                    summaries[name] = records_db.summary(conn, name)
                index["layers"] = [summaries[n] for n in LAYER_NAMES if n in summaries]
                index["documents"] = [*index.get("documents", []), *delta.documents]
                index["state"] = delta.token
                stage(INDEX_FILE, orjson.dumps(index, option=orjson.OPT_INDENT_2) + b"\n")
                # Committed before the renames: a kill before the index lands leaves the
                # document pending and unlisted, and the next writer rebuilds everything.
                conn.commit()
        finally:
            conn.rollback()
            conn.close()
        self.features.refresh()


class _FeatureLines:
    """A layer file written one feature a line (`collection_bytes`), in the layer's order:
    features taken out and put in by binary search on their order key."""

    def __init__(self, path: Path) -> None:
        data = path.read_bytes() if path.exists() else collection_bytes([])
        lines = data.split(b"\n")
        if len(lines) < 3 or lines[-2:] != [b"]}", b""]:
            raise StoreUnavailable(f"{path} is not one feature a line; rebuild the layers")
        self.lines = [line.removesuffix(b",") for line in lines[1:-2] if line]
        self._keys: dict[bytes, tuple] = {}

    def _feature(self, line: bytes) -> Feature:
        return orjson.loads(line)

    def _key(self, line: bytes) -> tuple:
        key = self._keys.get(line)
        if key is None:
            key = self._keys[line] = feature_order(self._feature(line))
        return key

    def take(self, fid: str, key: tuple) -> Feature:
        """Take out the feature with this id (found at its order key); its old content."""
        at = bisect.bisect_left(self.lines, key, key=self._key)
        while at < len(self.lines) and self._key(self.lines[at]) == key:
            feature = self._feature(self.lines[at])
            if feature["id"] == fid:
                del self.lines[at]
                return feature
            at += 1
        raise StoreUnavailable(f"feature {fid!r} is not where its order puts it; rebuild")

    def put(self, feature: Feature) -> None:
        line = orjson.dumps(feature)
        key = feature_order(feature)
        self._keys[line] = key
        self.lines.insert(bisect.bisect_right(self.lines, key, key=self._key), line)

    def collection(self) -> bytes:
        body = b",\n".join(self.lines)
        return b'{"type":"FeatureCollection","features":[\n' + body + b"\n]}\n"


def _clean_field(
    value: str | None, name: str, limit: int = MAX_FIELD_CHARS, *, spaces: bool = True
) -> str | None:
    """A field as typed, for a sidecar: runs of whitespace collapsed to one space (without
    `spaces`, as for a URL, only trimmed: a space inside is refused); refused if too long or
    holding an invisible control character (bidi overrides and isolates, C0/C1 controls)."""
    if value is None:
        return None
    value = " ".join(value.split()) if spaces else value.strip()
    if len(value) > limit:
        raise DocumentRefused(f"{name} is longer than {limit} characters")
    if not spaces and any(ch.isspace() for ch in value):
        raise DocumentRefused(f"{name} must not contain spaces (encode them as %20)")
    hidden = invisible_character(value)
    if hidden:
        raise DocumentRefused(
            f"{name} contains an invisible control character ({hidden}); remove it"
        )
    return value or None


class FileDocumentStore(DocumentStore):
    """`NNN_<digest>.txt` documents with a `.json` sidecar each, in one folder.

    Writers of every process take one file lock (`.drillmap.lock`, with filelock), so two
    ingests never pick the same number nor rebuild at once. An added document stays marked
    pending (`.pending/<id>`) until the build that includes it is written; a document that
    cannot be read is moved to `quarantine/` with its reason instead of failing every build.
    """

    _lock = threading.Lock()

    def __init__(self, root: Path, examples: bool = True) -> None:
        self.root = Path(root)
        self.examples = examples

    def _own_paths(self) -> list[Path]:
        """The documents users added (and the seeds): the folder's own `.txt` files."""
        return sorted(self.root.glob("*.txt"))

    def _paths(self) -> list[Path]:
        """Those, then the example corpus in `examples/<set>/` unless it was switched off."""
        shipped = sorted(self.root.glob(f"{EXAMPLES_DIR}/*/*.txt")) if self.examples else []
        return [*self._own_paths(), *shipped]

    def list(self) -> list[str]:
        return [path.stem for path in self._paths()]

    def _build_paths(self) -> list[Path]:
        """The example corpus first, then the folder's own documents in the order they were
        added: a document an ingest folds in comes last, as it would in a build."""
        own = self._own_paths()
        return [*self._paths()[len(own) :], *own]

    def build_order(self) -> list[str]:
        return [path.stem for path in self._build_paths()]

    def transaction(self) -> AbstractContextManager[object]:
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            return FileLock(self.root / LOCK_FILE, timeout=WRITE_LOCK_SECONDS)
        except OSError as exc:
            raise StoreUnavailable(f"cannot lock {self.root} for writing ({exc})") from None

    def documents(self) -> Iterator[Document]:
        for path in self._build_paths():
            try:
                document = load_document(path)
            except DocumentRefused as exc:
                self._quarantine(path, str(exc))
                continue
            yield document

    def document(self, doc_id: str) -> Document:
        path = self._path_of(doc_id, None)
        if path is None:
            raise NotFound(f"no document {doc_id!r}")
        return load_document(path)

    def _quarantine(self, path: Path, reason: str) -> None:
        """Move an unreadable document (and its sidecar) aside, with the reason beside it."""
        folder = self.root / QUARANTINE_DIR
        folder.mkdir(exist_ok=True)
        for part in (path, sidecar_path(path)):
            if part.exists():
                os.replace(part, folder / part.name)
        write_atomically(folder / f"{path.stem}.reason.txt", reason.encode() + b"\n")
        (self.root / PENDING_DIR / path.stem).unlink(missing_ok=True)
        log.warning("drillmap: quarantined %s: %s", path, reason)

    def quarantined(self) -> list[tuple[str, str]]:
        folder = self.root / QUARANTINE_DIR
        return [
            (p.name.removesuffix(".reason.txt"), p.read_text(errors="replace").strip())
            for p in sorted(folder.glob("*.reason.txt"))
        ]

    def pending(self) -> list[str]:
        return sorted(p.name for p in (self.root / PENDING_DIR).glob("*"))

    def confirm(self, doc_id: str) -> None:
        (self.root / PENDING_DIR / doc_id).unlink(missing_ok=True)

    def _next_index(self) -> int:
        numbers = [
            int(m.group(1)) for p in self._own_paths() if (m := _INDEX_PREFIX.match(p.name))
        ]
        return max(numbers, default=-1) + 1

    def add(self, data: bytes, fields: DocumentFields, name: str = "document") -> Added:
        text = decode_text(data, name)
        digest = hashlib.sha256(text.encode()).hexdigest()
        sidecar = {
            "title": _clean_field(fields.title, "title"),
            "published": fields.published.isoformat() if fields.published else None,
            "published_year": (
                fields.published.year if fields.published else fields.published_year
            ),
            "source": _clean_field(fields.source, "source"),
            "url": _clean_field(fields.url, "url", MAX_URL_CHARS, spaces=False),
            "lang": fields.lang or detect_language(text),
        }
        check_sidecar(sidecar, name)  # the schema every read checks: refuse now, not at build
        with self._lock:
            existing = next(iter(sorted(self.root.glob(f"*_{digest[:16]}.txt"))), None)
            if existing is not None:
                return Added(existing.stem, str(existing), duplicate=True)
            doc_id = f"{self._next_index():03d}_{digest[:16]}"
            path = self.root / f"{doc_id}.txt"
            # Pending first: a kill from here on leaves a mark that says what to undo.
            write_atomically(self.root / PENDING_DIR / doc_id, b"")
            write_atomically(sidecar_path(path), orjson.dumps(sidecar, option=orjson.OPT_INDENT_2))
            write_atomically(path, text.encode())
        return Added(doc_id, str(path), duplicate=False)

    def remove(self, doc_id: str) -> None:
        path = self._path_of(doc_id, None)
        if path is not None:
            sidecar_path(path).unlink(missing_ok=True)
            path.unlink(missing_ok=True)
        self.confirm(doc_id)

    def _path_of(self, doc_id: str, location: str | None) -> Path | None:
        """The document's file: the path the build recorded (relative to the folder's parent)
        or `<folder>/<id>.txt`, and only ever a file inside the folder."""
        root = self.root.resolve()
        candidates = []
        if location and not Path(location).is_absolute():
            candidates.append(self.root.parent / location)
        candidates.append(self.root / f"{doc_id}.txt")
        for candidate in candidates:
            resolved = candidate.resolve()
            if resolved.is_relative_to(root) and resolved.suffix == ".txt" and resolved.is_file():
                return resolved
        return None

    def text(self, doc_id: str, location: str | None = None) -> str:
        path = self._path_of(doc_id, location)
        if path is None:
            raise NotFound("The document's text file is missing from the seeds folder.")
        try:
            return decode_text(path.read_bytes(), doc_id)
        except OSError as exc:
            raise DocumentRefused(f"{doc_id}: {exc}") from None
