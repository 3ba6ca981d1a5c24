"""What the rule tests share: a document's context built as the pipeline builds it, and the
anchors of a text with the spans the pipeline hands each rule (see `geo.extraction.pipeline`).

Test modules cannot import conftest names, so both come as fixtures that return a function:
`context(text)` is the `DocIndex` of a one-document text, `regions(text)` its anchors, clause by
clause, each with its places, the span where its actors are named and the span after its places.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest

from geo.domain.model import Mention
from geo.extraction.context import DocIndex
from geo.extraction.rules.anchors import Anchor, find_anchors
from geo.extraction.rules.locations import event_places
from geo.extraction.rules.zones import zone_mentions
from geo.extraction.text import Sentence, TextForms, split_clauses, split_sentences
from geo.gazetteer.matcher import PlaceMatcher
from geo.gazetteer.places import Gazetteer, default_gazetteer

Span = tuple[int, int]
_SCRAMBLER_WINDOW = 60  # as in the pipeline: who scrambled is named just before


@dataclass(frozen=True)
class Region:
    """One anchor of a clause and the spans the pipeline hands the rules for it."""

    index: DocIndex
    sentence: Sentence
    clause: Span
    anchor: Anchor
    located: list[Mention]
    window: Span  # where its actors are named
    trailing: Span  # after its places: "… over the Sea of Japan, Russian Tu-95 bombers"

    @property
    def word(self) -> str:
        """The anchor's text."""
        return self.index.forms.text[self.anchor.start : self.anchor.end]

    @property
    def place_ids(self) -> list[str]:
        return [m.place_id for m in self.located]


@pytest.fixture(scope="session")
def gazetteer() -> Gazetteer:
    return default_gazetteer()


@pytest.fixture(scope="session")
def context(gazetteer: Gazetteer) -> Callable[[str], DocIndex]:
    """`context(text)`: the document's index, built once as `extract_document` builds it."""
    matcher = PlaceMatcher(gazetteer)

    def build(text: str) -> DocIndex:
        forms = TextForms.of(text)
        mentions = zone_mentions(text, matcher.find(text, forms), gazetteer)
        return DocIndex.build(forms, mentions, gazetteer)

    return build


def _clause_regions(index: DocIndex, sentence: Sentence, clause: Span) -> list[Region]:
    """The pipeline's walk over a clause's anchors (without the place that names an anchor,
    "a routine Taiwan Strait transit", which the pipeline adds itself)."""
    anchors = find_anchors(index, *clause)
    found = []
    cursor = clause[0]
    for position, anchor in enumerate(anchors):
        region_end = anchors[position + 1].start if position + 1 < len(anchors) else clause[1]
        located = event_places(index, anchor.start, region_end)
        window = (cursor, located[0].start if located else region_end)
        if anchor.family == "scramble":
            window = (max(cursor, anchor.start - _SCRAMBLER_WINDOW), anchor.start)
        trailing = (located[-1].end if located else window[1], region_end)
        found.append(Region(index, sentence, clause, anchor, located, window, trailing))
        cursor = located[-1].end if located else anchor.end
    return found


@pytest.fixture(scope="session")
def regions(context: Callable[[str], DocIndex]) -> Callable[[str], list[Region]]:
    """`regions(text)`: every anchor of the text, sentence by sentence and clause by clause."""

    def walk(text: str) -> list[Region]:
        index = context(text)
        return [
            region
            for sentence in split_sentences(text)
            for clause in split_clauses(sentence)
            for region in _clause_regions(index, sentence, clause)
        ]

    return walk
