"""The map page: every asset local, no feature inlined, small whatever the data size."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from geo.model import ACTORS
from webapp import create_app
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
    app = create_app({"LAYERS_DIR": layers_dir, "BASEMAP_DIR": basemap_dir, "ONLINE_TILES": False})
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
    assert "drillmap.filterControl(" in html
    for actor in ("China", "Russia", "United States"):
        assert f'"name": "{actor}"' in html
    assert '"years": [2022, 2023, null]' in html


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
