"""The chart counts (geo.domain.stats) on hand-made features: pairs, filters, ranking."""

from __future__ import annotations

from typing import Any

from geo.domain.query import FeatureQuery, parse_query
from geo.domain.stats import UNATTRIBUTED, event_stats


def feature(
    kind: str,
    years: list[int | None],
    actors: list[str],
    places: list[str] = (),
) -> dict[str, Any]:
    return {
        "type": "Feature",
        "properties": {
            "kind": kind,
            "years": years,
            "year": years[0],
            "actors": actors,
            "places": list(places),
            "place_ids": [p.lower().replace(" ", "_") for p in places],
        },
    }


FEATURES = [
    feature("naval_exercise", [2022, 2023], ["Russia", "China"], ["Sea of Japan"]),
    feature("bomber_flight", [2023], ["China"], ["Sea of Japan", "Korea Strait"]),
    feature("naval_patrol", [None], [], ["Miyako Strait"]),
]


def test_an_event_counts_once_in_each_of_its_year_actor_pairs():
    stats = event_stats(FEATURES, FeatureQuery())
    assert stats["events"] == 3
    assert stats["years"] == ["2022", "2023", "undated"]
    assert stats["actors"] == ["China", "Russia", UNATTRIBUTED]  # registry order, then others
    assert stats["by_actor"] == [
        {"year": "2022", "actor": "China", "count": 1},
        {"year": "2022", "actor": "Russia", "count": 1},
        {"year": "2023", "actor": "China", "count": 2},
        {"year": "2023", "actor": "Russia", "count": 1},
        {"year": "undated", "actor": UNATTRIBUTED, "count": 1},
    ]
    assert [(r["year"], r["kind"], r["count"]) for r in stats["by_kind"]] == [
        ("2022", "naval_exercise", 1),
        ("2023", "naval_exercise", 1),
        ("2023", "bomber_flight", 1),
        ("undated", "naval_patrol", 1),
    ]


def test_places_are_ranked_by_count_then_name_and_cut_to_top():
    stats = event_stats(FEATURES, FeatureQuery(), top=2)
    assert stats["by_place"] == [
        {"place": "Sea of Japan", "place_id": "sea_of_japan", "count": 2},
        {"place": "Korea Strait", "place_id": "korea_strait", "count": 1},
    ]
    assert stats["places"] == 3


def test_a_year_or_actor_filter_keeps_only_the_chosen_bars():
    # The store already selected the events; the counts leave out the years and actors not asked.
    query = parse_query({"year": "2023", "actor": "Russia"})
    stats = event_stats(FEATURES[:1], query)
    assert stats["by_actor"] == [{"year": "2023", "actor": "Russia", "count": 1}]
    assert [(r["year"], r["kind"]) for r in stats["by_kind"]] == [("2023", "naval_exercise")]


def test_nothing_selected_counts_nothing():
    stats = event_stats([], FeatureQuery())
    assert stats == {
        "events": 0, "years": [], "actors": [], "kinds": [],
        "by_actor": [], "by_kind": [], "by_place": [], "places": 0,
    }
