"""Events from the seed documents and from small texts that show one rule each."""

from datetime import date
from pathlib import Path

from geo.documents import load_document
from geo.extract import extract_document, extraction_json
from geo.model import Document, DocumentMeta

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"


def _events(text: str, published: date | None = date(2023, 7, 21)) -> list[dict]:
    meta = DocumentMeta(doc_id="t", path="t.txt", published=published)
    return extraction_json(extract_document(Document(meta, text)))["events"]


def _seed(name: str) -> dict:
    return extraction_json(extract_document(load_document(SEEDS / name)))


def _summary(event: dict) -> tuple:
    return (event["kind"], event["name"], event["year"], event["actors"], event["places"])


def test_seed_000_named_drill_and_last_years_exercises():
    events = [_summary(e) for e in _seed("000_053b0657fcaa53d4.txt")["events"]]
    assert events == [
        (
            "naval_exercise",
            "Northern/Interaction-2023",
            2023,
            ["China", "Russia"],
            ["Sea of Japan"],
        ),
        ("naval_exercise", None, 2022, ["Russia", "China"], ["Sea of Japan", "East China Sea"]),
    ]


def test_seed_000_named_drill_has_dates_and_its_naming_sentence_as_evidence():
    first = _seed("000_053b0657fcaa53d4.txt")["events"][0]
    assert (first["date_start"], first["date_end"]) == ("2023-07-20", "2023-07-23")
    assert "Northern/Interaction-2023" in first["evidence"]["text"]
    text = (SEEDS / "000_053b0657fcaa53d4.txt").read_text()
    assert text[first["evidence"]["start"] : first["evidence"]["end"]] == first["evidence"]["text"]


def test_seed_001_keeps_speculation_apart():
    result = _seed("001_ca12995982ec6360.txt")
    drawn = {place for event in result["events"] for place in event["places"]}
    assert not drawn & {"Taiwan", "South China Sea", "Arctic", "Central Asia"}
    assert {e["name"] for e in result["events"]} >= {"Northern/Interaction-2024", "Ocean-2024"}
    assert ("scramble", None, 2023, ["Japan"], ["Japan ADIZ"]) in [
        _summary(e) for e in result["events"]
    ]


def test_seed_002_undated_us_japan_bomber_flight():
    events = [_summary(e) for e in _seed("002_1042e2a159f2e039.txt")["events"]]
    assert events == [("bomber_flight", None, None, ["United States", "Japan"], ["Sea of Japan"])]


def test_every_place_mention_is_listed_with_offsets():
    result = _seed("002_1042e2a159f2e039.txt")
    senkaku = next(p for p in result["places"] if p["id"] == "senkaku-islands")
    text = (SEEDS / "002_1042e2a159f2e039.txt").read_text()
    for mention in senkaku["mentions"]:
        assert text[mention["start"] : mention["end"]] == mention["text"]


def test_last_year_resolves_against_the_document_date():
    [event] = _events("Russia and China held joint naval drills in the East China Sea last year.")
    assert event["year"] == 2022


def test_the_two_countries_resolves_to_the_pair_named_before():
    text = (
        "China and Russia deepened their ties this summer. "
        "The two countries then held naval drills in the Sea of Japan."
    )
    [event] = _events(text)
    assert sorted(event["actors"]) == ["China", "Russia"]


def test_speculation_is_not_an_event():
    assert _events("China and Russia could hold joint exercises in the South China Sea.") == []


def test_background_place_is_not_where_the_event_happened():
    text = "Ships that departed from Vladivostok held drills in the Sea of Japan on Thursday."
    [event] = _events(text)
    assert event["places"] == ["Sea of Japan"]


def test_route_keeps_the_order_the_text_gives():
    text = (
        "Chinese and Russian warships sailed from the Sea of Japan through the Tsushima Strait "
        "into the East China Sea on Tuesday."
    )
    [event] = _events(text)
    assert event["kind"] == "naval_patrol"
    assert event["places"] == ["Sea of Japan", "Korea Strait", "East China Sea"]
    assert event["actors"] == ["China", "Russia"]


def test_dateline_city_and_reporting_ministry_are_not_actors():
    text = (
        "TOKYO (Jiji Press) - Two Chinese and four Russian warships sailed through "
        "the Osumi Strait on Tuesday, Japan's Defense Ministry said."
    )
    [event] = _events(text)
    assert event["actors"] == ["China", "Russia"]
    assert event["places"] == ["Osumi Strait"]


def test_islands_that_bound_a_strait_name_the_strait():
    [event] = _events("Chinese aircraft flew between the islands of Okinawa and Miyako on Monday.")
    assert event["places"] == ["Miyako Strait"]


def test_plural_sea_names_in_a_list():
    text = "Russian and Chinese bombers flew over the Chukchi and Bering seas on Wednesday."
    [event] = _events(text)
    assert (event["kind"], event["places"]) == ("air_patrol", ["Bering Sea"])


def test_who_scrambled_is_not_who_was_intercepted():
    text = (
        "South Korea's air force scrambled jets after Chinese H-6K bombers entered the KADIZ "
        "on Tuesday."
    )
    kinds = {e["kind"]: e for e in _events(text)}
    assert kinds["scramble"]["actors"] == ["South Korea"]
    assert kinds["air_patrol"]["actors"] == ["China"]
    assert kinds["air_patrol"]["places"] == ["Korea ADIZ"]


def test_allied_bombers_are_a_bomber_flight():
    text = "Two U.S. B-52 bombers flew with Japanese fighters over the Sea of Japan on Wednesday."
    [event] = _events(text)
    assert (event["kind"], event["actors"]) == ("bomber_flight", ["United States", "Japan"])


def test_announced_exercise_is_an_event_but_a_possible_one_is_not():
    announced = "The ministry said the two navies will hold joint drills in the Sea of Japan."
    assert [e["kind"] for e in _events(announced)] == ["naval_exercise"]
    possible = "Analysts say the two navies might hold joint drills in the Sea of Japan."
    assert _events(possible) == []


def test_dev_gold_set_meets_the_targets():
    """The dev set's F1 must not regress below the issue's targets."""
    from geo.evaluate import evaluate, pipeline_extract

    report = evaluate(ROOT / "tests" / "data" / "gold" / "gold.jsonl", pipeline_extract)
    overall = report.overall
    assert overall["places"].f1 >= 0.95
    assert min(overall[k].f1 for k in ("actors", "years", "kinds")) >= 0.90


def test_ships_named_in_the_sentence_before_make_it_a_naval_patrol():
    text = (
        "Five Russian warships left their base on Monday. "
        "Later they entered the Sea of Japan on Tuesday."
    )
    assert [e["kind"] for e in _events(text)] == ["naval_patrol"]


def test_whose_waters_is_not_who_acted():
    text = (
        "A Chinese coast guard vessel entered Japanese territorial waters "
        "around the Senkaku Islands."
    )
    [event] = _events(text)
    assert (event["kind"], event["actors"], event["places"]) == (
        "naval_patrol",
        ["China"],
        ["Senkaku Islands"],
    )


def test_suffixed_exercise_names_and_ship_names_as_actors():
    [drill] = _events("China's Eastern Theater Command launched Joint Sword-2024A around Taiwan.")
    assert (drill["name"], drill["year"], drill["actors"]) == ("Joint Sword-2024A", 2024, ["China"])
    [transit] = _events("The Liaoning carrier group passed through the Bashi Channel on Sunday.")
    assert (transit["kind"], transit["actors"]) == ("naval_patrol", ["China"])


def test_missile_impact_area_and_a_ministry_reporting_its_own_patrol():
    [launch] = _events(
        "North Korea test-fired an ICBM that landed in the Sea of Japan west of Hokkaido."
    )
    assert (launch["kind"], launch["actors"], launch["places"]) == (
        "missile_launch",
        ["North Korea"],
        ["Sea of Japan", "Hokkaido"],
    )
    [patrol] = _events(
        "The Chinese military said it had conducted a joint strategic aerial patrol with Russia "
        "over the East China Sea on Wednesday."
    )
    assert patrol["actors"] == ["China", "Russia"]


def test_a_protesting_government_is_not_an_actor():
    [event] = _events(
        "Japan protested after Chinese coast guard vessels intruded into the waters off the "
        "Senkaku Islands."
    )
    assert event["actors"] == ["China"]
