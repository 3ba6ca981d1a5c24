"""An analyst's verdict on an event, kept apart from the machine's output and applied at build.

A correction is keyed by what identifies its event across rebuilds: the machine's evidence
spans (document, start, end) and its kind, never a row number. When changed rules move the
evidence, the correction follows the event whose evidence overlaps its own most in the same
documents; when no event is left there, the correction is orphaned (listed, never dropped).
Pure: no I/O, so the build, the services and the tests share it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from geo.domain.model import Event

MACHINE, CONFIRMED, CORRECTED, REJECTED = "machine", "confirmed", "corrected", "rejected"
STATUSES: tuple[str, ...] = (MACHINE, CONFIRMED, CORRECTED, REJECTED)
# What `correct` may change, as the event's field names.
FIELDS: tuple[str, ...] = ("kind", "name", "year", "date_start", "date_end", "actors", "place_ids")
MAX_NOTE_CHARS = 2000

Span = tuple[str, int, int]  # (doc_id, start, end) of one evidence sentence


def spans_of(evidence: Iterable[Any]) -> tuple[Span, ...]:
    """Sorted evidence spans, from Evidence objects or the features' evidence dicts."""
    out = set()
    for item in evidence:
        if isinstance(item, Mapping):
            out.add((str(item["doc_id"]), int(item["start"]), int(item["end"])))
        else:
            out.add((item.doc_id, item.start, item.end))
    return tuple(sorted(out))


def review_key(spans: Sequence[Span], kind: str) -> str:
    """A correction's id: a stable hash of the machine event's evidence spans and its kind (two
    events read from one sentence differ by kind)."""
    digest = hashlib.sha1(repr((tuple(spans), kind)).encode(), usedforsecurity=False)
    return "rv-" + digest.hexdigest()[:16]


def event_review_key(event: Event) -> str:
    return review_key(spans_of(event.evidence), event.kind)


@dataclass(frozen=True)
class Correction:
    """The current verdict on one event; `changes` holds the corrected fields only."""

    id: str
    spans: tuple[Span, ...]
    kind: str  # the machine's kind when the verdict was given (part of the key)
    status: str
    changes: dict[str, Any] = field(default_factory=dict)
    note: str | None = None
    user: str = "local"
    updated: str = ""  # ISO time of the last change
    machine: dict[str, Any] = field(default_factory=dict)  # what the machine said, for listings

    @property
    def doc_ids(self) -> list[str]:
        return sorted({doc_id for doc_id, _, _ in self.spans})

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "status": self.status,
            "kind": self.kind,
            "evidence": [{"doc_id": d, "start": s, "end": e} for d, s, e in self.spans],
            "changes": self.changes,
            "note": self.note,
            "user": self.user,
            "updated": self.updated,
            "machine": self.machine,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Correction:
        """A correction from its JSON line; ValueError (or KeyError/TypeError) if malformed."""
        status = data["status"]
        if status not in (CONFIRMED, CORRECTED, REJECTED):
            raise ValueError(f"status must be confirmed, corrected or rejected, got {status!r}")
        spans = spans_of(data["evidence"])
        if not spans:
            raise ValueError("a correction needs the evidence spans of its event")
        changes = dict(data.get("changes") or {})
        unknown = sorted(set(changes) - set(FIELDS))
        if unknown:
            raise ValueError(f"unknown field {unknown[0]!r}; fields: {', '.join(FIELDS)}")
        kind = str(data["kind"])
        expected = review_key(spans, kind)
        if data.get("id", expected) != expected:
            raise ValueError(f"id {data.get('id')!r} does not match its evidence ({expected})")
        return cls(
            id=expected,
            spans=spans,
            kind=kind,
            status=status,
            changes=changes,
            note=data.get("note") or None,
            user=str(data.get("user") or "local"),
            updated=str(data.get("updated") or ""),
            machine=dict(data.get("machine") or {}),
        )


def machine_summary(event: Event) -> dict[str, Any]:
    """What the machine said about the event, kept with a correction for its listings."""
    return {
        "kind": event.kind,
        "name": event.name,
        "year": event.year,
        "actors": list(event.actors),
        "place_ids": list(event.place_ids),
        "text": event.evidence[0].text if event.evidence else "",
    }


def _overlap(a: Sequence[Span], b: Sequence[Span]) -> int:
    """Characters of evidence the two span sets share, document by document."""
    return sum(
        max(0, min(e1, e2) - max(s1, s2)) for d1, s1, e1 in a for d2, s2, e2 in b if d1 == d2
    )


def match(corrections: Sequence[Correction], events: Sequence[Event]) -> dict[str, int]:
    """Which event (by index) each correction refers to; the unmatched ones are orphaned.

    Exact keys first; then, for the rest, the unclaimed event whose evidence overlaps most
    (same spans before overlap, same kind before another kind), so a rebuild with changed rules
    that moves or merges the evidence still finds the event. One event takes one correction.
    """
    by_key: dict[str, int] = {}
    for index, event in enumerate(events):
        by_key.setdefault(event_review_key(event), index)
    matched: dict[str, int] = {}
    for correction in corrections:
        index = by_key.get(correction.id)
        if index is not None and index not in matched.values():
            matched[correction.id] = index
    claimed = set(matched.values())
    spans = [spans_of(event.evidence) for event in events]
    for correction in sorted(corrections, key=lambda c: c.id):
        if correction.id in matched:
            continue
        best: tuple[tuple[bool, bool, int], int] | None = None
        for index, event in enumerate(events):
            if index in claimed:
                continue
            shared = _overlap(correction.spans, spans[index])
            if shared <= 0:
                continue
            score = (spans[index] == correction.spans, event.kind == correction.kind, shared)
            if best is None or score > best[0]:
                best = (score, index)
        if best is not None:
            matched[correction.id] = best[1]
            claimed.add(best[1])
    return matched


def _as_date(value: Any) -> date | None:
    return value if isinstance(value, date) or value is None else date.fromisoformat(str(value))


def corrected_event(event: Event, correction: Correction) -> Event:
    """The event with the analyst's fields in place of the machine's (a rejected event keeps
    the fields it was corrected to, so the rejected listing shows them)."""
    if not correction.changes:
        return event
    changes = dict(correction.changes)
    for name in ("date_start", "date_end"):
        if name in changes:
            changes[name] = _as_date(changes[name])
    if "actors" in changes:
        changes["actors"] = list(changes["actors"])
    if "place_ids" in changes:
        changes["place_ids"] = list(changes["place_ids"])
    return replace(event, **changes)


@dataclass(frozen=True)
class Applied:
    """The events after the corrections, each with its verdict, and the orphaned corrections."""

    events: list[tuple[Event, Correction | None]]
    orphaned: list[Correction]


def apply_corrections(
    events: Sequence[Event], corrections: Sequence[Correction], known_places: Any = None
) -> Applied:
    """Every event with its correction applied; place ids the gazetteer (`known_places`, any
    container) no longer knows are left out of a correction rather than failing the build."""
    matched = match(corrections, events)
    by_index = {index: c for c in corrections if (index := matched.get(c.id)) is not None}
    out: list[tuple[Event, Correction | None]] = []
    for index, event in enumerate(events):
        correction = by_index.get(index)
        if correction is not None:
            event = corrected_event(event, correction)
            if known_places is not None:
                event.place_ids = [p for p in event.place_ids if p in known_places]
        out.append((event, correction))
    orphaned = [c for c in corrections if c.id not in matched]
    return Applied(out, orphaned)
