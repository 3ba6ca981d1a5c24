"""The file store's arrays select exactly what `geo.domain.query.select` selects, for any filter."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from geo.domain.query import parse_query, select
from geo.storage.columns import LayerColumns
from geo.storage.files import FileFeatureStore

LAYERS = Path(__file__).resolve().parents[2] / "gis" / "data" / "layers"

YEARS = [None, "2023", "undated", "2022,2024"]
ACTORS = [None, "Russia", "China,United States", "India"]
KINDS = [None, "naval_exercise", "missile_launch,other,island"]
BBOXES = [None, "120,20,130,36", "175,50,-175,60", "-180,-90,180,90", "-175,50,-170,60", "0,0,1,1"]
DATETIMES = [None, "2023-03-16", "2024-01-01/..", "../2022-12-31", "2023-12-31/2024-01-01"]


def _queries():
    for year, actor, kind, bbox, when in itertools.product(YEARS, ACTORS, KINDS, BBOXES, DATETIMES):
        params = {"year": year, "actor": actor, "kind": kind, "bbox": bbox, "datetime": when}
        yield {k: v for k, v in params.items() if v is not None}


@pytest.mark.parametrize("name", ["exercises", "zones"])
def test_columns_agree_with_the_shared_predicate(name):
    layer = FileFeatureStore(LAYERS).layer(name)
    columns = LayerColumns.build(layer.features)
    assert [c.decode() for c in columns.encoded[:1]]  # features are serialised once, up front
    checked = 0
    for params in _queries():
        query = parse_query(params)
        rows = columns.select(query)
        got = list(range(len(columns))) if rows is None else rows.tolist()
        expected = [layer.features.index(f) for f in select(layer.features, query)]
        assert got == expected, params
        checked += 1
    assert checked == 1440


def test_arrays_are_built_once_per_layer_version():
    store = FileFeatureStore(LAYERS)
    first = store.layer("zones").columns
    assert store.layer("zones").columns is first
    store.refresh()
    assert store.layer("zones").columns is first  # the file did not change
