"""Years and dates, explicit and relative to the document's date."""

from datetime import date

import pytest

from geo.extraction.rules.timeref import resolve

PUBLISHED = date(2023, 7, 21)  # a Friday


@pytest.mark.parametrize(
    ("clause", "year"),
    [
        ("they held at least five exercises last year", 2022),
        ("the first joint exercise near Japan this year", 2023),
        ("bombers flew over the Sea of Japan in 2019", 2019),
        ("scrambled 669 times in the fiscal year 2023", 2023),
        ("a year earlier, ships sailed through the strait", 2022),
        ("no date at all", None),
        ("between 2014 and 2023 they held many exercises", None),
        # A month without a day: this year's if it has come, else last year's.
        ("In June, Chinese bombers flew near Japan", 2023),
        ("the drills China staged in August", 2022),
        ("the patrol they flew last July", 2022),
        ("In May last year, warplanes flew close to Japan", 2022),
        ("a record 1,168 scrambles in the year that ended on March 31", 2022),
        # A year after "since" is a reference point, not the event's date ...
        (
            "two ships entered the waters on Tuesday, the longest stay since Japan bought the "
            "islands in 2012",
            2023,
        ),
        # ... unless a "when" says what happened then, or nothing else dates the clause.
        ("Since 2021 the two navies have also sailed together around Japan", 2021),
        ("the first violation since September 2015, when an aircraft entered the airspace", 2015),
        # The day a ministry spoke is not the day of the event.
        (
            "scrambled 785 times from April to December last year, the ministry said on Tuesday",
            2022,
        ),
    ],
)
def test_years(clause: str, year: int | None):
    assert resolve(clause, PUBLISHED, PUBLISHED.year).year == year


def test_weekday_is_the_latest_one_on_or_before_publication():
    when = resolve("On Thursday the drills began", PUBLISHED, 2023)
    assert (when.start, when.end) == (date(2023, 7, 20), date(2023, 7, 20))


def test_begun_on_a_weekday_lasting_until_a_date_gives_a_range():
    when = resolve("On Thursday drills began and would last until Sunday July 23.", PUBLISHED, 2023)
    assert (when.year, when.start, when.end) == (2023, date(2023, 7, 20), date(2023, 7, 23))


def test_day_range_takes_the_documents_year():
    when = resolve("exercises on July 20-23 in the Sea of Japan", PUBLISHED, 2023)
    assert (when.start, when.end) == (date(2023, 7, 20), date(2023, 7, 23))


def test_relative_year_without_a_document_date_stays_unknown():
    assert resolve("exercises last year", None, None).year is None


def test_the_day_of_the_report_gives_no_date():
    when = resolve("fighters were scrambled, the ministry said on Tuesday", PUBLISHED, 2023)
    assert (when.year, when.start) == (None, None)


def test_may_the_modal_verb_is_no_month():
    assert resolve("the drills may resume soon", PUBLISHED, 2023).year is None
