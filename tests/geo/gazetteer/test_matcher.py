"""Place matching: aliases resolve, the longest name wins, boundaries hold."""

from geo.gazetteer.matcher import PlaceMatcher
from geo.gazetteer.places import default_gazetteer


def _found(text: str) -> list[tuple[str, str]]:
    matcher = PlaceMatcher(default_gazetteer())
    return [(m.place_id, text[m.start : m.end]) for m in matcher.find(text)]


def test_aliases_resolve_to_one_place():
    assert _found("drills in the East Sea") == [("sea-of-japan", "East Sea")]
    assert _found("ships near the Diaoyu Islands") == [("senkaku-islands", "Diaoyu Islands")]
    assert _found("waters off Diaoyutai") == [("senkaku-islands", "Diaoyutai")]


def test_longest_match_wins_over_the_country_inside_a_sea():
    assert _found("in the Sea of Japan") == [("sea-of-japan", "Sea of Japan")]
    assert _found("the East China Sea") == [("east-china-sea", "East China Sea")]


def test_mentions_carry_offsets_into_the_original_text():
    text = "Bombers flew over the Sea of Japan."
    [(place_id, surface)] = _found(text)
    assert (place_id, surface) == ("sea-of-japan", "Sea of Japan")
    mention = PlaceMatcher(default_gazetteer()).find(text)[0]
    assert (mention.start, mention.end) == (22, 34)


def test_words_inside_other_words_do_not_match():
    assert _found("Japanese officials and Chinatown") == []


def test_case_sensitive_alias_does_not_match_a_pronoun():
    assert ("united-states", "us") not in _found("let us see")
    assert _found("the US said") == [("united-states", "US")]


def test_elided_coordination_yields_both_zones():
    ids = [place_id for place_id, _ in _found("close to Japanese and South Korean airspace")]
    assert ids == ["japan-adiz", "korea-adiz"]


def test_curly_apostrophes_and_dashes_are_folded():
    assert _found("Russia\u2019s navy in the Sea of Japan")[-1] == ("sea-of-japan", "Sea of Japan")


def test_an_island_group_is_also_its_island_chain():
    assert _found("The rocket flew over the Sakishima island chain.") == [
        ("sakishima-islands", "Sakishima island chain")
    ]


def test_a_spaced_name_and_its_hyphenated_alias_both_match():
    assert _found("near Amami Oshima, then Amami-Oshima") == [
        ("amami-oshima", "Amami Oshima"),
        ("amami-oshima", "Amami-Oshima"),
    ]
