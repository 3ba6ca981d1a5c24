"""When, in Japanese, Chinese, Korean and Russian: dates, era years and relative years.

2023年7月20日 and 2023년 7월 20일 are explicit; 7月20日, 20日 and a weekday are read against the
document's date (the last such day on or before it); 令和5年 is 2023 and 民國113年 is 2024 (the eras
are in each language's vocabulary file); 昨年, 去年, 작년 and в прошлом году count back from the
document's year. Full-width digits count as digits.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

from geo.extraction.rules.timeref import When, safe_date
from geo.extraction.vocab.native import NativeVocab, native_vocab

_D = "[0-9\uff10-\uff19]"
_CJK_DATE = re.compile(
    rf"(?:(?P<year>{_D}{{4}})\s*[年년]\s*)?(?:(?P<month>{_D}{{1,2}})\s*[月월]\s*)?"
    rf"(?P<day>{_D}{{1,2}})\s*[日일](?![本韓韩语語])"
)
_CJK_MONTH = re.compile(rf"(?:(?P<year>{_D}{{4}})\s*[年년]\s*)?(?P<month>{_D}{{1,2}})\s*[月월](?!{_D})")
_CJK_YEAR = re.compile(rf"(?<!{_D})(?P<year>(?:19|20|１９|２０){_D}{{2}})\s*(?:[年년]|年度|회계연도)")
# "23年度" in a Japanese text about scrambles: the fiscal year 2023.
_SHORT_FISCAL = re.compile(rf"(?<![{_D[1:-1]}])(?P<year>{_D}{{2}})\s*年度")
_ERA_NUMBER = r"\s*(?P<n>元|{d}{{1,3}})\s*年"
# "1980年以来", "2019년 이후", "с 2012 года": the year a comparison counts from, not the year of
# what the sentence reports ("这是2019年以来两军第八次…").
_CJK_SINCE = re.compile(r"\s*(?:以来|以來|以降|이후|만에)")
_RU_SINCE = re.compile(r"(?<!\w)(?:с|со)\s+$")
_RU_YEAR = re.compile(r"(?<!\d)(?P<year>(?:19|20)\d\d)(?:\s*г(?:од\w*|\.)?)?(?!\d)")


def _int(text: str) -> int:
    return int(text)  # int() reads full-width digits too


def _before(published: date, month: int | None, day: int) -> date | None:
    """The last date with this (month and) day on or before the document's date."""
    if month is None:
        candidate = safe_date(published.year, published.month, day)
        if candidate is None or candidate > published + timedelta(days=1):
            previous = published.replace(day=1) - timedelta(days=1)
            candidate = safe_date(previous.year, previous.month, day)
        return candidate
    candidate = safe_date(published.year, month, day)
    if candidate is not None and candidate > published + timedelta(days=7):
        candidate = safe_date(published.year - 1, month, day)
    return candidate


def _dates(
    text: str, vocab: NativeVocab, published: date | None
) -> list[tuple[date, int | None, int]]:
    """Each date with the month and day as written (the month None where only a day is)."""
    found: list[tuple[date, int | None, int]] = []
    if vocab.lang == "ru":
        for match in _cues(vocab).ru_date.finditer(text.lower()):
            month = next(i for i, m in enumerate(vocab.months, 1) if match.group(2) == m)
            day = int(match.group(1))
            if match.group(3):
                made = safe_date(int(match.group(3)), month, day)
            else:
                made = _before(published, month, day) if published else None
            if made:
                found.append((made, month, day))
        return found
    for match in _CJK_DATE.finditer(text):
        day = _int(match.group("day"))
        month = _int(match.group("month")) if match.group("month") else None
        if match.group("year") and month:
            made = safe_date(_int(match.group("year")), month, day)
        elif published:
            made = _before(published, month, day)
        else:
            made = None
        # The first date, right after who announced it, when the sentence gives another.
        announcement = (
            not found
            and _announced(text, match.start(), match.end())
            and _CJK_DATE.search(text, match.end()) is not None
        )
        if made and not announcement:
            found.append((made, month, day))
    return found


def _announced(text: str, start: int, end: int) -> bool:
    """"防衛省は5日、…先月29日…": the day a release came out, right after who released it,
    not the day of what it reports (read only where the sentence gives another)."""
    before = text[max(0, start - 2) : start]
    return text[end : end + 1] in ("、", ",") and (before.endswith("は") or before in ("는 ", "은 "))


def _weekday(text: str, vocab: NativeVocab, published: date | None) -> date | None:
    if published is None:
        return None
    for index, names in enumerate(vocab.weekdays):
        if any(name in text for name in names):
            return published - timedelta(days=(published.weekday() - index) % 7)
    return None


def western_years(text: str, vocab: NativeVocab) -> str:
    """令和5年 as 2023年, 民國113年 as 2024年 (for reading the year, not for offsets)."""
    for era, base in vocab.eras.items():
        if era in text:
            text = re.sub(
                re.escape(era) + _ERA_NUMBER.format(d=_D),
                lambda m, base=base: f"{base + (1 if m.group('n') == '元' else _int(m.group('n')))}年",
                text,
            )
    return text


def _years(text: str, vocab: NativeVocab, reference: int | None) -> list[int]:
    years: list[int] = []
    if vocab.lang == "ru":
        years += [
            int(m.group("year"))
            for m in _RU_YEAR.finditer(text)
            if not _RU_SINCE.search(text, max(0, m.start() - 4), m.start())
        ]
    else:
        years += [
            _int(m.group("year"))
            for m in _CJK_YEAR.finditer(text)
            if not _CJK_SINCE.match(text, m.end())
        ]
        years += [2000 + _int(m.group("year")) for m in _SHORT_FISCAL.finditer(text)]
    if reference is not None and vocab.relative_years:
        found = _cues(vocab).relative.search(text.lower())
        if found:
            years.append(reference + vocab.relative_years[found.group(0)])
    return years


@dataclass(frozen=True)
class _Cues:
    relative: re.Pattern[str]  # the relative years, longest first
    any: re.Pattern[str]  # anything that can say when: a digit, an era, a relative year, a day
    ru_date: re.Pattern[str]


def _cues(vocab: NativeVocab) -> _Cues:
    return _compiled_cues(vocab.lang)


@cache
def _compiled_cues(lang: str) -> _Cues:
    """Per language, compiled once: the regexes that find its time words."""
    vocab = native_vocab(lang)
    relative = "|".join(re.escape(p) for p in sorted(vocab.relative_years, key=len, reverse=True))
    words = [*vocab.relative_years, *vocab.eras, *(n for day in vocab.weekdays for n in day)]
    cue = "|".join([_D, *(re.escape(w) for w in sorted(words, key=len, reverse=True))])
    months = "|".join(re.escape(m) for m in vocab.months) or "(?!)"
    return _Cues(
        re.compile(relative or "(?!)"),
        re.compile(cue, re.IGNORECASE),
        re.compile(rf"(?<!\d)(\d{{1,2}})(?:\s*[-–]\s*\d{{1,2}})?\s+({months})\w*(?:\s+(\d{{4}}))?"),
    )


def resolve(text: str, vocab: NativeVocab, published: date | None, reference: int | None) -> When:
    """The year (and dates) a sentence speaks of; year None when it says nothing of time."""
    if not _cues(vocab).any.search(text):
        return When(None)  # most sentences say nothing of time
    text = western_years(text, vocab)
    written = _dates(text, vocab, published)
    years = _years(text, vocab, reference)
    if years:
        year = years[0]
        dated = [d if d.year == year else safe_date(year, m or d.month, n) for d, m, n in written]
        kept = [d for d in dated if d is not None and d.year == year]
        return When(year, min(kept, default=None), max(kept, default=None), True)
    dates = [d for d, _, _ in written]
    if dates:
        first = dates[0].year
        same = [d for d in dates if d.year == first]
        return When(first, min(same), max(same), True)
    day = _weekday(text, vocab, published)
    if day is not None:
        return When(day.year, day, day, True)
    for month_match in _CJK_MONTH.finditer(text) if vocab.lang != "ru" else ():
        month = _int(month_match.group("month"))
        if month_match.group("year"):
            return When(_int(month_match.group("year")), explicit=True)
        if published and 1 <= month <= 12:
            year = published.year if month <= published.month + 1 else published.year - 1
            return When(year, explicit=True)
    return When(None)
