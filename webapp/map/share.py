"""Shareable state: the filters and the view live in the page's URL.

`/?year=2023&actor=Russia,China&kind=naval_exercise&layers=exercises,patrols&center=lat,lon
&zoom=z` is read on load and kept in step with `history.replaceState`; `focus=<feature id>`
opens that feature's popup, `focus=place:<place id>` centres on a place and highlights it.
Values that match nothing are ignored with a visible notice.
"""

from __future__ import annotations

from geo.domain.layers import PLACE_LAYERS  # where `focus=place:<id>` looks for the place
from webapp.map.client import ClientPart

FOCUS_MAX_ZOOM = 7  # zooming to a feature never goes closer than this


def url_state(place_layers: tuple[str, ...] = PLACE_LAYERS) -> ClientPart:
    return ClientPart(
        "urlState",
        {"placeLayers": list(place_layers), "focusMaxZoom": FOCUS_MAX_ZOOM},
        js=("filters", "share"),
    )
