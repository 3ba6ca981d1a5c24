"""One keyword pass over a Japanese, Chinese, Korean or Russian text, for any set of terms.

Built on `geo.extraction.scan.KeywordIndex`: for Japanese, Chinese and Korean every term matches
as a substring (no spaces to stand on); for Russian a term starts on a word boundary and its
stems take any ending, the rest of a multi-word term confirmed by a regex at the hit.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

from geo.extraction.scan import Hit, KeywordIndex
from geo.extraction.text import TextForms
from geo.extraction.vocab.native import term


class TermIndex:
    """Named tables of terms compiled into one automaton; `scan` gives each table's hits."""

    def __init__(self, stems: bool) -> None:
        self.stems = stems
        self._index = KeywordIndex(bounded=stems)

    def add(self, table: str, text: str, value: Hashable = None) -> None:
        found = term(text, self.stems)
        if found.key:
            self._index.add(table, found.key, (found.phrase, value), prefix=found.prefix)

    @property
    def tables(self) -> set[str]:
        return self._index.tables

    def scan(self, forms: TextForms) -> dict[str, list[Hit]]:
        """(start, end, value) per table, the multi-word terms confirmed, in no set order."""
        found: dict[str, list[Hit]] = {}
        for table, hits in self._index.scan(forms.folded, forms.blank).items():
            kept: list[tuple[int, int, Any]] = []
            for start, end, (phrase, value) in hits:
                if phrase is not None:
                    match = phrase.match(forms.folded, start)
                    if match is None:
                        continue
                    end = match.end()
                kept.append((start, end, value))
            found[table] = kept
        return found


def longest_first(hits: list[Hit]) -> list[Hit]:
    """Non-overlapping hits, the longest taken first (so 日本海 is not 日本), in text order."""
    taken: list[Hit] = []
    occupied: set[int] = set()
    for hit in sorted(hits, key=lambda h: (h[0] - h[1], h[0])):
        span = range(hit[0], hit[1])
        if not occupied.intersection(span):
            occupied.update(span)
            taken.append(hit)
    return sorted(taken, key=lambda h: h[0])
