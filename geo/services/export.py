"""Exporting a layer to GIS formats, so a selection opens in QGIS, ArcGIS or Google Earth.

Every file is written by a GDAL driver (through pyogrio), never by hand; this module only decides
each format's driver and creation options and turns layer features into a table GDAL can write.
A file appears all at once: it is written in a temporary folder beside the target, then renamed.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import orjson
import pandas as pd
import pyogrio
import shapely
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from geo.domain.query import FeatureQuery, QueryError, parse_query, select
from geo.storage.files import LayerStore, UnknownLayer

CRS = "EPSG:4326"
# GDAL moves the GeoJSON `ID_FIELD` column out of the properties; a copy keeps `properties.id`.
FEATURE_ID_COLUMN = "_feature_id"
FILTER_PARAMS = ("year", "actor", "kind", "bbox", "datetime")
INT32_MIN, INT32_MAX = -(2**31), 2**31 - 1


@dataclass(frozen=True)
class ExportFormat:
    """One output format: the GDAL driver that writes it and how."""

    name: str
    driver: str
    extension: str
    media_type: str
    layer_options: Mapping[str, str] = field(default_factory=dict)
    # GPKG and FlatGeobuf layers hold one geometry type: Point + MultiPoint become MultiPoint.
    single_geometry_type: bool = False
    # RFC 7946 asks for lines and polygons crossing the antimeridian to be cut there.
    split_antimeridian: bool = False


FORMATS: dict[str, ExportFormat] = {
    "geojson": ExportFormat(
        "geojson",
        "GeoJSON",
        "geojson",
        "application/geo+json",
        {
            "RFC7946": "YES",  # WGS84, no crs member, CCW outer rings, antimeridian cut
            "COORDINATE_PRECISION": "6",
            "WRITE_BBOX": "YES",
            "ID_FIELD": FEATURE_ID_COLUMN,
            # Lists and objects travel as JSON text and come out as JSON arrays/objects again.
            "AUTODETECT_JSON_STRINGS": "YES",
        },
        split_antimeridian=True,
    ),
    "gpkg": ExportFormat(
        "gpkg", "GPKG", "gpkg", "application/geopackage+sqlite3", single_geometry_type=True
    ),
    "kml": ExportFormat("kml", "LIBKML", "kml", "application/vnd.google-earth.kml+xml"),
    "csv": ExportFormat("csv", "CSV", "csv", "text/csv; charset=utf-8", {"GEOMETRY": "AS_WKT"}),
    # No IANA registration yet; this is the name the FlatGeobuf project uses.
    "fgb": ExportFormat(
        "fgb", "FlatGeobuf", "fgb", "application/flatgeobuf", single_geometry_type=True
    ),
}


def property_columns(features: Iterable[Mapping[str, Any]]) -> list[str]:
    """Property names in order of first appearance, so every export of a layer has one schema."""
    seen: dict[str, None] = {}
    for feature in features:
        for key in feature.get("properties") or {}:
            seen.setdefault(key, None)
    return list(seen)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def column_values(values: list[Any]) -> Any:
    """A typed column GDAL maps to its own field type; lists and objects become JSON text."""
    present = [v for v in values if v is not None]
    if present and all(isinstance(v, bool) for v in present):
        return pd.array(values, dtype="boolean")
    if present and all(_is_int(v) for v in present):
        # 32-bit where it fits: KML has no 64-bit type and would fall back to text.
        fits = all(INT32_MIN <= v <= INT32_MAX for v in present)
        return pd.array(values, dtype="Int32" if fits else "Int64")
    if present and all(_is_int(v) or isinstance(v, float) for v in present):
        return pd.array(values, dtype="Float64")
    if all(isinstance(v, str) for v in present):
        return np.array(values, dtype=object)
    return np.array(
        [v if v is None or isinstance(v, str) else orjson.dumps(v).decode() for v in values],
        dtype=object,
    )


def crosses_antimeridian(geometry: BaseGeometry) -> bool:
    """Whether a line or ring jumps over 180° of longitude, i.e. takes the short way across 180."""
    if geometry.geom_type not in ("LineString", "MultiLineString", "Polygon", "MultiPolygon"):
        return False
    for part in shapely.get_parts(geometry):
        for line in [part.exterior, *part.interiors] if part.geom_type == "Polygon" else [part]:
            lons = shapely.get_coordinates(line)[:, 0]
            if lons.size > 1 and np.abs(np.diff(lons)).max() > 180:
                return True
    return False


def unwrap_antimeridian(geometry: BaseGeometry) -> BaseGeometry:
    """Shift western longitudes by +360 so a crossing is continuous; GDAL's RFC 7946 writer
    then cuts the geometry at 180 and wraps the eastern part back."""

    def shift(coords: np.ndarray) -> np.ndarray:
        coords = coords.copy()
        coords[:, 0] = np.where(coords[:, 0] < 0, coords[:, 0] + 360, coords[:, 0])
        return coords

    return shapely.transform(geometry, shift)


def _geometry(feature: Mapping[str, Any], fmt: ExportFormat) -> BaseGeometry | None:
    raw = feature.get("geometry")
    if raw is None:
        return None
    geometry = shape(raw)
    if fmt.split_antimeridian and crosses_antimeridian(geometry):
        geometry = unwrap_antimeridian(geometry)
    return geometry


def to_frame(
    features: Sequence[Mapping[str, Any]], columns: Sequence[str], fmt: ExportFormat
) -> gpd.GeoDataFrame:
    """The features as a GeoDataFrame ready for `fmt`'s driver."""
    data: dict[str, Any] = {
        name: column_values([(f.get("properties") or {}).get(name) for f in features])
        for name in columns
    }
    if fmt.name == "geojson":
        data[FEATURE_ID_COLUMN] = np.array([f.get("id") for f in features], dtype=object)
    geometry = gpd.GeoSeries([_geometry(f, fmt) for f in features], crs=CRS)
    return gpd.GeoDataFrame(data, geometry=geometry, crs=CRS)


def _promote_to_multi(frame: gpd.GeoDataFrame, fmt: ExportFormat) -> bool:
    """Point + MultiPoint (or the line/polygon pairs) in a one-type format: write all as multi."""
    if not fmt.single_geometry_type:
        return False
    types = set(frame.geometry.dropna().geom_type)
    return any(types == {t, f"Multi{t}"} for t in ("Point", "LineString", "Polygon"))


def write_frame(frame: gpd.GeoDataFrame, layer_name: str, fmt: ExportFormat, path: Path) -> None:
    """Write through GDAL into a temporary folder beside `path`, then rename into place."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=f".{path.name}.", dir=path.parent) as folder:
        staged = Path(folder) / f"{layer_name}.{fmt.extension}"
        options = dict(fmt.layer_options)
        if fmt.driver == "FlatGeobuf" and frame.geometry.isna().any():
            options["SPATIAL_INDEX"] = "NO"  # its packed R-tree cannot hold null geometries
        pyogrio.write_dataframe(
            frame,
            staged,
            layer=layer_name,
            driver=fmt.driver,
            promote_to_multi=_promote_to_multi(frame, fmt),
            layer_options=options,
        )
        os.chmod(staged, 0o644)
        os.replace(staged, path)


def export_layer(
    store: LayerStore, name: str, fmt: str, query: FeatureQuery, path: Path | str
) -> int:
    """Write the features of layer `name` that `query` selects to `path`; return how many."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; known formats: {', '.join(FORMATS)}")
    spec = FORMATS[fmt]
    layer = store.layer(name)
    features = select(layer.features, query)
    frame = to_frame(features, property_columns(layer.features), spec)
    write_frame(frame, name, spec, Path(path))
    return len(features)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The `drillmap export` options, for the main CLI's subparser."""
    parser.add_argument("layer", help="layer name, as in layers/index.json")
    parser.add_argument(
        "--format", choices=sorted(FORMATS), help="default: from the -o suffix, else geojson"
    )
    parser.add_argument("-o", "--output", help="file to write (default: LAYER.EXT here)")
    parser.add_argument("--layers", default="layers", help="built layers folder")
    parser.add_argument("--year", help="comma-separated years or 'undated'")
    parser.add_argument("--actor", help="comma-separated actors, e.g. China,Russia")
    parser.add_argument("--kind", help="comma-separated kinds, e.g. naval_exercise")
    parser.add_argument("--bbox", help="west,south,east,north in degrees")
    parser.add_argument("--datetime", help="day or interval, e.g. 2023-01-01/..")


def _format_for(args: argparse.Namespace) -> str:
    if args.format:
        return args.format
    suffix = Path(args.output).suffix.lstrip(".").lower() if args.output else ""
    return suffix if suffix in FORMATS else "geojson"


def run(args: argparse.Namespace) -> int:
    """Run an export from parsed arguments; 0 on success, 2 on a bad layer or filter."""
    fmt = _format_for(args)
    output = Path(args.output or f"{args.layer}.{FORMATS[fmt].extension}")
    store = LayerStore(Path(args.layers))
    params = {p: getattr(args, p) for p in FILTER_PARAMS if getattr(args, p) is not None}
    try:
        count = export_layer(store, args.layer, fmt, parse_query(params), output)
    except QueryError as exc:
        print(f"drillmap export: {exc}", file=sys.stderr)
        return 2
    except UnknownLayer:
        known = ", ".join(store.names()) or f"none (is {args.layers}/ built?)"
        print(f"drillmap export: no layer {args.layer!r}; layers: {known}", file=sys.stderr)
        return 2
    print(f"wrote {count} features to {output}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """`drillmap export LAYER --format FMT [filters] -o PATH`."""
    parser = argparse.ArgumentParser(
        prog="drillmap export", description="Export a layer to a GIS file format."
    )
    add_arguments(parser)
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    raise SystemExit(main())
