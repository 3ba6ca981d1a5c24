"""Counts of events for the charts: per year by actor, per year by kind, per place (top N).

Pure: it takes the event features a query selected (the store answered the query) and counts
them, so the charts, their JSON and their tests agree with the layers by construction. An event
is counted once in every (year, actor) pair it has: a joint drill of China and Russia adds one to
each actor's bar in that year, so a stack counts participations, and `events` says how many
distinct events there are. With a year or actor filter only the chosen years or actors get bars
(an event matched through Russia does not put a China segment on a chart filtered to Russia).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any, TypedDict

from geo.domain.kinds import EVENT_KINDS, kind_label
from geo.domain.model import ACTORS
from geo.domain.query import UNDATED, FeatureQuery

UNATTRIBUTED = "unattributed"  # an event whose text names no actor
DEFAULT_TOP = 10
MAX_TOP = 100


class YearActorCount(TypedDict):
    year: str
    actor: str
    count: int


class YearKindCount(TypedDict):
    year: str
    kind: str
    label: str
    count: int


class PlaceCount(TypedDict):
    place: str
    place_id: str | None
    count: int


class EventStats(TypedDict):
    events: int
    years: list[str]
    actors: list[str]
    kinds: list[str]
    by_actor: list[YearActorCount]
    by_kind: list[YearKindCount]
    by_place: list[PlaceCount]
    places: int  # distinct places named, of which `by_place` lists the top N


def _year_key(year: int | None) -> str:
    return UNDATED if year is None else str(year)


def _year_order(key: str) -> tuple[bool, str]:
    return (key == UNDATED, key)


def _ranked(values: Iterable[str], canonical: tuple[str, ...]) -> list[str]:
    """Known values in their registry order, then others alphabetically (as the map lists)."""
    found = set(values)
    return [v for v in canonical if v in found] + sorted(found - set(canonical))


def _years(props: Mapping[str, Any], query: FeatureQuery) -> list[str]:
    years = props.get("years") or [None]
    if query.years is not None:
        years = [y for y in years if y in query.years]
    return [_year_key(y) for y in dict.fromkeys(years)]


def _actors(props: Mapping[str, Any], query: FeatureQuery) -> list[str]:
    actors = list(dict.fromkeys(props.get("actors") or [])) or [UNATTRIBUTED]
    if query.actors is not None:
        actors = [a for a in actors if a in query.actors]
    return actors


def _places(props: Mapping[str, Any]) -> list[tuple[str, str | None]]:
    """(name, place id) pairs of an event; names and ids are parallel lists in the build."""
    names = props.get("places") or []
    ids = props.get("place_ids") or []
    pairs = [(name, ids[i] if i < len(ids) else None) for i, name in enumerate(names)]
    return list(dict.fromkeys(pairs))


def event_stats(
    features: Iterable[Mapping[str, Any]], query: FeatureQuery, top: int = DEFAULT_TOP
) -> EventStats:
    """What the three charts draw, from the event features `query` selected."""
    by_actor: Counter[tuple[str, str]] = Counter()
    by_kind: Counter[tuple[str, str]] = Counter()
    by_place: Counter[tuple[str, str | None]] = Counter()
    events = 0
    for feature in features:
        props = feature["properties"]
        events += 1
        years = _years(props, query)
        kind = props.get("kind") or "other"
        for year in years:
            by_kind[year, kind] += 1
            for actor in _actors(props, query):
                by_actor[year, actor] += 1
        for place in _places(props):
            by_place[place] += 1
    years = sorted({y for y, _ in by_kind} | {y for y, _ in by_actor}, key=_year_order)
    actors = _ranked((a for _, a in by_actor), (*ACTORS, UNATTRIBUTED))
    kinds = _ranked((k for _, k in by_kind), EVENT_KINDS)
    year_rank = {y: i for i, y in enumerate(years)}
    actor_rank = {a: i for i, a in enumerate(actors)}
    kind_rank = {k: i for i, k in enumerate(kinds)}
    # Most-named places first; ties alphabetically, so the order is stable across requests.
    places = sorted(by_place.items(), key=lambda item: (-item[1], item[0][0], item[0][1] or ""))
    return {
        "events": events,
        "years": years,
        "actors": actors,
        "kinds": kinds,
        "by_actor": [
            {"year": y, "actor": a, "count": n}
            for (y, a), n in sorted(
                by_actor.items(), key=lambda i: (year_rank[i[0][0]], actor_rank[i[0][1]])
            )
        ],
        "by_kind": [
            {"year": y, "kind": k, "label": kind_label(k), "count": n}
            for (y, k), n in sorted(
                by_kind.items(), key=lambda i: (year_rank[i[0][0]], kind_rank[i[0][1]])
            )
        ],
        "by_place": [
            {"place": name, "place_id": place_id, "count": n}
            for (name, place_id), n in places[:top]
        ],
        "places": len(places),
    }
