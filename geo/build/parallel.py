"""Per-document extraction, serial or on Dask: a LocalCluster of N processes, or a scheduler.

Extraction is the only stage that runs apart: each document is extracted alone, so the
results (handed on in document order) are the same for any number of workers, and the merge
runs once, in the caller's process, folding each batch as soon as it and those before it are
back. Documents go in batches, so a task is worth its overhead.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator, Sequence
from dataclasses import replace

from tqdm import tqdm

from geo.domain.model import Document
from geo.extraction.pipeline import Extraction, extract_document
from geo.gazetteer.places import Gazetteer, default_gazetteer

BATCHES_PER_WORKER = 8
MAX_BATCH = 250


def _extract_batch(documents: list[Document], gazetteer: Gazetteer | None) -> list[Extraction]:
    """On a worker: extract a batch (the default gazetteer is loaded once per worker). Each
    result goes back without its text, half of what it weighs: the driver holds the texts."""
    found = (extract_document(document, gazetteer) for document in documents)
    return [replace(x, document=replace(x.document, text="")) for x in found]


def _with_texts(found: list[Extraction], batch: list[Document]) -> list[Extraction]:
    return [
        replace(x, document=replace(x.document, text=document.text))
        for x, document in zip(found, batch, strict=True)
    ]


def _batches(documents: Sequence[Document], workers: int) -> Iterator[list[Document]]:
    size = max(1, min(MAX_BATCH, len(documents) // (workers * BATCHES_PER_WORKER) or 1))
    for start in range(0, len(documents), size):
        yield list(documents[start : start + size])


def show_progress(requested: bool | None) -> bool:
    """A progress bar when asked for, else only when stderr is a terminal."""
    return sys.stderr.isatty() if requested is None else requested


def extract_all(
    documents: Sequence[Document],
    gazetteer: Gazetteer | None = None,
    *,
    workers: int = 1,
    scheduler: str | None = None,
    progress: bool = False,
) -> list[Extraction]:
    """Every document's extraction, in the documents' order, for any `workers`."""
    return list(
        extract_each(documents, gazetteer, workers=workers, scheduler=scheduler, progress=progress)
    )


def extract_each(
    documents: Sequence[Document],
    gazetteer: Gazetteer | None = None,
    *,
    workers: int = 1,
    scheduler: str | None = None,
    progress: bool = False,
) -> Iterator[Extraction]:
    """Each document's extraction in the documents' order, as soon as it and all before it
    are done: on Dask the caller merges the first batches while the workers extract the rest."""
    if workers <= 1 and not scheduler:
        bar = tqdm(documents, desc="extracting", unit="doc", disable=not progress)
        for document in bar:
            yield extract_document(document, gazetteer)
        return
    from dask.distributed import Client, LocalCluster, as_completed

    shipped = None if gazetteer is None or gazetteer is default_gazetteer() else gazetteer
    cluster = None
    if not scheduler:
        cluster = LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            scheduler_port=0,
            silence_logs=logging.ERROR,
        )
    try:
        with Client(cluster or scheduler) as client:
            shared = client.scatter(shipped, broadcast=True) if shipped is not None else None
            batches = list(_batches(documents, max(workers, 1)))
            futures = [client.submit(_extract_batch, b, shared, pure=False) for b in batches]
            order = {future.key: i for i, future in enumerate(futures)}
            done: dict[int, list[Extraction]] = {}
            following = 0  # the first batch not yet handed on
            bar = tqdm(total=len(documents), desc="extracting", unit="doc", disable=not progress)
            with bar:
                # Each result is fetched as it comes, while the workers go on with the rest.
                for future, found in as_completed(futures, with_results=True):
                    i = order[future.key]
                    done[i] = _with_texts(found, batches[i])
                    bar.update(len(found))
                    while following in done:
                        yield from done.pop(following)
                        following += 1
    finally:
        if cluster is not None:
            cluster.close()
