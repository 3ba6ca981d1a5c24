"""Read access to built layers: the one interface the web app and exports use.

Files today (layers/*.geojson + layers/index.json); a PostGIS store could replace it later.
A layer is re-read only when its file changes, so requests never pay for parsing.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

INDEX_FILE = "index.json"
FRESHNESS_SECONDS = 1.0


class UnknownLayer(KeyError):
    """No built layer has that name."""


@dataclass(frozen=True)
class Layer:
    name: str
    path: Path
    collection: dict[str, Any]
    by_id: dict[str, dict[str, Any]]
    stamp: tuple[int, int] | None

    @property
    def features(self) -> list[dict[str, Any]]:
        return self.collection["features"]


class LayerStore:
    """Built layers under one directory, cached by file modification time and size."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self._cache: dict[str, Layer] = {}
        self._index: tuple[tuple[int, int], dict[str, Any]] | None = None
        self._lock = threading.Lock()
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
        """Look at the files again on the next read (after this process rebuilt them)."""
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

    def names(self) -> list[str]:
        return [entry["name"] for entry in self.index()["layers"]]

    def layer(self, name: str) -> Layer:
        if name not in self.names():
            raise UnknownLayer(name)
        path = self.root / f"{name}.geojson"
        stamp = self._stamp(path)
        if stamp is None:
            raise UnknownLayer(name)
        with self._lock:
            cached = self._cache.get(name)
            if cached is not None and cached.stamp == stamp:
                return cached
            collection = orjson.loads(path.read_bytes())
            layer = Layer(
                name=name,
                path=path,
                collection=collection,
                by_id={str(f["id"]): f for f in collection["features"]},
                stamp=stamp,
            )
            self._cache[name] = layer
            return layer

    def documents(self) -> dict[str, dict[str, Any]]:
        """Document metadata by id, as recorded by the build."""
        return {doc["id"]: doc for doc in self.index().get("documents", [])}
