"""The other years a yearly tally of scrambles is compared with, each a total of its own.

"2021年度は1004回だった。前年度の725回から大きく増え、過去最多だった16年度の1168回に次ぐ",
"That is 109 fewer than the 778 recorded in fiscal 2022", "up from 873 scrambles the previous
year": a count given for another year is that year's total, placed like the tally. "The year
before" is the tally's year less one, not the document's.
"""

from __future__ import annotations

import re
from dataclasses import replace

from geo.domain.model import Event, Evidence
from geo.extraction.text import Sentence

_NATIVE = re.compile(
    r"(?:(?P<year>(?:19|20)[0-9０-９]{2})\s*(?:年度|财年|財年|회계연도|년도|年|년)"
    r"|(?P<fiscal>[0-9０-９]{2})\s*(?:年度|财年|財年|년도)"
    r"|(?P<previous>前年度|上年度|上一财年|上一財年|上财年|上財年|前一年|전년도|전년|前年))"
    # Not "2016年以来8回目", "2019年以来第8次": an ordinal since a year is no total of that year.
    r"(?:(?!以来|以來|以降|ぶり|이후|만에|第)[^、。，,]){0,4}?[の的은는이가\s]*"
    r"(?:[0-9０-９][0-9０-９,，]*)\s*(?:回|次|架次|회|차례|번)(?!目|째)"
)
# A count after a word of comparison, then the year it was counted in.
_ENGLISH = re.compile(
    r"\b(?:from|than|of|with|versus)\s+(?:the\s+|a\s+)?(?:record\s+|peak\s+)?\d[\d,]*(?![\d,])"
    r"[^.;]{0,40}?"
    r"(?:\b(?:in|during|for)\s+(?:fiscal\s+(?:year\s+)?|FY\s?)?(?P<year>(?:19|20)\d\d)\b"
    r"|(?P<previous>\bthe\s+(?:previous|prior)\s+(?:fiscal\s+)?year\b|\bthe\s+(?:fiscal\s+)?"
    r"year\s+before\b|\ba\s+year\s+(?:before|earlier)\b))",
    re.IGNORECASE,
)


# A tally's comparison may run into the next sentence ("… 669 times. That is 109 fewer than …").
SENTENCES_AFTER = 1


def compared_years(text: str, year: int | None, lang: str = "en") -> list[int]:
    """The years other than `year` whose count the text gives, in text order."""
    found: list[int] = []
    if year is None:
        return found
    pattern = _ENGLISH if lang == "en" else _NATIVE
    for match in pattern.finditer(text):
        groups = match.groupdict()
        if groups.get("previous"):
            other = year - 1
        elif groups.get("fiscal"):
            other = 2000 + int(groups["fiscal"])
        else:
            other = int(groups["year"])
        if other != year and other not in found and 1950 <= other <= year + 1:
            found.append(other)
    return found


def compared_totals(tally: Event, sentence: Sentence, doc_id: str, lang: str) -> list[Event]:
    """A copy of the tally for each other year the sentence gives a count for."""
    evidence = Evidence(doc_id, sentence.text, sentence.start, sentence.end)
    return [
        replace(
            tally, year=other, date_start=None, date_end=None, evidence=[evidence],
            doc_ids=[doc_id],
        )
        for other in compared_years(sentence.text, tally.year, lang)
    ]
