"""Bad documents are refused with a reason; good ones keep their sidecar metadata."""

from datetime import date
from pathlib import Path

import pytest

from geo.domain.documents import MAX_DOCUMENT_BYTES
from geo.errors import DocumentRefused
from geo.storage.documents import load_document


def _write(tmp_path: Path, data: bytes, name: str = "doc.txt") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"   \n\n ", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "binary"),
        ("Sea of Japan".encode("utf-16"), "binary"),
        ("Mer du Japon \xe9t\xe9".encode("latin-1"), "not UTF-8"),
        (b"a" * (MAX_DOCUMENT_BYTES + 1), "limit"),
    ],
)
def test_unusable_documents_are_refused_with_a_reason(tmp_path, data, reason):
    with pytest.raises(DocumentRefused, match=reason):
        load_document(_write(tmp_path, data))


def test_sidecar_supplies_metadata_and_the_command_line_overrides_the_date(tmp_path):
    path = _write(tmp_path, b"Drills in the Sea of Japan.")
    path.with_suffix(".json").write_text(
        '{"title": "T", "published": "2023-07-21", "source": "VOA"}'
    )
    document = load_document(path)
    assert (document.meta.title, document.meta.published, document.meta.source) == (
        "T",
        date(2023, 7, 21),
        "VOA",
    )
    assert load_document(path, date(2020, 1, 2)).meta.published == date(2020, 1, 2)


def test_malformed_sidecar_date_is_refused(tmp_path):
    path = _write(tmp_path, b"Drills in the Sea of Japan.")
    path.with_suffix(".json").write_text('{"published": "21/07/2023"}')
    with pytest.raises(DocumentRefused, match="YYYY-MM-DD"):
        load_document(path)
