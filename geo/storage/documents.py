"""Reading input documents and their metadata sidecars, refusing what is not usable text.

A document is `NAME.txt` (UTF-8 plain text) with an optional `NAME.json` sidecar:
{"title", "published": "YYYY-MM-DD" | null, "published_year": int | null, "source", "url", "lang"},
checked against `geo.domain.documents.STORED_SIDECAR_SCHEMA` whenever it is read.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import orjson

from geo.domain.documents import check_sidecar, decode_text, parse_date
from geo.domain.model import Document, DocumentMeta
from geo.errors import DocumentRefused


def sidecar_path(text_path: Path) -> Path:
    return text_path.with_suffix(".json")



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
    """Metadata for a document; an explicit `published` overrides the sidecar's.

    The sidecar is checked against the schema first (DocumentRefused names the bad field), so
    no feature is ever dated by a year such as 0 or `true`."""
    check_sidecar(sidecar, str(sidecar_path(text_path)), stored=True)
    sidecar_date = parse_date(sidecar.get("published"))
    chosen = published or sidecar_date
    year = sidecar.get("published_year")
    return DocumentMeta(
        doc_id=text_path.stem,
        path=str(text_path),
        title=sidecar.get("title"),
        published=chosen,
        published_year=chosen.year if chosen else year,
        source=sidecar.get("source"),
        url=sidecar.get("url"),
        lang=sidecar.get("lang"),
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
