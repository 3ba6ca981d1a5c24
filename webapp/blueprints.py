"""Where each area's blueprint is plugged in, so adding an area touches one line here."""

from __future__ import annotations

from flask import Flask


def register_all(app: Flask) -> None:
    from webapp.api import blueprint as api_blueprint
    from webapp.assets import blueprint as vendor_blueprint
    from webapp.basemap import blueprint as basemap_blueprint
    from webapp.mapview import blueprint as map_blueprint

    app.register_blueprint(map_blueprint)
    app.register_blueprint(api_blueprint, url_prefix="/api")
    app.register_blueprint(vendor_blueprint)
    app.register_blueprint(basemap_blueprint)
