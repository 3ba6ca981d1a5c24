"""Exporting a layer to GIS formats, so a selection opens in QGIS, ArcGIS or Google Earth.

Every file is written by a GDAL driver (through pyogrio), never by hand; this module only decides
each format's driver and creation options and turns layer features into a table GDAL can write.
A file appears all at once: it is written in a temporary folder beside the target, then renamed.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping, Sequence
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

from geo.budget import check_budget, within_budget
from geo.domain.query import FeatureQuery
from geo.errors import InvalidParameter
from geo.storage.base import FeatureStore

CRS = "EPSG:4326"
# GDAL moves the GeoJSON `ID_FIELD` column out of the properties; a copy keeps `properties.id`.
FEATURE_ID_COLUMN = "_feature_id"
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
    doing = "building the export table"
    data: dict[str, Any] = {}
    for name in columns:
        check_budget(doing)
        data[name] = column_values([(f.get("properties") or {}).get(name) for f in features])
    if fmt.name == "geojson":
        data[FEATURE_ID_COLUMN] = np.array([f.get("id") for f in features], dtype=object)
    geometry = gpd.GeoSeries([_geometry(f, fmt) for f in within_budget(features, doing)], crs=CRS)
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


def format_for(path: Path | str | None, fmt: str | None = None) -> str:
    """The format asked for, else the one the output file's suffix names, else GeoJSON."""
    if fmt:
        return fmt
    suffix = Path(path).suffix.lstrip(".").lower() if path else ""
    return suffix if suffix in FORMATS else "geojson"


def export_layer(
    store: FeatureStore, name: str, fmt: str, query: FeatureQuery, path: Path | str
) -> int:
    """Write the features of layer `name` that `query` selects to `path`; return how many.

    The columns are the whole layer's, so every export of a layer has one schema.
    """
    if fmt not in FORMATS:
        raise InvalidParameter(f"unknown format {fmt!r}; known formats: {', '.join(FORMATS)}")
    spec = FORMATS[fmt]
    features = store.query(name, query).features
    frame = to_frame(features, store.properties(name), spec)
    check_budget("writing the export")
    write_frame(frame, name, spec, Path(path))
    return len(features)


def export_bytes(store: FeatureStore, name: str, fmt: str, query: FeatureQuery) -> bytes:
    """The export as bytes (for a download), written in a temporary folder removed after."""
    with tempfile.TemporaryDirectory(prefix="drillmap-export-") as folder:
        path = Path(folder) / f"{name}.{FORMATS[fmt].extension}"
        export_layer(store, name, fmt, query, path)
        return path.read_bytes()
