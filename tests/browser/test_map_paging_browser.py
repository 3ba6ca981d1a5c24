"""A layer larger than the map's first page: the first page is drawn at once, the rest follows
in later requests, and every feature ends up drawn."""

from __future__ import annotations

from pathlib import Path

import pytest
from browser_support import BROWSER_TEST
from shapely.geometry import Point

from geo.domain.features import event_feature, layer_summary
from geo.domain.model import Event
from geo.settings import Settings
from geo.storage.base import BuiltLayers
from geo.storage.files import FileLayerSink
from webapp import create_app

pytestmark = BROWSER_TEST
COUNT = 1_200  # more than the map's first page (dm.FIRST_PAGE = 500)


def _layers(root: Path) -> Path:
    features = []
    for i in range(COUNT):
        event = Event(
            kind="naval_exercise", name=None, year=2023, actors=["China"],
            place_ids=["sea-of-japan"], evidence=[], confidence=0.8, doc_ids=["d"],
        )
        geometry = Point(125 + (i % 40) * 0.4, 25 + (i // 40) * 0.5)
        features.append(event_feature(
            event, fid=f"exercises-{i:05d}", place_names=["Sea of Japan"], geometry=geometry,
            evidence=[], title=f"Drill {i}",
        ))
    layers = {"exercises": features}
    index = {"layers": [layer_summary("exercises", features)], "documents": []}
    FileLayerSink(root).write(BuiltLayers(layers=layers, index=index))
    return root


@pytest.fixture(scope="module")
def base_url(tmp_path_factory, basemap_dir, serve):
    root = _layers(tmp_path_factory.mktemp("paging") / "layers")
    app = create_app(Settings(layers_dir=root), config={"BASEMAP_DIR": basemap_dir})
    with serve(app) as url:
        yield url


def test_a_large_layer_arrives_in_pages_and_is_drawn_whole(open_map, base_url):
    view = open_map(base_url)
    view.settle(COUNT)
    assert len(view.drawn_ids()) == COUNT
    pages = [u for u in view.page.requests if "/api/layers/exercises.geojson" in u]
    assert any("offset=0" in u and "limit=500" in u for u in pages), pages
    assert any("offset=500" in u for u in pages), pages
    assert view.page.problems == []
