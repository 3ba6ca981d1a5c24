"""Sentence splitting keeps exact offsets and bounds the length of what the rules see."""

from __future__ import annotations

from geo.extraction.text import MAX_SENTENCE_CHARS, split_sentences


def test_a_run_without_sentence_ends_is_cut_into_bounded_pieces_at_spaces():
    table = " ".join(f"row{i} H-6 Sea of Japan" for i in range(800))  # one line, no full stop
    text = f"{table}\nRussian bombers flew over the Sea of Japan."
    sentences = split_sentences(text)
    assert len(sentences) > 2
    assert max(len(s.text) for s in sentences) <= MAX_SENTENCE_CHARS
    assert all(text[s.start : s.end] == s.text for s in sentences)
    assert all(not s.text.startswith(" ") and not s.text.endswith(" ") for s in sentences)
    assert " ".join(s.text for s in sentences[:-1]) == table  # cut at spaces, nothing lost
    assert sentences[-1].text == "Russian bombers flew over the Sea of Japan."
