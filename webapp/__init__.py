"""drillmap's Flask app: an application factory with one blueprint per area.

The app only reads built layers (through `geo.storage.files.LayerStore`) and shows documents; it never
parses document text.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask, current_app

from geo.storage.files import LayerStore

DEFAULT_LAYERS_DIR = Path("layers")
DEFAULT_SEEDS_DIR = Path("seeds")
REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_NODE_MODULES = REPO_ROOT / "node_modules"  # browser assets, from `npm ci`
DEFAULT_BASEMAP_DIR = REPO_ROOT / "var" / "basemap"  # cache of `python -m webapp.basemap`


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the app.

    Config keys: LAYERS_DIR, SEEDS_DIR, ALLOW_WRITES, TESTING, NODE_MODULES, BASEMAP_DIR,
    ONLINE_TILES (offer an OpenStreetMap base layer, off until picked).
    """
    app = Flask(__name__)
    app.config.update(
        LAYERS_DIR=DEFAULT_LAYERS_DIR,
        SEEDS_DIR=DEFAULT_SEEDS_DIR,
        ALLOW_WRITES=False,
        JSON_SORT_KEYS=False,
        NODE_MODULES=DEFAULT_NODE_MODULES,
        BASEMAP_DIR=DEFAULT_BASEMAP_DIR,
        ONLINE_TILES=True,
    )
    app.config.update(config or {})
    app.extensions["drillmap_store"] = LayerStore(Path(app.config["LAYERS_DIR"]))

    from webapp import blueprints

    blueprints.register_all(app)
    return app


def get_store() -> LayerStore:
    """The layer store of the app handling the current request."""
    return current_app.extensions["drillmap_store"]
