"""Gazetteer geometries that are computed rather than typed: `python -m tools.derived`.

`geo/gazetteer/data/gazetteer.json` is kept by hand, but an island's outline, a country's point,
a water area cut to the coast or a zone built from published corners should not be typed
coordinate by coordinate. Each id in RECIPES says how its geometry is made; this tool checks the
file against them (exit 1 on a difference) or, with `--write`, puts them in and rewrites the
file in its canonical layout. Every other field, and every other entry, is left as it is.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import shapely
from shapely.geometry import MultiPolygon, Point, Polygon, box
from shapely.geometry.base import BaseGeometry

from geo.gazetteer.places import GAZETTEER_FILE
from tools.airspace import ZONES, zone_polygon
from tools.marine import geometry_json
from tools.naturalearth import NaturalEarth, polygonal

Bounds = tuple[float, float, float, float]
Maker = Callable[[NaturalEarth], BaseGeometry]


@dataclass(frozen=True)
class Recipe:
    """How one entry's geometry is made, and how much detail it keeps."""

    make: Maker
    tolerance: float = 0.0  # simplification, degrees
    decimals: int = 3


def part_at(country: str, lon: float, lat: float) -> Maker:
    """The one polygon of a Natural Earth country that holds the point (an island, say)."""

    def make(ne: NaturalEarth) -> BaseGeometry:
        point = Point(lon, lat)
        for part in _parts(ne.country(country)):
            if part.contains(point):
                return part
        raise ValueError(f"no part of {country} holds {lon}, {lat}")

    return make


def parts_in(
    countries: Sequence[str],
    bounds: Bounds,
    *,
    exclude: Bounds | None = None,
) -> Maker:
    """Every island (polygon under 1 square degree) of the countries inside the box and
    outside `exclude`."""

    def make(ne: NaturalEarth) -> BaseGeometry:
        area = box(*bounds)
        if exclude is not None:
            area = area.difference(box(*exclude))
        found = [
            part
            for country in countries
            for part in _parts(ne.country(country))
            if area.contains(part.representative_point()) and part.area <= 1.0
        ]
        if not found:
            raise ValueError(f"no part of {countries} inside {bounds}")
        return MultiPolygon(found)

    return make


def hull(make_parts: Maker, margin: float) -> Maker:
    """The convex hull around scattered islets, widened so the smallest still show."""
    return lambda ne: make_parts(ne).convex_hull.buffer(margin, quad_segs=4)


def countries_hull(names: Sequence[str]) -> Maker:
    return lambda ne: shapely.union_all([ne.country(n) for n in names]).convex_hull


def mainland(names: Sequence[str], clip: Bounds | None = None) -> Maker:
    """The countries' polygons larger than 1 square degree, optionally clipped to a box."""

    def make(ne: NaturalEarth) -> BaseGeometry:
        big = [p for name in names for p in _parts(ne.country(name)) if p.area > 1.0]
        joined = shapely.union_all(big)
        return joined.intersection(box(*clip)) if clip else joined

    return make


def water(outline: Sequence[tuple[float, float]]) -> Maker:
    """A hand-drawn passage between islands, cut back to Natural Earth's coastline."""

    def make(ne: NaturalEarth) -> BaseGeometry:
        area = Polygon(outline)
        land = [
            ne.country(name).intersection(area)
            for name in ne.country_names
            if ne.country(name).intersects(area)
        ]
        return area.difference(shapely.union_all(land))

    return make


def water_box(bounds: Bounds) -> Maker:
    west, south, east, north = bounds
    return water([(west, south), (east, south), (east, north), (west, north)])


def marine_cut(name: str, bounds: Bounds, plus: Sequence[str] = ()) -> Maker:
    """A Natural Earth marine area cut to a box, joined with other marine areas."""
    return lambda ne: shapely.union_all(
        [ne.marine(name).intersection(box(*bounds)), *(ne.marine(p) for p in plus)]
    )


def country_point(name: str) -> Maker:
    """A marker point inside the country's largest polygon (Honshu, not Hokkaido; Luzon, not
    Mindanao); not its centroid, which can fall in the sea, nor its capital."""
    return lambda ne: max(
        _parts(ne.country(name)), key=lambda part: part.area
    ).representative_point()


def point_of(make_shape: Maker) -> Maker:
    return lambda ne: make_shape(ne).representative_point()


def constant(geometry: BaseGeometry) -> Maker:
    return lambda _ne: geometry


def _parts(geometry: BaseGeometry) -> list[Polygon]:
    return list(getattr(geometry, "geoms", [geometry]))


SENKAKU_BOX: Bounds = (123.3, 25.6, 124.7, 26.1)
RYUKYU_BOX: Bounds = (122.9, 24.0, 131.5, 30.9)  # Nansei islands; Kyushu starts at 31.0°N
KURIL_BOX: Bounds = (145.3, 43.3, 157.0, 51.0)
SOUTHERN_KURIL_BOX: Bounds = (145.3, 43.3, 149.0, 45.7)  # Kunashir, Iturup, Shikotan, Habomai

RECIPES: dict[str, Recipe] = {
    # Seas and straits that Natural Earth's marine layer does not draw usably.
    "western-pacific": Recipe(
        marine_cut("North Pacific Ocean", (120.0, 0.0, 160.0, 45.0), plus=("Philippine Sea",)),
        tolerance=0.1,
        decimals=2,
    ),
    "soya-strait": Recipe(water_box((141.5, 45.4, 142.4, 46.0)), tolerance=0.005),
    "miyako-strait": Recipe(
        water([(125.33, 25.07), (127.53, 26.32), (127.77, 25.88), (125.57, 24.63)]),
        tolerance=0.005,
    ),
    "osumi-strait": Recipe(water_box((130.3, 30.75, 131.15, 31.05)), tolerance=0.005),
    "bashi-channel": Recipe(water_box((120.6, 20.95, 122.1, 21.95)), tolerance=0.005),
    "luzon-strait": Recipe(water_box((119.8, 18.6, 122.3, 22.0)), tolerance=0.01),
    "yonaguni-taiwan-gap": Recipe(water_box((121.9, 24.1, 122.9, 24.85)), tolerance=0.005),
    "kunashir-strait": Recipe(water_box((145.0, 43.4, 145.9, 44.35)), tolerance=0.005),
    "yekaterina-strait": Recipe(water_box((146.45, 44.3, 146.95, 44.75)), tolerance=0.005),
    "frieza-strait": Recipe(water_box((148.75, 45.35, 149.55, 45.95)), tolerance=0.005),
    "bussol-strait": Recipe(water_box((150.85, 46.35, 151.8, 47.0)), tolerance=0.005),
    "fourth-kuril-strait": Recipe(water_box((154.7, 49.6, 155.5, 50.15)), tolerance=0.005),
    # Islands, from Natural Earth admin-0 polygons (drawn by de facto control).
    "senkaku-islands": Recipe(hull(parts_in(["Japan"], SENKAKU_BOX), 0.02), tolerance=0.002),
    "okinawa": Recipe(part_at("Japan", 127.8, 26.4), tolerance=0.003),
    "miyako-jima": Recipe(part_at("Japan", 125.33, 24.78), tolerance=0.002),
    "yonaguni": Recipe(part_at("Japan", 122.99, 24.455), tolerance=0.002),
    "tsushima": Recipe(part_at("Japan", 129.3, 34.4), tolerance=0.003),
    "liancourt-rocks": Recipe(
        point_of(parts_in(["South Korea"], (131.8, 37.2, 131.95, 37.3))), decimals=4
    ),
    "ryukyu-islands": Recipe(parts_in(["Japan"], RYUKYU_BOX, exclude=SENKAKU_BOX), tolerance=0.005),
    "sakishima-islands": Recipe(parts_in(["Japan"], (122.9, 24.0, 125.6, 25.0)), tolerance=0.003),
    "kuril-islands": Recipe(parts_in(["Russia"], KURIL_BOX), tolerance=0.005),
    "southern-kurils": Recipe(parts_in(["Russia"], SOUTHERN_KURIL_BOX), tolerance=0.005),
    "sakhalin": Recipe(part_at("Russia", 142.7, 50.0), tolerance=0.02),
    "hokkaido": Recipe(part_at("Japan", 142.8, 43.5), tolerance=0.01),
    "jeju": Recipe(part_at("South Korea", 126.55, 33.38), tolerance=0.003),
    "guam": Recipe(lambda ne: ne.country("Guam"), tolerance=0.003),
    "taiwan": Recipe(part_at("Taiwan", 121.0, 23.7), tolerance=0.01),
    "paracel-islands": Recipe(
        hull(parts_in(["China"], (111.0, 15.5, 113.0, 17.2)), 0.03), tolerance=0.005
    ),
    "spratly-islands": Recipe(
        hull(lambda ne: ne.country("Spratly Islands"), 0.03), tolerance=0.005
    ),
    "scarborough-shoal": Recipe(lambda ne: ne.country("Scarborough Reef"), decimals=4),
    # Regions.
    "korean-peninsula": Recipe(
        mainland(["North Korea", "South Korea"]), tolerance=0.03, decimals=2
    ),
    "kamchatka": Recipe(
        mainland(["Russia"], clip=(155.4, 50.8, 165.0, 59.6)), tolerance=0.03, decimals=2
    ),
    "east-asia": Recipe(
        countries_hull(["China", "Mongolia", "Japan", "North Korea", "South Korea", "Taiwan"]),
        tolerance=0.1,
        decimals=2,
    ),
    "central-asia": Recipe(
        countries_hull(["Kazakhstan", "Kyrgyzstan", "Tajikistan", "Turkmenistan", "Uzbekistan"]),
        tolerance=0.1,
        decimals=2,
    ),
    # Countries: one marker point each.
    **{
        place_id: Recipe(country_point(name), decimals=3)
        for place_id, name in {
            "china": "China",
            "russia": "Russia",
            "japan": "Japan",
            "south-korea": "South Korea",
            "north-korea": "North Korea",
            "united-states": "United States of America",
            "india": "India",
            "australia": "Australia",
            "philippines": "Philippines",
            "mongolia": "Mongolia",
            "vietnam": "Vietnam",
        }.items()
    },
    # Air defense identification zones from their published corners.
    **{place_id: Recipe(constant(zone_polygon(place_id)), decimals=4) for place_id in ZONES},
}


def finish(geometry: BaseGeometry, recipe: Recipe) -> BaseGeometry:
    """Simplify and snap to the recipe's grid, staying valid and non-empty."""
    if isinstance(geometry, Point):
        return Point(round(geometry.x, recipe.decimals), round(geometry.y, recipe.decimals))
    if recipe.tolerance:
        geometry = shapely.simplify(geometry, recipe.tolerance, preserve_topology=True)
    snapped = polygonal(shapely.make_valid(shapely.set_precision(geometry, 10.0**-recipe.decimals)))
    if snapped.is_empty:
        raise ValueError("geometry vanished on the output grid; use more decimals")
    return snapped


def geometry_dict(geometry: BaseGeometry, decimals: int) -> dict[str, Any]:
    if isinstance(geometry, Point):
        return {
            "type": "Point",
            "coordinates": [round(geometry.x, decimals), round(geometry.y, decimals)],
        }
    if isinstance(geometry, MultiPolygon) and len(geometry.geoms) == 1:
        geometry = geometry.geoms[0]
    return geometry_json(geometry)  # already on the grid; the rounding only tidies the text


def build(natural_earth: NaturalEarth) -> dict[str, dict[str, Any]]:
    """id → GeoJSON geometry for every recipe."""
    built = {}
    for place_id, recipe in sorted(RECIPES.items()):
        try:
            geometry = finish(recipe.make(natural_earth), recipe)
        except ValueError as error:
            raise ValueError(f"{place_id}: {error}") from error
        built[place_id] = geometry_dict(geometry, recipe.decimals)
    return built


FIELD_ORDER = (
    "id",
    "name",
    "aliases",
    "exact_aliases",
    "kind",
    "disputed",
    "geometry_ref",
    "geometry",
    "source",
    "note",
)


def _field_rank(key: str) -> int:
    return FIELD_ORDER.index(key) if key in FIELD_ORDER else len(FIELD_ORDER)


def dumps_gazetteer(data: dict[str, Any]) -> str:
    """Entries indented for review with fields in a fixed order, each geometry on one line."""
    geometries: dict[str, str] = {}
    entries = []
    for index, entry in enumerate(data["places"]):
        ordered = {key: entry[key] for key in sorted(entry, key=_field_rank)}
        if "geometry" in ordered:
            marker = f"@@geometry:{index}@@"
            geometries[marker] = json.dumps(
                ordered["geometry"], ensure_ascii=False, separators=(",", ":")
            )
            ordered["geometry"] = marker
        entries.append(ordered)
    text = json.dumps({**data, "places": entries}, ensure_ascii=False, indent=2)
    for marker, geometry in geometries.items():
        text = text.replace(json.dumps(marker), geometry)
    return text + "\n"


def differences(data: dict[str, Any], built: dict[str, dict[str, Any]]) -> list[str]:
    entries = {entry["id"]: entry for entry in data["places"]}
    problems = [f"{place_id}: no such entry" for place_id in built if place_id not in entries]
    for place_id, geometry in built.items():
        entry = entries.get(place_id)
        if entry is not None and entry.get("geometry") != geometry:
            problems.append(f"{place_id}: geometry differs from its recipe")
    return problems


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gazetteer", type=Path, default=GAZETTEER_FILE)
    parser.add_argument(
        "--write", action="store_true", help="update the file instead of checking it"
    )
    args = parser.parse_args(argv)
    data = json.loads(args.gazetteer.read_text(encoding="utf-8"))
    built = build(NaturalEarth.load())
    problems = differences(data, built)
    if not args.write:
        for problem in problems:
            print(problem)
        return 1 if problems else 0
    missing = [p for p in problems if p.endswith("no such entry")]
    if missing:
        raise SystemExit("\n".join(missing))
    for entry in data["places"]:
        if entry["id"] in built:
            entry.pop("geometry_ref", None)
            entry["geometry"] = built[entry["id"]]
    args.gazetteer.write_text(dumps_gazetteer(data), encoding="utf-8")
    print(f"wrote {len(built)} derived geometries into {args.gazetteer}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
