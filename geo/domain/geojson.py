"""RFC 7946 details every feature shares: 6 decimals, counter-clockwise rings, split bboxes."""

from __future__ import annotations

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

PRECISION = 6


def rfc7946(geometry: BaseGeometry) -> BaseGeometry:
    """Round to 6 decimals and orient polygon rings as RFC 7946 asks."""
    rounded = shapely.transform(geometry, lambda coords: np.round(coords, PRECISION))
    if rounded.geom_type in ("Polygon", "MultiPolygon", "GeometryCollection"):
        rounded = shapely.orient_polygons(rounded, exterior_cw=False)
    return rounded


def bbox_of(geometry: BaseGeometry | None) -> list[float] | None:
    """[west, south, east, north]; west > east when the geometry crosses the antimeridian."""
    if geometry is None or geometry.is_empty:
        return None
    west, south, east, north = geometry.bounds
    parts = getattr(geometry, "geoms", [geometry])
    touches_east = any(np.isclose(p.bounds[2], 180.0) for p in parts)
    touches_west = any(np.isclose(p.bounds[0], -180.0) for p in parts)
    if touches_east and touches_west and len(parts) > 1:
        west = min(p.bounds[0] for p in parts if not np.isclose(p.bounds[0], -180.0))
        east = max(p.bounds[2] for p in parts if not np.isclose(p.bounds[2], 180.0))
    return [round(v, PRECISION) for v in (west, south, east, north)]
