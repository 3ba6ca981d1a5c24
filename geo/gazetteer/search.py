"""Gazetteer names as an analyst types them: the places a correction may pick.

Names and aliases are folded once per gazetteer; a query matches a name that starts with it
(best), then a word of a name that does, then a name that contains it. Hand-kept places come
before generated ones, and generated ones by prominence, so "Sea of J" offers the sea first.
"""

from __future__ import annotations

from typing import Any

from geo.extraction.text import fold
from geo.gazetteer.places import Gazetteer, Place, prominence_key

MAX_RESULTS = 50
MIN_QUERY_CHARS = 1
_TABLES: dict[int, list[tuple[str, Place]]] = {}


def _table(gazetteer: Gazetteer) -> list[tuple[str, Place]]:
    """(folded name, place) for every name and alias, in the order results are offered."""
    table = _TABLES.get(id(gazetteer))
    if table is None:
        ordered = sorted(
            gazetteer,
            key=lambda p: (p.generated, prominence_key(p) if p.generated else (0, 0, p.id)),
        )
        table = [(fold(name), place) for place in ordered for name in place.names]
        _TABLES[id(gazetteer)] = table
    return table


def place_entry(place: Place) -> dict[str, Any]:
    """What a search result shows: id, name, kind, country and the aliases."""
    return {
        "id": place.id,
        "name": place.name,
        "kind": place.kind,
        "country": place.country,
        "aliases": list(place.aliases),
    }


def search_places(gazetteer: Gazetteer, query: str, limit: int = 20) -> list[dict[str, Any]]:
    """Up to `limit` places whose name or alias matches `query` (case and accents ignored)."""
    wanted = fold(query.strip())
    if len(wanted) < MIN_QUERY_CHARS:
        return []
    limit = max(1, min(limit, MAX_RESULTS))
    tiers: tuple[list[Place], list[Place], list[Place]] = ([], [], [])
    seen: set[str] = set()
    for name, place in _table(gazetteer):
        if place.id in seen:
            continue
        if name.startswith(wanted):
            tier = 0
        elif f" {wanted}" in f" {name}":
            tier = 1
        elif wanted in name:
            tier = 2
        else:
            continue
        seen.add(place.id)
        tiers[tier].append(place)
        if len(tiers[0]) >= limit:
            break
    found = [*tiers[0], *tiers[1], *tiers[2]][:limit]
    return [place_entry(place) for place in found]
