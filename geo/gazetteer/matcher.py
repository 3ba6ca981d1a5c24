"""Finding gazetteer places in text with one precompiled Aho-Corasick automaton.

Longest match wins ("Sea of Japan" is not "Japan"), matches must sit on word boundaries, and an
elided coordination ("Japanese and South Korean airspace") yields both places.
"""

from __future__ import annotations

import re

from geo.domain.model import Mention
from geo.extraction.scan import Hit, KeywordIndex
from geo.extraction.text import TextForms, fold, fold_case_kept
from geo.extraction.vocab.lexicon import NOT_PLACES
from geo.gazetteer.disambiguation import Resolver, written_as_a_name
from geo.gazetteer.places import Gazetteer

_COORDINATION_REACH = 40
# "around the island", "flew into the zone", "left the strait": the place of that kind named
# last, if it was named lately and no place of that kind the gazetteer does not know ("Rebun
# Island") came in between.
_ANAPHORS = (
    (("the island", "the islands", "the islets", "the isles"), "island"),
    (("the zone", "the air defense zone", "the air defence zone"), "airspace"),
    (("the strait", "the straits", "the channel"), "strait"),
)
_UNKNOWN = {
    "island": re.compile(r"[A-Z][\w-]+ (?:Island|Islands|Islet|Islets)\b"),
    "airspace": re.compile(r"\b(?:EEZ|exclusive economic zone|contiguous zone|no-fly zone)\b"),
    "strait": re.compile(r"[A-Z][\w-]+ (?:Strait|Straits|Channel)\b"),
}
_ANAPHOR_REACH = 600
_PLURALISABLE = ("sea", "strait", "island", "channel", "islet")
_COORDINATED = re.compile(r"([A-Za-z][\w-]*)\s*(?:,|and|or|&)\s+$")


def _occurrences(folded: str, phrases: tuple[str, ...]) -> list[tuple[int, int]]:
    """Where the phrases stand as whole words, not followed by "of" ("the island of Yonaguni")."""
    found = []
    for phrase in phrases:
        at = folded.find(phrase)
        while at >= 0:
            end = at + len(phrase)
            whole = (at == 0 or not folded[at - 1].isalnum()) and (
                end == len(folded) or not folded[end].isalnum()
            )
            if whole and not folded.startswith(" of ", end):
                found.append((at, end))
            at = folded.find(phrase, end)
    return found


class PlaceMatcher:
    """Compiled once per gazetteer; `find` is a single pass over the text.

    Hand-kept names always match. Generated names (the theatre gazetteer) fill only text that no
    hand-kept name covers, and `geo.gazetteer.disambiguation` keeps those the text supports.
    """

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer
        self._keywords = KeywordIndex()
        self._alias_ids: dict[str, str] = {}
        self._resolver = Resolver(gazetteer)
        for place in gazetteer.hand_kept():
            for name in place.names:
                key = fold(name)
                self._alias_ids[key] = place.id
                self._keywords.add("place", key, place.id)
                if key.endswith(_PLURALISABLE):
                    # "the Chukchi and Bering seas": a plural of a sea, strait or island name.
                    self._keywords.add("place", key + "s", place.id)
                if key.endswith(" islands"):
                    # "the Sakishima island chain" is the Sakishima Islands.
                    self._keywords.add("place", key.removesuffix("s") + " chain", place.id)
            for name in place.exact_aliases:
                self._keywords.add("exact", fold(name), (place.id, fold_case_kept(name)))
        for name in NOT_PLACES:
            # Longer than the place name inside it, so it wins the overlap and names nothing.
            self._keywords.add("place", fold(name), None)
        for key, ids in gazetteer.candidates().items():
            if key not in self._alias_ids and key == key.lower():  # "İ" folds to two letters
                self._keywords.add("generated", key, ids)

    def _hits(self, forms: TextForms) -> tuple[list[Hit], list[Hit]]:
        """Hand-kept hits (and unit names that name nothing), and generated ones."""
        found = self._keywords.scan(forms.folded, forms.blank)
        exact = [
            (start, end, place_id)
            for start, end, (place_id, alias) in found.get("exact", [])
            if forms.case_kept[start:end] == alias
        ]
        return found.get("place", []) + exact, found.get("generated", [])

    def _elided(self, folded: str, hit: Hit) -> Hit | None:
        """For "X and Y Z airspace" matched at "Y Z airspace", the hit for "X airspace"."""
        start, end, hit_place = hit
        words = folded[start:end].split(" ")
        if len(words) < 2:
            return None
        if not folded[max(0, start - 12) : start].rstrip().endswith((",", "and", "or", "&")):
            return None  # no coordination right before: the regex below cannot match
        match = _COORDINATED.search(folded, max(0, start - _COORDINATION_REACH), start)
        if match is None:
            return None
        for cut in range(1, len(words)):
            tail = " ".join(words[cut:])
            # "the Caspian and Baltic seas": the plural's singular names the first one.
            for name in dict.fromkeys((tail, tail.removesuffix("s"))):
                place_id = self._alias_ids.get(f"{match.group(1)} {name}")
                if place_id is not None and place_id != hit_place:
                    return (match.start(1), match.end(1), place_id)
        return None

    def find(self, text: str, forms: TextForms | None = None) -> list[Mention]:
        """Non-overlapping place mentions, longest first, in text order."""
        forms = TextForms.of(text) if forms is None else forms
        hits, generated_hits = self._hits(forms)
        hits.sort(key=lambda h: (h[0] - h[1], h[0]))
        occupied = bytearray(len(text))
        taken: list[Hit] = []

        def take(hit: Hit) -> None:
            start, end, _ = hit
            if not any(occupied[start:end]):
                occupied[start:end] = b"\x01" * (end - start)
                taken.append(hit)

        for hit in hits:
            take(hit)
        for hit in list(taken):
            extra = self._elided(forms.folded, hit)
            if extra is not None:
                take(extra)
        taken.sort()
        mentions = [
            Mention(place_id, text[start:end], start, end)
            for start, end, place_id in taken
            if place_id is not None
        ]
        generated = self._unoccupied(text, generated_hits, occupied) if generated_hits else []
        if generated:
            found = self._resolver.resolve(forms, generated, mentions)
            if found:
                mentions = sorted([*mentions, *found], key=lambda m: m.start)
        return self._with_anaphors(forms, mentions)

    @staticmethod
    def _unoccupied(text: str, hits: list[Hit], occupied: bytearray) -> list[Hit]:
        """Generated names, written as names, in text no hand-kept name (nor a unit's name)
        took; the longest first."""
        hits = sorted(hits, key=lambda h: (h[0] - h[1], h[0]))
        kept = []
        for start, end, ids in hits:
            if not any(occupied[start:end]) and written_as_a_name(text[start:end]):
                occupied[start:end] = b"\x01" * (end - start)
                kept.append((start, end, ids))
        return sorted(kept)

    def _with_anaphors(self, forms: TextForms, mentions: list[Mention]) -> list[Mention]:
        resolved = []
        for phrases, kind in _ANAPHORS:
            named = [m for m in mentions if self.gazetteer[m.place_id].kind == kind]
            if not named:
                continue
            for start, end in _occurrences(forms.folded, phrases):
                before = [m for m in named if m.end <= start]
                if not before or start - before[-1].end > _ANAPHOR_REACH:
                    continue
                if _UNKNOWN[kind].search(forms.text, before[-1].end, start):
                    continue
                resolved.append(Mention(before[-1].place_id, forms.text[start:end], start, end))
        return sorted([*mentions, *resolved], key=lambda m: m.start) if resolved else mentions
