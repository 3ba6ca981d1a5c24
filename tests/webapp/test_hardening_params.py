"""Hardening of request parameters: malformed numbers, dates and boxes are 400s, never 500s.

Uses the layers in tests/gis/data/layers (as tests/webapp/test_ogc.py does). Every refusal is
the one error shape `{"code", "description", "status"}` on machine paths, a 400 page elsewhere.
"""

from __future__ import annotations

import contextlib
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geo.domain.query import (
    FILTER_PARAMS,
    FeatureQuery,
    parse_bbox,
    parse_datetime,
    parse_int,
    parse_query,
    parse_years,
)
from geo.errors import InvalidParameter
from geo.settings import Settings
from webapp import create_app
from webapp.exports import download_name
from webapp.ogc.openapi import MAX_LIMIT, MAX_OFFSET

LAYERS = Path(__file__).resolve().parents[1] / "gis" / "data" / "layers"
ITEMS = "/ogc/collections/exercises/items"
SUPERSCRIPT_TWO = "%C2%B2"  # '²': str.isdigit() says yes, int() says no
FULLWIDTH_2023 = "%EF%BC%92%EF%BC%90%EF%BC%92%EF%BC%93"  # '２０２３': int() accepts it
FILTER_ENDPOINTS = (
    "/api/layers/exercises.geojson",
    ITEMS,
    "/export/exercises.geojson",
    "/events",
)


@pytest.fixture(scope="module")
def client():
    return create_app(Settings(layers_dir=LAYERS), config={"TESTING": True}).test_client()


def _bad(client, url: str, fragment: str = "") -> str:
    response = client.get(url)
    assert response.status_code == 400, (url, response.status_code, response.data[:300])
    if url.startswith("/events"):
        text = response.get_data(as_text=True)
        assert fragment in text
        return text
    assert response.headers["Content-Type"] == "application/json"
    doc = response.get_json()
    assert set(doc) == {"code", "description", "status"}, doc
    assert doc["code"] == "InvalidParameterValue" and doc["status"] == 400
    assert fragment in doc["description"], doc
    return doc["description"]


# -- 1. numbers: one strict parser, ASCII digits only, ranges checked ---------------------------


@pytest.mark.parametrize("name", ["limit", "offset"])
@pytest.mark.parametrize(
    "value", [SUPERSCRIPT_TWO, "%EF%BC%95", "%D9%A3", "+5", "5%20", "1_0", "0x10", "5.0", ""]
)
def test_paging_numbers_must_be_ascii_digits(client, name, value):
    _bad(client, f"{ITEMS}?{name}={value}", f"'{name}'")


@pytest.mark.parametrize("endpoint", FILTER_ENDPOINTS)
@pytest.mark.parametrize(
    "value",
    [SUPERSCRIPT_TWO * 4, FULLWIDTH_2023, "0999", "0000", "%2B202", "2%C2%B223"],
)
def test_years_must_be_four_ascii_digits_from_1000(client, endpoint, value):
    _bad(client, f"{endpoint}?year={value}", "four-digit years")


def test_limit_is_capped_and_offset_bounded(client):
    huge = "9" * 5000  # longer than int() will convert (sys.int_info.str_digits_check_threshold)
    response = client.get(f"{ITEMS}?limit={huge}")
    assert response.status_code == 200
    assert len(response.get_json()["features"]) == 8
    assert client.get(f"{ITEMS}?limit=0010").status_code == 200
    assert client.get(f"{ITEMS}?offset={MAX_OFFSET}").get_json()["features"] == []
    _bad(client, f"{ITEMS}?offset={MAX_OFFSET + 1}", "'offset'")
    _bad(client, f"{ITEMS}?offset={huge}", "'offset'")


def test_the_strict_integer_parser():
    assert parse_int("0042", "n", minimum=0, maximum=100) == 42
    assert parse_int("7" * 40, "n", minimum=1, maximum=MAX_LIMIT, clamp=True) == MAX_LIMIT
    for text in ("²", "٣", "５", "-1", "+1", " 1", "1 ", "1\n", "", "1e3", "1.0"):
        with pytest.raises(InvalidParameter, match="'n'"):
            parse_int(text, "n", minimum=0, maximum=100)
    with pytest.raises(InvalidParameter, match="at least 1"):
        parse_int("0", "n", minimum=1, maximum=100)
    with pytest.raises(InvalidParameter, match="at most 100"):
        parse_int("101", "n", minimum=1, maximum=100)
    assert parse_years("1000,9999,undated") == frozenset({1000, 9999, None})


def test_valid_years_are_unchanged(client):
    response = client.get(f"{ITEMS}?year=2023,undated&limit=100")
    assert response.status_code == 200
    assert response.get_json()["numberMatched"] > 0


# -- 2. datetimes at the ends of the calendar ------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "0001-01-01T00:00:00%2B14:00",
        "9999-12-31T23:59:59-14:00",
        "0001-01-01T00:00:00%2B00:01/..",
        "../9999-12-31T23:00:00-01:00",
    ],
)
@pytest.mark.parametrize("endpoint", [ITEMS, "/export/exercises.geojson"])
def test_datetimes_outside_the_utc_calendar_are_refused(client, endpoint, value):
    _bad(client, f"{endpoint}?datetime={value}", "'datetime'")


def test_datetimes_just_inside_the_calendar_still_work():
    assert parse_datetime("0001-01-01T00:00:00Z") == (date(1, 1, 1), date(1, 1, 1))
    assert parse_datetime("9999-12-31T23:59:59+14:00") == (date(9999, 12, 31),) * 2
    assert parse_datetime("0001-01-02T00:00:00+14:00/..") == (date(1, 1, 1), None)
    with pytest.raises(InvalidParameter, match="'datetime'"):
        parse_datetime("２０２３-01-01")


# -- 6. six-number bboxes (with heights) -----------------------------------------------------


def test_six_number_bbox_ignores_heights(client):
    assert parse_bbox("120,20,-100,130,36,5000") == (120.0, 20.0, 130.0, 36.0)
    four = client.get(f"{ITEMS}?bbox=120,20,130,36&limit=100").get_json()
    six = client.get(f"{ITEMS}?bbox=120,20,0,130,36,100&limit=100").get_json()
    assert [f["id"] for f in six["features"]] == [f["id"] for f in four["features"]]
    assert four["numberMatched"] > 0
    assert parse_query({"bbox": "1,2,0,3,4,0"}).as_params() == {"bbox": "1,2,3,4"}


@pytest.mark.parametrize(
    "value",
    ["1,2,3", "1,2,3,4,5", "1,2,3,4,5,6,7", "1,2,a,3,4,5", "1,2,nan,3,4,5", "1,2,0,3,95,0",
     "%EF%BC%91,2,3,4", "1e999,2,3,4", "inf,2,3,4"],
)
def test_malformed_bboxes_are_refused(client, value):
    _bad(client, f"{ITEMS}?bbox={value}", "'bbox'")


def test_openapi_bbox_schema_allows_four_or_six_numbers(client):
    schema = client.get("/ogc/api").get_json()["components"]["parameters"]["bbox"]["schema"]
    assert (schema["minItems"], schema["maxItems"]) == (4, 6)
    assert schema["items"] == {"type": "number"}
    assert {(s["minItems"], s["maxItems"]) for s in schema["oneOf"]} == {(4, 4), (6, 6)}


# -- 5. the formats in the OpenAPI document are the formats each endpoint accepts ------------


def _operations(doc: dict):
    params = doc["components"]["parameters"]
    for path, item in doc["paths"].items():
        url = (
            path.replace("{collectionId}", "exercises")
            .replace("{featureId}", "exercises-joint-sea-2022")
        )
        resolved = [
            params[p["$ref"].rsplit("/", 1)[-1]] if "$ref" in p else p
            for p in item["get"]["parameters"]
        ]
        [f_param] = [p for p in resolved if p["name"] == "f"]
        yield path, "/ogc" + url.rstrip("/"), f_param["schema"]["enum"]


def test_every_format_the_openapi_lists_is_accepted_and_no_other(client):
    doc = client.get("/ogc/api").get_json()
    seen = set()
    for path, url, formats in _operations(doc):
        seen.add(path)
        for fmt in ("json", "html", "geojson", "xml"):
            status = client.get(f"{url}?f={fmt}").status_code
            assert status == (200 if fmt in formats else 400), (path, fmt, formats, status)
    assert {"/", "/conformance", "/collections", "/collections/{collectionId}/items"} <= seen


def test_the_html_api_page_names_the_f_parameter(client):
    page = client.get("/ogc/api?f=html").get_data(as_text=True)
    assert "fMetadata" not in page


# -- 4. invisible characters in download names -----------------------------------------------


def test_download_names_drop_invisible_and_control_characters():
    query = FeatureQuery(years=frozenset({2023}))
    for invisible in ("\u202e", "\u2066", "\u200f", "\x00", "\x1b", "\x85", "\u061c"):
        assert download_name(f"exer{invisible}cises", query, "gpkg") == (
            "exercises_year-2023.gpkg"
        )
    assert download_name("exercises", query, "gpkg") == "exercises_year-2023.gpkg"
    assert download_name("zones", FeatureQuery(), "kml") == "zones.kml"


# -- property tests: any text is parsed or refused with InvalidParameter, nothing else -------

_TRICKY = "0123456789²³¹٣٠０５߀,.-+eE:/ TZ_x\u202e"
_text = st.text(alphabet=st.sampled_from(_TRICKY) | st.characters(), max_size=12)
_quiet = settings(derandomize=True, database=None, max_examples=400, deadline=None)


@_quiet
@given(text=_text)
def test_every_filter_parser_refuses_only_with_invalid_parameter(text):
    for param in FILTER_PARAMS:
        with contextlib.suppress(InvalidParameter):
            param.parse(text)
    for clamp in (False, True):
        with contextlib.suppress(InvalidParameter):
            assert 1 <= parse_int(text, "n", minimum=1, maximum=MAX_LIMIT, clamp=clamp) <= MAX_LIMIT


_DAY = timedelta(hours=23, minutes=59)
_offsets = st.builds(timezone, st.timedeltas(min_value=-_DAY, max_value=_DAY))


@_quiet
@given(
    # Anywhere, and near the ends of the calendar, where an offset can carry the UTC day out.
    moment=st.one_of(
        st.datetimes(timezones=_offsets),
        st.datetimes(max_value=datetime(1, 1, 2), timezones=_offsets),
        st.datetimes(min_value=datetime(9999, 12, 30), timezones=_offsets),
    ),
    open_end=st.sampled_from(["", "/..", "../"]),
)
def test_any_rfc3339_moment_gives_a_day_or_a_400(moment, open_end):
    text = moment.isoformat()
    value = f"{text}/.." if open_end == "/.." else f"../{text}" if open_end else text
    try:
        start, end = parse_datetime(value)
    except InvalidParameter as refused:
        assert "outside the years" in str(refused)
        return
    day = start or end
    assert day == moment.astimezone(UTC).date()
