"""Corrections: keyed by evidence spans (not by position), followed when the evidence moves,
orphaned when the event is gone, applied to the event's fields."""

from __future__ import annotations

from datetime import date

import pytest

from geo.domain.model import Event, Evidence
from geo.domain.query import FeatureQuery, matches, parse_query, parse_reviews
from geo.domain.review import (
    CONFIRMED,
    CORRECTED,
    REJECTED,
    Correction,
    apply_corrections,
    event_review_key,
    match,
    review_key,
    spans_of,
)
from geo.errors import InvalidParameter


def event(kind="naval_exercise", spans=(("doc", 0, 50),), **more) -> Event:
    return Event(
        kind=kind,
        name=more.pop("name", None),
        year=more.pop("year", 2023),
        actors=more.pop("actors", ["China"]),
        place_ids=more.pop("place_ids", ["sea-of-japan"]),
        evidence=[Evidence(d, "x" * (e - s), s, e) for d, s, e in spans],
        confidence=0.7,
        doc_ids=sorted({d for d, _, _ in spans}),
        **more,
    )


def correction(target: Event, status=CONFIRMED, **changes) -> Correction:
    spans = spans_of(target.evidence)
    return Correction(
        id=review_key(spans, target.kind),
        spans=spans,
        kind=target.kind,
        status=status,
        changes=changes,
    )


def test_the_key_is_the_evidence_and_kind_not_the_order():
    a = event(spans=(("d1", 10, 20), ("d2", 0, 5)))
    b = event(spans=(("d2", 0, 5), ("d1", 10, 20)))
    assert event_review_key(a) == event_review_key(b)
    assert event_review_key(a) != event_review_key(event(kind="air_patrol", spans=a_spans(a)))
    assert event_review_key(a) != event_review_key(event(spans=(("d1", 11, 20), ("d2", 0, 5))))


def a_spans(e: Event) -> tuple:
    return tuple((x.doc_id, x.start, x.end) for x in e.evidence)


def test_an_exact_key_matches_whatever_the_events_order():
    first, second = event(spans=(("d", 0, 40),)), event(spans=(("d", 100, 140),))
    wanted = correction(second)
    assert match([wanted], [first, second]) == {wanted.id: 1}
    assert match([wanted], [second, first]) == {wanted.id: 0}


def test_moved_evidence_is_followed_to_the_event_that_overlaps_it_most():
    before = event(spans=(("d", 100, 200),))
    verdict = correction(before, CORRECTED, name="Joint Sea-2023")
    # New rules: the evidence is now a longer clause, and a neighbour overlaps only a little.
    moved = event(spans=(("d", 90, 210),))
    neighbour = event(spans=(("d", 195, 300),))
    other_doc = event(spans=(("e", 100, 200),))
    applied = apply_corrections([neighbour, other_doc, moved], [verdict])
    assert applied.orphaned == []
    names = [e.name for e, _ in applied.events]
    assert names == [None, None, "Joint Sea-2023"]


def test_a_correction_whose_event_is_gone_is_orphaned_not_dropped():
    gone = event(spans=(("d", 100, 200),))
    verdict = correction(gone, REJECTED)
    applied = apply_corrections([event(spans=(("d", 300, 400),))], [verdict])
    assert applied.orphaned == [verdict]
    assert [c for _, c in applied.events] == [None]


def test_one_event_takes_one_correction():
    e = event(spans=(("d", 0, 100),))
    exact = correction(e, CONFIRMED)
    stale = Correction(
        id=review_key((("d", 10, 90),), e.kind),
        spans=(("d", 10, 90),),
        kind=e.kind,
        status=REJECTED,
    )
    applied = apply_corrections([e], [exact, stale])
    assert applied.events[0][1] == exact
    assert applied.orphaned == [stale]


def test_same_sentence_two_kinds_keep_their_own_corrections():
    sentence = (("d", 0, 80),)
    drill, flight = event("naval_exercise", sentence), event("bomber_flight", sentence)
    on_flight = correction(flight, REJECTED)
    applied = apply_corrections([drill, flight], [on_flight])
    assert [c for _, c in applied.events] == [None, on_flight]


def test_corrected_fields_replace_the_machines_and_unknown_places_are_left_out():
    e = event()
    verdict = correction(
        e,
        CORRECTED,
        kind="air_patrol",
        year=2024,
        date_start="2024-07-01",
        actors=["Russia", "China"],
        place_ids=["korea-strait", "gone-place", "sea-of-japan"],
    )
    applied = apply_corrections([e], [verdict], {"korea-strait", "sea-of-japan"})
    fixed = applied.events[0][0]
    assert (fixed.kind, fixed.year, fixed.date_start) == ("air_patrol", 2024, date(2024, 7, 1))
    assert fixed.actors == ["Russia", "China"]
    assert fixed.place_ids == ["korea-strait", "sea-of-japan"]  # the route's order is kept
    assert e.kind == "naval_exercise"  # the machine's event is not changed in place


def test_a_correction_line_must_match_its_own_evidence():
    e = event()
    line = correction(e).as_json()
    assert Correction.from_json(line) == correction(e)
    with pytest.raises(ValueError, match="does not match"):
        Correction.from_json({**line, "id": "rv-0000000000000000"})
    with pytest.raises(ValueError, match="status"):
        Correction.from_json({**line, "status": "machine"})
    with pytest.raises(ValueError, match="unknown field"):
        Correction.from_json({**line, "changes": {"evidence": []}})


def feature(review: str | None) -> dict:
    props = {"years": [2023], "actors": [], "kind": "naval_exercise"}
    if review is not None:
        props["review"] = review
    return {"properties": props}


def test_rejected_events_are_left_out_unless_asked_for():
    default = FeatureQuery()
    assert not matches(feature("rejected"), default)
    assert matches(feature("confirmed"), default) and matches(feature(None), default)
    assert matches(feature("rejected"), parse_query({"review": "rejected"}))
    assert matches(feature("rejected"), parse_query({"review": "all"}))
    assert not matches(feature("machine"), parse_query({"review": "rejected,corrected"}))
    assert parse_query({"review": "all"}).as_params() == {"review": "all"}


@pytest.mark.parametrize("value", ["", "nope", "machine,,rejected", "reviewed"])
def test_bad_review_values_are_refused(value):
    with pytest.raises(InvalidParameter):
        parse_reviews(value)
