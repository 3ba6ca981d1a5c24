"""The chart panel beside the map: `/api/stats` drawn by `static/drillmap/chartpanel.js`.

The page carries only where to fetch the counts and the vega bundles (loaded when the panel
first draws, so they never hold up the map) and the actors' colours, the legend's own.
"""

from __future__ import annotations

from geo.domain.layers import EVENT_LAYERS
from geo.domain.stats import UNATTRIBUTED
from webapp.assets import static
from webapp.map.client import ClientPart
from webapp.map.style import ACTOR_COLOURS, UNKNOWN_ACTOR_COLOUR

CHARTS_CSS = ("drillmap_charts_css", static("drillmap/charts.css"))


def chart_colours() -> dict[str, str]:
    """The actors' colours in the charts: the map legend's, and its grey for no actor."""
    return {**ACTOR_COLOURS, UNATTRIBUTED: UNKNOWN_ACTOR_COLOUR}


def chart_panel(stats_url: str, stats_page: str, scripts: list[str]) -> ClientPart:
    """`drillmap.chartPanel`; add it after the filter and URL state it reads and writes."""
    part = ClientPart(
        "chartPanel",
        {
            "statsUrl": stats_url,
            "statsPage": stats_page,
            "scripts": scripts,
            "eventLayers": list(EVENT_LAYERS),
            "colours": chart_colours(),
        },
        js=("filters", "charts", "chartpanel"),
    )
    part.default_css = [*part.default_css, CHARTS_CSS]
    return part
