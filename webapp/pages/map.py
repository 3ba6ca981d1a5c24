"""The map page at `/`: a folium map whose assets and data all come from this app."""

from __future__ import annotations

from urllib.parse import quote

from flask import Blueprint, Response, current_app, url_for
from werkzeug.routing import BuildError

from webapp import get_store
from webapp.assets import localise
from webapp.map import MapUrls, build_map

blueprint = Blueprint("map", __name__)


def _layer_url(name: str) -> str:
    return url_for("api.layer_geojson", name=name)


def _export_url(name: str) -> str:
    """The GeoJSON download of a layer (`/export/<layer>.geojson`, served by webapp.exports)."""
    try:
        return url_for("exports.export", layer=name, ext="geojson")
    except BuildError:  # the exports area is not plugged in: keep the documented address
        return url_for("map.index") + f"export/{quote(name)}.geojson"


def _pages() -> list[tuple[str, str]]:
    """The app's other pages, linked from the map's control."""
    return [
        ("Events", url_for("events.table")),
        ("Documents", url_for("documents.listing")),
        ("Add", url_for("ingest.new")),
    ]


@blueprint.get("/")
def index() -> Response:
    urls = MapUrls(
        layer=_layer_url,
        basemap=url_for("basemap.countries"),
        document=url_for("map.index") + "documents/",
        export=_export_url,
        pages=_pages(),
    )
    entries = get_store().collections()
    m = build_map(entries, urls, online_tiles=current_app.config["ONLINE_TILES"])
    figure = m.get_root()
    localise(
        figure,
        vendor_url=lambda path: url_for("vendor.vendor", filename=path),
        static_url=lambda path: url_for("static", filename=path),
    )
    return Response(figure.render(), mimetype="text/html")
