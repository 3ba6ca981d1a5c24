"""The store interfaces: what the build writes to and what the web and exports read from.

Modelled on pygeoapi's provider base: one `query` receives the whole query (filters, limit,
offset) so each backend answers it its own way (arrays in memory, SQL); the backend is chosen
by name from settings (`geo.storage.registry.open_store`). The web layer sees only these.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from geo.domain.features import Feature
from geo.domain.model import Document
from geo.domain.query import FeatureQuery
from geo.domain.review import Correction
from geo.domain.search import SearchQuery, snippet


@dataclass(frozen=True)
class Page:
    """One page of a query's answer: the features, how many matched in all, the data version.

    `encoded` holds each feature already serialised as JSON when the backend keeps it so (the
    OGC items endpoint then joins bytes instead of encoding again).
    """

    features: Sequence[Feature]
    matched: int
    version: str
    encoded: Sequence[bytes] | None = None


@dataclass(frozen=True)
class EvidencePage:
    """One page of a feature's evidence: the entries and how many there are in all."""

    items: Sequence[dict[str, Any]]
    matched: int


@dataclass(frozen=True)
class MergeDelta:
    """What a build or an ingest changes in the merge records (`geo.build.records`), applied
    together with the features it redraws. A build's delta holds every record (`base` None)."""

    token: str  # the records' version once applied
    base: str | None  # the version it applies to; None: replace all records
    records: Mapping[str, dict[str, Any]]  # owner → record, replaced whole
    evidence: Sequence[tuple[str, str, int, dict[str, Any]]]  # (owner, doc_id, position, entry)
    owners: Mapping[str, str]  # feature id → owner of its evidence
    mentions: Mapping[str, list[dict[str, Any]]]  # doc id → its place mentions
    features: Mapping[str, Sequence[Feature]] = field(default_factory=dict)  # layer → redrawn
    removed: Mapping[str, Collection[str]] = field(default_factory=dict)  # layer → ids gone
    # layer → id → order key (`feature_order`) of every stored feature the delta replaces or
    # takes out, so a store finds each by its place in the layer's order.
    previous: Mapping[str, Mapping[str, Sequence[Any]]] = field(default_factory=dict)
    documents: Sequence[dict[str, Any]] = ()  # index entries of the documents added
    # (place id, event owner, [feature id, year, actors] or None: no longer held there)
    members: Sequence[tuple[str, str, list[Any] | None]] = ()
    texts: Mapping[str, str] = field(default_factory=dict)  # their texts (for search)

    def rows(self) -> int:
        """Records, evidence rows and features written: what `ingest` reports as touched."""
        features = sum(len(f) for f in self.features.values())
        return len(self.records) + len(self.evidence) + len(self.members) + features


@dataclass(frozen=True)
class BuiltLayers:
    """What one build produced: every layer's features and the index (summaries, documents),
    and the merge records an ingest folds more documents into (None: the sink keeps none)."""

    layers: Mapping[str, list[Feature]]
    index: dict[str, Any]
    # Each document's text by id, for a search index built with the layers (none: built later).
    texts: Mapping[str, str] = field(default_factory=dict)
    state: MergeDelta | None = None


def newest_first(entry: Mapping[str, Any]) -> tuple[str, str]:
    """A document entry's sort key for the documents list (sorted in reverse)."""
    return (entry.get("published") or str(entry.get("published_year") or ""), entry["id"])


class FeatureStore(ABC):
    """Built layers (collections of features) and what the build recorded about documents."""

    @abstractmethod
    def version(self) -> str:
        """Changes whenever the stored layers change (ETags and caches key on it)."""

    def modified(self) -> datetime | None:
        """When the stored layers last changed (for Last-Modified), if the backend knows."""
        return None

    @abstractmethod
    def collections(self) -> list[dict[str, Any]]:
        """Each layer's summary: name, title, count, years, actors, kinds, bbox, geometry types."""

    @abstractmethod
    def query(
        self, collection: str, query: FeatureQuery, limit: int | None = None, offset: int = 0
    ) -> Page:
        """The features of `collection` that `query` selects, in the layer's stable order.

        Raises NotFound for an unknown collection; `limit=None` means all of them.
        """

    @abstractmethod
    def get(self, collection: str, feature_id: str) -> Feature:
        """One feature by id; NotFound if the collection or the feature is unknown."""

    @abstractmethod
    def properties(self, collection: str) -> list[str]:
        """Property names of the collection's features in order of first appearance."""

    @abstractmethod
    def events_for_document(self, doc_id: str) -> list[Feature]:
        """The event features citing the document, event layers in registry order."""

    @abstractmethod
    def place_bbox(self, place_id: str) -> list[float] | None:
        """The extent of a named place (from the place layers); None if no layer holds it."""

    def place_bboxes(self, place_ids: Iterable[str]) -> dict[str, list[float] | None]:
        """`place_bbox` of several places (a backend with a database answers in one query)."""
        return {place_id: self.place_bbox(place_id) for place_id in place_ids}

    def event_counts(self, doc_ids: Iterable[str] | None = None) -> dict[str, int]:
        """How many event features cite each recorded document (of `doc_ids`, else of all):
        the documents list."""
        recorded = [e["id"] for e in self.documents()]
        if doc_ids is not None:
            wanted = set(doc_ids)
            recorded = [doc_id for doc_id in recorded if doc_id in wanted]
        return {doc_id: len(self.events_for_document(doc_id)) for doc_id in recorded}

    def documents_page(self, limit: int, offset: int = 0) -> tuple[list[dict[str, Any]], int]:
        """A page of the recorded documents, newest first (by published date, else year; then
        by id, last first), and how many there are."""
        entries = sorted(self.documents(), key=newest_first, reverse=True)
        return entries[offset : offset + limit], len(entries)

    @abstractmethod
    def documents(self) -> list[dict[str, Any]]:
        """The documents the build read: id, path, title, published, source, url, mentions."""

    def documents_for(self, doc_ids: Iterable[str]) -> dict[str, dict[str, Any]]:
        """The entries of these documents by id (ids the build did not record are left out):
        what a page of events shows of the documents it cites, without listing them all."""
        wanted = set(doc_ids)
        return {e["id"]: e for e in self.documents() if e.get("id") in wanted}

    def document_ids(self) -> list[str]:
        """The ids of the documents the layers were built from, in build order."""
        return [entry["id"] for entry in self.documents()]

    def document_count(self) -> int:
        """How many documents the layers were built from."""
        return len(self.documents())

    def document(self, doc_id: str) -> dict[str, Any]:
        """One document's entry; NotFound for an id the build did not record."""
        from geo.errors import NotFound

        for entry in self.documents():
            if entry.get("id") == doc_id:
                return entry
        raise NotFound(f"no document {doc_id!r}")

    def evidence(
        self, collection: str, feature_id: str, limit: int = 50, offset: int = 0
    ) -> EvidencePage:
        """A page of the feature's evidence, all of it, not only the few the feature carries.

        NotFound for an unknown collection or feature; this default pages what it carries.
        """
        items = list(self.get(collection, feature_id)["properties"].get("evidence") or [])
        return EvidencePage(items[offset : offset + limit], len(items))

    def problems(self) -> list[str]:
        """What cannot be read right now (a damaged layer), as messages for a notice."""
        return []

    def refresh(self) -> None:  # noqa: B027 - optional for backends that cache nothing
        """Look at the stored data again on the next read (after this process changed it)."""


@dataclass(frozen=True)
class Added:
    """The outcome of adding a document: its id, and whether the same text was already there."""

    doc_id: str
    location: str
    duplicate: bool


@dataclass(frozen=True)
class DocumentFields:
    """What a person says about a document they add."""

    title: str | None = None
    published: date | None = None
    source: str | None = None
    url: str | None = None
    published_year: int | None = None  # where only the year is known (ignored with published)
    lang: str | None = None  # None: detected from the text (geo.domain.language)


class DocumentStore(ABC):
    """The input documents: what the build reads and where ingest adds."""

    @abstractmethod
    def add(self, data: bytes, fields: DocumentFields, name: str = "document") -> Added:
        """Validate and store a document (DocumentRefused says why not); same text: duplicate."""

    @abstractmethod
    def remove(self, doc_id: str) -> None:
        """Take a document out again (a failed rebuild after `add`)."""

    @abstractmethod
    def transaction(self) -> AbstractContextManager[object]:
        """The one lock every writer of every process holds while it adds and rebuilds."""

    @abstractmethod
    def pending(self) -> list[str]:
        """Documents added but not yet confirmed by a written build (a writer was killed)."""

    @abstractmethod
    def confirm(self, doc_id: str) -> None:
        """The build that includes the document is written: it is no longer pending."""

    def quarantined(self) -> list[tuple[str, str]]:
        """Documents set aside because they cannot be read: (name, reason)."""
        return []

    @abstractmethod
    def text(self, doc_id: str, location: str | None = None) -> str:
        """A document's text; NotFound if it is gone, DocumentRefused if it is no longer text."""

    def document(self, doc_id: str) -> Document:
        """One stored document with its metadata (NotFound if there is none by that id)."""
        from geo.errors import NotFound

        for document in self.documents():
            if document.meta.doc_id == doc_id:
                return document
        raise NotFound(f"no document {doc_id!r}")

    def build_order(self) -> list[str]:
        """The ids in the order a build folds the documents in (`documents()`'s order): an
        ingest folds new documents in last, so they must come last here too."""
        return self.list()

    @abstractmethod
    def list(self) -> list[str]:
        """The ids of the stored documents, in build order."""

    @abstractmethod
    def documents(self) -> Iterator[Document]:
        """Every stored document with its metadata, in build order (DocumentRefused if one is
        unusable)."""


class LayerSink(ABC):
    """Where a build writes its layers: all of them at once or none."""

    # Whether the sink keeps the build's merge records (`BuiltLayers.state`), and with them
    # the documents' mentions; if not, the index carries the mentions.
    keeps_records: bool = False

    @abstractmethod
    def write(self, built: BuiltLayers) -> None:
        """Replace every layer and the index; on failure the previous ones stay."""


class MergeStore(ABC):
    """What an incremental ingest needs of a store: the merge records by key (an indexed
    lookup, never a full load) and one atomic apply of a delta (a swap, or a transaction)."""

    @abstractmethod
    def token(self) -> str | None:
        """The version of the records the stored layers were built with; None if the records
        are missing or belong to other layers (then an ingest rebuilds everything)."""

    @abstractmethod
    def records(self, owners: Collection[str]) -> dict[str, dict[str, Any]]:
        """The records kept for these owners (absent ones left out)."""

    @abstractmethod
    def members(self, pairs: Collection[tuple[str, str]]) -> dict[tuple[str, str], list[Any]]:
        """The events held at places kept for these (place id, event owner) pairs."""

    @abstractmethod
    def first_members(self, limits: Mapping[str, int]) -> dict[str, list[tuple[str, str]]]:
        """Per place id, the first `limits[place]` events held there by feature id, as
        (owner, feature id): every place in one lookup."""

    @abstractmethod
    def apply(self, delta: MergeDelta) -> None:
        """Records, evidence, redrawn features and index entries, all at once or none; refuses
        (StoreUnavailable) a delta whose `base` is not the current token."""

    @abstractmethod
    def follows(self, documents: DocumentStore, doc_ids: Sequence[str]) -> bool:
        """Whether the records hold every stored document but `doc_ids`, and those come last
        in build order: then folding them in gives what a build from scratch would."""


class ReviewStore(ABC):
    """The analysts' corrections, kept apart from the machine's output, and their audit log.

    Writers hold the document store's `transaction()` (the one write lock) around `put`, so a
    verdict and the rebuild that applies it are one step for every other writer.
    """

    @abstractmethod
    def corrections(self) -> list[Correction]:
        """The current verdict on each reviewed event, ordered by id."""

    @abstractmethod
    def put(self, correction: Correction, before: Correction | None = None) -> None:
        """Store (replace) one verdict and log who changed what from `before` to it."""

    @abstractmethod
    def remove(self, correction_id: str, user: str) -> Correction | None:
        """Take a verdict back (the event is the machine's again), logged; what was removed."""

    @abstractmethod
    def audit(self) -> list[dict[str, Any]]:
        """Every change ever made, oldest first: who, when, action, before, after."""

    def get(self, correction_id: str) -> Correction | None:
        return next((c for c in self.corrections() if c.id == correction_id), None)


@dataclass(frozen=True)
class SearchHit:
    """One matching text: a document, or an event's evidence sentence (`feature_id`, `layer`).

    `matches` are the matched spans as offsets in the document's text (what its view marks);
    `snippet` is a window of the text around the first one, `marks` the spans inside it.
    """

    kind: str  # "document" or "evidence"
    doc_id: str
    title: str
    snippet: str
    marks: tuple[tuple[int, int], ...]
    matches: tuple[tuple[int, int], ...]
    cut_before: bool = False
    cut_after: bool = False
    feature_id: str | None = None
    layer: str | None = None
    title_marks: tuple[tuple[int, int], ...] = ()  # a document's title matched too: where

    @classmethod
    def of(
        cls,
        row: tuple[str, str, str, str, int, str | None, str | None],
        spans: Sequence[tuple[int, int]],
        title_spans: Sequence[tuple[int, int]] = (),
    ) -> SearchHit:
        """A hit from an index row (kind, doc id, title shown, text, where the text starts in
        the document, feature id, layer) and where the query matched in its text and title:
        the snippet cut around the first match, offsets moved into the document."""
        kind, doc_id, title, body, base, feature_id, layer = row
        cut = snippet(body, spans)
        return cls(
            kind=kind,
            doc_id=doc_id,
            title=title,
            snippet=cut.text,
            marks=cut.marks,
            title_marks=tuple(title_spans),
            matches=tuple((base + s, base + e) for s, e in spans),
            cut_before=cut.cut_before,
            cut_after=cut.cut_after,
            feature_id=feature_id,
            layer=layer,
        )


@dataclass(frozen=True)
class SearchPage:
    """One page of a search: the hits, best first, how many matched in all, the data version."""

    hits: Sequence[SearchHit]
    matched: int
    version: str


class SearchIndex(ABC):
    """Full-text search over the documents and the events' evidence sentences.

    Kept in step with the layers by the store (a missing or stale index is rebuilt, not an
    error); each backend compiles `SearchQuery` into its own full-text syntax.
    """

    @abstractmethod
    def search(self, query: SearchQuery, limit: int = 20, offset: int = 0) -> SearchPage:
        """The texts where every term of `query` matches, best first."""

    @abstractmethod
    def matches(self, doc_id: str, query: SearchQuery) -> list[tuple[int, int]]:
        """Where `query` matches in one document's text (offsets); [] if it does not."""


@dataclass(frozen=True)
class Store:
    """One backend's parts, as `open_store` hands them out (`merge`: None if the backend
    cannot ingest incrementally; then every ingest rebuilds; `reviews` None: no reviewing)."""

    features: FeatureStore
    documents: DocumentStore
    sink: LayerSink
    kind: str = "files"
    details: dict[str, str] = field(default_factory=dict)
    search: SearchIndex | None = None
    merge: MergeStore | None = None
    reviews: ReviewStore | None = None
