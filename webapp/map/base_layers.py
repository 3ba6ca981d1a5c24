"""Base layers: the offline vector basemap (default) and, if allowed, online OSM tiles (off)."""

from __future__ import annotations

import folium

from webapp.map.remote import RemoteGeoJson
from webapp.map.style import LAND_STYLE

OSM_TILES = "OpenStreetMap"


def add_base_layers(m: folium.Map, basemap_url: str, online_tiles: bool) -> None:
    """Countries drawn from the local GeoJSON in their own pane; OSM only when picked."""
    land = folium.FeatureGroup(name="Offline basemap", overlay=False, control=online_tiles)
    land.add_child(
        RemoteGeoJson(
            name="basemap", url=basemap_url, role="basemap", pane="dm-basemap", style=LAND_STYLE
        )
    )
    land.add_to(m)
    if online_tiles:
        folium.TileLayer(
            OSM_TILES, name="OpenStreetMap (online)", overlay=False, show=False
        ).add_to(m)
        folium.LayerControl(position="bottomright", collapsed=True).add_to(m)
