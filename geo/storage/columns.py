"""The file store's query engine: per-layer arrays, built once per layer version.

A query then costs a few vectorised comparisons plus joining `limit` pre-serialised features,
instead of walking and re-encoding every feature. The filters mean exactly what
`geo.domain.query.matches` means (tests/geo/storage/test_columns.py checks the two agree).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
import orjson

from geo.domain.features import Feature
from geo.domain.query import (
    DEFAULT_REVIEWS,
    FeatureQuery,
    feature_langs,
    lon_ranges,
    review_of,
)

NO_DAY = -1
MAX_SELECTIONS = 64
_SELECTIONS_LOCK = threading.Lock()


def _day_span(props: dict[str, Any]) -> tuple[int, int]:
    """First and last day (ordinals) a feature covers: its dates, else its year, else none."""
    start = props.get("date_start")
    if start is not None:
        end = props.get("date_end") or start
        return date.fromisoformat(start).toordinal(), date.fromisoformat(end).toordinal()
    year = props.get("year")
    if year is None:
        return NO_DAY, NO_DAY
    return date(year, 1, 1).toordinal(), date(year, 12, 31).toordinal()


def _membership(values: list[list[Any]], n: int) -> dict[Any, np.ndarray]:
    """For each distinct value, which features list it."""
    masks: dict[Any, np.ndarray] = {}
    for row, items in enumerate(values):
        for item in items:
            if item not in masks:
                masks[item] = np.zeros(n, dtype=bool)
            masks[item][row] = True
    return masks


class Spans(Sequence[bytes]):
    """Each feature's JSON as a slice of the layer file's bytes, cut when asked for: the file
    is held once, not once more per feature (that copy made the cache 9x the file)."""

    def __init__(self, data: bytes, bounds: list[tuple[int, int]]) -> None:
        self._data = data
        self._bounds = bounds

    def __len__(self) -> int:
        return len(self._bounds)

    def __getitem__(self, i):  # type: ignore[override]
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        start, end = self._bounds[i]
        return self._data[start:end]


def line_spans(data: bytes, count: int) -> Spans | None:
    """Where each feature's JSON lies in a layer file written one feature a line (as
    `collection_bytes` writes it); None for any other layout (then features are encoded)."""
    bounds: list[tuple[int, int]] = []
    start = data.find(b"\n") + 1
    while start and len(bounds) <= count:
        end = data.find(b"\n", start)
        if end < 0:
            break
        stop = end - 1 if data[end - 1 : end] == b"," else end
        if data[start : start + 1] != b"{":
            break
        bounds.append((start, stop))
        start = end + 1
    if len(bounds) != count or data[start:].strip() != b"]}" or any(
        data[b - 1 : b] != b"}" for _, b in bounds
    ):
        return None
    return Spans(data, bounds)


@dataclass(frozen=True)
class LayerColumns:
    """One layer version as arrays, plus each feature already serialised to JSON."""

    encoded: Sequence[bytes]
    west: np.ndarray
    south: np.ndarray
    east: np.ndarray
    north: np.ndarray
    first_day: np.ndarray
    last_day: np.ndarray
    kinds: dict[str, np.ndarray]
    years: dict[int | None, np.ndarray]
    actors: dict[str, np.ndarray]
    langs: dict[str, np.ndarray]
    places: dict[str, np.ndarray]
    reviews: dict[str, np.ndarray]
    crossing: np.ndarray | None  # features crossing the antimeridian; None if there are none
    selections: dict[FeatureQuery, np.ndarray | None] = field(default_factory=dict)

    @classmethod
    def build(cls, features: list[Feature], encoded: Sequence[bytes] | None = None) -> LayerColumns:
        """The arrays of a layer; `encoded`: its features' JSON if the caller has it already."""
        n = len(features)
        boxes = np.full((n, 4), np.nan)
        days = np.full((n, 2), NO_DAY, dtype=np.int64)
        for row, feature in enumerate(features):
            props = feature["properties"]
            if feature.get("bbox"):
                boxes[row] = feature["bbox"][:4]
            days[row] = _day_span(props)
        return cls(
            encoded=encoded if encoded is not None else [orjson.dumps(f) for f in features],
            west=boxes[:, 0].copy(),
            south=boxes[:, 1].copy(),
            east=boxes[:, 2].copy(),
            north=boxes[:, 3].copy(),
            first_day=days[:, 0].copy(),
            last_day=days[:, 1].copy(),
            kinds=_membership([[f["properties"].get("kind")] for f in features], n),
            years=_membership([f["properties"].get("years") or [None] for f in features], n),
            actors=_membership([f["properties"].get("actors") or [] for f in features], n),
            langs=_membership([feature_langs(f["properties"]) for f in features], n),
            places=_membership([f["properties"].get("place_ids") or [] for f in features], n),
            reviews=_membership([[review_of(f["properties"])] for f in features], n),
            crossing=(boxes[:, 0] > boxes[:, 2]) if (boxes[:, 0] > boxes[:, 2]).any() else None,
        )

    def __len__(self) -> int:
        return len(self.encoded)

    def _any_of(self, masks: dict[Any, np.ndarray], wanted: frozenset[Any]) -> np.ndarray:
        out = np.zeros(len(self), dtype=bool)
        for value in wanted:
            if value in masks:
                out |= masks[value]
        return out

    def _bbox_mask(self, bbox: tuple[float, float, float, float]) -> np.ndarray:
        west, south, east, north = bbox
        out = np.zeros(len(self), dtype=bool)
        for lo, hi in lon_ranges(west, east):
            starts_before, ends_after = self.west <= hi, lo <= self.east
            out |= starts_before & ends_after
            if self.crossing is not None:
                # RFC 7946 5.2 (west > east): [west, 180] or [-180, east] overlaps the range.
                out |= self.crossing & (starts_before | ends_after)
        return out & (self.south <= north) & (self.north >= south)

    def _interval_mask(self, interval: tuple[date | None, date | None]) -> np.ndarray:
        lo, hi = interval
        out = self.first_day != NO_DAY
        if hi is not None:
            out &= self.first_day <= hi.toordinal()
        if lo is not None:
            out &= self.last_day >= lo.toordinal()
        return out

    def select(self, query: FeatureQuery) -> np.ndarray | None:
        """Row numbers of the matching features, in layer order; None means all of them.

        Recent selections are kept, so paging through one query filters once.
        """
        rows = self.selections.get(query, False)
        if rows is not False:
            return rows
        rows = self._select(query)
        if rows is not None:
            rows.flags.writeable = False  # shared between requests
        with _SELECTIONS_LOCK:
            if len(self.selections) >= MAX_SELECTIONS:
                del self.selections[next(iter(self.selections))]  # the oldest
            self.selections[query] = rows
        return rows

    def _select(self, query: FeatureQuery) -> np.ndarray | None:
        masks: list[np.ndarray] = []
        if query.years is not None:
            masks.append(self._any_of(self.years, query.years))
        if query.actors is not None:
            masks.append(self._any_of(self.actors, query.actors))
        if query.kinds is not None:
            masks.append(self._any_of(self.kinds, query.kinds))
        if query.langs is not None:
            masks.append(self._any_of(self.langs, query.langs))
        if query.places is not None:
            masks.append(self._any_of(self.places, query.places))
        if query.bbox is not None:
            masks.append(self._bbox_mask(query.bbox))
        if query.interval is not None:
            masks.append(self._interval_mask(query.interval))
        wanted = DEFAULT_REVIEWS if query.reviews is None else query.reviews
        if any(status not in wanted for status in self.reviews):  # else every row passes
            masks.append(self._any_of(self.reviews, wanted))
        if not masks:
            return None
        return np.flatnonzero(np.logical_and.reduce(masks))
