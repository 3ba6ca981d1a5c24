"""Which language a document is in, from the share of each script in its letters.

Script alone separates the five languages drillmap reads: kana means Japanese (Japanese text
mixes kana into its Han characters), Hangul Korean, Han without kana Chinese, Cyrillic Russian,
anything else English. Counting is a few C-level regex passes, so it costs nothing beside
extraction.
"""

from __future__ import annotations

import re

LANGUAGES: tuple[str, ...] = ("en", "ja", "zh", "ko", "ru")
LANGUAGE_NAMES: dict[str, str] = {
    "en": "English",
    "ja": "Japanese",
    "zh": "Chinese",
    "ko": "Korean",
    "ru": "Russian",
}
NATIVE_LANGUAGES: tuple[str, ...] = ("ja", "zh", "ko", "ru")

_KANA = re.compile(r"[\u3041-\u309f\u30a0-\u30ff\u31f0-\u31ff\uff66-\uff9f]")
_HANGUL = re.compile(r"[\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f]")
_HAN = re.compile(r"[\u4e00-\u9fff\u3400-\u4dbf\uf900-\ufaff]")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LATIN = re.compile(r"[A-Za-z]")
# Japanese prose is a third kana or more (a headline a tenth); a Chinese text quoting one
# Japanese name in kana stays Chinese.
_KANA_SHARE = 0.1
# A language's script must hold this share of the letters to outweigh the English around it.
_MIN_SHARE = 0.3


def script_counts(text: str) -> dict[str, int]:
    """Letters per script: kana, hangul, han, cyrillic, latin."""
    return {
        "kana": len(_KANA.findall(text)),
        "hangul": len(_HANGUL.findall(text)),
        "han": len(_HAN.findall(text)),
        "cyrillic": len(_CYRILLIC.findall(text)),
        "latin": len(_LATIN.findall(text)),
    }


def detect_language(text: str) -> str:
    """The document's language code (one of LANGUAGES), by the share of each script."""
    if text.isascii():
        return "en"
    counts = script_counts(text)
    # A Latin letter counts a third (a Han character or a Hangul syllable is about a word):
    # "H-6K" or "KADIZ" in a Korean sentence is one word, "日本海" in an English one three.
    latin = counts["latin"] / 3
    total = latin + counts["kana"] + counts["hangul"] + counts["han"] + counts["cyrillic"]
    if not total:
        return "en"
    cjk = counts["kana"] + counts["han"]
    shares = {
        "ko": counts["hangul"] / total,
        "ru": counts["cyrillic"] / total,
        "cjk": cjk / total,
    }
    best = max(shares, key=lambda k: shares[k])
    if shares[best] < _MIN_SHARE:
        return "en"
    if best != "cjk":
        return best
    return "ja" if counts["kana"] >= _KANA_SHARE * cjk else "zh"


def parse_language(value: str) -> str:
    """A language code given by a person (`--lang ja`, a form field); ValueError if unknown."""
    code = value.strip().lower()
    if code not in LANGUAGES:
        raise ValueError(f"unknown language {value!r}; known: {', '.join(LANGUAGES)}")
    return code
