"""Generated names become mentions only where the text supports them, and name the right place;
and the event rules keep admin units that only locate, strait endpoints, launch origins and
capitals-as-governments out of an event's places."""

from __future__ import annotations

import pytest

from geo.domain.model import Document, DocumentMeta
from geo.extraction.pipeline import extract_document, matcher_for
from geo.gazetteer.places import Gazetteer, default_gazetteer


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return default_gazetteer()


def _found(gazetteer: Gazetteer, text: str) -> list[tuple[str, str, str]]:
    """(surface, primary name, country) of every mention."""
    return [
        (m.text, gazetteer[m.place_id].name, gazetteer[m.place_id].country)
        for m in matcher_for(gazetteer).find(text)
    ]


def _event_places(text: str) -> list[str]:
    document = Document(DocumentMeta(doc_id="t", path="t.txt", published_year=2024), text)
    gazetteer = default_gazetteer()
    return [gazetteer[p].name for e in extract_document(document).events for p in e.place_ids]


def test_a_locative_word_supports_a_town(gazetteer: Gazetteer) -> None:
    found = _found(gazetteer, "Chinese warships sailed off Keelung on Monday.")
    assert found == [("Keelung", "Keelung", "TW")]


def test_the_qualifier_picks_the_place_of_a_shared_name(gazetteer: Gazetteer) -> None:
    assert ("Magong", "Magong", "TW") in _found(gazetteer, "The frigate called at Magong, Taiwan.")
    found = _found(gazetteer, "Missiles were fired from Sinpo, South Hamgyong Province.")
    assert found[0] == ("Sinpo", "Sinpo", "KP")


def test_offsets_are_the_texts_own(gazetteer: Gazetteer) -> None:
    text = "Drills were held near Nemuro and Kushiro."
    mentions = matcher_for(gazetteer).find(text)
    assert [(text[m.start : m.end], m.text) for m in mentions] == [
        ("Nemuro", "Nemuro"),
        ("Kushiro", "Kushiro"),  # coordinated with a place found
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Defense Minister Yasukazu Hamada said the ships had left.",
        "Hamada said the ships had left.",
        "Minister Kihara told reporters the flight was provocative.",
        "The carrier Shandong sailed south.",
        "The Shandong carrier group sailed south.",
        "The ships anchored in a sheltered anchorage.",
        "Tokyo said it had lodged a protest.",
    ],
)
def test_person_ship_and_common_words_are_no_mentions(gazetteer: Gazetteer, text: str) -> None:
    assert [f for f in _found(gazetteer, text) if f[1] not in ("Japan",)] == []


def test_a_hand_kept_name_always_wins(gazetteer: Gazetteer) -> None:
    assert _found(gazetteer, "The destroyer passed near Tsushima.") == [
        ("Tsushima", "Tsushima Island", "")
    ]


def test_a_landmark_with_its_kind_word(gazetteer: Gazetteer) -> None:
    assert _found(gazetteer, "It flew north of Ulleung Island.") == [
        ("Ulleung Island", "Ulleungdo", "KR")
    ]


def test_a_prefecture_that_only_locates_a_strait_is_no_event_place() -> None:
    text = "Seven warships sailed through the Osumi Strait off Kagoshima Prefecture on Thursday."
    assert _event_places(text) == ["Osumi Strait"]


def test_places_that_only_define_a_strait_are_no_event_places() -> None:
    text = (
        "The ships moved through the strait, which runs between the Osumi Peninsula and "
        "Tanegashima Island, on Thursday."
    )
    assert _event_places(text) == []


def test_a_province_a_missile_was_launched_from_is_an_origin() -> None:
    text = "Two missiles launched from Fujian Province flew over Taiwan, the ministry said."
    assert _event_places(text) == ["Taiwan"]


def test_capitals_in_relations_between_them_are_governments() -> None:
    text = "The drills held near Hokkaido soured relations between Tokyo and Moscow."
    assert _event_places(text) == ["Hokkaido"]


def test_a_large_island_after_a_comma_only_locates() -> None:
    text = "A Russian Il-38 violated Japanese airspace north of Rebun Island, Hokkaido."
    assert _event_places(text) == ["Japan ADIZ", "Rebun Island"]


def test_a_strait_lies_between_two_places_only_if_the_line_between_them_crosses_it() -> None:
    from geo.gazetteer.places import default_gazetteer

    gazetteer = default_gazetteer()
    assert gazetteer.strait_between("okinawa", "miyako-jima").id == "miyako-strait"
    assert gazetteer.strait_between("yonaguni", "taiwan").id == "yonaguni-taiwan-gap"
    # The Yonaguni-Taiwan gap lies west of Yonaguni, not between it and Iriomote to the east.
    assert gazetteer.strait_between("yonaguni", "iriomote") is None
