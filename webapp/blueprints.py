"""Where each area's blueprint is plugged in, so adding an area touches one line here."""

from __future__ import annotations

from flask import Flask


def register_all(app: Flask) -> None:
    from webapp.api import blueprint as api_blueprint
    from webapp.assets import blueprint as vendor_blueprint
    from webapp.basemap import blueprint as basemap_blueprint
    from webapp.exports import blueprint as exports_blueprint
    from webapp.ogc import blueprint as ogc_blueprint
    from webapp.pages.documents import blueprint as documents_blueprint
    from webapp.pages.events import blueprint as events_blueprint
    from webapp.pages.ingest import blueprint as ingest_blueprint
    from webapp.pages.map import blueprint as map_blueprint
    from webapp.pages.review import blueprint as review_blueprint
    from webapp.pages.search import blueprint as search_blueprint
    from webapp.pages.stats import blueprint as stats_blueprint

    app.register_blueprint(map_blueprint)
    app.register_blueprint(api_blueprint, url_prefix="/api")
    app.register_blueprint(vendor_blueprint)
    app.register_blueprint(basemap_blueprint)
    app.register_blueprint(exports_blueprint)
    app.register_blueprint(ogc_blueprint)
    app.register_blueprint(documents_blueprint)
    app.register_blueprint(events_blueprint)
    app.register_blueprint(ingest_blueprint)
    app.register_blueprint(search_blueprint)
    app.register_blueprint(stats_blueprint)
    app.register_blueprint(review_blueprint)
