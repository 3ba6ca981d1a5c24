"""Finding gazetteer places in text with one precompiled Aho-Corasick automaton.

Longest match wins ("Sea of Japan" is not "Japan"), matches must sit on word boundaries, and an
elided coordination ("Japanese and South Korean airspace") yields both places.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import ahocorasick

from geo.gazetteer import Gazetteer
from geo.model import Mention
from geo.text import fold, fold_case_kept


@dataclass(frozen=True)
class _Hit:
    start: int
    end: int
    place_id: str


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


_COORDINATION_REACH = 40
_PLURALISABLE = ("sea", "strait", "island", "channel", "islet")
_COORDINATED = re.compile(r"([A-Za-z][\w-]*)\s*(?:,|and|or|&)\s+$")


class PlaceMatcher:
    """Compiled once per gazetteer; `find` is a single pass over the text."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer
        self._folded = ahocorasick.Automaton()
        self._exact = ahocorasick.Automaton()
        self._alias_ids: dict[str, str] = {}
        for place in gazetteer:
            for name in place.names:
                key = fold(name)
                self._folded.add_word(key, (len(key), place.id))
                self._alias_ids[key] = place.id
            for name in place.exact_aliases:
                key = fold_case_kept(name)
                self._exact.add_word(key, (len(key), place.id))
        self._folded.make_automaton()
        if len(self._exact):
            self._exact.make_automaton()

    def _hits(self, automaton: ahocorasick.Automaton, haystack: str) -> list[_Hit]:
        hits = []
        if not len(automaton):
            return hits
        for end_index, (length, place_id) in automaton.iter(haystack):
            start, end = end_index - length + 1, end_index + 1
            if start > 0 and _is_word_char(haystack[start - 1]):
                continue
            if end < len(haystack) and _is_word_char(haystack[end]):
                # "the Chukchi and Bering seas": a plural of a sea, strait or island name.
                plural = haystack[end] == "s" and haystack[start:end].endswith(_PLURALISABLE)
                if not plural or (end + 1 < len(haystack) and _is_word_char(haystack[end + 1])):
                    continue
                end += 1
            hits.append(_Hit(start, end, place_id))
        return hits

    def _elided(self, folded: str, hit: _Hit) -> _Hit | None:
        """For "X and Y Z airspace" matched at "Y Z airspace", the hit for "X airspace"."""
        words = folded[hit.start : hit.end].split(" ")
        if len(words) < 2:
            return None
        match = _COORDINATED.search(folded, max(0, hit.start - _COORDINATION_REACH), hit.start)
        if match is None:
            return None
        for cut in range(1, len(words)):
            place_id = self._alias_ids.get(" ".join([match.group(1), *words[cut:]]))
            if place_id is not None and place_id != hit.place_id:
                return _Hit(match.start(1), match.end(1), place_id)
        return None

    def find(self, text: str, folded: str | None = None) -> list[Mention]:
        """Non-overlapping place mentions, longest first, in text order."""
        folded = fold(text) if folded is None else folded
        hits = self._hits(self._folded, folded) + self._hits(self._exact, fold_case_kept(text))
        hits.sort(key=lambda h: (-(h.end - h.start), h.start))
        occupied = bytearray(len(text))
        taken: list[_Hit] = []

        def take(hit: _Hit) -> None:
            if not any(occupied[hit.start : hit.end]):
                occupied[hit.start : hit.end] = b"\x01" * (hit.end - hit.start)
                taken.append(hit)

        for hit in hits:
            take(hit)
        for hit in list(taken):
            extra = self._elided(folded, hit)
            if extra is not None:
                take(extra)
        taken.sort(key=lambda h: h.start)
        return [Mention(h.place_id, text[h.start : h.end], h.start, h.end) for h in taken]
