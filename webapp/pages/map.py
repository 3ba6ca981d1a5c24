"""The map page at `/`: a folium map whose assets and data all come from this app."""

from __future__ import annotations

import hashlib
from urllib.parse import quote

from flask import Blueprint, Response, current_app, request, url_for
from werkzeug.routing import BuildError

from webapp import get_store
from webapp.assets import CHART_JS, localise
from webapp.map import MapUrls, build_map
from webapp.security import policy_with_scripts

blueprint = Blueprint("map", __name__)
CACHE = "drillmap_map_page"


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
        ("Review", url_for("review.queue")),
        ("Add", url_for("ingest.new")),
    ]


def _render() -> str:
    urls = MapUrls(
        layer=_layer_url,
        basemap=url_for("basemap.countries"),
        document=url_for("map.index") + "documents/",
        export=_export_url,
        pages=_pages(),
        search=url_for("search.results"),
        stats=url_for("stats.api_stats"),
        stats_page=url_for("stats.page"),
        chart_js=[url_for("vendor.vendor", filename=path) for path in CHART_JS],
        review=url_for("map.index") + "review/",
        review_session=url_for("review.session_state"),
        events=url_for("events.table"),
    )
    entries = get_store().collections()
    m = build_map(entries, urls, online_tiles=current_app.config["ONLINE_TILES"])
    figure = m.get_root()
    localise(
        figure,
        vendor_url=lambda path: url_for("vendor.vendor", filename=path),
        static_url=lambda path: url_for("static", filename=path),
    )
    return figure.render()


@blueprint.get("/")
def index() -> Response:
    """The map, rendered once per version of the layers (and cached until they change)."""
    cache: dict[tuple, tuple[str, str]] = current_app.extensions.setdefault(CACHE, {})
    key = (get_store().version(), request.script_root, current_app.config["ONLINE_TILES"])
    page = cache.get(key)
    if page is None:
        html = _render()
        page = (html, policy_with_scripts(html))
        cache.clear()  # an older version of the layers is never asked for again
        cache[key] = page
    response = Response(page[0], mimetype="text/html")
    response.headers["Content-Security-Policy"] = page[1]
    response.set_etag(hashlib.sha256(repr(key).encode()).hexdigest()[:32])
    return response
