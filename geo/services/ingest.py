"""Adding documents: store one in the document store, then rebuild the layers from all of them.

If the rebuild fails, the new document is taken out again and the previous layers stay as they
were, so the documents and the layers never disagree.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from geo.build.runner import BuildResult, build
from geo.errors import DocumentRefused
from geo.storage.base import DocumentFields, Store

# One ingest at a time per process: two concurrent rebuilds would race on the same files.
_LOCK = threading.Lock()


@dataclass(frozen=True)
class IngestResult:
    doc_id: str
    location: str
    duplicate: bool
    build: BuildResult | None


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
    with _LOCK:
        added = store.documents.add(data, fields, name)
        if added.duplicate:
            return IngestResult(added.doc_id, added.location, duplicate=True, build=None)
        try:
            result = build(store.documents.documents(), store.sink)
        except BaseException:
            store.documents.remove(added.doc_id)
            raise
    store.features.refresh()  # this process rebuilt the layers: show them now
    return IngestResult(added.doc_id, added.location, duplicate=False, build=result)


def ingest_file(path: Path, store: Store, **fields: object) -> IngestResult:
    """Ingest a .txt file; its title defaults to the file name."""
    path = Path(path)
    if not path.is_file():
        raise DocumentRefused(f"{path}: no such file")
    fields.setdefault("title", path.stem)
    return ingest_bytes(path.read_bytes(), store, name=str(path), **fields)  # type: ignore[arg-type]
