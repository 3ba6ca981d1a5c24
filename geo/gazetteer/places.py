"""The offline gazetteer: places with aliases, kinds, geometries and the source of each geometry.

Data lives in `geo/gazetteer/data/gazetteer.json` (hand-kept entries, each citing its source),
`geo/gazetteer/data/landmarks.json` (hand-kept islands, capes and waters that no package has) and
`geo/gazetteer/data/marine.geojson` (sea and strait polygons converted once from Natural Earth by
`python -m tools.marine`). Entries point at a marine polygon with `"geometry_ref"`.

The theatre gazetteer, `var/gazetteer/theatre.geojson`, is generated at set-up from open data in
pinned packages (`python -m tools.theatre`, `make setup`): thousands of towns, admin units and
marine areas. The hand-kept files stay the authority: a generated name that a hand-kept place
already uses is dropped, and a generated place that is a hand-kept one (the same name, nearby) is
left out. Generated names may be shared by several places ("Magong" in Taiwan and Guangdong); the
matcher (`geo.gazetteer.matcher`) picks one by context, or none.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path
from typing import Any

import orjson
import shapely
from shapely.geometry import LineString, shape
from shapely.geometry.base import BaseGeometry
from shapely.ops import polylabel

from geo.domain.language import NATIVE_LANGUAGES
from geo.domain.model import PLACE_KINDS
from geo.extraction.text import fold

DATA_DIR = Path(__file__).parent / "data"
GAZETTEER_FILE = DATA_DIR / "gazetteer.json"
LANDMARKS_FILE = DATA_DIR / "landmarks.json"
MARINE_FILE = DATA_DIR / "marine.geojson"
THEATRE_FILE = Path(
    os.environ.get(
        "DRILLMAP_THEATRE_GAZETTEER",
        Path(__file__).resolve().parents[2] / "var" / "gazetteer" / "theatre.geojson",
    )
)
BUILD_THEATRE = "run `make setup` (or `python -m tools.theatre`) to build it"
# A generated place named like a hand-kept one and this close (degrees) to it is that place.
SAME_PLACE_DEGREES = 0.6


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
    # Finer than `kind`: town, city, admin1, admin2, cape, peninsula, bay, gulf, island group...
    feature_class: str = ""
    country: str = ""  # ISO 3166-1 alpha-2, where the source gives it
    admin1: str = ""
    population: int = 0
    # Generated places: names in the place's own script ("対馬市", "중화군", "Приморский край")
    # and in the theatre's other languages ("ソウル", "首尔", "Пусан"), matched in those texts.
    native_names: tuple[str, ...] = ()
    exonyms: tuple[str, ...] = ()
    generated: bool = False  # from var/gazetteer/theatre.geojson, not a hand-kept file
    # For generated places: the names the matcher may look for (not "Mine", not "Ono").
    match_names: tuple[str, ...] = ()
    # Hand-kept names in each language's own script, matched in documents of that language:
    # (("ja", ("日本海",)), ("ko", ("동해", ...)), ...); zh lists Simplified and Traditional.
    native: tuple[tuple[str, tuple[str, ...]], ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        """Names matched ignoring case."""
        return (self.name, *self.aliases)

    def native_for(self, lang: str) -> tuple[str, ...]:
        """The hand-kept names of this place in one language (none for English)."""
        return next((names for code, names in self.native if code == lang), ())

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
    """Places by id, plus the alias table the matcher is compiled from.

    Hand-kept places own their names alone (a name claimed twice is an error); generated places
    may share a name, and `candidates` lists them, the most prominent first.
    """

    def __init__(self, places: list[Place], attribution: Iterable[str] = ()) -> None:
        self.places: dict[str, Place] = {}
        for place in places:
            if place.id in self.places:
                raise GazetteerError(f"duplicate gazetteer id {place.id!r}")
            self.places[place.id] = place
        self._straits_between: dict[tuple[str, str, float], Place | None] = {}
        self.attribution: tuple[str, ...] = tuple(attribution)

    def hand_kept(self) -> list[Place]:
        return [place for place in self.places.values() if not place.generated]

    def generated(self) -> list[Place]:
        return [place for place in self.places.values() if place.generated]

    def candidates(self) -> dict[str, tuple[str, ...]]:
        """Folded generated name → the ids of the places it may name, most prominent first."""
        if not hasattr(self, "_candidates"):
            table: dict[str, list[Place]] = {}
            for place in self.generated():
                for name in place.match_names:
                    group = table.setdefault(fold(name), [])
                    if place not in group:
                        group.append(place)
            self._candidates = {
                key: tuple(p.id for p in sorted(group, key=prominence_key))
                for key, group in table.items()
            }
        return self._candidates

    def __getitem__(self, place_id: str) -> Place:
        return self.places[place_id]

    def __iter__(self):
        return iter(self.places.values())

    def __len__(self) -> int:
        return len(self.places)

    def alias_table(self) -> dict[str, str]:
        """Lower-cased name or alias → hand-kept place id; an alias claimed twice is an error."""
        table: dict[str, str] = {}
        for place in self.hand_kept():
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
        """The place a name or alias denotes, ignoring case: a hand-kept place, else the most
        prominent generated place of that name."""
        place_id = self.alias_table_cached().get(name.casefold())
        if place_id is None:
            place_id = next(iter(self.candidates().get(fold(name), ())), None)
        return self.places[place_id] if place_id else None

    def strait_between(self, first: str, second: str, max_degrees: float = 0.5) -> Place | None:
        """The strait halfway between two places ("between Okinawa and Miyako")."""
        key = (first, second, max_degrees)
        if key not in self._straits_between:  # geometry is slow; documents repeat the same pairs
            self._straits_between[key] = self._nearest_strait(first, second, max_degrees)
        return self._straits_between[key]

    def _nearest_strait(self, first: str, second: str, max_degrees: float) -> Place | None:
        a, b = self.places[first].anchor, self.places[second].anchor
        segment = LineString([a, b])
        midpoint = segment.interpolate(0.5, normalized=True)
        if not hasattr(self, "_straits"):
            self._straits = [p for p in self if p.kind == "strait"]
        straits = self._straits
        nearest = min(straits, key=lambda p: p.geometry.distance(midpoint), default=None)
        if nearest is None or nearest.geometry.distance(midpoint) > max_degrees:
            return None
        # The line from one place to the other crosses the strait: "the Yonaguni-Taiwan gap",
        # west of Yonaguni, is not "between Yonaguni and Iriomote", east of it.
        if nearest.geometry.distance(segment) > _CROSSING_DEGREES:
            return None
        return nearest

    def alias_table_cached(self) -> dict[str, str]:
        if not hasattr(self, "_alias_table"):
            self._alias_table = self.alias_table()
        return self._alias_table


_CROSSING_DEGREES = 0.02

# Prominence among generated places of one name: units before towns, then by population.
_CLASS_RANK = {"admin1": 0, "sea": 1, "gulf": 1, "bay": 1, "strait": 1, "city": 2, "admin2": 3}


def prominence_key(place: Place) -> tuple[int, int, str]:
    return (_CLASS_RANK.get(place.feature_class, 4), -place.population, place.id)


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
    native = entry.get("native", {})
    if not isinstance(native, dict) or not set(native) <= set(NATIVE_LANGUAGES):
        raise GazetteerError(
            f"gazetteer entry {entry_id!r}: 'native' maps {', '.join(NATIVE_LANGUAGES)} to names"
        )
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
        feature_class=entry.get("class", ""),
        country=entry.get("country", ""),
        native=tuple((lang, tuple(names)) for lang, names in sorted(native.items())),
    )


def load_gazetteer(path: Path = GAZETTEER_FILE, marine_path: Path = MARINE_FILE) -> Gazetteer:
    """Read and validate the gazetteer files."""
    marine = _load_marine(marine_path)
    entries = orjson.loads(path.read_bytes())
    return Gazetteer([_place_from_entry(entry, marine) for entry in entries["places"]])


def load_landmarks(path: Path = LANDMARKS_FILE, marine_path: Path = MARINE_FILE) -> Gazetteer:
    """The hand-kept islands, capes, peninsulas and waters (same schema as gazetteer.json)."""
    return load_gazetteer(path, marine_path)


def load_theatre(path: Path, hand_kept: Iterable[Place]) -> tuple[list[Place], list[str]]:
    """The generated places of `path` that add something to the hand-kept ones, and the
    attribution lines their sources require.

    A generated name that a hand-kept place uses (as the matcher folds it) is never matched; a
    generated place whose primary name is a hand-kept name, near that place, is left out.
    """
    if not path.exists():
        raise GazetteerError(f"the theatre gazetteer {path} is missing: {BUILD_THEATRE}")
    collection = orjson.loads(path.read_bytes())
    owners: dict[str, Place] = {}
    for place in hand_kept:
        for name in (*place.names, *place.exact_aliases):
            owners[fold(name)] = place
    features = collection["features"]
    points = [f for f in features if f["geometry"]["type"] == "Point"]
    coords = [f["geometry"]["coordinates"] for f in points]
    made = shapely.points(coords) if coords else []
    geometries = {id(f): g for f, g in zip(points, made, strict=True)}
    places = []
    for feature in features:
        props = feature["properties"]
        geometry = geometries.get(id(feature))
        if geometry is None:
            geometry = shapely.make_valid(shape(feature["geometry"]))
        owner = owners.get(fold(props["name"]))
        if owner is not None and owner.geometry.distance(geometry) <= SAME_PLACE_DEGREES:
            continue
        if props["kind"] not in PLACE_KINDS:
            raise GazetteerError(
                f"theatre entry {feature['id']!r} has unknown kind {props['kind']!r}"
            )
        places.append(
            Place(
                id=feature["id"],
                name=props["name"],
                aliases=tuple(props["aliases"]),
                kind=props["kind"],
                geometry=geometry,
                source=props["source"],
                feature_class=props["class"],
                country=props["country"],
                admin1=props["admin1"],
                population=props["population"],
                native_names=tuple(props["native"]),
                exonyms=tuple(props.get("exonyms", ())),
                generated=True,
                match_names=tuple(n for n in props["match"] if fold(n) not in owners),
            )
        )
    return places, list(collection.get("drillmap", {}).get("attribution", []))


@cache
def default_gazetteer() -> Gazetteer:
    """The hand-kept gazetteer with its landmarks and the generated theatre gazetteer, loaded
    once per process."""
    hand_kept = [*load_gazetteer(), *load_landmarks()]
    generated, attribution = load_theatre(THEATRE_FILE, hand_kept)
    return Gazetteer([*hand_kept, *generated], attribution)
