"""Text helpers that keep character offsets intact: normalisation, sentences, clauses."""

from __future__ import annotations

import re
from dataclasses import dataclass

# One-to-one replacements, so an offset in the normalised text is an offset in the original.
_FOLD = str.maketrans(
    {
        "\u2019": "'",
        "\u2018": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2011": "-",
        "\u00a0": " ",
        "\u00e9": "e",
    }
)


def fold(text: str) -> str:
    """Lower-case and unify quotes/dashes without changing the length of the text."""
    translated = text.translate(_FOLD)
    lowered = translated.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(ch.lower() if len(ch.lower()) == 1 else ch for ch in translated)


def fold_case_kept(text: str) -> str:
    """Unify quotes/dashes only (for case-sensitive matching)."""
    return text.translate(_FOLD)


@dataclass(frozen=True)
class Sentence:
    text: str
    start: int
    end: int
    line_heading: str | None  # "Future Scenario" for a line that starts "Future Scenario: ..."


_ABBREVIATIONS = frozenset(
    {
        "u.s.",
        "u.k.",
        "u.n.",
        "gen.",
        "adm.",
        "col.",
        "lt.",
        "maj.",
        "capt.",
        "sgt.",
        "mr.",
        "mrs.",
        "ms.",
        "dr.",
        "st.",
        "no.",
        "vs.",
        "etc.",
        "inc.",
        "corp.",
        "jan.",
        "feb.",
        "mar.",
        "apr.",
        "aug.",
        "sep.",
        "sept.",
        "oct.",
        "nov.",
        "dec.",
        "rep.",
        "sen.",
        "gov.",
        "cmdr.",
    }
)
_SENTENCE_END = re.compile(r"[.!?][\"'\u201d\u2019)\]]*(?=\s+[\"'\u201c\u2018(\[]?[A-Z0-9])")
_HEADING = re.compile(r"^\s*([A-Z][^:\n.]{0,60}):\s")


def _split_line(line: str, offset: int, heading: str | None) -> list[Sentence]:
    sentences: list[Sentence] = []
    start = 0
    for match in _SENTENCE_END.finditer(line):
        end = match.end()
        words = line[start:end].lower().split()
        last_word = words[-1].lstrip("\"'(") if words else ""
        if last_word in _ABBREVIATIONS and last_word != "u.s.":
            continue
        if last_word == "u.s." and not re.match(r"\s+(The|This|It|In|On|A|An)\b", line[end:]):
            continue
        sentences.append(_make(line, start, end, offset, heading))
        start = end
    if line[start:].strip():
        sentences.append(_make(line, start, len(line), offset, heading))
    return sentences


def _make(line: str, start: int, end: int, offset: int, heading: str | None) -> Sentence:
    raw = line[start:end]
    lead = len(raw) - len(raw.lstrip())
    trail = len(raw) - len(raw.rstrip())
    s, e = start + lead, end - trail
    return Sentence(text=line[s:e], start=offset + s, end=offset + e, line_heading=heading)


def split_sentences(text: str) -> list[Sentence]:
    """Sentences with offsets; a line's "Heading:" prefix is recorded on its sentences."""
    sentences: list[Sentence] = []
    offset = 0
    for line in text.split("\n"):
        heading_match = _HEADING.match(line)
        heading = heading_match.group(1).strip() if heading_match else None
        if line.strip():
            sentences.extend(_split_line(line, offset, heading))
        offset += len(line) + 1
    return sentences


_CLAUSE_BREAK = re.compile(
    r",\s+(?:but|while|whereas|although)\s+|;\s+|\s+but\s+(?=according|also|it|they|the|russia|china)",
    re.IGNORECASE,
)


def split_clauses(sentence: Sentence) -> list[tuple[int, int]]:
    """Clause boundaries (absolute offsets) where one sentence reports two separate things."""
    bounds: list[tuple[int, int]] = []
    start = 0
    for match in _CLAUSE_BREAK.finditer(sentence.text):
        bounds.append((sentence.start + start, sentence.start + match.start()))
        start = match.end()
    bounds.append((sentence.start + start, sentence.end))
    return bounds


def lowercase_pattern(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """A case-insensitive pattern rewritten to run case-sensitively on `fold(text)`.

    Python's re is several times faster without IGNORECASE; offsets are the same because
    `fold` keeps the length of the text.
    """
    source = re.sub(r"(?<!\\)[A-Z]", lambda m: m.group(0).lower(), pattern.pattern)
    return re.compile(source, pattern.flags & ~re.IGNORECASE)
