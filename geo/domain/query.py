"""The one query model: the filter parameters, their parser and the reference predicate.

`FILTER_PARAMS` is the only list of filter parameters: `/api`, `/ogc` (and its OpenAPI
document), `/export`, the events page and `drillmap export` all take these, parsed by
`parse_query`; `matches` says what a query selects, and every store's engine must agree with it
(the store contract tests check that), so no two parts disagree about what "year=2023" selects.
"""

from __future__ import annotations

import contextlib
import math
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from geo.domain.kinds import EVENT_KINDS
from geo.domain.language import LANGUAGES
from geo.domain.model import ACTORS, PLACE_KINDS
from geo.domain.review import MACHINE, REJECTED, STATUSES
from geo.errors import InvalidParameter

UNDATED = "undated"
MAX_LIST_ITEMS = 50
MIN_YEAR, MAX_YEAR = 1000, 9999
# ASCII digits only: str.isdigit() also says yes to '²' (which int() then refuses) and int()
# accepts '２０２３' or '٢٠٢٣'; neither belongs in a URL parameter.
_DIGITS = re.compile(r"[0-9]+")
# A longer digit string (leading zeros aside) is beyond every range here, and int() refuses
# strings of more than 4300 digits anyway.
_MAX_DIGITS = 18
# A plain decimal number, optionally with an exponent: no 'inf', 'nan', '1_0' or other scripts'
# digits, all of which float() takes.
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


def _shown(text: str, limit: int = 40) -> str:
    """A parameter value for an error message, cut short if it is long."""
    return repr(text) if len(text) <= limit else repr(text[:limit]) + "..."


def parse_int(
    text: str, name: str, *, minimum: int, maximum: int, clamp: bool = False
) -> int:
    """The one parser of whole-number parameters: ASCII digits 0-9 only (no sign, spaces,
    underscores or other scripts' digits), checked against `minimum`..`maximum`; with `clamp`,
    a value above `maximum` is taken as `maximum` (OGC `limit`) instead of being refused."""
    if not _DIGITS.fullmatch(text):
        raise InvalidParameter(
            f"'{name}' must be a whole number written with the digits 0-9, got {_shown(text)}"
        )
    digits = text.lstrip("0") or "0"
    value = int(digits) if len(digits) <= _MAX_DIGITS else maximum + 1
    if value < minimum:
        raise InvalidParameter(f"'{name}' must be at least {minimum}, got {_shown(text)}")
    if value > maximum:
        if clamp:
            return maximum
        raise InvalidParameter(f"'{name}' must be at most {maximum}, got {_shown(text)}")
    return value




@dataclass(frozen=True)
class FeatureQuery:
    """What to keep; `None` means "no filter on this property"."""

    years: frozenset[int | None] | None = None
    actors: frozenset[str] | None = None
    kinds: frozenset[str] | None = None
    bbox: tuple[float, float, float, float] | None = None
    interval: tuple[date | None, date | None] | None = None
    langs: frozenset[str] | None = None  # the languages of the documents behind a feature
    places: frozenset[str] | None = None  # gazetteer place ids: features at any of them
    # `None` here is the default, not "no filter": every verdict but rejected (review=all).
    reviews: frozenset[str] | None = None

    def as_params(self) -> dict[str, str]:
        """The query back as URL parameters (for links that reproduce it)."""
        params: dict[str, str] = {}
        if self.years is not None:
            params["year"] = ",".join(
                UNDATED if y is None else str(y)
                for y in sorted(self.years, key=lambda y: -1 if y is None else y)
            )
        if self.actors is not None:
            params["actor"] = ",".join(sorted(self.actors))
        if self.kinds is not None:
            params["kind"] = ",".join(sorted(self.kinds))
        if self.bbox is not None:
            params["bbox"] = ",".join(f"{v:g}" for v in self.bbox)
        if self.interval is not None:
            params["datetime"] = format_interval(self.interval)
        if self.langs is not None:
            params["lang"] = ",".join(sorted(self.langs))
        if self.places is not None:
            params["place"] = ",".join(sorted(self.places))
        if self.reviews is not None:
            everything = self.reviews == frozenset(STATUSES)
            params["review"] = ALL_REVIEWS if everything else ",".join(sorted(self.reviews))
        return params


def _split(value: str, name: str) -> list[str]:
    items = [item.strip() for item in value.split(",")]
    if not value.strip() or any(not item for item in items):
        raise InvalidParameter(f"'{name}' must be a comma-separated list without empty items")
    if len(items) > MAX_LIST_ITEMS:
        raise InvalidParameter(f"'{name}' lists more than {MAX_LIST_ITEMS} values")
    return items


def parse_years(value: str) -> frozenset[int | None]:
    years: set[int | None] = set()
    for item in _split(value, "year"):
        if item.lower() == UNDATED:
            years.add(None)
            continue
        if len(item) == 4:
            with contextlib.suppress(InvalidParameter):
                years.add(parse_int(item, "year", minimum=MIN_YEAR, maximum=MAX_YEAR))
                continue
        raise InvalidParameter(
            f"'year' must be four-digit years ({MIN_YEAR}-{MAX_YEAR}) or '{UNDATED}', "
            f"got {_shown(item)}"
        )
    return frozenset(years)


def parse_actors(value: str) -> frozenset[str]:
    known = {actor.casefold(): actor for actor in ACTORS}
    actors = set()
    for item in _split(value, "actor"):
        if item.casefold() not in known:
            raise InvalidParameter(f"unknown actor {item!r}; known actors: {', '.join(ACTORS)}")
        actors.add(known[item.casefold()])
    return frozenset(actors)


def parse_kinds(value: str) -> frozenset[str]:
    allowed = (*EVENT_KINDS, *PLACE_KINDS)
    kinds = set(_split(value, "kind"))
    unknown = sorted(kinds - set(allowed))
    if unknown:
        raise InvalidParameter(f"unknown kind {unknown[0]!r}; known kinds: {', '.join(allowed)}")
    return frozenset(kinds)


def parse_langs(value: str) -> frozenset[str]:
    langs = set()
    for item in _split(value, "lang"):
        if item.lower() not in LANGUAGES:
            raise InvalidParameter(
                f"unknown language {item!r}; known languages: {', '.join(LANGUAGES)}"
            )
        langs.add(item.lower())
    return frozenset(langs)


_PLACE_ID = re.compile(r"[a-z0-9][a-z0-9._-]{0,119}")


def parse_places(value: str) -> frozenset[str]:
    """Gazetteer place ids ("sea-of-japan", "gn-1839071"): a place's events, pageable."""
    places = set(_split(value, "place"))
    bad = sorted(p for p in places if not _PLACE_ID.fullmatch(p))
    if bad:
        raise InvalidParameter(
            f"'place' takes gazetteer place ids (lower-case letters, digits, '.', '_', '-'), "
            f"got {_shown(bad[0])}"
        )
    return frozenset(places)


def feature_langs(props: Mapping[str, Any]) -> list[str]:
    """A feature's languages; one built before languages were recorded is English."""
    return props.get("langs") or ["en"]


ALL_REVIEWS = "all"
DEFAULT_REVIEWS: frozenset[str] = frozenset(STATUSES) - {REJECTED}


def parse_reviews(value: str) -> frozenset[str]:
    """`review`: the analysts' verdicts to keep (machine, confirmed, corrected, rejected) or
    'all'; without it, rejected events are left out."""
    reviews: set[str] = set()
    for item in _split(value, "review"):
        item = item.lower()
        if item == ALL_REVIEWS:
            reviews.update(STATUSES)
        elif item in STATUSES:
            reviews.add(item)
        else:
            raise InvalidParameter(
                f"unknown review {item!r}; known: {', '.join(STATUSES)}, {ALL_REVIEWS}"
            )
    return frozenset(reviews)


def review_of(props: Mapping[str, Any]) -> str:
    """A feature's verdict; place features and layers built before reviews are the machine's."""
    return props.get("review") or MACHINE


BBOX_HELP = (
    "'bbox' must be four numbers: min lon, min lat, max lon, max lat "
    "(or six, with heights: min lon, min lat, min height, max lon, max lat, max height)"
)


def parse_bbox(value: str) -> tuple[float, float, float, float]:
    """OGC API `bbox`: four numbers, or six with heights (OGC API - Features allows a 3D box);
    heights are checked to be numbers, then ignored: the layers are flat."""
    parts = _split(value, "bbox")
    if len(parts) not in (4, 6) or not all(_NUMBER.fullmatch(p) for p in parts):
        raise InvalidParameter(f"{BBOX_HELP}; got {_shown(value)}")
    numbers = [float(p) for p in parts]
    if len(numbers) == 6:
        if not (math.isfinite(numbers[2]) and math.isfinite(numbers[5])):
            raise InvalidParameter("'bbox' has a height that is not a finite number")
        numbers = [numbers[0], numbers[1], numbers[3], numbers[4]]
    west, south, east, north = numbers
    if not (-180 <= west <= 180 and -180 <= east <= 180 and -90 <= south <= north <= 90):
        raise InvalidParameter("'bbox' is outside -180..180 / -90..90 or has min lat above max lat")
    return west, south, east, north


OPEN_END = ".."
DATETIME_HELP = (
    "'datetime' must be a date or RFC 3339 date-time, or an interval 'start/end' "
    "with '..' (or nothing) for an open end, e.g. 2023-01-01/.."
)


def _parse_instant(text: str) -> date:
    """A day from 'YYYY-MM-DD' or an RFC 3339 date-time (taken in UTC; naive means UTC).

    A date-time whose UTC day is outside the calendar (0001-01-01 to 9999-12-31), such as
    0001-01-01T00:00:00+14:00 (UTC: year 0) or 9999-12-31T23:59:59-14:00 (UTC: year 10000), is
    refused rather than clamped: clamping would move an end onto a day the client excluded.
    """
    try:
        if not text.isascii():
            raise ValueError(text)
        if "T" not in text.upper():
            if len(text) != 10:
                raise ValueError(text)
            return date.fromisoformat(text)
        moment = datetime.fromisoformat(text.upper())
        if moment.tzinfo is not None:
            moment = moment.astimezone(UTC)
    except ValueError:
        raise InvalidParameter(f"{DATETIME_HELP}; got {_shown(text)}") from None
    except OverflowError:
        raise InvalidParameter(
            f"'datetime' {_shown(text)} falls outside the years 0001-9999 when taken in UTC"
        ) from None
    return moment.date()


def parse_datetime(value: str) -> tuple[date | None, date | None]:
    """OGC API `datetime`: an instant, or an interval with open ends as '..' or empty.

    Layers are dated by day, so times are reduced to their (UTC) day; an instant `d`
    becomes the interval d/d. Both ends open is refused: it would select nothing useful.
    """
    text = value.strip()
    parts = text.split("/")
    if not text or len(parts) > 2:
        raise InvalidParameter(DATETIME_HELP)
    if len(parts) == 1:
        if text == OPEN_END:
            raise InvalidParameter(DATETIME_HELP)
        day = _parse_instant(text)
        return day, day
    start, end = (None if p.strip() in ("", OPEN_END) else _parse_instant(p.strip()) for p in parts)
    if start is None and end is None:
        raise InvalidParameter("'datetime' needs at least one closed end")
    if start is not None and end is not None and start > end:
        raise InvalidParameter("'datetime' starts after it ends")
    return start, end


def format_interval(interval: tuple[date | None, date | None]) -> str:
    """The inverse of `parse_datetime`, for links that reproduce a query."""
    start, end = interval
    if start is not None and start == end:
        return start.isoformat()
    return "/".join(OPEN_END if d is None else d.isoformat() for d in (start, end))


@dataclass(frozen=True)
class FilterParam:
    """One filter parameter: its name, what it means, and which FeatureQuery field it sets."""

    name: str
    field: str
    parse: Callable[[str], Any]
    description: str
    # A comma-separated list: repeated parameters (`?year=2022&year=2023`) are joined.
    is_list: bool
    openapi_schema: dict[str, Any]


FILTER_PARAMS: tuple[FilterParam, ...] = (
    FilterParam(
        "year", "years", parse_years,
        f"Comma-separated four-digit years ({MIN_YEAR}-{MAX_YEAR}), or '{UNDATED}'.",
        True, {"type": "string"},
    ),
    FilterParam(
        "actor", "actors", parse_actors, f"Comma-separated actors: {', '.join(ACTORS)}.",
        True, {"type": "string"},
    ),
    FilterParam(
        "kind", "kinds", parse_kinds,
        f"Comma-separated kinds: {', '.join((*EVENT_KINDS, *PLACE_KINDS))}.",
        True, {"type": "string"},
    ),
    FilterParam(
        "bbox", "bbox", parse_bbox,
        "west,south,east,north in CRS84 (or west,south,min height,east,north,max height: "
        "heights are ignored); west > east crosses the antimeridian.",
        False,
        # As OGC API - Features' own bbox parameter: four numbers or six.
        {
            "type": "array", "minItems": 4, "maxItems": 6,
            "oneOf": [{"minItems": 4, "maxItems": 4}, {"minItems": 6, "maxItems": 6}],
            "items": {"type": "number"},
        },
    ),
    FilterParam(
        "datetime", "interval", parse_datetime,
        "An instant or interval (RFC 3339; '..' or empty for an open end), matched against "
        "each feature's date_start/date_end, else its year.",
        False, {"type": "string"},
    ),
    FilterParam(
        "lang", "langs", parse_langs,
        f"Comma-separated languages of the source documents: {', '.join(LANGUAGES)}.",
        True, {"type": "string"},
    ),
    FilterParam(
        "place", "places", parse_places,
        "Comma-separated gazetteer place ids (a place feature's id without its layer, as in its "
        "place_ids): the features held there.",
        True, {"type": "string"},
    ),
    FilterParam(
        "review", "reviews", parse_reviews,
        f"Comma-separated analysts' verdicts: {', '.join(STATUSES)}, or '{ALL_REVIEWS}'. "
        "Without it, rejected events are left out.",
        True, {"type": "string"},
    ),
)
FILTER_NAMES: tuple[str, ...] = tuple(p.name for p in FILTER_PARAMS)


def parse_query(params: Mapping[str, str]) -> FeatureQuery:
    """Parse the filter parameters present in `params`; raise InvalidParameter if malformed."""
    return FeatureQuery(
        **{p.field: p.parse(params[p.name]) for p in FILTER_PARAMS if p.name in params}
    )


def collect_params(
    pairs: Iterable[tuple[str, str]],
    allowed: Iterable[str] = FILTER_NAMES,
    *,
    skip_empty: bool = False,
) -> dict[str, str]:
    """Request-style (name, value) pairs as `parse_query` input: unknown names are refused,
    repeated list parameters joined, other repeats refused; with `skip_empty`, empty filter
    values are dropped (an unset select in a form means no filter)."""
    allowed = tuple(allowed)
    lists = {p.name for p in FILTER_PARAMS if p.is_list}
    params: dict[str, str] = {}
    for name, value in pairs:
        if name not in allowed:
            raise InvalidParameter(
                f"unknown parameter {name!r}; known parameters: {', '.join(allowed)}"
            )
        if name in params and name not in lists:
            raise InvalidParameter(f"parameter {name!r} is given more than once")
        if skip_empty and not value.strip() and name in FILTER_NAMES:
            continue
        params[name] = f"{params[name]},{value}" if name in params else value
    return params


def lon_ranges(west: float, east: float) -> list[tuple[float, float]]:
    """A longitude span as plain ranges: one that crosses the antimeridian (west > east) is two."""
    return [(west, east)] if west <= east else [(west, 180.0), (-180.0, east)]


def _bbox_intersects(feature_bbox: list[float] | None, query_bbox: tuple[float, ...]) -> bool:
    if not feature_bbox:
        return False
    west, south, east, north = query_bbox
    f_west, f_south, f_east, f_north = feature_bbox
    if f_south > north or f_north < south:
        return False
    # Either box may cross the antimeridian (RFC 7946 5.2: west > east).
    return any(
        a0 <= b1 and b0 <= a1
        for a0, a1 in lon_ranges(f_west, f_east)
        for b0, b1 in lon_ranges(west, east)
    )


def _interval_overlaps(props: Mapping[str, Any], interval: tuple[date | None, date | None]) -> bool:
    start_text = props.get("date_start")
    end_text = props.get("date_end") or start_text
    if start_text is None:
        year = props.get("year")
        if year is None:
            return False
        start, end = date(year, 1, 1), date(year, 12, 31)
    else:
        start, end = date.fromisoformat(start_text), date.fromisoformat(end_text)
    lo, hi = interval
    return (hi is None or start <= hi) and (lo is None or end >= lo)


def matches(feature: Mapping[str, Any], query: FeatureQuery) -> bool:
    """Whether a layer feature passes every filter in the query."""
    props = feature["properties"]
    if query.years is not None and not query.years.intersection(props.get("years") or [None]):
        return False
    if query.actors is not None and not query.actors.intersection(props.get("actors") or []):
        return False
    if query.kinds is not None and props.get("kind") not in query.kinds:
        return False
    if query.langs is not None and not query.langs.intersection(feature_langs(props)):
        return False
    if query.places is not None and not query.places.intersection(props.get("place_ids") or []):
        return False
    if query.bbox is not None and not _bbox_intersects(feature.get("bbox"), query.bbox):
        return False
    if review_of(props) not in (DEFAULT_REVIEWS if query.reviews is None else query.reviews):
        return False
    return query.interval is None or _interval_overlaps(props, query.interval)


def select(features: Iterable[Mapping[str, Any]], query: FeatureQuery) -> list[Mapping[str, Any]]:
    return [feature for feature in features if matches(feature, query)]
