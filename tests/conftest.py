"""Shared fixtures: a small synthetic `layers/` directory following the build's contract.

Seven features over two years and three actors (plus one undated place), so filters visibly
change what is drawn; one exercise carries hostile text in every string a popup shows.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import orjson
import pytest

# pytest puts tests/ on sys.path, where tests/webapp and tests/geo (no __init__.py) would win as
# namespace packages over an editable install; a regular package anywhere on the path beats them.
# (`pythonpath = ["."]` in pytest's config would do the same.)
REPO_ROOT = str(Path(__file__).resolve().parent.parent)
if REPO_ROOT not in sys.path:
    sys.path.append(REPO_ROOT)

from webapp import create_app  # noqa: E402

HOSTILE = (
    "<script>window.__xss='script'</script> <img src=x onerror=\"window.__xss='img'\"> "
    "`${window.__xss='tpl'}` C:\\temp\\ \\u003c/script> </script><b>bold</b> & 'quote\""
)
HOSTILE_DOC_ID = '001_"><img src=x onerror=alert(1)>'


def _evidence(doc_id: str, title: str, text: str, published: str | None) -> dict[str, Any]:
    return {
        "doc_id": doc_id,
        "title": title,
        "published": published,
        "text": text,
        "start": 0,
        "end": len(text),
    }


def _bbox(geometry: dict[str, Any] | None) -> list[float] | None:
    if geometry is None:
        return None
    coords: list[list[float]] = []

    def walk(value: Any) -> None:
        if isinstance(value[0], int | float):
            coords.append(value)
        else:
            for item in value:
                walk(item)

    walk(geometry["coordinates"])
    xs = [c[0] for c in coords]
    ys = [c[1] for c in coords]
    return [min(xs), min(ys), max(xs), max(ys)]


def _feature(
    layer: str,
    fid: str,
    geometry: dict[str, Any] | None,
    *,
    kind: str,
    title: str,
    year: int | None,
    actors: list[str],
    name: str | None = None,
    places: list[str] | None = None,
    evidence: list[dict[str, Any]] | None = None,
    dates: tuple[str | None, str | None] = (None, None),
    **extra: Any,
) -> dict[str, Any]:
    evidence = evidence or []
    properties = {
        "id": fid,
        "layer": layer,
        "kind": kind,
        "name": name,
        "title": title,
        "year": year,
        "years": [year],
        "date_start": dates[0],
        "date_end": dates[1],
        "actors": actors,
        "places": places or [],
        "place_ids": [p.lower().replace(" ", "_") for p in places or []],
        "evidence": evidence,
        "n_sources": len({e["doc_id"] for e in evidence}),
        "confidence": 0.8,
        **extra,
    }
    return {
        "type": "Feature",
        "id": fid,
        "bbox": _bbox(geometry),
        "geometry": geometry,
        "properties": properties,
    }


def _point(lon: float, lat: float) -> dict[str, Any]:
    return {"type": "Point", "coordinates": [lon, lat]}


def _line(*coords: tuple[float, float]) -> dict[str, Any]:
    return {"type": "LineString", "coordinates": [list(c) for c in coords]}


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


def synthetic_layers() -> dict[str, list[dict[str, Any]]]:
    """Features by layer name: what a small `drillmap build` could have written."""
    joint = _evidence(
        "000_aaaa",
        DOCS[0]["title"],
        "Chinese and Russian warships drilled in the Sea of Japan.",
        "2022-05-24",
    )
    hostile = _evidence(HOSTILE_DOC_ID, HOSTILE, HOSTILE, "2023-07-21")
    exercises = [
        _feature(
            "exercises",
            "ex-joint-2022",
            _point(134.5, 40.5),
            kind="naval_exercise",
            title="Joint Sea-2022",
            name="Joint Sea-2022",
            year=2022,
            actors=["China", "Russia"],
            places=["Sea of Japan"],
            evidence=[joint],
            dates=("2022-05-24", "2022-05-27"),
        ),
        _feature(
            "exercises",
            "ex-hostile-2023",
            _point(127.0, 31.0),
            kind="naval_exercise",
            title=HOSTILE,
            name=HOSTILE,
            year=2023,
            actors=["United States"],
            places=[HOSTILE],
            evidence=[hostile],
        ),
        _feature(
            "exercises",
            "ex-nowhere-2023",
            None,
            kind="naval_exercise",
            title="Exercise with no known place",
            year=2023,
            actors=["China"],
            evidence=[joint],
        ),
    ]
    patrols = [
        _feature(
            "patrols",
            "pa-bombers-2022",
            _line((128.0, 36.0), (129.5, 34.0), (131.0, 31.0)),
            kind="bomber_flight",
            title="Joint bomber flight",
            year=2022,
            actors=["Russia", "China"],
            places=["Korea Strait"],
            evidence=[joint],
        ),
        _feature(
            "patrols",
            "pa-naval-2023",
            _line((123.0, 25.0), (125.0, 27.5), (129.0, 29.0)),
            kind="naval_patrol",
            title="Naval patrol near Miyako",
            year=2023,
            actors=["China"],
            places=["Miyako Strait"],
            evidence=[joint],
        ),
    ]
    zones = [
        _feature(
            "zones",
            "zo-ecs",
            {
                "type": "Polygon",
                "coordinates": [[[121, 25], [129, 25], [129, 33], [121, 33], [121, 25]]],
            },
            kind="sea",
            title="East China Sea",
            name="East China Sea",
            year=2023,
            actors=["China"],
            places=["East China Sea"],
            evidence=[joint],
            disputed=False,
            aliases=["Donghai"],
            geometry_source="test",
            event_ids=["pa-naval-2023"],
        ),
    ]
    places = [
        _feature(
            "places",
            "pl-tsushima",
            _point(129.3, 34.4),
            kind="island",
            title="Tsushima",
            name="Tsushima",
            year=None,
            actors=[],
            places=["Tsushima"],
            disputed=False,
            aliases=[],
            geometry_source="test",
            event_ids=[],
        ),
    ]
    return {"exercises": exercises, "patrols": patrols, "zones": zones, "places": places}


TITLES = {"exercises": "Exercises", "patrols": "Patrols", "zones": "Zones", "places": "Places"}


def _summary(name: str, features: list[dict[str, Any]]) -> dict[str, Any]:
    years = {y for f in features for y in f["properties"]["years"]}
    boxes = [f["bbox"] for f in features if f["bbox"]]
    return {
        "name": name,
        "title": TITLES[name],
        "count": len(features),
        "years": sorted(years, key=lambda y: (y is None, y or 0)),
        "actors": sorted({a for f in features for a in f["properties"]["actors"]}),
        "kinds": sorted({f["properties"]["kind"] for f in features}),
        "bbox": [
            min(b[0] for b in boxes),
            min(b[1] for b in boxes),
            max(b[2] for b in boxes),
            max(b[3] for b in boxes),
        ],
        "geometry_types": sorted({f["geometry"]["type"] for f in features if f["geometry"]}),
    }


def write_layers(root: Path) -> Path:
    """Write index.json and one FeatureCollection per layer, as `drillmap build` does."""
    root.mkdir(parents=True, exist_ok=True)
    layers = synthetic_layers()
    for name, features in layers.items():
        collection = {"type": "FeatureCollection", "features": features}
        (root / f"{name}.geojson").write_bytes(orjson.dumps(collection))
    index = {
        "layers": [_summary(name, features) for name, features in layers.items()],
        "documents": DOCS,
    }
    (root / "index.json").write_bytes(orjson.dumps(index))
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
    return create_app({"LAYERS_DIR": layers_dir, "BASEMAP_DIR": basemap_dir, "TESTING": True})


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
