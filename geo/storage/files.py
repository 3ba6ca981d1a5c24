"""The embedded store: layers as GeoJSON files with an index, documents as .txt files + sidecars.

No server to run, what `make run` uses. A layer is re-read only when its file changes, so
requests never pay for parsing; queries run on per-layer arrays (`geo.storage.columns`).
"""

from __future__ import annotations

import hashlib
import re
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from geo.domain.documents import decode_text
from geo.domain.features import Feature
from geo.domain.layers import EVENT_LAYERS, PLACE_LAYERS
from geo.domain.model import Document
from geo.domain.query import FeatureQuery
from geo.errors import DocumentRefused, NotFound
from geo.storage.atomic import staged_files, write_atomically
from geo.storage.base import (
    Added,
    BuiltLayers,
    DocumentFields,
    DocumentStore,
    FeatureStore,
    LayerSink,
    Page,
)
from geo.storage.columns import LayerColumns
from geo.storage.documents import load_document, sidecar_path

INDEX_FILE = "index.json"
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
    stamp: tuple[int, int]
    columns: LayerColumns


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
        self._cache: dict[str, Layer] = {}
        self._index: tuple[tuple[int, int], dict[str, Any]] | None = None
        self._lookups: _Lookups | None = None
        self._lock = threading.RLock()
        self._stamps: dict[Path, tuple[float, tuple[int, int] | None]] = {}

    def _stamp(self, path: Path) -> tuple[int, int] | None:
        """The file's version (None if missing), looked up at most every FRESHNESS_SECONDS: a
        rebuild shows within that time, and requests in between skip the stat call."""
        now = time.monotonic()
        seen = self._stamps.get(path)
        if seen is not None and now - seen[0] < FRESHNESS_SECONDS:
            return seen[1]
        try:
            stat = path.stat()
            stamp: tuple[int, int] | None = (stat.st_mtime_ns, stat.st_size)
        except FileNotFoundError:
            stamp = None
        self._stamps[path] = (now, stamp)
        return stamp

    def refresh(self) -> None:
        self._stamps.clear()

    def index(self) -> dict[str, Any]:
        """The build's index: layers with counts, years, actors, kinds; documents."""
        path = self.root / INDEX_FILE
        stamp = self._stamp(path)
        if stamp is None:
            return {"layers": [], "documents": []}
        with self._lock:
            if self._index is None or self._index[0] != stamp:
                self._index = (stamp, orjson.loads(path.read_bytes()))
            return self._index[1]

    def version(self) -> str:
        stamps = [self._stamp(self.root / INDEX_FILE)]
        stamps += [self._stamp(self.root / f"{name}.geojson") for name in self.names()]
        return hashlib.sha256(repr(stamps).encode()).hexdigest()[:16]

    def names(self) -> list[str]:
        return [entry["name"] for entry in self.index()["layers"]]

    def collections(self) -> list[dict[str, Any]]:
        return list(self.index().get("layers", []))

    def layer(self, name: str) -> Layer:
        if name not in self.names():
            raise NotFound(f"no layer named {name!r}")
        path = self.root / f"{name}.geojson"
        stamp = self._stamp(path)
        if stamp is None:
            raise NotFound(f"no layer named {name!r}")
        with self._lock:
            cached = self._cache.get(name)
            if cached is not None and cached.stamp == stamp:
                return cached
            features = orjson.loads(path.read_bytes())["features"]
            layer = Layer(
                name=name,
                path=path,
                features=features,
                by_id={str(f["id"]): f for f in features},
                stamp=stamp,
                columns=LayerColumns.build(features),
            )
            self._cache[name] = layer
            return layer

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
            version=f"{layer.stamp[0]}-{layer.stamp[1]}",
            encoded=[layer.columns.encoded[i] for i in indices],
        )

    def get(self, collection: str, feature_id: str) -> Feature:
        feature = self.layer(collection).by_id.get(feature_id)
        if feature is None:
            raise NotFound(f"no feature {feature_id!r} in collection {collection!r}")
        return feature

    def _layer_if_built(self, name: str) -> Layer | None:
        try:
            return self.layer(name)
        except NotFound:
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

    def events_for_document(self, doc_id: str) -> list[Feature]:
        return list(self._current_lookups().by_document.get(doc_id, []))

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
    """Writes `<name>.geojson` per layer and `index.json` last, all or nothing."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def write(self, built: BuiltLayers) -> None:
        with staged_files(self.root) as stage:
            for name, features in built.layers.items():
                stage(f"{name}.geojson", collection_bytes(features))
            stage(INDEX_FILE, orjson.dumps(built.index, option=orjson.OPT_INDENT_2) + b"\n")


def _clean_field(value: str | None, name: str, limit: int = MAX_FIELD_CHARS) -> str | None:
    if value is None:
        return None
    value = " ".join(value.split())
    if len(value) > limit:
        raise DocumentRefused(f"{name} is longer than {limit} characters")
    return value or None


class FileDocumentStore(DocumentStore):
    """`NNN_<digest>.txt` documents with a `.json` sidecar each, in one folder.

    One writer at a time per process: two concurrent adds would pick the same number.
    """

    _lock = threading.Lock()

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def _paths(self) -> list[Path]:
        return sorted(self.root.glob("*.txt"))

    def list(self) -> list[str]:
        return [path.stem for path in self._paths()]

    def documents(self) -> Iterator[Document]:
        for path in self._paths():
            yield load_document(path)

    def _next_index(self) -> int:
        numbers = [int(m.group(1)) for p in self._paths() if (m := _INDEX_PREFIX.match(p.name))]
        return max(numbers, default=-1) + 1

    def add(self, data: bytes, fields: DocumentFields, name: str = "document") -> Added:
        text = decode_text(data, name)
        digest = hashlib.sha256(text.encode()).hexdigest()
        sidecar = {
            "title": _clean_field(fields.title, "title"),
            "published": fields.published.isoformat() if fields.published else None,
            "published_year": fields.published.year if fields.published else None,
            "source": _clean_field(fields.source, "source"),
            "url": _clean_field(fields.url, "url", MAX_URL_CHARS),
        }
        with self._lock:
            existing = next(iter(sorted(self.root.glob(f"*_{digest[:16]}.txt"))), None)
            if existing is not None:
                return Added(existing.stem, str(existing), duplicate=True)
            doc_id = f"{self._next_index():03d}_{digest[:16]}"
            path = self.root / f"{doc_id}.txt"
            write_atomically(sidecar_path(path), orjson.dumps(sidecar, option=orjson.OPT_INDENT_2))
            write_atomically(path, text.encode())
        return Added(doc_id, str(path), duplicate=False)

    def remove(self, doc_id: str) -> None:
        path = self._path_of(doc_id, None)
        if path is not None:
            path.unlink(missing_ok=True)
            sidecar_path(path).unlink(missing_ok=True)

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
