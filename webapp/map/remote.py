"""A layer filled by URL: GeoJSON is fetched by the browser, never inlined into the page."""

from __future__ import annotations

from typing import Any

from folium.elements import JSCSSMixin
from folium.template import Template

from webapp.assets import npm
from webapp.map.client import CORE_CSS, CORE_JS

DECORATOR_JS = (
    "polyline_decorator",
    npm("leaflet-polylinedecorator/dist/leaflet.polylineDecorator.js"),
)


class RemoteGeoJson(JSCSSMixin):
    """Loads GeoJSON from `url` into its parent layer (a folium FeatureGroup or MarkerCluster).

    The parent stays the folium layer (name, show, layer control); this element only attaches
    drillmap's client loader, which fetches when the layer is on the map and re-fetches with
    filter parameters set by the filter state. With `arrows=True` lines get arrowheads.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = drillmap.remoteLayer(
                {{ this._parent.get_name() }}, {{ this.config|tojson }}
            );
        {% endmacro %}
        """
    )

    def __init__(self, name: str, url: str, role: str, **config: Any) -> None:
        super().__init__()
        self.default_js = [CORE_JS]
        if config.get("arrows"):
            self.default_js.append(DECORATOR_JS)
        self.default_css = [CORE_CSS]
        self._name = "RemoteGeoJson"
        self.config = {"name": name, "url": url, "role": role, **config}
