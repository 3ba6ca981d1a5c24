"""The Year / Actor / Layer filter control, with the legend of actor colours and symbols.

A feature is shown iff its layer is ticked, one of its years is ticked, one of its actors is
ticked and its kind is ticked; the client turns the ticks into /api query parameters so the
server's `geo.query` decides what matches. A group with every value of a layer ticked sends no
parameter, so features without actors (most places) show until the actor group is narrowed.
"""

from __future__ import annotations

from typing import Any

from folium.elements import JSCSSMixin
from folium.template import Template

from geo.model import ACTORS
from webapp.assets import static
from webapp.map.style import ACTOR_COLOURS, UNKNOWN_ACTOR_COLOUR, look


class FilterControl(JSCSSMixin):
    """A Leaflet control of grouped checkboxes driving the remote layers registered by name."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = drillmap.filterControl(
                {{ this.config|tojson }}
            ).addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, config: dict[str, Any]) -> None:
        super().__init__()
        self.default_js = [("drillmap_js", static("drillmap/map.js"))]
        self.default_css = [("drillmap_css", static("drillmap/map.css"))]
        self._name = "FilterControl"
        self.config = config


def _year_key(year: int | None) -> tuple[bool, int]:
    return (year is None, year or 0)


def filter_control(entries: list[dict[str, Any]], position: str = "topright") -> FilterControl:
    """Build the control's groups from the index entries of the layers on the map."""
    years = sorted({y for e in entries for y in e.get("years") or []}, key=_year_key)
    present = {a for e in entries for a in e.get("actors") or []}
    actors = [a for a in ACTORS if a in present] + sorted(present - set(ACTORS))
    layers = [
        {
            "name": e["name"],
            "title": e.get("title") or e["name"],
            "count": e.get("count", 0),
            "years": e.get("years") or [],
            "actors": e.get("actors") or [],
            "kinds": e.get("kinds") or [],
            "symbol": look(e["name"]).symbol,
            "show": look(e["name"]).show,
        }
        for e in entries
    ]
    return FilterControl(
        {
            "position": position,
            "years": years,
            "actors": [
                {"name": a, "colour": ACTOR_COLOURS.get(a, UNKNOWN_ACTOR_COLOUR)} for a in actors
            ],
            "layers": layers,
        }
    )
