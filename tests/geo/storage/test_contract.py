"""The store contract: what every FeatureStore, DocumentStore and LayerSink must do.

Each backend joins by adding a fixture to STORES that builds its store from the same layers and
documents; every test here then runs on it. Today: the embedded file store.
"""

from __future__ import annotations

import copy
import itertools
from collections.abc import Callable
from pathlib import Path

import pytest

from geo.domain.features import layer_summary
from geo.domain.layers import EVENT_LAYERS
from geo.domain.query import FeatureQuery, parse_query, select
from geo.domain.review import Correction, review_key
from geo.domain.search import parse_search
from geo.errors import DocumentRefused, NotFound
from geo.settings import Settings
from geo.storage.base import BuiltLayers, DocumentFields, Store
from geo.storage.registry import open_store

SAMPLE = b"Chinese and Russian warships sailed through the Tsugaru Strait on Tuesday."
QUERIES = [
    {},
    {"year": "2023"},
    {"year": "undated"},
    {"actor": "China,Russia"},
    {"kind": "naval_exercise"},
    {"bbox": "120,20,130,36"},
    {"bbox": "175,50,-175,60"},
    {"datetime": "2022-01-01/2022-12-31"},
    {"year": "2022", "actor": "Russia", "kind": "bomber_flight"},
    # The synthetic evidence is English: lang=ja keeps nothing, on every store.
    {"lang": "en"},
    {"lang": "ja,ko"},
    {"place": "sea_of_japan"},
    {"place": "korea_strait,miyako_strait", "actor": "China"},
]


def _file_store(root: Path, request: pytest.FixtureRequest) -> Store:
    return open_store(Settings(layers_dir=root / "layers", seeds_dir=root / "seeds"))


def _postgis_store(root: Path, request: pytest.FixtureRequest) -> Store:
    """An emptied database in the session's throwaway cluster (tests/conftest.py)."""
    return open_store(Settings(store=request.getfixturevalue("postgis_dsn")))


# Every backend: a function from an empty folder (for its own files, if any) and the test's
# request (for fixtures such as a database) to an empty store.
STORES: dict[str, Callable[[Path, pytest.FixtureRequest], Store]] = {
    "files": _file_store,
    "postgis": _postgis_store,
}


@pytest.fixture(params=sorted(STORES))
def empty_store(request, tmp_path: Path) -> Store:
    (tmp_path / "seeds").mkdir()
    return STORES[request.param](tmp_path, request)


@pytest.fixture
def store(empty_store: Store, synthetic_features) -> Store:
    """A store holding the shared synthetic layers (tests/conftest.py), written by its sink."""
    index = {
        "layers": [layer_summary(n, fs) for n, fs in synthetic_features.items()],
        "documents": [{"id": "000_aaaa", "title": "One", "path": "seeds/000_aaaa.txt"}],
    }
    empty_store.sink.write(BuiltLayers(layers=synthetic_features, index=index))
    empty_store.features.refresh()
    return empty_store


def test_collections_are_the_layers_written(store, synthetic_features):
    names = [c["name"] for c in store.features.collections()]
    assert names == list(synthetic_features)
    counts = {c["name"]: c["count"] for c in store.features.collections()}
    assert counts == {n: len(fs) for n, fs in synthetic_features.items()}


def _query_id(params: dict[str, str]) -> str:
    return "&".join(f"{k}={v}" for k, v in params.items()) or "all"


@pytest.mark.parametrize("params", QUERIES, ids=_query_id)
def test_query_selects_what_the_reference_predicate_selects(store, synthetic_features, params):
    query = parse_query(params)
    for name, features in synthetic_features.items():
        page = store.features.query(name, query)
        expected = [f["id"] for f in select(features, query)]
        assert [f["id"] for f in page.features] == expected, name
        assert page.matched == len(expected)


# All of a layer, a filtered part of it (pages past its end too), and nothing.
@pytest.mark.parametrize("params", [{}, {"year": "2022,2023"}, {"kind": "air_patrol"}],
                         ids=_query_id)
def test_pages_cut_the_same_ordered_answer(store, params):
    query = parse_query(params)
    whole = [f["id"] for f in store.features.query("exercises", query).features]
    for limit, offset in itertools.product((1, 2, 5), (0, 1, 2, 7)):
        page = store.features.query("exercises", query, limit=limit, offset=offset)
        assert [f["id"] for f in page.features] == whole[offset : offset + limit]
        assert page.matched == len(whole)
        if page.encoded is not None:
            assert len(page.encoded) == len(page.features)


def test_get_and_unknown_names(store):
    assert store.features.get("patrols", "pa-naval-2023")["properties"]["kind"] == "naval_patrol"
    with pytest.raises(NotFound):
        store.features.get("patrols", "nope")
    with pytest.raises(NotFound):
        store.features.query("secret", FeatureQuery())
    with pytest.raises(NotFound):
        store.features.document("nope")


def test_events_for_a_document_are_the_event_features_citing_it(store, synthetic_features):
    expected = [
        f["id"]
        for name in EVENT_LAYERS
        for f in synthetic_features[name]
        if any(e["doc_id"] == "000_aaaa" for e in f["properties"]["evidence"])
    ]
    assert [f["id"] for f in store.features.events_for_document("000_aaaa")] == expected
    assert store.features.events_for_document("nobody") == []


def test_event_counts_and_place_bboxes_agree_with_their_one_at_a_time_forms(store):
    counts = store.features.event_counts()
    assert counts == {"000_aaaa": len(store.features.events_for_document("000_aaaa"))}
    assert counts["000_aaaa"] == 4
    assert store.features.event_counts(["000_aaaa", "nobody"]) == counts  # recorded ones only
    assert store.features.event_counts([]) == {}
    assert store.features.documents_page(10) == (store.features.documents(), 1)
    assert store.features.documents_page(10, offset=1) == ([], 1)
    assert store.features.documents_for(["000_aaaa", "nobody"]) == {
        "000_aaaa": store.features.documents()[0]
    }
    places = ["tsushima", "east_china_sea", "atlantis"]
    assert store.features.place_bboxes(places) == {p: store.features.place_bbox(p) for p in places}
    assert store.features.place_bboxes(["tsushima"]) == {"tsushima": [129.3, 34.4, 129.3, 34.4]}


def test_place_bbox_and_properties(store):
    assert store.features.place_bbox("tsushima") == [129.3, 34.4, 129.3, 34.4]
    assert store.features.place_bbox("atlantis") is None
    names = store.features.properties("exercises")
    assert names[:3] == ["id", "layer", "kind"] and "evidence" in names


def test_version_changes_when_the_layers_change(store, synthetic_features):
    before = store.features.version()
    assert store.features.version() == before
    smaller = {**synthetic_features, "exercises": synthetic_features["exercises"][:1]}
    index = {"layers": [layer_summary(n, fs) for n, fs in smaller.items()], "documents": []}
    store.sink.write(BuiltLayers(layers=smaller, index=index))
    store.features.refresh()
    assert store.features.version() != before
    assert store.features.query("exercises", FeatureQuery()).matched == 1


def test_a_failed_write_keeps_the_previous_layers(store, synthetic_features):
    bad = {**synthetic_features, "patrols": [{"not": object()}]}  # cannot be serialised
    with pytest.raises(TypeError):
        store.sink.write(BuiltLayers(layers=bad, index={"layers": [], "documents": []}))
    store.features.refresh()
    assert store.features.query("patrols", FeatureQuery()).matched == 2


def test_search_follows_what_the_sink_wrote(store, synthetic_features):
    """Every store can search the texts a build hands its sink and the events' evidence, and
    a rewrite of the layers is searched at once."""
    if store.search is None:  # the web answers 503 for it; a backend should not stay so
        pytest.skip(f"the {store.kind} store has no search index yet")
    text = "Chinese and Russian warships drilled in the Sea of Japan. Then they left."
    index = {
        "layers": [layer_summary(n, fs) for n, fs in synthetic_features.items()],
        "documents": [{"id": "000_aaaa", "title": "One", "path": "seeds/000_aaaa.txt"}],
    }
    store.sink.write(BuiltLayers(synthetic_features, index, texts={"000_aaaa": text}))
    store.features.refresh()
    page = store.search.search(parse_search('"sea of japan"'), limit=50)
    kinds = {(hit.kind, hit.doc_id) for hit in page.hits}
    assert ("document", "000_aaaa") in kinds and ("evidence", "000_aaaa") in kinds
    for hit in page.hits:
        if hit.doc_id == "000_aaaa":
            assert [text[s:e] for s, e in hit.matches] == ["Sea of Japan"]
    assert store.search.matches("000_aaaa", parse_search("warships")) == [(20, 28)]
    assert store.search.search(parse_search("Vladivostok")).matched == 0

    index["documents"] = [{"id": "000_aaaa", "title": "One"}]
    later = "Warships sailed near Vladivostok."
    store.sink.write(BuiltLayers(synthetic_features, index, texts={"000_aaaa": later}))
    store.features.refresh()
    assert store.search.matches("000_aaaa", parse_search("Vladivostok")) == [(21, 32)]


def test_documents_add_text_list_remove(empty_store):
    docs = empty_store.documents
    added = docs.add(SAMPLE, DocumentFields(title="Tsugaru", source="Test wire"))
    assert not added.duplicate
    assert docs.add(SAMPLE, DocumentFields()).doc_id == added.doc_id  # same text: one document
    assert docs.add(SAMPLE, DocumentFields()).duplicate
    assert docs.list() == [added.doc_id]
    assert docs.text(added.doc_id) == SAMPLE.decode()
    [document] = list(docs.documents())
    assert (document.meta.doc_id, document.meta.title) == (added.doc_id, "Tsugaru")
    docs.remove(added.doc_id)
    assert docs.list() == []
    with pytest.raises(NotFound):
        docs.text(added.doc_id)


@pytest.mark.parametrize(
    ("data", "reason"),
    [(b"", "empty"), (b"\x00\x01binary", "binary"), ("é".encode("latin-1") * 9, "UTF-8")],
)
def test_documents_refuse_what_is_not_text(empty_store, data, reason):
    with pytest.raises(DocumentRefused, match=reason):
        empty_store.documents.add(data, DocumentFields())
    assert empty_store.documents.list() == []


REVIEW_QUERIES = [{}, {"review": "all"}, {"review": "rejected"}, {"review": "confirmed,machine"}]


@pytest.mark.parametrize("params", REVIEW_QUERIES, ids=_query_id)
def test_the_review_filter_agrees_with_the_reference_predicate(
    empty_store, synthetic_features, params
):
    """Rejected events are out unless asked for; every backend answers as `matches` does."""
    layers = copy.deepcopy(synthetic_features)
    verdicts = itertools.cycle(["rejected", "confirmed", "machine"])
    for name in EVENT_LAYERS:
        for feature in layers[name]:
            feature["properties"]["review"] = next(verdicts)
    index = {"layers": [layer_summary(n, fs) for n, fs in layers.items()], "documents": []}
    empty_store.sink.write(BuiltLayers(layers=layers, index=index))
    empty_store.features.refresh()
    query = parse_query(params)
    for name, features in layers.items():
        expected = [f["id"] for f in select(features, query)]
        assert [f["id"] for f in empty_store.features.query(name, query).features] == expected
    everything = [f["id"] for f in select(layers["exercises"], parse_query({"review": "all"}))]
    assert len(everything) == len(layers["exercises"])


def _correction(status: str, start: int = 0, user: str = "ana") -> Correction:
    spans = (("000_aaaa", start, start + 40),)
    return Correction(
        id=review_key(spans, "naval_exercise"), spans=spans, kind="naval_exercise",
        status=status, changes={"name": "Joint Sea"} if status == "corrected" else {},
        note="checked", user=user, updated="2026-01-01T00:00:00+00:00",
    )


def test_reviews_put_replace_remove_and_log_every_change(empty_store):
    reviews = empty_store.reviews
    assert reviews is not None
    assert reviews.corrections() == [] and reviews.audit() == []
    first, other = _correction("confirmed"), _correction("rejected", start=100)
    reviews.put(first)
    reviews.put(other)
    changed = _correction("corrected", user="ben")
    reviews.put(changed, before=first)
    assert sorted(reviews.corrections(), key=lambda c: c.id) == sorted(
        [changed, other], key=lambda c: c.id
    )
    assert reviews.get(first.id) == changed
    assert reviews.remove(other.id, "cy") == other
    assert reviews.remove(other.id, "cy") is None
    assert [c.id for c in reviews.corrections()] == [changed.id]
    log = reviews.audit()
    assert [(e["user"], e["action"]) for e in log] == [
        ("ana", "confirmed"), ("ana", "rejected"), ("ben", "corrected"), ("cy", "reset")
    ]
    assert log[2]["before"]["status"] == "confirmed" and log[2]["after"]["changes"] == {
        "name": "Joint Sea"
    }
    assert log[3]["after"] is None
