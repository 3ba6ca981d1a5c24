"""The search query model: words, "phrases" and prefix* parsed; anything else is only text."""

from __future__ import annotations

import pytest

from geo.domain.search import (
    MAX_QUERY_CHARS,
    SearchEntry,
    Term,
    marked_parts,
    merge_spans,
    parse_search,
    search_entries,
    snippet,
    substring_spans,
)
from geo.errors import InvalidParameter


def _terms(text: str) -> list[tuple[tuple[str, ...], bool]]:
    return [(t.words, t.prefix) for t in parse_search(text).terms]


def test_words_phrases_and_prefixes():
    assert _terms('warships "Tsugaru Strait" bomb*') == [
        (("warships",), False),
        (("Tsugaru", "Strait"), False),
        (("bomb",), True),
    ]
    assert _terms('"long range bomb"*') == [(("long", "range", "bomb"), True)]
    assert _terms("Jeju-do") == [(("Jeju", "do"), False)]  # kept together, as a phrase


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ('"Tsugaru Strait', [(("Tsugaru", "Strait"), False)]),  # an unclosed quote
        ("NEAR(Russia China)", [(("NEAR", "Russia"), False), (("China",), False)]),
        ("-Russia OR China", [(("Russia",), False), (("OR",), False), (("China",), False)]),
        ("bomb **", [(("bomb",), False)]),
        (
            "'; DROP TABLE entries; --",
            [(("DROP",), False), (("TABLE",), False), (("entries",), False)],
        ),
        ("warships warships", [(("warships",), False)]),
    ],
)
def test_operators_and_sql_are_only_text(typed, expected):
    assert _terms(typed) == expected


@pytest.mark.parametrize("typed", ["", "   ", None, '"', "*", ")", "-", "( ) - * ^", "\"\"*"])
def test_nothing_to_look_for_is_refused(typed):
    with pytest.raises(InvalidParameter):
        parse_search(typed)


def test_over_long_query_is_refused_with_its_length():
    with pytest.raises(InvalidParameter, match="10000 characters"):
        parse_search("x" * 10_000)
    assert parse_search("x" * MAX_QUERY_CHARS).terms == (Term(("x" * MAX_QUERY_CHARS,)),)


def test_cjk_terms_are_substrings():
    query = parse_search("東京湾 Tokyo 훈련")
    assert [t.cjk for t in query.terms] == [True, False, True]


def test_substring_spans_keep_offsets_when_case_folding_changes_length():
    text = "İstanbul STRASSE straße Straße"
    assert substring_spans(text, "straße") == [(17, 23), (24, 30)]
    assert substring_spans("東京と東京湾", "東京") == [(0, 2), (3, 5)]


def test_merge_and_snippet_marks():
    assert merge_spans([(5, 9), (0, 3), (8, 12)]) == [(0, 3), (5, 12)]
    text = "word " * 100 + "Tsugaru Strait" + " word" * 100
    start = text.index("Tsugaru")
    cut = snippet(text, [(start, start + 14)])
    assert cut.cut_before and cut.cut_after
    (mark,) = cut.marks
    assert cut.text[mark[0] : mark[1]] == "Tsugaru Strait"
    assert marked_parts("a <b> c", [(2, 5)]) == [("a ", False), ("<b>", True), (" c", False)]


def test_entries_hold_documents_and_evidence_with_their_offsets():
    feature = {
        "id": "exercises-1",
        "properties": {
            "title": "Drill",
            "evidence": [{"doc_id": "d1", "text": "Ships sailed.", "start": 6, "end": 19}],
        },
    }
    entries = search_entries(
        [{"id": "d1", "title": "T"}, {"id": "d2"}],
        {"d1": "Intro Ships sailed."},
        {"exercises": [feature]},
        ["exercises"],
    )
    assert entries == [
        SearchEntry("document", "d1", "T", "Intro Ships sailed."),
        SearchEntry("document", "d2", "d2", ""),
        SearchEntry("evidence", "d1", "Drill", "Ships sailed.", 6, "exercises-1", "exercises"),
    ]


def test_too_many_terms_are_refused():
    with pytest.raises(InvalidParameter, match="21 terms"):
        parse_search(" ".join(f"w{i}" for i in range(21)))
    assert len(parse_search(" ".join(f"w{i}" for i in range(20))).terms) == 20
