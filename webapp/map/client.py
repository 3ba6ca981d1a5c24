"""The one folium element behind drillmap's own map parts: a call to a client factory.

Each builder (filter state, layer tree, year slider, URL state) is a `ClientPart` naming the
`drillmap.<factory>` function that implements it in a static file, the files it needs and a
JSON config; the page only ever carries that config, never features or document text.
"""

from __future__ import annotations

from typing import Any

from folium.elements import JSCSSMixin
from folium.template import Template

from webapp.assets import static

CORE_JS = ("drillmap_js", static("drillmap/map.js"))
CORE_CSS = ("drillmap_css", static("drillmap/map.css"))


class ClientPart(JSCSSMixin):
    """`drillmap.<factory>(map, config)`, with the static files that define it."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = drillmap.{{ this.factory }}(
                {{ this._parent.get_name() }}, {{ this.config|tojson }}
            );
        {% endmacro %}
        """
    )

    def __init__(self, factory: str, config: dict[str, Any], js: tuple[str, ...] = ()) -> None:
        super().__init__()
        if not factory.isidentifier():  # it is written into the page as code
            raise ValueError(f"not a client factory name: {factory!r}")
        self._name = f"ClientPart_{factory}"
        self.factory = factory
        self.config = config
        self.default_js = [CORE_JS] + [
            (f"drillmap_{name}_js", static(f"drillmap/{name}.js")) for name in js
        ]
        self.default_css = [CORE_CSS]
