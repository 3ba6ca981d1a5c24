"""Fixtures for the real-client GIS tests: the small layers in tests/gis/data/layers, and the
app served by waitress on a loopback port for GDAL's OAPIF driver and Debian's ogrinfo.

The layers show the awkward cases: a line crossing the antimeridian unsplit and one already
split, polygons with clockwise rings, a null geometry, Point beside MultiPoint, hostile HTML.
The server runs in its own process: pyogrio holds the GIL while GDAL waits for HTTP, so a
server thread in the test process would never answer.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from geo.storage.files import FileFeatureStore

GIS_LAYERS = Path(__file__).parent / "data" / "layers"
ROOT = Path(__file__).resolve().parents[2]
SERVER = """
import sys
from waitress.server import create_server
from geo.settings import Settings
from webapp import create_app

layers, log, store = sys.argv[1], sys.argv[2], sys.argv[3]
app = create_app(Settings(layers_dir=layers, store=store), config={"TESTING": True})

def recording(environ, start_response):
    with open(log, "a", encoding="utf-8") as handle:
        handle.write(environ["PATH_INFO"] + "\\t" + environ.get("QUERY_STRING", "") + "\\n")
    return app(environ, start_response)

server = create_server(recording, host="127.0.0.1", port=0, threads=4)
print(server.effective_port, flush=True)
server.run()
"""


@pytest.fixture
def gis_layers() -> Path:
    return GIS_LAYERS


@pytest.fixture
def gis_store() -> FileFeatureStore:
    return FileFeatureStore(GIS_LAYERS)


@dataclass
class Served:
    """A running server and where it logs the (path, query string) of each request."""

    url: str
    log: Path

    def queries(self, path: str) -> list[str]:
        lines = self.log.read_text(encoding="utf-8").splitlines() if self.log.exists() else []
        return [query for seen, query in (line.split("\t", 1) for line in lines) if seen == path]


@pytest.fixture(scope="module", params=["files", "postgis"])
def served_app(request, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """The app on the GIS layers in a waitress process: from files, then from PostGIS."""
    log = tmp_path_factory.mktemp("served") / "requests.log"
    store = "files"
    if request.param == "postgis":
        store = request.getfixturevalue("postgis_database")(GIS_LAYERS)
    process = subprocess.Popen(
        [sys.executable, "-c", SERVER, str(GIS_LAYERS), str(log), store],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        port = int(process.stdout.readline())
        yield Served(f"http://127.0.0.1:{port}", log)
    finally:
        process.terminate()
        process.wait(timeout=10)
