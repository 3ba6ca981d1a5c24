"""drillmap's Flask app: an application factory with one blueprint per area.

The app reads only through the store interfaces (`geo.storage.base`), handed in or opened from
settings; it never parses document text and never touches files or SQL itself.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask, current_app
from flask_compress import Compress

from geo.settings import Settings
from geo.storage.base import DocumentStore, FeatureStore, Store
from geo.storage.registry import open_store

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_NODE_MODULES = REPO_ROOT / "node_modules"  # browser assets, from `npm ci`
DEFAULT_BASEMAP_DIR = REPO_ROOT / "var" / "basemap"  # cache of `python -m webapp.basemap`
STORE_EXTENSION = "drillmap_store"
COMPRESSED_TYPES = (
    "application/json",
    "application/geo+json",
    "application/vnd.oai.openapi+json",
    "text/html",
    "text/css",
    "text/javascript",
    "application/javascript",
    "text/csv",
    "application/vnd.google-earth.kml+xml",
)


def create_app(
    settings: Settings | None = None,
    store: Store | None = None,
    config: dict[str, Any] | None = None,
) -> Flask:
    """Build the app on `store`, or on the store `settings` name (default: DRILLMAP_* or files).

    `config` sets Flask config keys: TESTING, NODE_MODULES, BASEMAP_DIR, ONLINE_TILES (offer an
    OpenStreetMap base layer, off until picked), ALLOW_WRITES, BOUND_HOST, USERS_FILE and
    ALLOWED_HOSTS, REQUEST_SECONDS and BEHIND_PROXY (these six default from the settings).
    """
    settings = settings or Settings.from_env()
    app = Flask(__name__)
    app.config.update(
        ALLOW_WRITES=settings.allow_writes,
        BOUND_HOST=settings.host,
        USERS_FILE=settings.users_file,
        ALLOWED_HOSTS=settings.allowed_hosts,
        REQUEST_SECONDS=settings.request_seconds,
        BEHIND_PROXY=settings.behind_proxy,
        # Compressed: JSON, GeoJSON, HTML, scripts and styles (the basemap is 4x smaller).
        COMPRESS_MIMETYPES=list(COMPRESSED_TYPES),
        COMPRESS_ALGORITHM=["br", "gzip"],
        COMPRESS_MIN_SIZE=1024,
        JSON_SORT_KEYS=False,
        NODE_MODULES=DEFAULT_NODE_MODULES,
        BASEMAP_DIR=DEFAULT_BASEMAP_DIR,
        ONLINE_TILES=True,
    )
    app.config.update(config or {})
    app.extensions[STORE_EXTENSION] = store or open_store(settings)

    from webapp import blueprints, budget, caching, errors, security

    Compress(app)
    blueprints.register_all(app)
    errors.init_app(app)
    caching.init_app(app)
    budget.init_app(app)
    security.init_app(app)
    return app


def get_backend() -> Store:
    """The store of the app handling the current request."""
    return current_app.extensions[STORE_EXTENSION]


def get_store() -> FeatureStore:
    """The feature store (built layers) of the app handling the current request."""
    return get_backend().features


def get_documents() -> DocumentStore:
    """The document store of the app handling the current request."""
    return get_backend().documents
