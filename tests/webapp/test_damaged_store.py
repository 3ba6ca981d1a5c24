"""A damaged layer file costs that layer only: 503 for it, a notice on the pages, the rest works."""

from __future__ import annotations

import os
import shutil

import orjson
import pytest

from geo.errors import StoreUnavailable
from geo.storage.files import FileFeatureStore

DAMAGES = {
    "truncated": lambda data: data[: len(data) // 2],
    "not a collection": lambda data: b'{"type": "Feature"}',
    "features of the wrong shape": lambda data: b'{"features": [1, 2, 3]}',
    "a bad date": lambda data: data.replace(b'"2022-05-24"', b'"2022-13-45"', 1),
}


@pytest.fixture
def damaged_client(app, layers_dir, request):
    path = layers_dir / "exercises.geojson"
    path.write_bytes(DAMAGES[request.param](path.read_bytes()))
    return app.test_client()


@pytest.mark.parametrize("damaged_client", sorted(DAMAGES), indirect=True)
def test_a_damaged_layer_is_503_and_the_rest_keeps_working(damaged_client):
    client = damaged_client
    broken = client.get("/api/layers/exercises.geojson")
    assert broken.status_code == 503
    body = broken.get_json()
    assert body["code"] == "ServiceUnavailable" and "exercises" in body["description"]
    assert client.get("/ogc/collections/exercises/items").status_code == 503
    assert client.get("/export/exercises.geojson").status_code == 503
    assert client.get("/api/layers/patrols.geojson").status_code == 200
    assert client.get("/ogc/collections/patrols/items").get_json()["numberMatched"] == 2
    assert client.get("/").status_code == 200
    for path in ("/events", "/documents", "/documents/000_aaaa"):
        page = client.get(path)
        assert page.status_code == 200, path
        assert "layer &#39;exercises&#39; cannot be read" in page.get_data(as_text=True), path
    assert "pa-naval-2023" in client.get("/events").get_data(as_text=True)


def test_a_damaged_index_is_503_with_the_reason(app, layers_dir):
    (layers_dir / "index.json").write_bytes(b'{"layers": [')
    client = app.test_client()
    response = client.get("/api/layers")
    assert response.status_code == 503
    assert "index" in response.get_json()["description"]
    assert client.get("/").status_code == 503
    assert client.get("/events").status_code == 503


def test_the_damage_is_logged_once_and_a_repaired_file_is_read_again(
    layers_dir, tmp_path, caplog
):
    store = FileFeatureStore(layers_dir)
    path = layers_dir / "zones.geojson"
    good = path.read_bytes()
    path.write_bytes(good[:10])
    with caplog.at_level("ERROR", logger="drillmap.storage"):
        for _ in range(3):
            with pytest.raises(StoreUnavailable):
                store.layer("zones")
    assert len([r for r in caplog.records if "zones.geojson" in r.getMessage()]) == 1
    path.write_bytes(good)
    store.refresh()
    assert len(store.layer("zones").features) == 1
    assert store.problems() == []


def test_a_copy_with_the_same_size_and_an_old_mtime_is_picked_up(layers_dir, tmp_path):
    """`cp -p` keeps size and mtime; the store must still see the new content."""
    store = FileFeatureStore(layers_dir)
    path = layers_dir / "patrols.geojson"
    before = store.layer("patrols")
    version = store.version()
    other = tmp_path / "patrols.geojson"
    collection = orjson.loads(path.read_bytes())
    collection["features"].reverse()  # same bytes, other order: the same size
    other.write_bytes(orjson.dumps(collection))
    other.write_bytes(other.read_bytes().ljust(path.stat().st_size))
    assert other.stat().st_size == path.stat().st_size
    stat = path.stat()
    shutil.copyfile(other, path)  # in place, like cp -p: same inode, size and mtime
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    store.refresh()
    after = store.layer("patrols")
    assert [f["id"] for f in after.features] == [f["id"] for f in reversed(before.features)]
    assert store.version() != version


def test_an_identical_rebuild_keeps_the_version(layers_dir):
    store = FileFeatureStore(layers_dir)
    version = store.version()
    for path in layers_dir.iterdir():
        data = path.read_bytes()
        path.unlink()
        path.write_bytes(data)  # a new file (new inode and times), the same content
    store.refresh()
    assert store.version() == version
