"""Vendored assets: the CDN mapping, the allow-list, and the per-instance rewrite."""

from __future__ import annotations

import folium
import pytest
from folium.plugins import MarkerCluster

from webapp.assets import (
    ALLOWED_FILES,
    NPM_FILES,
    VENDOR,
    UnknownAsset,
    is_allowed,
    localise,
    npm,
)


def test_every_mapped_file_exists_in_node_modules(app):
    root = app.config["NODE_MODULES"]
    missing = [name for name in sorted(ALLOWED_FILES) if not (root / name).is_file()]
    assert missing == [], "run `npm ci`"


@pytest.mark.parametrize(
    "path",
    [
        "leaflet/dist/leaflet.js",
        "leaflet/dist/images/layers-2x.png",
        "@fortawesome/fontawesome-free/webfonts/fa-solid-900.woff2",
        "leaflet.awesome-markers/dist/images/markers-soft.png",
        "leaflet-polylinedecorator/dist/leaflet.polylineDecorator.js",
    ],
)
def test_allowed(path):
    assert is_allowed(path)


@pytest.mark.parametrize(
    "path",
    [
        "leaflet/package.json",
        "leaflet/dist/leaflet-src.js",
        "leaflet/dist/images/../../package.json",
        "../pyproject.toml",
        "/etc/passwd",
        "world-atlas/countries-50m.json",
        "leaflet/dist/images/sub/x.png",
        "",
    ],
)
def test_not_allowed(path, client):
    assert not is_allowed(path)
    assert client.get(f"/vendor/{path}").status_code in (404, 308)  # 308: Flask merges "//"


def test_vendor_serves_with_a_content_type(client):
    response = client.get("/vendor/leaflet/dist/leaflet.css")
    assert response.status_code == 200
    assert response.content_type.startswith("text/css")


def test_localise_rewrites_instances_not_classes():
    m = folium.Map(tiles=None)
    cluster = MarkerCluster().add_to(m)
    localise(m, vendor_url=lambda p: f"/v/{p}", static_url=lambda p: f"/s/{p}")
    assert ("leaflet", "/v/leaflet/dist/leaflet.js") in m.default_js
    assert all(url.startswith("/v/") for _, url in m.default_js + m.default_css)
    assert all(url.startswith("/v/") for _, url in cluster.default_js + cluster.default_css)
    assert not any("glyphicons" in url for _, url in m.default_css)
    assert folium.Map.default_js[0][1].startswith("https://")  # class lists untouched
    assert set(VENDOR) >= {url for _, url in folium.Map.default_js}


def test_localise_refuses_unknown_cdn_urls():
    m = folium.Map(tiles=None)
    m.default_js = [*m.default_js, ("x", "https://example.com/x.js")]
    with pytest.raises(UnknownAsset):
        localise(m, vendor_url=str, static_url=str)


def test_npm_files_are_named_and_localised():
    assert NPM_FILES <= ALLOWED_FILES
    m = folium.Map(tiles=None)
    path = "leaflet-polylinedecorator/dist/leaflet.polylineDecorator.js"
    m.default_js = [("deco", npm(path))]
    localise(m, vendor_url=lambda p: f"/v/{p}", static_url=str)
    assert m.default_js == [("deco", f"/v/{path}")]
    with pytest.raises(UnknownAsset):
        npm("leaflet-rotatedmarker/leaflet.rotatedMarker.js")  # installed, but not served
