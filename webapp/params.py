"""From a request's query string to the query model: the one adapter every area uses.

`/api`, `/export`, the events page and the map links read their filters here; the OGC API,
kept free of Flask, calls the same `collect_params` on its own request object.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from flask import request, url_for

from geo.domain.query import FILTER_NAMES, FeatureQuery, collect_params, parse_int, parse_query


def request_params(allowed: Iterable[str] = FILTER_NAMES, *, skip_empty: bool = False) -> dict:
    """This request's parameters, checked (InvalidParameter names the first problem)."""
    return collect_params(request.args.items(multi=True), allowed, skip_empty=skip_empty)


def request_query(*, skip_empty: bool = False) -> FeatureQuery:
    """This request's filters as a query (InvalidParameter if one is malformed)."""
    return parse_query(request_params(skip_empty=skip_empty))


PAGING = ("limit", "offset")
MAX_OFFSET = 1_000_000_000


def page_params(params: Mapping[str, str], default: int, maximum: int) -> tuple[int, int]:
    """`limit` (rows per page, 1..maximum, `default` unless given) and `offset` (0..) of a
    paged page; InvalidParameter (400) if malformed."""
    limit, offset = params.get("limit"), params.get("offset")
    return (
        default if limit is None else parse_int(limit, "limit", minimum=1, maximum=maximum),
        0 if offset is None else parse_int(offset, "offset", minimum=0, maximum=MAX_OFFSET),
    )


def page_urls(
    endpoint: str, kept: Mapping[str, str | None], limit: int, offset: int, shown: int, total: int
) -> tuple[str | None, str | None]:
    """The previous and next page's URLs of a paged page (None at either end); `kept`: the
    parameters the links carry on (filters, limit), offset left out."""
    previous = url_for(endpoint, **kept, offset=max(0, offset - limit) or None) if offset else None
    following = offset + shown
    return previous, url_for(endpoint, **kept, offset=following) if following < total else None

