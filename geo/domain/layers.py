"""The layers a build writes and the web serves: one registry line each.

Event layers take the features of the kinds whose registry entry names them
(`geo.domain.kinds`); place layers take gazetteer places, all of them or only zones.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

LayerRole = Literal["events", "places"]


@dataclass(frozen=True)
class LayerSpec:
    name: str
    title: str
    role: LayerRole  # "events": extracted events; "places": gazetteer places the documents name
    zones_only: bool = False  # a place layer of air defense zones and disputed islands only


LAYER_SPECS: tuple[LayerSpec, ...] = (
    LayerSpec("exercises", "Exercises", "events"),
    LayerSpec("patrols", "Patrols and flights", "events"),
    LayerSpec("zones", "Zones (air defense, disputed)", "places", zones_only=True),
    LayerSpec("places", "Places named", "places"),
)
LAYER_NAMES: tuple[str, ...] = tuple(spec.name for spec in LAYER_SPECS)
EVENT_LAYERS: tuple[str, ...] = tuple(s.name for s in LAYER_SPECS if s.role == "events")
PLACE_LAYERS: tuple[str, ...] = tuple(s.name for s in LAYER_SPECS if s.role == "places")
_BY_NAME = {spec.name: spec for spec in LAYER_SPECS}


def layer_spec(name: str) -> LayerSpec:
    return _BY_NAME[name]
