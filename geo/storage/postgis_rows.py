"""How features become PostGIS rows: the filter columns, the served body, the order key.

Shared by the sink (a whole build), the merge store (an ingest's few features) and the
benchmark that loads a million, so every writer fills the columns the queries read the same way.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

import orjson
import psycopg
import shapely
from shapely.geometry import shape

from geo.domain.features import Feature, feature_order
from geo.domain.query import feature_langs, review_of
from geo.storage.columns import NO_DAY, _day_span

GAP = 1 << 16  # between the positions a build gives; an ingest puts a feature in between

FEATURE_COLUMNS = (
    "layer", "position", "id", "geom", "west", "south", "east", "north", "kind", "years",
    "undated", "actors", "first_day", "last_day", "place_ids", "review", "order_key", "langs",
)
BODY_COLUMNS = ("layer", "position", "body")
EVIDENCE_COLUMNS = (
    "layer", "feature_id", "ord", "doc_id", "start_offset", "end_offset", "sentence",
)


def _ewkb(geometry: dict[str, Any] | None) -> str | None:
    if geometry is None:
        return None
    geom = shapely.set_srid(shape(geometry), 4326)
    return shapely.to_wkb(geom, hex=True, include_srid=True)


def order_text(feature: Feature) -> str:
    """`feature_order` as text that sorts the same byte by byte (COLLATE "C": UTF-8 bytes sort
    as code points do): places by id; events undated last, then by year, title, id."""
    key = feature_order(feature)
    if len(key) == 1:
        return str(key[0])
    undated, year, title, fid = key
    return f"{int(undated)}{year:06d}\x01{title}\x01{fid}"


def evidence_rows(layer: str, feature: Feature) -> Iterable[tuple]:
    """The `evidence` rows of the entries a feature carries."""
    for k, e in enumerate(feature["properties"].get("evidence") or []):
        yield layer, str(feature["id"]), k, e.get("doc_id"), e.get("start"), e.get("end"), (
            e.get("text")
        )


def feature_row(layer: str, position: int, feature: Feature) -> tuple[tuple, tuple]:
    """A feature as a `features` row and a `feature_bodies` row (also what the benchmark
    loads): the filter columns are the properties `geo.domain.query.matches` reads, the body
    the feature as served."""
    body = orjson.dumps(feature).decode()  # first: what cannot be served is not written
    props = feature["properties"]
    years = props.get("years") or [None]
    first, last = _day_span(props)
    bbox = feature.get("bbox") or [None] * 4
    return (
        layer,
        position,
        str(feature["id"]),
        _ewkb(feature.get("geometry")),
        *bbox[:4],
        props.get("kind"),
        [y for y in years if y is not None],
        None in years,
        list(props.get("actors") or []),
        None if first == NO_DAY else date.fromordinal(first),
        None if last == NO_DAY else date.fromordinal(last),
        list(props.get("place_ids") or []),
        review_of(props),
        order_text(feature),
        feature_langs(props),
    ), (layer, position, body)


def _spread(value: int) -> int:
    """The 16 bits of `value` with a zero between each (for a Morton code)."""
    value &= 0xFFFF
    value = (value | (value << 8)) & 0x00FF00FF
    value = (value | (value << 4)) & 0x0F0F0F0F
    value = (value | (value << 2)) & 0x33333333
    return (value | (value << 1)) & 0x55555555


def spatial_key(feature: Feature) -> int:
    """A Morton (Z-order) code of the bbox centre: rows written in this order lie near their
    neighbours on disk, so a bbox query reads few pages. No geometry: last."""
    bbox = feature.get("bbox")
    if not bbox:
        return 1 << 32
    lon, lat = (bbox[0] + bbox[2]) / 2, (bbox[1] + bbox[3]) / 2
    x, y = int((lon + 180) / 360 * 0xFFFF), int((lat + 90) / 180 * 0xFFFF)
    return _spread(x) | (_spread(y) << 1)


def write_order(feature: Feature) -> tuple[str, int]:
    """Where a built feature's row goes on disk: by kind, then in Z-order. A bbox query of one
    kind (the map's commonest) then reads a few pages of its own kind, not a page per row
    among the other kinds' rows of the same area."""
    return feature["properties"].get("kind") or "", spatial_key(feature)


def property_names(features: Sequence[Feature]) -> list[str]:
    seen: dict[str, None] = {}
    for feature in features:
        for key in feature.get("properties") or {}:
            seen.setdefault(key, None)
    return list(seen)


def copy_rows(conn: psycopg.Connection, table: str, columns: Sequence[str], rows) -> None:
    with conn.cursor().copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
