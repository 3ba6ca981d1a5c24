"""Text helpers that keep character offsets intact: normalisation, sentences, clauses."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple

# One-to-one replacements, so an offset in the normalised text is an offset in the original.
_FOLD_PAIRS = (
    ("\u2019", "'"),
    ("\u2018", "'"),
    ("\u201c", '"'),
    ("\u201d", '"'),
    ("\u2013", "-"),
    ("\u2014", "-"),
    ("\u2011", "-"),
    ("\u00a0", " "),
    ("\u00e9", "e"),
)


def fold_case_kept(text: str) -> str:
    """Unify quotes/dashes only (for case-sensitive matching)."""
    if text.isascii():
        return text
    # A few str.replace calls run in C; str.translate with a dict is ~30x slower on 3 KB.
    for original, replacement in _FOLD_PAIRS:
        if original in text:
            text = text.replace(original, replacement)
    return text


def fold(text: str, case_kept: str | None = None) -> str:
    """Lower-case and unify quotes/dashes without changing the length of the text."""
    unified = fold_case_kept(text) if case_kept is None else case_kept
    lowered = unified.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(ch.lower() if len(ch.lower()) == 1 else ch for ch in unified)


_ASCII_BLANKED = bytes(
    ch if chr(ch).isalnum() or chr(ch) == "_" else 32 for ch in range(128)
) + bytes([32] * 128)
_NON_WORD = re.compile(r"\W")


def blanked(folded: str) -> str:
    """The text with every non-word character replaced by a space (same length)."""
    if folded.isascii():
        return folded.encode("ascii").translate(_ASCII_BLANKED).decode("ascii")
    return _NON_WORD.sub(" ", folded)


@dataclass(frozen=True)
class TextForms:
    """One document's text in the forms the matchers scan; all share its offsets."""

    text: str
    case_kept: str  # quotes and dashes unified
    folded: str  # and lower-cased
    blank: str  # and every non-word character a space

    @classmethod
    def of(cls, text: str) -> TextForms:
        case_kept = fold_case_kept(text)
        folded = fold(text, case_kept)
        if ".m." in folded:
            # "at 7:23 a.m. and flew": no full stop for the rules that stop at one.
            folded = folded.replace("a.m.", "a m ").replace("p.m.", "p m ")
        return cls(text, case_kept, folded, blanked(folded))


class Sentence(NamedTuple):
    """A sentence and its offsets in the document (a tuple: documents have hundreds)."""

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
_SENTENCE_END = re.compile(
    # Korean separates its sentences with a space, and has no capitals: a Hangul syllable
    # after ". " starts a sentence too.
    r"[.!?][\"'\u201d\u2019)\]]*"
    r"(?=\s+[\"'\u201c\u2018(\[\u00ab\u201e]?[A-Z0-9\u0410-\u042f\u0401\uac00-\ud7a3])"
    # 。！？ and the full-width forms end a sentence with or without a space after them, and
    # take their closing brackets and quotes along ("…と発表した。」").
    r"|[\u3002\uff01\uff1f\uff0e][\u300d\u300f\u201d\"'\uff09)\u3011]*"
)
# "Future Scenario: …", or a short run-in head ending in a full stop: "What to watch. …".
_HEADING = re.compile(r"^\s*([A-Z][^:\n.]{0,60}):\s|^\s*([A-Z]\w+(?: \w+){0,3})\.\s")


_AFTER_US = re.compile(r"\s+(The|This|It|In|On|A|An)\b")


def _is_abbreviation(line: str, start: int, end: int) -> bool:
    """ "Gen." or "Jan." ends no sentence; "U.S." does only before a sentence's first word."""
    # The last word, from the last dozen characters: a word longer than that is no abbreviation.
    words = line[max(start, end - 12) : end].rsplit(None, 1)
    last_word = words[-1].lower().lstrip("\"'(") if words else ""
    if end - 12 > start and len(words) == 1 and not line[end - 13].isspace():
        return False
    if last_word == "u.s.":
        return not _AFTER_US.match(line, end)
    # An initial ("N. Korea", "John F. Kennedy") ends no sentence.
    return last_word in _ABBREVIATIONS or (len(last_word) == 2 and last_word[0].isalpha())


MAX_SENTENCE_CHARS = 2000  # longer runs without a sentence end are cut (see _bounded)


def _split_line(line: str, offset: int, heading: str | None) -> list[Sentence]:
    sentences: list[Sentence] = []
    start = 0
    for match in _SENTENCE_END.finditer(line):
        end = match.end()
        if line[match.start()] == "." and _is_abbreviation(line, start, end):
            continue
        sentences.extend(_bounded(line, start, end, offset, heading))
        start = end
    if line[start:].strip():
        sentences.extend(_bounded(line, start, len(line), offset, heading))
    return sentences


def _bounded(line: str, start: int, end: int, offset: int, heading: str | None) -> list[Sentence]:
    """The sentence, or pieces of at most MAX_SENTENCE_CHARS cut at a space: a run of text with
    no full stop (a table, a list pasted as one line) must not make the per-sentence rules cost
    more than a long sentence does."""
    pieces: list[Sentence] = []
    while end - start > MAX_SENTENCE_CHARS:
        cut = line.rfind(" ", start + MAX_SENTENCE_CHARS // 2, start + MAX_SENTENCE_CHARS)
        cut = cut + 1 if cut > start else start + MAX_SENTENCE_CHARS
        pieces.append(_make(line, start, cut, offset, heading))
        start = cut
    pieces.append(_make(line, start, end, offset, heading))
    return [piece for piece in pieces if piece.text]


def _make(line: str, start: int, end: int, offset: int, heading: str | None) -> Sentence:
    while start < end and line[start].isspace():
        start += 1
    while end > start and line[end - 1].isspace():
        end -= 1
    return Sentence(line[start:end], offset + start, offset + end, heading)


def split_sentences(text: str) -> list[Sentence]:
    """Sentences with offsets; a line's "Heading:" prefix is recorded on its sentences."""
    sentences: list[Sentence] = []
    offset = 0
    for line in text.split("\n"):
        heading_match = _HEADING.match(line)
        heading = (
            (heading_match.group(1) or heading_match.group(2)).strip() if heading_match else None
        )
        if line.strip():
            sentences.extend(_split_line(line, offset, heading))
        offset += len(line) + 1
    return sentences


# Where a sentence turns to a second report: ", but", ", while", ";", "but according to".
_CLAUSE_BREAK = re.compile(r"[,;](?:(?<=,)\s+(?:but|while|whereas|although)\s+|(?<=;)\s+)")
_BUT_BREAK = re.compile(r"\s+but\s+(?=according|also|it|they|the|russia|china)")


def split_clauses(sentence: Sentence) -> list[tuple[int, int]]:
    """Clause boundaries (absolute offsets) where one sentence reports two separate things."""
    lowered = sentence.text.lower()
    if len(lowered) != len(sentence.text):  # a letter whose lower case is longer
        lowered = fold(sentence.text)
    breaks = list(_CLAUSE_BREAK.finditer(lowered))
    if "but" in lowered:
        breaks = sorted(breaks + list(_BUT_BREAK.finditer(lowered)), key=lambda m: m.start())
    bounds: list[tuple[int, int]] = []
    start = 0
    for match in breaks:
        if match.start() < start:
            continue  # ", but according to": one break, not two
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
