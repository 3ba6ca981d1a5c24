"""The map page: every asset local, no feature inlined, small whatever the data size."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import orjson
import pytest

from geo.domain.model import ACTORS
from geo.settings import Settings
from webapp import create_app
from webapp.map import MapUrls, build_map
from webapp.map.client import ClientPart
from webapp.map.style import ACTOR_COLOURS

URL = re.compile(r"""(?:https?:)?//[^\s"'<>\\)]+""")
MAX_PAGE_BYTES = 30_000


class Links(HTMLParser):
    """Collects src/href of script, link and img tags."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if tag in ("script", "link", "img", "iframe") and name in ("src", "href") and value:
                self.urls.append((tag, value))


def page(client) -> str:
    response = client.get("/")
    assert response.status_code == 200
    assert response.content_type.startswith("text/html")
    return response.get_data(as_text=True)


def test_script_and_link_tags_point_only_at_this_app(client):
    parser = Links()
    parser.feed(page(client))
    urls = [url for _, url in parser.urls]
    assert any(url.endswith("/leaflet.js") for url in urls)
    assert any(url.endswith("leaflet.markercluster.js") for url in urls)
    for tag, url in parser.urls:
        assert (url.startswith("/") and not url.startswith("//")) or url == "data:,", (tag, url)
        assert "http" not in url, (tag, url)


def test_every_linked_asset_is_served(client):
    parser = Links()
    parser.feed(page(client))
    for _, url in parser.urls:
        if url.startswith("/"):
            response = client.get(url)
            assert response.status_code == 200, url
            response.close()


def test_only_the_optional_osm_layer_names_another_host(client):
    assert set(URL.findall(page(client))) <= {
        "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        "https://www.openstreetmap.org/copyright",
    }


def test_without_online_tiles_the_page_names_no_other_host(layers_dir, basemap_dir):
    app = create_app(
        Settings(layers_dir=layers_dir),
        config={"BASEMAP_DIR": basemap_dir, "ONLINE_TILES": False},
    )
    html = page(app.test_client())
    assert URL.findall(html) == []
    assert "openstreetmap" not in html.lower()


def test_features_are_loaded_by_url_not_inlined(client, synthetic_features, hostile):
    html = page(client)
    for features in synthetic_features.values():
        for feature in features:
            assert feature["id"] not in html
    assert "Sea of Japan" not in html  # evidence and place names stay in the API
    assert hostile not in html
    assert "<img src=x" not in html
    for name in ("exercises", "patrols", "zones", "places"):
        assert f'"/api/layers/{name}.geojson"' in html
    assert '"/basemap/countries.geojson"' in html


def test_page_is_small_and_carries_the_filter_groups(client):
    html = page(client)
    assert len(html.encode()) < MAX_PAGE_BYTES
    for part in ("filterState", "layerTree", "yearSlider", "urlState"):
        assert f"drillmap.{part}(" in html
    for actor in ("China", "Russia", "United States"):
        assert f'"name": "{actor}"' in html
    assert '"years": [2022, 2023, null]' in html
    assert '"exportUrl": "/export/exercises.geojson"' in html
    assert '"/static/drillmap/timeline.js"' in html and '"/static/drillmap/share.js"' in html


def _grow(layers: Path, copies: int) -> None:
    """Add `copies` clones of each exercise (new ids, same years/actors/kinds) to the layer."""
    path = layers / "exercises.geojson"
    collection = orjson.loads(path.read_bytes())
    originals = list(collection["features"])
    for n in range(copies):
        for feature in originals:
            clone = orjson.loads(orjson.dumps(feature))
            clone["id"] = clone["properties"]["id"] = f"clone-{n}-{feature['id']}"
            collection["features"].append(clone)
    path.write_bytes(orjson.dumps(collection))
    index = orjson.loads((layers / "index.json").read_bytes())
    index["layers"][0]["count"] = len(collection["features"])
    (layers / "index.json").write_bytes(orjson.dumps(index))


def test_page_does_not_grow_with_the_number_of_features(layers_dir, basemap_dir):
    app = create_app(Settings(layers_dir=layers_dir), config={"BASEMAP_DIR": basemap_dir})
    small = page(app.test_client())
    _grow(layers_dir, 1000)  # 3 exercises become 3003
    large = page(create_app(
        Settings(layers_dir=layers_dir),
        config={"BASEMAP_DIR": basemap_dir},
    ).test_client())
    assert "clone-" not in large
    strip = re.compile(r"_[0-9a-f]{32}")  # folium's element names are random
    assert abs(len(strip.sub("", large)) - len(strip.sub("", small))) <= 4  # "count": 3 → 3003


def test_only_leaflet_of_folium_defaults_is_loaded(client):
    parser = Links()
    parser.feed(page(client))
    urls = " ".join(url for _, url in parser.urls)
    for unused in ("jquery", "bootstrap", "fontawesome", "awesome-markers"):
        assert unused not in urls
    assert "/vendor/leaflet-polylinedecorator/dist/leaflet.polylineDecorator.js" in urls


def test_scale_bar_and_route_arrows_are_configured(client):
    html = page(client)
    assert "L.control.scale().addTo(" in html  # metric and imperial (Leaflet's defaults)
    assert '"arrows": true' in html  # patrols


def test_client_part_names_only_identifiers():
    with pytest.raises(ValueError):
        ClientPart("x(); alert(1)", {})


def test_build_map_needs_no_flask():
    urls = MapUrls(layer=lambda n: f"/l/{n}", basemap="/b", document="/d/")
    html = build_map([], urls, online_tiles=False).get_root().render()
    assert "drillmap.urlState(" in html


def test_map_is_centred_on_the_theatre_without_tiles_by_default(client):
    html = page(client)
    assert "center: [33.0, 130.0]" in html
    assert '"maxZoom": 12' in html
    assert '"zoom": 5' in html
    assert "L.tileLayer" in html  # offered, but only added when picked in the layer control
    assert re.search(r"tile_layer_\w+\.addTo\(", html) is None


def test_every_actor_has_a_colour():
    assert set(ACTOR_COLOURS) == set(ACTORS)
    assert len(set(ACTOR_COLOURS.values())) == len(ACTOR_COLOURS)
