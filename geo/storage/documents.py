"""Reading input documents and their metadata sidecars, refusing what is not usable text.

A document is `NAME.txt` (UTF-8 plain text) with an optional `NAME.json` sidecar:
{"title", "published": "YYYY-MM-DD" | null, "published_year": int | null, "source", "url"}.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import orjson

from geo.domain.model import Document, DocumentMeta
from geo.errors import DocumentRefused

MAX_DOCUMENT_BYTES = 1_000_000
# Control characters other than tab, newline, carriage return and form feed mark binary input.
_CONTROL = {chr(c) for c in range(32)} - {"\t", "\n", "\r", "\f"}




def decode_text(data: bytes, name: str = "document") -> str:
    """Validate raw bytes as a usable text document and return the text."""
    if not data.strip():
        raise DocumentRefused(f"{name}: empty document")
    if len(data) > MAX_DOCUMENT_BYTES:
        raise DocumentRefused(
            f"{name}: {len(data):,} bytes is over the {MAX_DOCUMENT_BYTES:,}-byte limit"
        )
    if b"\x00" in data:
        raise DocumentRefused(f"{name}: binary file (contains NUL bytes), expected plain text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DocumentRefused(
            f"{name}: not UTF-8 text (invalid byte at offset {exc.start}); save it as UTF-8"
        ) from None
    controls = sum(1 for ch in text[:4096] if ch in _CONTROL)
    if controls > 8:
        raise DocumentRefused(f"{name}: looks binary ({controls} control characters), expected text")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def sidecar_path(text_path: Path) -> Path:
    return text_path.with_suffix(".json")


def parse_date(value: str | None, field: str = "published") -> date | None:
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        raise DocumentRefused(f"{field} must be a date as YYYY-MM-DD, got {value!r}") from None


def read_sidecar(text_path: Path) -> dict[str, Any]:
    path = sidecar_path(text_path)
    if not path.exists():
        return {}
    try:
        data = orjson.loads(path.read_bytes())
    except orjson.JSONDecodeError as exc:
        raise DocumentRefused(f"{path}: sidecar is not valid JSON ({exc})") from None
    if not isinstance(data, dict):
        raise DocumentRefused(f"{path}: sidecar must be a JSON object")
    return data


def meta_from_sidecar(
    text_path: Path, sidecar: dict[str, Any], published: date | None
) -> DocumentMeta:
    """Metadata for a document; an explicit `published` overrides the sidecar's."""
    sidecar_date = parse_date(sidecar.get("published"))
    chosen = published or sidecar_date
    year = sidecar.get("published_year")
    if year is not None and not isinstance(year, int):
        raise DocumentRefused(f"{sidecar_path(text_path)}: published_year must be an integer")
    return DocumentMeta(
        doc_id=text_path.stem,
        path=str(text_path),
        title=sidecar.get("title"),
        published=chosen,
        published_year=chosen.year if chosen else year,
        source=sidecar.get("source"),
        url=sidecar.get("url"),
    )


def load_document(path: Path, published: date | None = None) -> Document:
    """Read one document and its sidecar; raise DocumentRefused with the reason it is refused."""
    path = Path(path)
    if not path.is_file():
        raise DocumentRefused(f"{path}: no such file")
    text = decode_text(path.read_bytes(), str(path))
    return Document(meta=meta_from_sidecar(path, read_sidecar(path), published), text=text)


def iter_documents(folder: Path) -> Iterator[Document]:
    """Every `*.txt` document in a folder, in name order (so builds are reproducible)."""
    for path in sorted(Path(folder).glob("*.txt")):
        yield load_document(path)
