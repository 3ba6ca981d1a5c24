"""The offline gazetteer: places with aliases, kinds, geometries and the source of each geometry.

Data lives in `geo/gazetteer/data/gazetteer.json` (hand-kept entries, each citing its source) and
`geo/gazetteer/data/marine.geojson` (sea and strait polygons converted once from Natural Earth by
`python -m tools.marine`). Entries point at a marine polygon with `"geometry_ref"`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path
from typing import Any

import orjson
import shapely
from shapely.geometry import LineString, shape
from shapely.geometry.base import BaseGeometry
from shapely.ops import polylabel

from geo.domain.model import PLACE_KINDS

DATA_DIR = Path(__file__).parent / "data"
GAZETTEER_FILE = DATA_DIR / "gazetteer.json"
MARINE_FILE = DATA_DIR / "marine.geojson"


class GazetteerError(ValueError):
    """A gazetteer entry is malformed; the message names the entry."""


@dataclass(frozen=True)
class Place:
    id: str
    name: str
    aliases: tuple[str, ...]
    kind: str
    geometry: BaseGeometry
    source: str
    disputed: bool = False
    # Aliases matched only with this exact case ("US" must not match the pronoun "us").
    exact_aliases: tuple[str, ...] = ()
    note: str | None = None

    @property
    def names(self) -> tuple[str, ...]:
        """Names matched ignoring case."""
        return (self.name, *self.aliases)

    @cached_property
    def anchor(self) -> BaseGeometry:
        """A point well inside the place, for markers and route vertices.

        The pole of inaccessibility of the largest part: a marker for "the Sea of Japan" sits in
        the middle of that sea, not on an edge as a representative point may.
        """
        geometry = self.geometry
        if geometry.geom_type == "Point":
            return geometry
        parts = getattr(geometry, "geoms", [geometry])
        polygons = [p for p in parts if p.geom_type == "Polygon"]
        if not polygons:
            return geometry.representative_point()
        largest = max(polygons, key=lambda p: p.area)
        return polylabel(largest, tolerance=0.01)


class Gazetteer:
    """Places by id, plus the alias table the matcher is compiled from."""

    def __init__(self, places: list[Place]) -> None:
        self.places: dict[str, Place] = {}
        for place in places:
            if place.id in self.places:
                raise GazetteerError(f"duplicate gazetteer id {place.id!r}")
            self.places[place.id] = place
        self._straits_between: dict[tuple[str, str, float], Place | None] = {}

    def __getitem__(self, place_id: str) -> Place:
        return self.places[place_id]

    def __iter__(self):
        return iter(self.places.values())

    def __len__(self) -> int:
        return len(self.places)

    def alias_table(self) -> dict[str, str]:
        """Lower-cased name or alias → place id; an alias claimed twice is an error."""
        table: dict[str, str] = {}
        for place in self:
            for name in place.names:
                key = name.casefold()
                owner = table.get(key)
                if owner is not None and owner != place.id:
                    raise GazetteerError(
                        f"alias {name!r} belongs to both {owner!r} and {place.id!r}"
                    )
                table[key] = place.id
        return table

    def resolve(self, name: str) -> Place | None:
        """The place a name or alias denotes, ignoring case."""
        place_id = self.alias_table_cached().get(name.casefold())
        return self.places[place_id] if place_id else None

    def strait_between(self, first: str, second: str, max_degrees: float = 0.5) -> Place | None:
        """The strait halfway between two places ("between Okinawa and Miyako")."""
        key = (first, second, max_degrees)
        if key not in self._straits_between:  # geometry is slow; documents repeat the same pairs
            self._straits_between[key] = self._nearest_strait(first, second, max_degrees)
        return self._straits_between[key]

    def _nearest_strait(self, first: str, second: str, max_degrees: float) -> Place | None:
        a, b = self.places[first].anchor, self.places[second].anchor
        midpoint = LineString([a, b]).interpolate(0.5, normalized=True)
        straits = [p for p in self if p.kind == "strait"]
        nearest = min(straits, key=lambda p: p.geometry.distance(midpoint), default=None)
        if nearest is None or nearest.geometry.distance(midpoint) > max_degrees:
            return None
        return nearest

    def alias_table_cached(self) -> dict[str, str]:
        if not hasattr(self, "_alias_table"):
            self._alias_table = self.alias_table()
        return self._alias_table


def _load_marine(path: Path) -> dict[str, BaseGeometry]:
    if not path.exists():
        return {}
    collection = orjson.loads(path.read_bytes())
    return {f["properties"]["name"]: shape(f["geometry"]) for f in collection["features"]}


def _place_from_entry(entry: dict[str, Any], marine: dict[str, BaseGeometry]) -> Place:
    entry_id = entry.get("id", "<no id>")
    for key in ("id", "name", "kind", "source"):
        if not entry.get(key):
            raise GazetteerError(f"gazetteer entry {entry_id!r} has no {key!r}")
    if entry["kind"] not in PLACE_KINDS:
        raise GazetteerError(f"gazetteer entry {entry_id!r} has unknown kind {entry['kind']!r}")
    if "geometry_ref" in entry:
        ref = entry["geometry_ref"].removeprefix("marine:")
        if ref not in marine:
            raise GazetteerError(
                f"gazetteer entry {entry_id!r} refers to missing marine polygon {ref!r}"
            )
        geometry = marine[ref]
    elif "geometry" in entry:
        geometry = shape(entry["geometry"])
    else:
        raise GazetteerError(f"gazetteer entry {entry_id!r} has no geometry")
    if not geometry.is_valid:
        geometry = shapely.make_valid(geometry)
    return Place(
        id=entry["id"],
        name=entry["name"],
        aliases=tuple(entry.get("aliases", ())),
        kind=entry["kind"],
        geometry=geometry,
        source=entry["source"],
        disputed=bool(entry.get("disputed", False)),
        exact_aliases=tuple(entry.get("exact_aliases", ())),
        note=entry.get("note"),
    )


def load_gazetteer(path: Path = GAZETTEER_FILE, marine_path: Path = MARINE_FILE) -> Gazetteer:
    """Read and validate the gazetteer files."""
    marine = _load_marine(marine_path)
    entries = orjson.loads(path.read_bytes())
    return Gazetteer([_place_from_entry(entry, marine) for entry in entries["places"]])


@cache
def default_gazetteer() -> Gazetteer:
    """The packaged gazetteer, loaded once per process."""
    return load_gazetteer()
