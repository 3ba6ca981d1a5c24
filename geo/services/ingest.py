"""Adding documents: store them in the document store, then fold them into the layers.

An ingest extracts only the new documents and folds them into the store's merge records
(`geo.build.runner.increment`), rewriting only what they touch in one apply; a store without
usable records (none kept, or built from other documents) is rebuilt from every document.

Every writer, in any process, holds the store's one write lock while it adds and rebuilds. A
document stays pending until the build that includes it is written, so a writer killed at any
point is settled by the next one (`recover`): forward if its build was written, else back (the
document taken out and the layers rebuilt without it). The documents and the layers never
disagree for longer than that.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from geo.build.runner import BuildResult, build, increment
from geo.domain.model import Document
from geo.domain.review import Correction
from geo.errors import DocumentRefused, StoreUnavailable
from geo.storage.base import Added, DocumentFields, Store

log = logging.getLogger("drillmap.ingest")


@dataclass(frozen=True)
class IngestResult:
    doc_id: str
    location: str
    duplicate: bool
    build: BuildResult | None


def _corrections(store: Store) -> list[Correction]:
    return store.reviews.corrections() if store.reviews is not None else []


def build_store(
    store: Store,
    show_progress: bool = False,
    *,
    workers: int = 1,
    scheduler: str | None = None,
    corrections: Sequence[Correction] | None = None,
) -> BuildResult:
    """Every layer from every stored document, with the store's corrections applied (the
    caller holds the write lock)."""
    return build(
        store.documents.documents(),
        store.sink,
        show_progress=show_progress,
        workers=workers,
        scheduler=scheduler,
        corrections=_corrections(store) if corrections is None else corrections,
    )


def _settle(store: Store) -> list[str]:
    """Under the write lock: finish or undo what a killed writer left; the ids it settled."""
    pending = store.documents.pending()
    if not pending:
        return []
    try:
        built = {entry.get("id") for entry in store.features.documents()}
    except StoreUnavailable:
        built = set()  # the index itself is damaged: rebuild from the documents
    undone = [doc_id for doc_id in pending if doc_id not in built]
    for doc_id in pending:
        if doc_id in built:
            store.documents.confirm(doc_id)  # its build was written: only the mark was left
        else:
            store.documents.remove(doc_id)
    if undone:
        # The killed build may have replaced some layer files already: write them all again.
        build_store(store)
        store.features.refresh()
        log.warning("drillmap: took out %s, added by a writer that did not finish", undone)
    return pending


def recover(store: Store) -> list[str]:
    """Settle what killed writers left (at start-up, before a build); the ids settled."""
    with store.documents.transaction():
        return _settle(store)


def rebuild(
    store: Store, show_progress: bool = False, *, workers: int = 1, scheduler: str | None = None
) -> BuildResult:
    """Every layer again from every document, under the write lock."""
    with store.documents.transaction():
        _settle(store)
        result = build_store(
            store, show_progress=show_progress, workers=workers, scheduler=scheduler
        )
    store.features.refresh()
    return result


def _fold_in(
    store: Store,
    doc_ids: Sequence[str],
    *,
    workers: int = 1,
    scheduler: str | None = None,
    show_progress: bool = False,
) -> BuildResult:
    """Under the write lock: the added documents into the layers, incrementally if the store
    keeps merge records for exactly the documents before them and has no corrections, else
    by a full rebuild (which applies the corrections)."""
    touched = None
    # With analysts' corrections an ingest rebuilds everything: a new document can change
    # which event a correction matches (by evidence overlap, across every event), so the
    # corrections are applied to the full merge, never folded into stored records. (A build
    # with corrections also writes records no increment accepts: `records_token`.)
    corrections = _corrections(store)
    merge = None if corrections else store.merge
    if merge is not None and merge.follows(store.documents, doc_ids):
        documents = [store.documents.document(doc_id) for doc_id in doc_ids]
        try:
            touched = increment(
                documents,
                merge,
                workers=workers,
                scheduler=scheduler,
                show_progress=show_progress,
            )
        except StoreUnavailable as exc:  # records and layers disagree: rebuild them both
            log.warning("drillmap: %s; rebuilding every layer", exc.description)
    if touched is None:
        return build_store(
            store,
            show_progress=show_progress,
            workers=workers,
            scheduler=scheduler,
            corrections=corrections,
        )
    store.features.refresh()
    counts = {entry["name"]: entry["count"] for entry in store.features.collections()}
    return BuildResult(counts, store.features.document_count(), touched)


def ingest_many(
    items: Sequence[tuple[bytes, DocumentFields, str]],
    store: Store,
    *,
    workers: int = 1,
    scheduler: str | None = None,
    show_progress: bool = False,
) -> tuple[list[Added | DocumentRefused], BuildResult | None]:
    """Store several documents and fold the new ones in with one apply (extraction on
    `workers`); per item, what was added or why it was refused. Nothing is kept on failure."""
    outcomes: list[Added | DocumentRefused] = []
    with store.documents.transaction():
        _settle(store)
        for data, fields, name in items:
            try:
                outcomes.append(store.documents.add(data, fields, name))
            except DocumentRefused as exc:
                outcomes.append(exc)
        new = [a.doc_id for a in outcomes if isinstance(a, Added) and not a.duplicate]
        if not new:
            return outcomes, None
        try:
            result = _fold_in(
                store, new, workers=workers, scheduler=scheduler, show_progress=show_progress
            )
        except BaseException:
            for doc_id in new:
                store.documents.remove(doc_id)
            raise
        for doc_id in new:
            store.documents.confirm(doc_id)
    store.features.refresh()
    return outcomes, result


def ingest_bytes(
    data: bytes,
    store: Store,
    *,
    title: str | None = None,
    published: date | None = None,
    source: str | None = None,
    url: str | None = None,
    lang: str | None = None,
    name: str = "document",
) -> IngestResult:
    """Store one document and fold it in; raise DocumentRefused (nothing changed) if it is
    refused. The same text again is a no-op (its content hash names the stored one).
    `lang` overrides the language the store detects from the text."""
    fields = DocumentFields(title=title, published=published, source=source, url=url, lang=lang)
    [added], result = ingest_many([(data, fields, name)], store)
    if isinstance(added, DocumentRefused):
        raise added
    return IngestResult(added.doc_id, added.location, added.duplicate, result)


def import_documents(documents: Iterable[Document], store: Store) -> tuple[int, BuildResult]:
    """Copy documents (another store's, e.g. a seeds folder) into `store`, then rebuild once;
    how many were new, and the build."""
    with store.documents.transaction():
        _settle(store)
        added = []
        for document in documents:
            meta = document.meta
            fields = DocumentFields(
                meta.title, meta.published, meta.source, meta.url, meta.published_year, meta.lang
            )
            added.append(store.documents.add(document.text.encode(), fields, meta.doc_id))
        try:
            result = build_store(store)
        except BaseException:
            for entry in added:
                if not entry.duplicate:
                    store.documents.remove(entry.doc_id)
            raise
        for entry in added:
            store.documents.confirm(entry.doc_id)
    store.features.refresh()
    return sum(not entry.duplicate for entry in added), result


def ingest_file(path: Path, store: Store, **fields: object) -> IngestResult:
    """Ingest a .txt file; its title defaults to the file name."""
    path = Path(path)
    if not path.is_file():
        raise DocumentRefused(f"{path}: no such file")
    fields.setdefault("title", path.stem)
    return ingest_bytes(path.read_bytes(), store, name=str(path), **fields)  # type: ignore[arg-type]
