"""Shared fixtures: a small synthetic `layers/` directory following the build's contract.

Seven features over two years and three actors (plus one undated place), so filters visibly
change what is drawn; one exercise carries hostile text in every string a popup shows.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from shapely.geometry import LineString, Point, box
from shapely.geometry.base import BaseGeometry

# pytest puts tests/ on sys.path, where tests/webapp and tests/geo (no __init__.py) would win as
# namespace packages over an editable install; a regular package anywhere on the path beats them.
# (`pythonpath = ["."]` in pytest's config would do the same.)
REPO_ROOT = str(Path(__file__).resolve().parent.parent)
if REPO_ROOT not in sys.path:
    sys.path.append(REPO_ROOT)

from geo.domain.features import (  # noqa: E402
    EvidenceJSON,
    Feature,
    HeldThere,
    event_feature,
    layer_summary,
    place_feature,
)
from geo.domain.model import Event  # noqa: E402
from geo.settings import Settings  # noqa: E402
from geo.storage.base import BuiltLayers  # noqa: E402
from geo.storage.files import FileLayerSink  # noqa: E402
from webapp import create_app  # noqa: E402

HOSTILE = (
    "<script>window.__xss='script'</script> <img src=x onerror=\"window.__xss='img'\"> "
    "`${window.__xss='tpl'}` C:\\temp\\ \\u003c/script> </script><b>bold</b> & 'quote\""
)
HOSTILE_DOC_ID = '001_"><img src=x onerror=alert(1)>'


def _evidence(doc_id: str, title: str, text: str, published: str | None) -> EvidenceJSON:
    return {
        "doc_id": doc_id,
        "title": title,
        "published": published,
        "text": text,
        "start": 0,
        "end": len(text),
    }


def _place_id(name: str) -> str:
    return name.lower().replace(" ", "_")


def _event(
    fid: str,
    geometry: BaseGeometry | None,
    *,
    kind: str,
    title: str,
    year: int | None,
    actors: list[str],
    name: str | None = None,
    places: list[str] | None = None,
    evidence: list[EvidenceJSON] | None = None,
    dates: tuple[str | None, str | None] = (None, None),
) -> tuple[Feature, Event]:
    """An event feature made by the build's own Event→Feature function."""
    evidence = evidence or []
    event = Event(
        kind=kind,
        name=name,
        year=year,
        actors=actors,
        place_ids=[_place_id(p) for p in places or []],
        evidence=[],
        confidence=0.8,
        date_start=date.fromisoformat(dates[0]) if dates[0] else None,
        date_end=date.fromisoformat(dates[1]) if dates[1] else None,
        doc_ids=list(dict.fromkeys(e["doc_id"] for e in evidence)),
    )
    feature = event_feature(
        event, fid=fid, place_names=places or [], geometry=geometry, evidence=evidence, title=title
    )
    return feature, event


@dataclass(frozen=True)
class _Place:
    """A gazetteer place as the place-feature builder reads it."""

    name: str
    kind: str
    geometry: BaseGeometry
    aliases: tuple[str, ...] = ()
    disputed: bool = False
    source: str = "test"

    @property
    def id(self) -> str:
        return _place_id(self.name)


DOCS = [
    {
        "id": "000_aaaa",
        "path": "seeds/000_aaaa.txt",
        "title": "China and Russia hold joint drills",
        "published": "2022-05-24",
        "source": "VOA",
        "url": None,
        "sha256": "0" * 64,
    },
    {
        "id": HOSTILE_DOC_ID,
        "path": "seeds/001.txt",
        "title": HOSTILE,
        "published": "2023-07-21",
        "source": None,
        "url": None,
        "sha256": "1" * 64,
    },
]


def synthetic_layers() -> dict[str, list[Feature]]:
    """Features by layer name: what a small `drillmap build` could have written."""
    joint = _evidence(
        "000_aaaa",
        DOCS[0]["title"],
        "Chinese and Russian warships drilled in the Sea of Japan.",
        "2022-05-24",
    )
    hostile = _evidence(HOSTILE_DOC_ID, HOSTILE, HOSTILE, "2023-07-21")
    exercises = [
        _event(
            "ex-joint-2022",
            Point(134.5, 40.5),
            kind="naval_exercise",
            title="Joint Sea-2022",
            name="Joint Sea-2022",
            year=2022,
            actors=["China", "Russia"],
            places=["Sea of Japan"],
            evidence=[joint],
            dates=("2022-05-24", "2022-05-27"),
        )[0],
        _event(
            "ex-hostile-2023",
            Point(127.0, 31.0),
            kind="naval_exercise",
            title=HOSTILE,
            name=HOSTILE,
            year=2023,
            actors=["United States"],
            places=[HOSTILE],
            evidence=[hostile],
        )[0],
        _event(
            "ex-nowhere-2023",
            None,
            kind="naval_exercise",
            title="Exercise with no known place",
            year=2023,
            actors=["China"],
            evidence=[joint],
        )[0],
    ]
    naval_patrol, naval_event = _event(
        "pa-naval-2023",
        LineString([(123.0, 25.0), (125.0, 27.5), (129.0, 29.0)]),
        kind="naval_patrol",
        title="Naval patrol near Miyako",
        year=2023,
        actors=["China"],
        places=["Miyako Strait"],
        evidence=[joint],
    )
    patrols = [
        _event(
            "pa-bombers-2022",
            LineString([(128.0, 36.0), (129.5, 34.0), (131.0, 31.0)]),
            kind="bomber_flight",
            title="Joint bomber flight",
            year=2022,
            actors=["Russia", "China"],
            places=["Korea Strait"],
            evidence=[joint],
        )[0],
        naval_patrol,
    ]
    east_china_sea = _Place("East China Sea", "sea", box(121, 25, 129, 33), aliases=("Donghai",))
    tsushima = _Place("Tsushima", "island", Point(129.3, 34.4))
    held_there = [(naval_patrol["id"], naval_event)]
    zones = [place_feature(east_china_sea, "zones", [joint], HeldThere.of(held_there), [])]
    places = [place_feature(tsushima, "places", [], HeldThere.of([]), [])]
    return {"exercises": exercises, "patrols": patrols, "zones": zones, "places": places}


def write_layers(root: Path) -> Path:
    """Write the layers and their index through the file store's sink, as `drillmap build` does."""
    layers = synthetic_layers()
    index = {
        "layers": [layer_summary(name, features) for name, features in layers.items()],
        "documents": DOCS,
    }
    FileLayerSink(root).write(BuiltLayers(layers=layers, index=index))
    return root


@pytest.fixture(scope="session")
def hostile() -> str:
    """The hostile string used as title, name, place, evidence and document title."""
    return HOSTILE


@pytest.fixture(scope="session")
def hostile_doc_id() -> str:
    return HOSTILE_DOC_ID


@pytest.fixture
def synthetic_features() -> dict[str, list[dict[str, Any]]]:
    return synthetic_layers()


@pytest.fixture(scope="session")
def make_layers():
    """`write_layers` for fixtures of wider scope (test modules import no conftest names)."""
    return write_layers


@pytest.fixture
def layers_dir(tmp_path: Path) -> Path:
    return write_layers(tmp_path / "layers")


@pytest.fixture(scope="session")
def basemap_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One basemap cache for the session (built lazily by the first request that needs it)."""
    return tmp_path_factory.mktemp("basemap")


@pytest.fixture
def app(layers_dir: Path, basemap_dir: Path):
    return create_app(
        Settings(layers_dir=layers_dir),
        config={"BASEMAP_DIR": basemap_dir, "TESTING": True},
    )


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def geojson_problems():
    """What a GeoJSON validator finds wrong with a FeatureCollection (empty when valid).

    Not the validator's "crosses_antimeridian" check: it maps 180 to -180, so it flags the
    correct RFC 7946 cut (a part ending at +180) too.
    """
    import geojson_validator

    geojson_validator.configure_logging(enabled=False)

    def problems(collection: dict) -> dict:
        found = dict(geojson_validator.validate_structure(collection, check_crs=True))
        report = geojson_validator.validate_geometries(
            collection,
            criteria_problematic=[
                "excessive_coordinate_precision",
                "outside_lat_lon_boundaries",
                "3d_coordinates",
            ],
        )
        found.update(report["invalid"])
        found.update(report["problematic"])
        return found

    return problems


@pytest.fixture(scope="session")
def postgis_cluster():
    """A throwaway PostgreSQL + PostGIS on loopback for the session (tools/pgcluster.py), with
    drillmap's schema; stopped and deleted at the end. Missing PostgreSQL or PostGIS fails the
    PostGIS tests in CI (CI=true) and skips them elsewhere, saying what to install."""
    from tools import pgcluster

    try:
        cluster = pgcluster.create()
    except (pgcluster.ClusterUnavailable, OSError) as exc:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"the PostGIS tests need PostgreSQL and PostGIS: {exc}")
        pytest.skip(f"PostgreSQL/PostGIS not available here: {exc}")
    from geo.storage.migrate import migrate
    from geo.storage.postgis import close_pools

    migrate(cluster.dsn(), init=True)
    yield cluster
    close_pools()
    pgcluster.destroy(cluster)


@pytest.fixture
def postgis_dsn(postgis_cluster) -> str:
    """The session database, emptied for this test (a new version, so no ETag carries over)."""
    import psycopg

    dsn = postgis_cluster.dsn()
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(
            "TRUNCATE documents, layers, features, feature_bodies, evidence, built_documents,"
            " merge_records, merge_evidence, merge_owners, merge_mentions, merge_members,"
            " layer_facets,"
            " corrections, review_audit, search_entries"
        )
        conn.execute("ALTER SEQUENCE documents_position_seq RESTART")
        conn.execute(
            "UPDATE store_state SET version = version + 1, modified = now(),"
            " records_token = NULL, search_version = NULL"
        )
    return dsn


def _copy_layers(layers_dir: Path, dsn: str, seeds_dir: Path | None = None) -> str:
    """The layers and index of a file-store folder, written into PostGIS by its sink (and the
    texts of `seeds_dir` under the same document ids, for the document pages)."""
    import hashlib

    import psycopg

    from geo.domain.query import FeatureQuery
    from geo.storage.files import FileDocumentStore, FileFeatureStore
    from geo.storage.postgis import PostgisLayerSink

    files = FileFeatureStore(layers_dir)
    layers = {
        entry["name"]: list(files.query(entry["name"], FeatureQuery()).features)
        for entry in files.collections()
    }
    # The file store keeps mentions beside its index (its merge records); PostGIS keeps
    # them in the index, as a build writes it for a sink that keeps no records.
    index = files.index()
    index = {**index, "documents": [files.document(d["id"]) for d in index["documents"]]}
    if seeds_dir is not None:  # first: the sink indexes the texts it finds for search
        with psycopg.connect(dsn, autocommit=True) as conn:
            for position, document in enumerate(FileDocumentStore(seeds_dir).documents()):
                meta, text = document.meta, document.text
                conn.execute(
                    "INSERT INTO documents (id, position, sha256, body, title, published,"
                    " published_year, source, url, pending) VALUES"
                    " (%s, %s, %s, %s, %s, %s, %s, %s, %s, false)",
                    [meta.doc_id, position, hashlib.sha256(text.encode()).hexdigest(), text,
                     meta.title, meta.published, meta.published_year, meta.source, meta.url],
                )
    PostgisLayerSink(dsn).write(BuiltLayers(layers=layers, index=index))
    return dsn


@pytest.fixture
def postgis_layers(postgis_dsn):
    """A function: a layers folder → the address of the test's database holding those layers,
    so a web test runs on PostGIS with the same data as on files."""
    return lambda layers_dir: _copy_layers(Path(layers_dir), postgis_dsn)


@pytest.fixture(scope="session")
def postgis_database(postgis_cluster):
    """A function: a layers folder → a new database of its own holding them (for fixtures of
    module scope, such as a served app, that the per-test emptying must not touch)."""
    from geo.storage.migrate import migrate
    from tools.pgcluster import create_database

    made: list[str] = []

    def database(layers_dir: Path, seeds_dir: Path | None = None) -> str:
        dsn = create_database(postgis_cluster, f"drillmap_{len(made) + 1}")
        made.append(dsn)
        migrate(dsn, init=True)
        return _copy_layers(Path(layers_dir), dsn, seeds_dir)

    return database


