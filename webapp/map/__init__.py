"""The map page, composed from one small builder per part (base layers, data layers, filters).

Nothing here reads features: the page carries the index summary only and the browser fetches
each layer from /api by URL.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import folium
from branca.element import Element

from webapp.map.base_layers import add_base_layers
from webapp.map.filters import filter_control
from webapp.map.layers import add_data_layers
from webapp.map.style import PANES

CENTRE = (33.0, 130.0)  # the seas around Japan and Korea
ZOOM = 5
MAX_ZOOM = 12


@dataclass(frozen=True)
class MapUrls:
    """Where the page finds its data, so the builders never depend on Flask routing."""

    layer: Callable[[str], str]
    basemap: str
    document: str  # prefix; the popup appends the document id


def build_map(index: dict[str, Any], urls: MapUrls, online_tiles: bool = True) -> folium.Map:
    figure = folium.Figure(title="drillmap")
    figure.header.add_child(Element('<link rel="icon" href="data:,">'), name="favicon")
    m = folium.Map(
        location=CENTRE,
        zoom_start=ZOOM,
        tiles=None,
        maxZoom=MAX_ZOOM,  # with tiles=None folium sets none, and MarkerCluster needs one
        minZoom=2,
        world_copy_jump=True,
        prefer_canvas=False,
    ).add_to(figure)
    for name, z_index, pointer_events in PANES:
        folium.map.CustomPane(name, z_index=z_index, pointer_events=pointer_events).add_to(m)
    add_base_layers(m, urls.basemap, online_tiles)
    entries = index.get("layers", [])
    add_data_layers(m, entries, urls.layer, urls.document)
    filter_control(entries).add_to(m)
    return m
