"""When: years and dates in a clause, explicit or relative to the document's date."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from geo.extraction.text import fold

MONTHS = {
    name: index
    for index, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

_MONTH = r"(?P<month>January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?"
_YEAR = re.compile(r"(?<![\w/-])(19[5-9]\d|20[0-4]\d)(?![\w-])")
# "between 2014 and 2023", "2014-2023", "from 2019 to 2023": a span of years, not an event's year
# ("in 2017 and 2018" is two years).
# "the longest stay since Japan nationalized the islands in 2012", "the first since 2019": a
# reference point, not when the clause's event happened.
# ("since September 2015, when an aircraft … was confirmed": the "when" is that event's date.)
_SINCE_YEAR = re.compile(r"\bsince\b[^,;.]{0,60}?\b(?:19|20)\d\d\b(?!,?\s+when\b)", re.I)
_RANGE_OF_YEARS = re.compile(
    r"\b(?:between\s+(?:19|20)\d\d\s+and|(?:from\s+)?(?:19|20)\d\d\s*(?:-|\u2013|to))"
    r"\s*(?:19|20)\d\d\b",
    re.I,
)
_MONTH_DAYS = re.compile(
    _MONTH
    + r"\s+(?P<d1>\d{1,2})(?:\s*(?:-|–|to|and|through)\s*(?:"
    + _MONTH.replace("?P<month>", "?P<month2>")
    + r"\s+)?(?P<d2>\d{1,2}))?(?:st|nd|rd|th)?(?:,?\s+(?P<year>(?:19|20)\d\d))?\b"
)
_DAY_MONTH = re.compile(r"\b(?P<d1>\d{1,2})\s+" + _MONTH + r"(?:\s+(?P<year>(?:19|20)\d\d))?\b")
_WEEKDAY = re.compile(r"\b(?P<day>" + "|".join(WEEKDAYS) + r")\b")  # on folded text
_RELATIVE_YEAR = re.compile(
    r"\b(?P<which>last|this|previous|past|next|the previous)\s+year\b|\bearlier this year\b|"
    r"\b(?:a|the) year (?:ago|earlier|before)\b"
)
_RELATIVE_MONTH = re.compile(r"\b(?P<which>last|this|earlier this|next)\s+month\b")
# Patterns without an upper-case letter run on the folded clause (faster than re.IGNORECASE).
# Cheap tests say whether a rule can match at all: most clauses carry no date.
_DIGIT = re.compile(r"\d")
_YEAR_LIKE = re.compile(r"(?:19|20)\d\d")
_MONTH_STEMS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
# "the ministry said on Tuesday", "announced Monday": when it was said.
_REPORTED_ON = re.compile(
    r"\b(?:said|says|announced|reported|stated|added|told \w+|disclosed|revealed)\s+(?:on\s+)?"
    r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b"
)
# "in August", "last August", "since mid-September" (a month without a day); on folded text,
# so the month's capital is checked in the clause itself ("in may" is no month).
_MONTH_ONLY = re.compile(
    r"\b(?:(?P<last>last)\s+|(?:in|since|during|early|late|mid-?|until|through|by|from)\s+)"
    r"(?P<month>january|february|march|april|may|june|july|august|september|october|november|"
    r"december|sept?\.?|oct\.|nov\.|dec\.|jan\.|feb\.|aug\.)(?![\w-])(?!\s+\d)"
)
# A day before a month ("4 October"): a cheap test before the full pattern.
_DAY_THEN_MONTH = re.compile(r"\d\s+[JFMASOND]")
# "in the year that ended on March 31" (a Japanese fiscal year).
_FISCAL_ENDED = re.compile(
    r"\byear\s+(?:that\s+|which\s+)?end(?:ed|ing|s)\s+(?:on\s+|in\s+)?march\b"
)
_FISCAL = re.compile(r"\b(?:fiscal(?: year)?\s+|fy\s?)((?:19|20)\d\d)\b")


@dataclass(frozen=True)
class When:
    year: int | None
    start: date | None = None
    end: date | None = None
    explicit: bool = False


def safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _month_only(clause: str, folded: str) -> re.Match[str] | None:
    for match in _MONTH_ONLY.finditer(folded):
        if clause[match.start("month")].isupper():
            return match
    return None


def _month_before(published: date, match: re.Match[str]) -> When:
    """ "in August" in a September story is this year's; "last August" in April, last year's."""
    month = MONTHS[match.group("month").lower().rstrip(".")]
    latest = month < published.month or (month == published.month and not match.group("last"))
    year = published.year if latest else published.year - 1
    return When(year, explicit=True)


def _weekday_before(reference: date, weekday: str) -> date:
    """The latest such weekday on or before the reference date (news reports the recent past)."""
    delta = (reference.weekday() - WEEKDAYS.index(weekday.lower())) % 7
    return reference - timedelta(days=delta)


@dataclass(frozen=True)
class _Clause:
    """A clause, its folded form, and what it holds that the rules need."""

    text: str  # year ranges blanked out
    folded: str
    has_digits: bool
    relative_year: re.Match[str] | None

    @classmethod
    def of(cls, clause: str) -> _Clause:
        folded = fold(clause)
        has_digits = _DIGIT.search(clause) is not None
        if has_digits and len(_YEAR_LIKE.findall(clause)) >= 2:
            clause = _RANGE_OF_YEARS.sub(lambda m: " " * len(m.group(0)), clause)
        if has_digits and "since" in folded:
            clause = _without_reference_years(clause)
        relative = _RELATIVE_YEAR.search(folded) if "year" in folded else None
        return cls(clause, folded, has_digits, relative)


def _without_reference_years(clause: str) -> str:
    """The clause with its "since <year>" blanked, if another date is left to date it ("on
    Tuesday, the longest stay since 2012"); "Since 2021 the navies have sailed together"
    keeps its only year."""
    blanked = _SINCE_YEAR.sub(lambda m: " " * len(m.group(0)), clause)
    if blanked == clause:
        return clause
    folded = fold(blanked)
    dated = _YEAR.search(blanked) or _WEEKDAY.search(folded) or _RELATIVE_YEAR.search(folded)
    dated = dated or _MONTH_DAYS.search(blanked) or _month_only(blanked, folded)
    return blanked if dated else clause


def resolve(clause: str, published: date | None, reference_year: int | None) -> When:
    """The year (and dates, when stated) a clause speaks of.

    Each rule runs only if the clause holds what it needs (a digit, a month or day name, "year",
    "month"): most clauses carry no date, and this runs for every event.
    """
    parsed = _Clause.of(clause)
    folded = parsed.folded
    fiscal_hint = "fiscal" in folded or "fy" in folded
    fiscal = _FISCAL.search(folded) if parsed.has_digits and fiscal_hint else None
    if fiscal:
        return When(int(fiscal.group(1)), explicit=True)
    ended = _FISCAL_ENDED.search(folded) if "march" in folded else None
    if ended and published is not None:
        # Japan's fiscal year runs April-March and is named by the year it starts in.
        march_year = published.year if published.month >= 3 else published.year - 1
        return When(march_year - 1, explicit=True)
    dates = _dates(parsed, published, reference_year)
    if dates is not None:
        return dates
    years = [int(y) for y in _YEAR.findall(parsed.text)] if parsed.has_digits else []
    if years:
        return When(years[-1] if len(set(years)) > 1 else years[0], explicit=True)
    relative = parsed.relative_year
    if relative and reference_year is not None:
        which = relative.group("which") or ""
        phrase = relative.group(0)
        if (
            which in ("last", "previous", "the previous")
            or "ago" in phrase
            or "before" in phrase
            or ("earlier" in phrase and "this" not in phrase)
        ):
            return When(reference_year - 1, explicit=True)
        if which == "next":
            return When(reference_year + 1, explicit=True)
        return When(reference_year, explicit=True)
    month = _RELATIVE_MONTH.search(folded) if "month" in folded else None
    if month and published is not None:
        which = month.group("which")
        shifted = published.replace(day=1) - timedelta(days=1) if which == "last" else published
        return When(shifted.year, explicit=True)
    return When(None)


def _dates(parsed: _Clause, published: date | None, reference_year: int | None) -> When | None:
    clause, folded = parsed.text, parsed.folded
    has_month = any(month in folded for month in _MONTH_STEMS)
    with_day = has_month and parsed.has_digits
    match = _MONTH_DAYS.search(clause) if with_day else None
    if match is None and with_day and _DAY_THEN_MONTH.search(clause):
        match = _DAY_MONTH.search(clause)
    weekday = _WEEKDAY.search(folded) if "day" in folded else None
    if weekday and _REPORTED_ON.search(folded, 0, weekday.end()):
        weekday = None  # "the ministry said on Tuesday": the day of the report, not of the event
    if match is None:
        # An explicit or relative year ("April-December 2021", "May last year") outranks a month
        # alone or the weekday.
        dated = parsed.relative_year is not None or (
            parsed.has_digits and _YEAR.search(clause) is not None
        )
        month_only = _month_only(clause, folded) if has_month else None
        if month_only and published is not None and not dated:
            return _month_before(published, month_only)
        if weekday and published is not None and not dated:
            day = _weekday_before(published, weekday.group("day"))
            return When(day.year, day, day, explicit=True)
        return None
    year = int(match.group("year")) if match.group("year") else reference_year
    if year is None:
        return None
    if not match.group("year") and re.match(r",?\s+(?:of\s+)?last year\b", clause[match.end() :]):
        year -= 1  # "on December 18 of last year"
    month = MONTHS[match.group("month").lower().rstrip(".")]
    month2_text = match.groupdict().get("month2")
    month2 = MONTHS[month2_text.lower().rstrip(".")] if month2_text else month
    end_day = match.groupdict().get("d2")
    end = safe_date(year, month2, int(end_day)) if end_day else None
    start = safe_date(year, month, int(match.group("d1")))
    if weekday and published is not None and end_day is None:
        # "began on Thursday and would last until Sunday July 23": Thursday starts, July 23 ends.
        other = _weekday_before(published, weekday.group("day"))
        if start is not None and other < start:
            start, end = other, start
    if start is None:
        return None
    return When(year, start, end or start, explicit=True)
