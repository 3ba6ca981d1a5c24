"""Every answer carries the security headers, is compressed when asked, and revalidates to 304."""

from __future__ import annotations

import base64
import gzip
import hashlib
import re

import brotli
import orjson
import pytest

PAGES = [
    "/",
    "/events",
    "/documents",
    "/documents/new",
    "/api/layers",
    "/api/layers/exercises.geojson?year=2023",
    "/ogc",
    "/ogc?f=html",
    "/ogc/collections/exercises/items?f=html",
    "/export/exercises.geojson",
    "/api/layers/nope.geojson",
]
REVALIDATED = [
    "/",
    "/events",
    "/api/layers/exercises.geojson",
    "/ogc/collections",
    "/ogc/collections/patrols/items",
    "/export/exercises.gpkg",
    "/export/exercises.csv",
]
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", re.S | re.I)


@pytest.mark.parametrize("path", PAGES)
def test_every_answer_carries_the_security_headers(client, path):
    response = client.get(path)
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    policy = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in policy
    script_src = next(p for p in policy.split("; ") if p.startswith(("script-src", "default-src")))
    assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src


def test_the_map_allows_exactly_its_own_inline_scripts(client):
    response = client.get("/")
    html = response.get_data(as_text=True)
    scripts = INLINE_SCRIPT.findall(html)
    assert scripts  # folium renders the map with inline scripts
    policy = response.headers["Content-Security-Policy"]
    for script in scripts:
        digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in policy
    assert len(re.findall(r"'sha256-", policy)) == len(set(scripts))


@pytest.mark.parametrize(
    ("encoding", "decode"), [("gzip", gzip.decompress), ("br", brotli.decompress)]
)
def test_json_and_pages_are_compressed_when_asked(client, encoding, decode):
    for path in ("/api/layers/exercises.geojson", "/", "/ogc/api"):
        plain = client.get(path)
        packed = client.get(path, headers={"Accept-Encoding": encoding})
        assert packed.headers["Content-Encoding"] == encoding, path
        assert decode(packed.data) == plain.data, path
        assert "Accept-Encoding" in packed.headers["Vary"]


@pytest.mark.parametrize("path", REVALIDATED)
@pytest.mark.parametrize("encoding", ["", "gzip"])
def test_a_client_with_the_current_version_gets_304(client, path, encoding):
    headers = {"Accept-Encoding": encoding} if encoding else {}
    first = client.get(path, headers=headers)
    assert first.status_code == 200
    assert first.headers.get("ETag") and first.headers.get("Last-Modified"), path
    again = client.get(path, headers={**headers, "If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304, path
    assert again.data == b""


def test_the_map_page_is_rendered_once_per_layer_version(client, layers_dir):
    first = client.get("/")
    assert client.get("/").data == first.data  # cached: the same bytes, so the same ETag
    store = client.application.extensions["drillmap_store"].features
    path = layers_dir / "index.json"
    index = orjson.loads(path.read_bytes())
    index["layers"] = [entry for entry in index["layers"] if entry["name"] != "places"]
    path.write_bytes(orjson.dumps(index))
    store.refresh()
    changed = client.get("/")
    assert changed.data != first.data
    assert changed.headers["ETag"] != first.headers["ETag"]
