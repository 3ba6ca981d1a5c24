"""The other years a yearly tally of scrambles is compared with (`geo.extraction.rules.tallies`)."""

import pytest

from geo.extraction.rules.tallies import compared_years


@pytest.mark.parametrize(
    ("text", "lang", "year", "expected"),
    [
        ("前年度の725回から増え、過去最多だった16年度の1168回に次ぐ", "ja", 2021, [2020, 2016]),
        ("比上一财年的725次增加，仅次于2016财年的1168次", "zh", 2021, [2020, 2016]),
        ("전년도 725회보다 늘었다", "ko", 2021, [2020]),
        # An ordinal since a year is no total of that year.
        ("2016年以来8回目の飛行", "ja", 2024, []),
        ("这是2019年以来第8次", "zh", 2024, []),
        ("2019년 이후 8번째", "ko", 2024, []),
        ("That is 109 fewer than the 778 recorded in fiscal 2022", "en", 2023, [2022]),
        ("up from 873 scrambles the previous year", "en", 2016, [2015]),
        ("the first time since February 2008", "en", 2023, []),
    ],
)
def test_compared_years(text, lang, year, expected):
    assert compared_years(text, year, lang) == expected
