"""Which store a name or address means: `open_store(settings)` is the only place that knows.

Adding a backend is one module implementing `geo.storage.base` and one line in BACKENDS.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from geo.errors import InvalidParameter
from geo.settings import Settings
from geo.storage.base import Store
from geo.storage.files import FileDocumentStore, FileFeatureStore, FileLayerSink, FileMergeStore
from geo.storage.fts import SEARCH_FILE, FileSearchIndex
from geo.storage.reviews import REVIEW_DIR, FileReviewStore


def _files(settings: Settings) -> Store:
    features = FileFeatureStore(settings.layers_dir)
    documents = FileDocumentStore(settings.seeds_dir, examples=settings.examples)
    return Store(
        features=features,
        documents=documents,
        sink=FileLayerSink(settings.layers_dir),
        kind="files",
        details={"layers": str(settings.layers_dir), "seeds": str(settings.seeds_dir)},
        search=FileSearchIndex(features, documents, Path(settings.layers_dir) / SEARCH_FILE),
        merge=FileMergeStore(settings.layers_dir, features),
        reviews=FileReviewStore(settings.seeds_dir / REVIEW_DIR),
    )


def _postgis(settings: Settings) -> Store:
    # Imported here: the embedded store needs neither psycopg nor a database.
    from geo.storage.postgis import (
        PostgisDocumentStore,
        PostgisFeatureStore,
        PostgisLayerSink,
        PostgisMergeStore,
    )
    from geo.storage.postgis_reviews import PostgisReviewStore
    from geo.storage.postgis_search import PostgisSearchIndex

    dsn = settings.store
    features = PostgisFeatureStore(dsn)
    documents = PostgisDocumentStore(dsn)
    return Store(
        features=features,
        documents=documents,
        sink=PostgisLayerSink(dsn),
        kind="postgresql",
        details={"database": _without_password(dsn)},
        merge=PostgisMergeStore(dsn, features),
        reviews=PostgisReviewStore(dsn),
        search=PostgisSearchIndex(features.db, features, documents),
    )


def _without_password(dsn: str) -> str:
    """The address to show in messages: user, host and database, never the password."""
    from psycopg.conninfo import conninfo_to_dict

    parts = conninfo_to_dict(dsn)
    return f"postgresql://{parts.get('user', '')}@{parts.get('host', '')}:" + (
        f"{parts.get('port', '5432')}/{parts.get('dbname', '')}"
    )


# A store's name, or its address's scheme, to the function that opens it.
BACKENDS: dict[str, Callable[[Settings], Store]] = {"files": _files, "postgresql": _postgis}


def open_store(settings: Settings) -> Store:
    """The store `settings.store` names (`files`, or an address whose scheme is a backend)."""
    name = settings.store.split("://", 1)[0] if "://" in settings.store else settings.store
    opener = BACKENDS.get(name)
    if opener is None:
        raise InvalidParameter(
            f"unknown store {settings.store!r}; known stores: {', '.join(BACKENDS)}"
        )
    return opener(settings)
