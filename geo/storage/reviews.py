"""The embedded store's corrections: JSON Lines beside the documents, replaced atomically.

`<seeds>/review/corrections.jsonl` holds the current verdict per event (one line each, sorted
by id, so diffs stay readable); `<seeds>/review/audit.jsonl` every change, oldest first. The
caller holds the document store's write lock (`FileDocumentStore.transaction`) around writes.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson

from geo.domain.review import Correction
from geo.errors import StoreUnavailable
from geo.storage.atomic import write_atomically
from geo.storage.base import ReviewStore

REVIEW_DIR = "review"
CORRECTIONS_FILE = "corrections.jsonl"
AUDIT_FILE = "audit.jsonl"
log = logging.getLogger("drillmap.storage")


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def put_entry(correction: Correction, before: Correction | None) -> dict[str, Any]:
    """The audit entry of a verdict stored (replacing `before`)."""
    return {
        "at": correction.updated or now(),
        "user": correction.user,
        "action": correction.status,
        "id": correction.id,
        "before": before.as_json() if before else None,
        "after": correction.as_json(),
    }


def reset_entry(gone: Correction, user: str) -> dict[str, Any]:
    """The audit entry of a verdict taken back (the event is the machine's again)."""
    return {
        "at": now(),
        "user": user,
        "action": "reset",
        "id": gone.id,
        "before": gone.as_json(),
        "after": None,
    }


def _lines(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    try:
        return [orjson.loads(line) for line in path.read_bytes().splitlines() if line.strip()]
    except orjson.JSONDecodeError as exc:
        raise StoreUnavailable(f"{path} is damaged ({exc}); restore it from a backup") from None


def _jsonl(rows: list[dict[str, Any]]) -> bytes:
    return b"".join(orjson.dumps(row) + b"\n" for row in rows)


class FileReviewStore(ReviewStore):
    """Corrections and audit log under `<seeds>/review/`."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self._corrections = self.root / CORRECTIONS_FILE
        self._audit = self.root / AUDIT_FILE

    def corrections(self) -> list[Correction]:
        out = []
        for row in _lines(self._corrections):
            try:
                out.append(Correction.from_json(row))
            except (KeyError, TypeError, ValueError) as exc:
                raise StoreUnavailable(f"{self._corrections}: a bad correction ({exc})") from None
        return sorted(out, key=lambda c: c.id)

    def _write(self, corrections: list[Correction], entry: dict[str, Any]) -> None:
        rows = [c.as_json() for c in sorted(corrections, key=lambda c: c.id)]
        # The audit entry first: a crash between the two leaves a logged change not yet made,
        # never a change that the log does not show.
        write_atomically(self._audit, self._audit_bytes() + _jsonl([entry]))
        write_atomically(self._corrections, _jsonl(rows))

    def _audit_bytes(self) -> bytes:
        return self._audit.read_bytes() if self._audit.exists() else b""

    def put(self, correction: Correction, before: Correction | None = None) -> None:
        others = [c for c in self.corrections() if c.id != correction.id]
        self._write([*others, correction], put_entry(correction, before))

    def remove(self, correction_id: str, user: str) -> Correction | None:
        current = self.corrections()
        gone = next((c for c in current if c.id == correction_id), None)
        if gone is None:
            return None
        self._write([c for c in current if c.id != correction_id], reset_entry(gone, user))
        return gone

    def audit(self) -> list[dict[str, Any]]:
        return _lines(self._audit)
