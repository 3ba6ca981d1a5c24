"""The map page, composed from one small builder per part: base layers, data layers, the shared
filter state, the layer tree (with legend and downloads), the year slider, the scale bar and the
URL state.

Nothing here reads features: the page carries the index summary only and the browser fetches
each layer from /api by URL, so the page does not grow with the data.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import folium
from branca.element import Element

from webapp.map.base_layers import add_base_layers
from webapp.map.charts import chart_panel
from webapp.map.filters import filter_state
from webapp.map.layers import add_data_layers
from webapp.map.review import review_controls
from webapp.map.search import search_box
from webapp.map.share import url_state
from webapp.map.style import PANES
from webapp.map.timeline import year_slider
from webapp.map.tree import layer_tree

CENTRE = (33.0, 130.0)  # the seas around Japan and Korea
ZOOM = 5
MAX_ZOOM = 12
MIN_ZOOM = 2
# Of folium's default assets the map needs Leaflet only (no jQuery, Bootstrap or icon fonts).
MAP_JS = ("leaflet",)
MAP_CSS = ("leaflet_css",)


@dataclass(frozen=True)
class MapUrls:
    """Where the page finds its data, so the builders never depend on Flask routing."""

    layer: Callable[[str], str]
    basemap: str
    document: str  # prefix; the popup appends the document id
    export: Callable[[str], str] = lambda name: f"/export/{name}.geojson"
    pages: list[tuple[str, str]] = field(default_factory=list)  # (title, href) in the header
    search: str | None = None  # the search page, for a search box on the map
    # The chart panel: /api/stats, the /stats page and the vega bundles (no panel without).
    stats: str | None = None
    stats_page: str = "/stats"
    chart_js: list[str] = field(default_factory=list)
    review: str = ""  # prefix of /review/<layer>/<id>; empty: no review buttons
    review_session: str = ""  # may this browser review, and its form token
    events: str = ""  # the events table: a place's popup links to its events there (?place=)


def build_map(
    entries: list[dict[str, Any]], urls: MapUrls, online_tiles: bool = True
) -> folium.Map:
    figure = folium.Figure(title="drillmap")
    figure.header.add_child(Element('<link rel="icon" href="data:,">'), name="favicon")
    m = folium.Map(
        location=CENTRE,
        zoom_start=ZOOM,
        tiles=None,
        maxZoom=MAX_ZOOM,  # with tiles=None folium sets none, and MarkerCluster needs one
        minZoom=MIN_ZOOM,
        world_copy_jump=True,
        prefer_canvas=False,
        control_scale=True,  # Leaflet's scale bar: metric and imperial
    ).add_to(figure)
    m.default_js = [(name, url) for name, url in m.default_js if name in MAP_JS]
    m.default_css = [(name, url) for name, url in m.default_css if name in MAP_CSS]
    for name, z_index, pointer_events in PANES:
        folium.map.CustomPane(name, z_index=z_index, pointer_events=pointer_events).add_to(m)
    add_base_layers(m, urls.basemap, online_tiles)
    add_data_layers(m, entries, urls.layer, urls.document, urls.events)
    filter_state(entries, urls.layer, urls.export).add_to(m)  # before the controls that use it
    layer_tree(urls.pages).add_to(m)
    year_slider().add_to(m)
    url_state().add_to(m)
    if urls.search:
        search_box(urls.search).add_to(m)
    if urls.stats:
        chart_panel(urls.stats, urls.stats_page, urls.chart_js).add_to(m)
    if urls.review and urls.review_session:
        review_controls(urls.review_session, urls.review).add_to(m)
    return m
