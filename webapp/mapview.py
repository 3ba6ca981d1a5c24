"""The map page at `/`: a folium map whose assets and data all come from this app."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, url_for

from webapp import get_store
from webapp.assets import localise
from webapp.map import MapUrls, build_map

blueprint = Blueprint("map", __name__)


def _layer_url(name: str) -> str:
    return url_for("api.layer_geojson", name=name)


@blueprint.get("/")
def index() -> Response:
    urls = MapUrls(
        layer=_layer_url,
        basemap=url_for("basemap.countries"),
        document=url_for("map.index") + "documents/",
    )
    m = build_map(get_store().index(), urls, online_tiles=current_app.config["ONLINE_TILES"])
    figure = m.get_root()
    localise(
        figure,
        vendor_url=lambda path: url_for("vendor.vendor", filename=path),
        static_url=lambda path: url_for("static", filename=path),
    )
    return Response(figure.render(), mimetype="text/html")
