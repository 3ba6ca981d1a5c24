"""How the map looks: actor colours, basemap colours, and each layer's role, pane and symbol.

Kept apart from the builders so the legend and the drawing can never use different colours.
"""

from __future__ import annotations

from dataclasses import dataclass

ACTOR_COLOURS: dict[str, str] = {
    "China": "#d62728",
    "Russia": "#7b3fb5",
    "United States": "#1f5fb4",
    "Japan": "#e0559a",
    "South Korea": "#13a5b8",
    "North Korea": "#8c564b",
    "Taiwan": "#2ca02c",
    "NATO": "#1b2a6b",
    "India": "#ff7f0e",
    "Australia": "#b5b51f",
}
UNKNOWN_ACTOR_COLOUR = "#6b6b6b"

SEA_COLOUR = "#b9d3e6"
LAND_STYLE: dict[str, object] = {
    "color": "#8d8a80",  # coast and borders
    "weight": 0.7,
    "fillColor": "#f3f0e8",
    "fillOpacity": 1,
}


@dataclass(frozen=True)
class LayerLook:
    """How one data layer is drawn: `role` picks the client style, `symbol` its legend swatch."""

    role: str  # event | zone | place
    symbol: str  # point | line | area | place
    pane: str
    show: bool = True
    cluster: bool = False
    arrows: bool = False  # arrowheads along lines: routes run in the order the text names places


# Custom panes under Leaflet's overlayPane (400), so events draw over zones and places; the
# highlight of a focused place sits between them and never catches a click.
PANES: tuple[tuple[str, int, bool], ...] = (
    ("dm-basemap", 250, False),
    ("dm-zones", 380, True),
    ("dm-places", 390, True),
    ("dm-highlight", 395, False),
)

LOOKS: dict[str, LayerLook] = {
    "exercises": LayerLook(role="event", symbol="point", pane="overlayPane", cluster=True),
    "patrols": LayerLook(role="event", symbol="line", pane="overlayPane", arrows=True),
    "zones": LayerLook(role="zone", symbol="area", pane="dm-zones"),
    "places": LayerLook(role="place", symbol="place", pane="dm-places", show=False),
}
DEFAULT_LOOK = LayerLook(role="event", symbol="point", pane="overlayPane")


def look(name: str) -> LayerLook:
    return LOOKS.get(name, DEFAULT_LOOK)
