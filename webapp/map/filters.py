"""The filter state every control shares: which layers, years, actors and kinds are ticked.

A feature is shown iff its layer is ticked, one of its years is ticked, one of its actors is
ticked and its kind is ticked. The client (`static/drillmap/filters.js`) turns the ticks into
/api query parameters so the server's `geo.domain.query` decides what matches; a group with
every value of a layer ticked sends no parameter, so features without actors (most places) show
until the actor group is narrowed. The layer tree, the year slider and the URL all read and
write it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from geo.domain.kinds import EVENT_KINDS, kind_labels
from geo.domain.model import ACTORS
from webapp.map.client import ClientPart
from webapp.map.style import ACTOR_COLOURS, UNKNOWN_ACTOR_COLOUR, look


def _year_key(year: int | None) -> tuple[bool, int]:
    return (year is None, year or 0)


def _ordered(values: set[str], canonical: tuple[str, ...] | list[str]) -> list[str]:
    """Known values in their canonical order, then any others alphabetically."""
    return [v for v in canonical if v in values] + sorted(values - set(canonical))


def filter_config(
    entries: list[dict[str, Any]],
    layer_url: Callable[[str], str],
    export_url: Callable[[str], str],
) -> dict[str, Any]:
    """What the controls offer, from the index entries (summaries only, never features)."""
    years = sorted({y for e in entries for y in e.get("years") or []}, key=_year_key)
    actors = _ordered({a for e in entries for a in e.get("actors") or []}, ACTORS)
    kinds = _ordered({k for e in entries for k in e.get("kinds") or []}, EVENT_KINDS)
    layers = [
        {
            "name": e["name"],
            "title": e.get("title") or e["name"],
            "count": e.get("count", 0),
            "years": e.get("years") or [],
            "actors": e.get("actors") or [],
            "kinds": e.get("kinds") or [],
            "symbol": look(e["name"]).symbol,
            "arrows": look(e["name"]).arrows,
            "role": look(e["name"]).role,
            "show": look(e["name"]).show,
            "url": layer_url(e["name"]),
            "exportUrl": export_url(e["name"]),
        }
        for e in entries
    ]
    return {
        "years": years,
        "actors": [
            {"name": a, "colour": ACTOR_COLOURS.get(a, UNKNOWN_ACTOR_COLOUR)} for a in actors
        ],
        "kinds": kinds,
        "kindLabels": kind_labels(),
        "layers": layers,
    }


def filter_state(
    entries: list[dict[str, Any]],
    layer_url: Callable[[str], str],
    export_url: Callable[[str], str],
) -> ClientPart:
    """The shared state (`drillmap.filters`); add it before any control that uses it."""
    return ClientPart("filterState", filter_config(entries, layer_url, export_url), js=("filters",))
