"""Plain-data contracts between pipeline stages, so each stage can be tested alone.

documents → extraction (Mention, Event) → merge (merged Event) → build (`geo.domain.features`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal, get_args

PlaceKind = Literal["sea", "strait", "island", "airspace", "region", "country", "base"]
# One of geo.domain.kinds.EVENT_KINDS (the registry, not a Literal, so a kind is added there).
EventKind = str
PLACE_KINDS: tuple[str, ...] = get_args(PlaceKind)
ACTORS: tuple[str, ...] = (
    "China",
    "Russia",
    "United States",
    "Japan",
    "South Korea",
    "North Korea",
    "Taiwan",
    "NATO",
    "India",
    "Australia",
)


@dataclass(frozen=True)
class DocumentMeta:
    """What the sidecar (or the command line) tells about a document."""

    doc_id: str
    path: str
    title: str | None = None
    published: date | None = None
    published_year: int | None = None
    source: str | None = None
    url: str | None = None
    # "en", "ja", "zh", "ko" or "ru" (geo.domain.language); None: detect it from the text.
    lang: str | None = None

    @property
    def reference_year(self) -> int | None:
        """The year that "this year" / "last year" are counted from."""
        if self.published is not None:
            return self.published.year
        return self.published_year


@dataclass(frozen=True)
class Document:
    meta: DocumentMeta
    text: str


@dataclass(frozen=True)
class Mention:
    """One occurrence of a gazetteer place in a document's text."""

    place_id: str
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Evidence:
    doc_id: str
    text: str
    start: int
    end: int


@dataclass
class Event:
    """One reported activity; after merging, it may carry evidence from many documents."""

    kind: str
    name: str | None
    year: int | None
    actors: list[str]
    place_ids: list[str]
    evidence: list[Evidence]
    confidence: float
    date_start: date | None = None
    date_end: date | None = None
    hypothetical: bool = False
    doc_ids: list[str] = field(default_factory=list)
