"""Sidecars are checked against one JSON Schema, when a document is read and when one is added.

A bad sidecar used to be accepted and break every later query of its layer (a feature dated
year 0); now it is refused with a DocumentRefused naming the field.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import orjson
import pytest

from geo.domain.documents import SIDECAR_SCHEMA, STORED_SIDECAR_SCHEMA, check_sidecar
from geo.errors import DocumentRefused
from geo.storage.base import DocumentFields
from geo.storage.documents import iter_documents, load_document
from geo.storage.files import FileDocumentStore

REPO = Path(__file__).resolve().parents[3]
TEXT = b"Chinese and Russian warships sailed through the Tsugaru Strait on Tuesday."


def _doc(tmp_path: Path, sidecar: object) -> Path:
    path = tmp_path / "doc.txt"
    path.write_bytes(TEXT)
    path.with_suffix(".json").write_bytes(orjson.dumps(sidecar))
    return path


@pytest.mark.parametrize(
    ("sidecar", "field"),
    [
        ({"published_year": 0}, "published_year"),
        ({"published_year": True}, "published_year"),
        ({"published_year": False}, "published_year"),
        ({"published_year": -5}, "published_year"),
        ({"published_year": 99999}, "published_year"),
        ({"published_year": 999}, "published_year"),
        ({"published_year": 2023.0}, "published_year"),
        ({"published_year": "2023"}, "published_year"),
        ({"published": "21/07/2023"}, "published"),
        ({"published": "2023-7-21"}, "published"),
        ({"published": "2023-02-30"}, "published"),
        ({"published": "0005-01-01"}, "published"),
        ({"published": 20230721}, "published"),
        ({"title": "x" * 301}, "title"),
        ({"title": 5}, "title"),
        ({"title": "Drills \u202ein the Sea of Japan"}, "title"),
        ({"title": "bell\x07"}, "title"),
        ({"source": "y" * 301}, "source"),
        ({"source": "VOA\u2066"}, "source"),
        ({"source": ["VOA"]}, "source"),
        ({"url": "https://example.com/a b"}, "url"),
        ({"url": "https://example.com/a\tb"}, "url"),
        ({"url": "https://example.com/\u202e"}, "url"),
        ({"url": ""}, "url"),
        ({"url": "https://example.com/" + "a" * 2000}, "url"),
        ({"url": 5}, "url"),
    ],
)
def test_bad_sidecars_are_refused_naming_the_field(tmp_path, sidecar, field):
    path = _doc(tmp_path, sidecar)
    with pytest.raises(DocumentRefused, match=f"'{field}'") as refused:
        load_document(path)
    assert str(path.with_suffix(".json")) in str(refused.value)
    with pytest.raises(DocumentRefused, match=f"'{field}'"):
        list(iter_documents(tmp_path))


def test_good_sidecars_and_unknown_keys_are_accepted(tmp_path):
    path = _doc(
        tmp_path,
        {
            "title": "Drills", "published": None, "published_year": 1000, "source": None,
            "url": "HTTPS://Example.com:8443/a?b=c#d", "note": "kept for people", "extra": [1],
        },
    )
    meta = load_document(path).meta
    assert (meta.published_year, meta.url) == (1000, "HTTPS://Example.com:8443/a?b=c#d")
    _doc(tmp_path, {"published": "9999-12-31", "published_year": 9999})
    assert load_document(path).meta.published == date(9999, 12, 31)
    _doc(tmp_path, {})
    assert load_document(path).meta.title is None


def test_stored_sidecars_may_name_other_addresses_but_added_ones_may_not(tmp_path):
    """A hand-written sidecar's url is shown as text unless it is http(s) with a host (the
    documents page links only those), so reading one does not refuse it; adding one does."""
    for url in ("javascript:alert(1)", "ftp://example.com/a", "https://", "https://[::1"):
        path = _doc(tmp_path, {"url": url})
        assert load_document(path).meta.url == url
        with pytest.raises(DocumentRefused, match="'url' must be an http:// or https:// address"):
            check_sidecar({"url": url}, "added")


def test_every_committed_sidecar_passes():
    sidecars = [
        p for folder in ("seeds", "tests") for p in (REPO / folder).rglob("*.json")
        if p.with_suffix(".txt").is_file()
    ]
    assert len(sidecars) > 3
    for path in sidecars:
        check_sidecar(orjson.loads(path.read_bytes()), str(path), stored=True)


def test_the_schema_is_a_valid_json_schema():
    from jsonschema import Draft202012Validator

    for schema in (SIDECAR_SCHEMA, STORED_SIDECAR_SCHEMA):
        Draft202012Validator.check_schema(schema)
        assert schema["additionalProperties"] is True


# -- adding documents ------------------------------------------------------------------------


@pytest.fixture
def store(tmp_path) -> FileDocumentStore:
    return FileDocumentStore(tmp_path)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (DocumentFields(title="Drills \u202ein the Sea of Japan"), "title"),
        (DocumentFields(title="\u2067Drills"), "title"),
        (DocumentFields(title="Drills\u200f"), "title"),
        (DocumentFields(title="nul\x00byte"), "title"),
        (DocumentFields(title="c1\x9bcontrol"), "title"),
        (DocumentFields(source="VOA\u202a"), "source"),
        (DocumentFields(source="VOA\x1b[31m"), "source"),
        (DocumentFields(url="https://example.com/a b"), "url"),
        (DocumentFields(url="https://exa mple.com/"), "url"),
        (DocumentFields(url="https://example.com/\u202e"), "url"),
        (DocumentFields(url="javascript:alert(1)"), "url"),
        (DocumentFields(url="https://"), "url"),
        (DocumentFields(url="https:///path"), "url"),
        (DocumentFields(url="https://[::1"), "url"),
        (DocumentFields(url="ftp://example.com/a"), "url"),
        (DocumentFields(published=date(5, 1, 1)), "published"),
    ],
)
def test_add_refuses_invisible_characters_and_bad_urls(store, fields, message):
    with pytest.raises(DocumentRefused, match=message) as refused:
        store.add(TEXT, fields)
    assert "U+" in str(refused.value) or message in ("url", "published")
    assert store.list() == []


def test_add_names_the_invisible_character(store):
    with pytest.raises(DocumentRefused, match=r"title contains .*U\+202E"):
        store.add(TEXT, DocumentFields(title="Drills \u202ein the Sea of Japan"))


def test_add_keeps_good_fields_and_collapses_whitespace(store):
    added = store.add(
        TEXT,
        DocumentFields(
            title="  Tsugaru\n\ttransit ", published=date(2024, 5, 14), source="Kyodo",
            url=" https://example.com/a?b=1 ",
        ),
    )
    [document] = list(store.documents())
    meta = document.meta
    assert document.meta.doc_id == added.doc_id
    assert (meta.title, meta.published, meta.published_year, meta.source, meta.url) == (
        "Tsugaru transit", date(2024, 5, 14), 2024, "Kyodo", "https://example.com/a?b=1"
    )
    # Right-to-left text itself is fine; only the invisible controls are refused.
    store.add(b"Another document about drills.", DocumentFields(title="تدريبات بحرية"))
