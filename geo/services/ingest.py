"""Adding documents: validate, store in seeds/ with a sidecar, rebuild the layers.

If the rebuild fails, the new document is taken out again and the previous layers stay as they
were, so seeds/ and layers/ never disagree.
"""

from __future__ import annotations

import hashlib
import re
import threading
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import orjson

from geo.build.runner import BuildResult, build_layers
from geo.storage.atomic import write_atomically
from geo.storage.documents import DocumentError, decode_text, sidecar_path

MAX_TITLE_CHARS = 300
_INDEX_PREFIX = re.compile(r"^(\d+)_")
# One ingest at a time per process: two concurrent rebuilds would race on the same files.
_LOCK = threading.Lock()


@dataclass(frozen=True)
class IngestResult:
    doc_id: str
    path: Path
    duplicate: bool
    build: BuildResult | None


def _next_index(seeds_dir: Path) -> int:
    numbers = [
        int(m.group(1)) for p in seeds_dir.glob("*.txt") if (m := _INDEX_PREFIX.match(p.name))
    ]
    return max(numbers, default=-1) + 1


def _existing_with_digest(seeds_dir: Path, digest: str) -> Path | None:
    return next(iter(sorted(seeds_dir.glob(f"*_{digest[:16]}.txt"))), None)


def _clean_field(value: str | None, name: str, limit: int = MAX_TITLE_CHARS) -> str | None:
    if value is None:
        return None
    value = " ".join(value.split())
    if len(value) > limit:
        raise DocumentError(f"{name} is longer than {limit} characters")
    return value or None


def ingest_bytes(
    data: bytes,
    seeds_dir: Path,
    layers_dir: Path,
    *,
    title: str | None = None,
    published: date | None = None,
    source: str | None = None,
    url: str | None = None,
    name: str = "document",
) -> IngestResult:
    """Store one document and rebuild; raise DocumentError (nothing changed) if it is refused."""
    text = decode_text(data, name)
    digest = hashlib.sha256(text.encode()).hexdigest()
    sidecar = {
        "title": _clean_field(title, "title"),
        "published": published.isoformat() if published else None,
        "published_year": published.year if published else None,
        "source": _clean_field(source, "source"),
        "url": _clean_field(url, "url", 2000),
    }
    seeds_dir = Path(seeds_dir)
    with _LOCK:
        existing = _existing_with_digest(seeds_dir, digest)
        if existing is not None:
            return IngestResult(existing.stem, existing, duplicate=True, build=None)
        doc_id = f"{_next_index(seeds_dir):03d}_{digest[:16]}"
        path = seeds_dir / f"{doc_id}.txt"
        write_atomically(sidecar_path(path), orjson.dumps(sidecar, option=orjson.OPT_INDENT_2))
        write_atomically(path, text.encode())
        try:
            result = build_layers(seeds_dir, Path(layers_dir))
        except BaseException:
            path.unlink(missing_ok=True)
            sidecar_path(path).unlink(missing_ok=True)
            raise
    return IngestResult(doc_id, path, duplicate=False, build=result)


def ingest_file(path: Path, seeds_dir: Path, layers_dir: Path, **fields: object) -> IngestResult:
    """Ingest a .txt file; its title defaults to the file name."""
    path = Path(path)
    if not path.is_file():
        raise DocumentError(f"{path}: no such file")
    fields.setdefault("title", path.stem)
    return ingest_bytes(path.read_bytes(), seeds_dir, layers_dir, name=str(path), **fields)  # type: ignore[arg-type]
