"""The data layers: one folium layer per built layer, filled from /api by URL."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import folium
from folium.plugins import MarkerCluster

from webapp.map.remote import RemoteGeoJson
from webapp.map.style import ACTOR_COLOURS, UNKNOWN_ACTOR_COLOUR, look

CLUSTER_OPTIONS: dict[str, Any] = {
    "maxClusterRadius": 30,
    "showCoverageOnHover": False,
    "disableClusteringAtZoom": 9,
}


def add_data_layers(
    m: folium.Map,
    entries: list[dict[str, Any]],
    layer_url: Callable[[str], str],
    document_url: str,
    events_url: str = "",
) -> dict[str, RemoteGeoJson]:
    """Add each index entry as a folium layer with a remote loader; return loaders by name.

    The layers stay out of folium's LayerControl: the filter control shows and hides them.
    """
    loaders: dict[str, RemoteGeoJson] = {}
    for entry in entries:
        name = entry["name"]
        style = look(name)
        title = entry.get("title") or name
        if style.cluster:
            parent: folium.map.Layer = MarkerCluster(
                name=title, control=False, show=style.show, options=CLUSTER_OPTIONS
            )
        else:
            parent = folium.FeatureGroup(name=title, control=False, show=style.show)
        loader = RemoteGeoJson(
            name=name,
            url=layer_url(name),
            role=style.role,
            pane=style.pane,
            colours=ACTOR_COLOURS,
            unknownColour=UNKNOWN_ACTOR_COLOUR,
            documentUrl=document_url,
            # `/api/layers/<name>/features/<id>/evidence` pages what a popup shows the first of.
            evidenceUrl=layer_url(name).removesuffix(".geojson") + "/features/",
            arrows=style.arrows,
            # A place lists its first events only: the events table pages all of them.
            eventsUrl=events_url,
        )
        parent.add_child(loader)
        parent.add_to(m)
        loaders[name] = loader
    return loaders
