"""Charts of the events: `/api/stats` (their counts as JSON) and the `/stats` page that draws them.

The counts come from the store through `event_features` (the same query the events table and
`/api` answer) and `geo.domain.stats`; the filters are `geo.domain.query`'s, so
`/api/stats?year=2023&actor=Russia` counts exactly the events `/api` returns for it. The map's
chart panel (`webapp.map.charts`) reads the same endpoint.
"""

from __future__ import annotations

from flask import Blueprint, Response, render_template, url_for

from geo.budget import within_budget
from geo.domain.kinds import kind_label
from geo.domain.layers import EVENT_LAYERS
from geo.domain.query import FILTER_NAMES, FeatureQuery, parse_int, parse_query
from geo.domain.stats import DEFAULT_TOP, MAX_TOP, EventStats, event_stats
from geo.errors import InvalidParameter
from webapp import csrf, get_store
from webapp.api import json_response
from webapp.assets import CHART_JS
from webapp.map.charts import chart_colours
from webapp.pages.events import event_features, event_layer_values, filter_options, year_key
from webapp.params import request_params

blueprint = Blueprint("stats", __name__)
blueprint.after_request(csrf.page_headers)

STATS_PARAMS = ("top", "layers")  # beside the filters: how many places, which event layers


def parse_layers(value: str) -> tuple[str, ...]:
    """`layers=exercises,patrols`: event layers only, kept in registry order."""
    names = {item.strip() for item in value.split(",")}
    unknown = sorted(names - set(EVENT_LAYERS))
    if not value.strip() or unknown:
        shown = unknown[0] if unknown else value
        raise InvalidParameter(
            f"'layers' must list event layers ({', '.join(EVENT_LAYERS)}), got {shown!r}"
        )
    return tuple(name for name in EVENT_LAYERS if name in names)


def stats_for(params: dict[str, str]) -> tuple[FeatureQuery, EventStats]:
    """The query in `params` and the counts of the events it selects."""
    query = parse_query({k: v for k, v in params.items() if k in FILTER_NAMES})
    top = parse_int(params["top"], "top", minimum=1, maximum=MAX_TOP) if "top" in params else None
    layers = parse_layers(params["layers"]) if "layers" in params else EVENT_LAYERS
    features = event_features(get_store(), query, layers)
    # Under the request's time budget, as the events table and /api are (503 past it).
    counted = within_budget(features, "counting events")
    return query, event_stats(counted, query, top or DEFAULT_TOP)


@blueprint.get("/api/stats")
def api_stats() -> Response:
    """Events per year by actor and by kind, and the most-named places, for the charts."""
    params = request_params((*FILTER_NAMES, *STATS_PARAMS))
    query, stats = stats_for(params)
    body = {**stats, "query": query.as_params(), "problems": get_store().problems()}
    response = json_response(body)
    response.cache_control.no_cache = True
    return response


@blueprint.get("/stats")
def page() -> tuple[str, int]:
    """The charts on a page of their own; a bar links to the map filtered to it."""
    _, years, actors, kinds = event_layer_values(get_store())
    error = None
    try:
        params = request_params(FILTER_NAMES, skip_empty=True)
        parse_query(params)
    except InvalidParameter as exc:
        error, params = str(exc), {}
    html = render_template(
        "pages/stats.html",
        error=error,
        params=params,
        stats_url=url_for("stats.api_stats", **params),
        map_url=url_for("map.index"),
        chart_js=[url_for("vendor.vendor", filename=path) for path in CHART_JS],
        colours=chart_colours(),
        year_options=filter_options((year_key(y) for y in years), params.get("year")),
        actor_options=filter_options(actors, params.get("actor")),
        kind_options=filter_options(kinds, params.get("kind")),
        kind_label=kind_label,
    )
    return html, 400 if error else 200
