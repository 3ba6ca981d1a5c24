"""The keyword scan: word boundaries, prefixes, punctuation; agreement with the lexicon regexes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from geo.extraction.context import VOCABULARIES, DocIndex
from geo.extraction.pipeline import matcher_for
from geo.extraction.scan import KeywordIndex, leftmost_longest
from geo.extraction.text import TextForms, lowercase_pattern
from geo.extraction.vocab.lexicon import SIGNALS, keywords_pattern
from geo.gazetteer.places import default_gazetteer

ROOT = Path(__file__).resolve().parents[3]


def _scan(keywords: KeywordIndex, text: str) -> dict[str, list[tuple[int, int, object]]]:
    forms = TextForms.of(text)
    return keywords.scan(forms.folded, forms.blank)


def test_keys_hit_whole_words_only() -> None:
    keywords = KeywordIndex()
    keywords.add("movement", "ran")
    hits = _scan(keywords, "A grant ran out; Ran again.")["movement"]
    assert [(s, e) for s, e, _ in hits] == [(8, 11), (17, 20)]


def test_prefix_keys_extend_to_the_end_of_the_word() -> None:
    keywords = KeywordIndex()
    keywords.add("scramble", "scrambl", prefix=True)
    text = "Japan scrambled jets; scrambling again; unscrambled."
    hits = _scan(keywords, text)["scramble"]
    assert [text[s:e] for s, e, _ in hits] == ["scrambled", "scrambling"]


def test_punctuation_in_a_key_must_match_exactly() -> None:
    keywords = KeywordIndex()
    keywords.add("actor", "u.s.", "United States")
    keywords.add("air", "b-52")
    text = "The U.S. flew a B-52, not a B 52; u s forces."
    found = _scan(keywords, text)
    assert [text[s:e] for s, e, _ in found["actor"]] == ["U.S."]
    assert [text[s:e] for s, e, _ in found["air"]] == ["B-52"]


def test_offsets_survive_curly_quotes_and_non_ascii_text() -> None:
    keywords = KeywordIndex()
    keywords.add("place", "la perouse strait")
    text = "Ships crossed the \u201cLa P\u00e9rouse Strait\u201d \u2014 T\u014dky\u014d said."
    ((start, end, _),) = _scan(keywords, text)["place"]
    assert text[start:end] == "La P\u00e9rouse Strait"


def test_upper_case_keys_are_refused() -> None:
    with pytest.raises(ValueError, match="folded"):
        KeywordIndex().add("actor", "PLA")


def test_leftmost_longest_drops_overlaps_like_a_regex_scan() -> None:
    hits = [(10, 20, "aircraft carrier"), (0, 4, "x"), (19, 26, "carrier"), (10, 18, "aircraft")]
    assert leftmost_longest(hits) == [(0, 4, "x"), (10, 20, "aircraft carrier")]


TABLES = {**VOCABULARIES, **dict(SIGNALS)}


@pytest.mark.parametrize("table", sorted(TABLES))
def test_scan_finds_what_the_regex_of_the_same_vocabulary_finds(table: str) -> None:
    """The keyword tables and the regexes built from them must not drift apart."""
    gazetteer = default_gazetteer()
    pattern = lowercase_pattern(keywords_pattern(TABLES[table]))
    naval = lowercase_pattern(keywords_pattern(TABLES["naval"]))
    air = lowercase_pattern(keywords_pattern(TABLES["air"]))
    paths = sorted((ROOT / "seeds" / "examples").glob("*/*.txt"))
    compared = 0
    for path in paths:
        text = path.read_text(encoding="utf-8")
        forms = TextForms.of(text)
        index = DocIndex.build(forms, matcher_for(gazetteer).find(text, forms), gazetteer)
        expected = [m.span() for m in pattern.finditer(forms.folded)]
        # "aircraft carrier" is a ship, "missile carrier" an aircraft: DocIndex drops the
        # "aircraft" in the one and the "carrier" in the other.
        other = {"air": naval, "naval": air}.get(table)
        if other is not None:
            spans = [m.span() for m in other.finditer(forms.folded)]
            expected = [
                (s, e)
                for s, e in expected
                if not any(a <= s and e <= b for a, b in spans)
                # ... and the craft of an "anti-ship" missile, which was not there.
                and not re.search(r"anti[- ]$", forms.folded[max(0, s - 5) : s])
            ]
        found = index.vocabulary[table] if table in VOCABULARIES else index.signals[table]
        assert found == expected, path.name
        compared += len(expected)
    if table != "bomber_flight":
        assert compared > 0, f"no {table} word in the gold documents: the test proves nothing"


def test_words_that_blank_to_one_key_keep_both_values() -> None:
    """ "Amami Oshima" and "Amami-Oshima" are one automaton key: both must still hit (the
    hyphenated one only where the hyphen is written)."""
    keywords = KeywordIndex()
    keywords.add("place", "amami oshima", "spaced")
    keywords.add("place", "amami-oshima", "hyphenated")
    keywords.add("generated", "amami", "town")
    found = keywords.scan("near amami oshima and amami-oshima")
    assert sorted(found["place"]) == [(5, 17, "spaced"), (22, 34, "hyphenated"), (22, 34, "spaced")]
    assert found["generated"] == [(5, 10, "town"), (22, 27, "town")]
