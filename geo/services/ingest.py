"""Adding documents: store one in the document store, then rebuild the layers from all of them.

Every writer, in any process, holds the store's one write lock while it adds and rebuilds. A
document stays pending until the build that includes it is written, so a writer killed at any
point is settled by the next one (`recover`): forward if its build was written, else back (the
document taken out and the layers rebuilt without it). The documents and the layers never
disagree for longer than that.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from geo.build.runner import BuildResult, build
from geo.errors import DocumentRefused, StoreUnavailable
from geo.storage.base import DocumentFields, Store

log = logging.getLogger("drillmap.ingest")


@dataclass(frozen=True)
class IngestResult:
    doc_id: str
    location: str
    duplicate: bool
    build: BuildResult | None


def build_store(store: Store, show_progress: bool = False) -> BuildResult:
    """Every layer from every stored document, with the store's corrections applied (the
    caller holds the write lock)."""
    corrections = store.reviews.corrections() if store.reviews is not None else []
    return build(
        store.documents.documents(), store.sink, show_progress=show_progress,
        corrections=corrections,
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


def rebuild(store: Store, show_progress: bool = False) -> BuildResult:
    """Every layer again from every document, under the write lock."""
    with store.documents.transaction():
        _settle(store)
        result = build_store(store, show_progress=show_progress)
    store.features.refresh()
    return result


def ingest_bytes(
    data: bytes,
    store: Store,
    *,
    title: str | None = None,
    published: date | None = None,
    source: str | None = None,
    url: str | None = None,
    name: str = "document",
) -> IngestResult:
    """Store one document and rebuild; raise DocumentRefused (nothing changed) if it is refused."""
    fields = DocumentFields(title=title, published=published, source=source, url=url)
    with store.documents.transaction():
        _settle(store)
        added = store.documents.add(data, fields, name)
        if added.duplicate:
            return IngestResult(added.doc_id, added.location, duplicate=True, build=None)
        try:
            result = build_store(store)
        except BaseException:
            store.documents.remove(added.doc_id)
            raise
        store.documents.confirm(added.doc_id)
    store.features.refresh()  # this process rebuilt the layers: show them now
    return IngestResult(added.doc_id, added.location, duplicate=False, build=result)


def ingest_file(path: Path, store: Store, **fields: object) -> IngestResult:
    """Ingest a .txt file; its title defaults to the file name."""
    path = Path(path)
    if not path.is_file():
        raise DocumentRefused(f"{path}: no such file")
    fields.setdefault("title", path.stem)
    return ingest_bytes(path.read_bytes(), store, name=str(path), **fields)  # type: ignore[arg-type]
