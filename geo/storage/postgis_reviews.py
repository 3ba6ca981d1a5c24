"""The PostGIS store's corrections and their audit log (migration 005).

What `geo.storage.reviews.FileReviewStore` keeps in JSON Lines, in two tables; a verdict and
its audit entry are written in one transaction, so the log never misses a change or shows one
not made. Writers hold the document store's write lock around `put`, as on files.
"""

from __future__ import annotations

from typing import Any

import orjson

from geo.domain.review import Correction
from geo.errors import StoreUnavailable
from geo.storage.base import ReviewStore
from geo.storage.postgis import _Database
from geo.storage.reviews import put_entry, reset_entry


class PostgisReviewStore(ReviewStore):
    """Corrections in `corrections` (one row per event's verdict), changes in `review_audit`."""

    def __init__(self, dsn: str) -> None:
        self.db = _Database(dsn)

    def corrections(self) -> list[Correction]:
        out = []
        for cid, body in self.db.rows("SELECT id, body FROM corrections ORDER BY id"):
            try:
                out.append(Correction.from_json(body))
            except (KeyError, TypeError, ValueError) as exc:
                raise StoreUnavailable(f"correction {cid!r} is damaged ({exc})") from None
        return out

    def _write(self, correction_id: str, after: Correction | None, entry: dict[str, Any]) -> None:
        with self.db.connection() as conn, conn.transaction():
            conn.execute(
                "INSERT INTO review_audit (entry) VALUES (%s)", [orjson.dumps(entry).decode()]
            )
            if after is None:
                conn.execute("DELETE FROM corrections WHERE id = %s", [correction_id])
            else:
                conn.execute(
                    "INSERT INTO corrections (id, body) VALUES (%s, %s)"
                    " ON CONFLICT (id) DO UPDATE SET body = excluded.body",
                    [correction_id, orjson.dumps(after.as_json()).decode()],
                )

    def put(self, correction: Correction, before: Correction | None = None) -> None:
        self._write(correction.id, correction, put_entry(correction, before))

    def get(self, correction_id: str) -> Correction | None:
        rows = self.db.rows("SELECT body FROM corrections WHERE id = %s", [correction_id])
        return Correction.from_json(rows[0][0]) if rows else None

    def remove(self, correction_id: str, user: str) -> Correction | None:
        gone = self.get(correction_id)
        if gone is None:
            return None
        self._write(correction_id, None, reset_entry(gone, user))
        return gone

    def audit(self) -> list[dict[str, Any]]:
        return [row[0] for row in self.db.rows("SELECT entry FROM review_audit ORDER BY seq")]
