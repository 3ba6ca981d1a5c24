"""Where to draw an event: markers at its places, geodesic routes through them in text order.

Geometries come out RFC 7946-ready: WGS84, counter-clockwise outer rings, 6 decimals, and lines
crossing the antimeridian split in two.
"""

from __future__ import annotations

from itertools import pairwise

from pyproj import Geod
from shapely.geometry import LineString, MultiLineString, MultiPoint, Point
from shapely.geometry.base import BaseGeometry

from geo.domain.geojson import rfc7946
from geo.domain.kinds import kind_spec
from geo.domain.model import Event
from geo.gazetteer.places import Gazetteer

GEOD = Geod(ellps="WGS84")
ROUTE_STEP_METRES = 50_000


def _split_at_antimeridian(lons: list[float], lats: list[float]) -> BaseGeometry:
    """A line whose longitudes jump across ±180 becomes a MultiLineString meeting at ±180."""
    parts: list[list[tuple[float, float]]] = [[(lons[0], lats[0])]]
    for i in range(1, len(lons)):
        lon0, lat0, lon1, lat1 = lons[i - 1], lats[i - 1], lons[i], lats[i]
        if abs(lon1 - lon0) > 180:
            edge = 180.0 if lon0 > 0 else -180.0
            span = (lon1 + 360 if lon1 < 0 else lon1 - 360) - lon0
            lat_edge = lat0 + (lat1 - lat0) * (edge - lon0) / span
            parts[-1].append((edge, lat_edge))
            parts.append([(-edge, lat_edge)])
        parts[-1].append((lon1, lat1))
    if len(parts) == 1:
        return LineString(parts[0])
    return MultiLineString([p for p in parts if len(p) >= 2])


def geodesic_route(points: list[Point]) -> BaseGeometry:
    """The shortest path on the ellipsoid through the points, densified every ~50 km."""
    lons: list[float] = [points[0].x]
    lats: list[float] = [points[0].y]
    for a, b in pairwise(points):
        distance = GEOD.inv(a.x, a.y, b.x, b.y)[2]
        steps = max(int(distance // ROUTE_STEP_METRES), 1)
        if steps > 1:
            for lon, lat in GEOD.npts(a.x, a.y, b.x, b.y, steps - 1):
                lons.append(lon)
                lats.append(lat)
        lons.append(b.x)
        lats.append(b.y)
    return _split_at_antimeridian(lons, lats)


def event_geometry(event: Event, gazetteer: Gazetteer) -> BaseGeometry | None:
    """Routes (for kinds the registry draws as routes) through two or more places; markers
    otherwise."""
    anchors = [gazetteer[p].anchor for p in event.place_ids]
    if not anchors:
        return None
    if kind_spec(event.kind).route and len(anchors) >= 2:
        return rfc7946(geodesic_route(anchors))
    if len(anchors) == 1:
        return rfc7946(anchors[0])
    return rfc7946(MultiPoint(anchors))
