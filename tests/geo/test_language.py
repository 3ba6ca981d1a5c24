"""Which language a document is in, by the share of each script."""

from __future__ import annotations

import pytest

from geo.domain.language import detect_language, parse_language


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Chinese and Russian bombers flew over the Sea of Japan.", "en"),
        ("中国海軍の艦艇が日本海で演習を行った。", "ja"),
        ("中俄两国空军在日本海上空联合巡航。", "zh"),
        ("共機計32架次進入我西南空域。", "zh"),  # Traditional
        ("중국 군용기가 카디즈에 진입했다.", "ko"),
        ("Корабли провели учения в Японском море.", "ru"),
        # Mixed documents go by share: a Korean sentence quoting "H-6K" and "KADIZ" is Korean.
        ("중국 H-6K 폭격기 2대가 KADIZ에 진입했다고 합참이 밝혔다.", "ko"),
        ("The ministry called it 日本海 in its release; the ships sailed on.", "en"),
        # A Chinese text that quotes one Japanese name with its kana stays Chinese.
        (
            "据日本防卫省通报，中国海军舰艇编队经过宫古海峡进入西太平洋，日方称之为「みやこ」。",
            "zh",
        ),
        ("", "en"),
        ("2023-07-20 12:00", "en"),
    ],
)
def test_language_is_the_script_with_the_largest_share(text, lang):
    assert detect_language(text) == lang


def test_a_given_language_is_checked():
    assert parse_language(" JA ") == "ja"
    with pytest.raises(ValueError, match="unknown language 'xx'"):
        parse_language("xx")
