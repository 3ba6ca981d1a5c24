"""Keyword tables matched in one Aho-Corasick pass over a document, on word boundaries.

The automaton runs over a "blanked" copy of the folded text in which every non-word character is a
space (same length, so offsets carry over), and every key is wrapped in spaces: "ran" never hits
inside "grant", and no hit needs a boundary check in Python. A key with punctuation ("u.s.",
"b-52") is confirmed against the folded text itself, so "u s" does not pass for "U.S.".

Chinese and Japanese put no spaces between words, and Korean attaches its particles to the noun
("독도에서"): a key's end that is a Han, kana or Hangul character needs no boundary there, so
"日本海" hits in "日本海で" and "동해" in "동해상으로" (offsets stay those of the text).
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any, NamedTuple

import ahocorasick  # type: ignore[import-not-found]  # no type stubs

from geo.extraction.text import blanked

# A keyword found at folded[start:end], with what its table stored for it: (start, end, value).
# Plain tuples: a document yields a hundred hits, and a NamedTuple costs ~3x as much to build.
Hit = tuple[int, int, Any]


def unbounded(ch: str) -> bool:
    """A character of a script written without word boundaries (Han, kana, Hangul)."""
    code = ord(ch)
    return (
        0x3040 <= code <= 0x30FF  # kana
        or 0x3400 <= code <= 0x9FFF  # Han
        or 0xAC00 <= code <= 0xD7A3  # Hangul syllables
        or 0xF900 <= code <= 0xFAFF  # Han compatibility
        or 0x1100 <= code <= 0x11FF
        or 0x3130 <= code <= 0x318F
        or 0xFF66 <= code <= 0xFF9F  # half-width kana
    )


class _Key(NamedTuple):
    length: int  # of the wrapped key
    closed: bool  # ends on a word boundary (not a word prefix)
    left: bool  # wrapped in a space on the left (starts on a word boundary)
    right: bool  # wrapped in a space on the right
    # (table, value, exact) for every word sharing this blanked key: `exact` is the folded word
    # where its punctuation must match too ("amami-oshima"), None where it need not.
    entries: tuple[tuple[str, Hashable, str | None], ...]


class KeywordIndex:
    """Named keyword tables compiled into one automaton; `scan` returns the hits of each table."""

    def __init__(self, bounded: bool = True) -> None:
        # bounded=False: every key matches anywhere (a Japanese, Chinese or Korean document,
        # where "H-6" stands between two Han characters with no space around it).
        self.bounded = bounded
        self._pending: dict[tuple[str, bool], list[tuple[str, Hashable]]] = {}
        self._automaton: ahocorasick.Automaton | None = None
        self.tables: set[str] = set()

    def add(self, table: str, word: str, value: Hashable = None, *, prefix: bool = False) -> None:
        """Add a folded word or phrase; a `prefix` also hits as the start of a longer word."""
        if not word or word != word.lower():
            raise ValueError(f"keywords are folded (lower-case) and non-empty: {word!r}")
        self._pending.setdefault((word, prefix), []).append((table, value))
        self.tables.add(table)
        self._automaton = None

    def _compile(self) -> ahocorasick.Automaton:
        # Words that blank to one key ("amami oshima", "amami-oshima") share its automaton entry:
        # adding the key twice would keep only the last word's value.
        keys: dict[str, list[tuple[str, Hashable, str | None]]] = {}
        shapes: dict[str, tuple[bool, bool, bool]] = {}  # closed, left, right
        for (word, prefix), entries in self._pending.items():
            left = self.bounded and not unbounded(word[0])
            right = self.bounded and not prefix and not unbounded(word[-1])
            key = (" " if left else "") + blanked(word) + (" " if right else "")
            exact = word if blanked(word) != word else None
            keys.setdefault(key, []).extend((table, value, exact) for table, value in entries)
            shapes.setdefault(key, (not prefix, left, right))
        automaton = ahocorasick.Automaton()
        for key, entries in keys.items():
            closed, left, right = shapes[key]
            automaton.add_word(key, _Key(len(key), closed, left, right, tuple(entries)))
        automaton.make_automaton()
        return automaton

    def scan(self, folded: str, blank: str | None = None) -> dict[str, list[Hit]]:
        """Every hit of every table, in the order the automaton reports them (by end)."""
        if self._automaton is None:
            self._automaton = self._compile()
        padded = " " + (blanked(folded) if blank is None else blank) + " "
        found: dict[str, list[Hit]] = {table: [] for table in self.tables}
        for last, (length, closed, left, right, entries) in self._automaton.iter(padded):
            start = last - length + (1 if left else 0)
            if closed:
                end = last - 1 if right else last
            else:
                end = last
                while padded[end + 1] != " ":
                    end += 1
            for table, value, exact in entries:
                if exact is None or folded.startswith(exact, start):
                    found[table].append((start, end, value))
        return found


def leftmost_longest(hits: list[Hit]) -> list[Hit]:
    """Non-overlapping hits as a regex scan would take them: leftmost first, longest at a tie."""
    if all(hits[i][1] <= hits[i + 1][0] for i in range(len(hits) - 1)):
        return hits  # already in text order, none overlapping: the usual case
    chosen: list[Hit] = []
    last_end = -1
    for hit in sorted(hits, key=lambda h: (h[0], -h[1])):
        if hit[0] >= last_end:
            chosen.append(hit)
            last_end = hit[1]
    return chosen
