"""Reviewing events: confirm, reject or correct one, list, export and import the verdicts.

A verdict is stored apart from the machine's output (`Store.reviews`) and the layers are rebuilt
under the one write lock, so the map, /api, OGC and exports all show it at once; every change is
in the audit log with who made it. No argparse, no Flask: the CLI and the web call these.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

import orjson

from geo.build.runner import BuildResult
from geo.domain.features import Feature
from geo.domain.kinds import EVENT_KINDS, kind_spec
from geo.domain.layers import EVENT_LAYERS
from geo.domain.model import ACTORS
from geo.domain.query import ALL_REVIEWS, MAX_YEAR, MIN_YEAR, FeatureQuery, parse_reviews
from geo.domain.review import (
    CONFIRMED,
    CORRECTED,
    FIELDS,
    MACHINE,
    MAX_NOTE_CHARS,
    REJECTED,
    Correction,
    Span,
    review_key,
    spans_of,
)
from geo.errors import InvalidParameter, NotFound, StoreUnavailable, WritesRefused
from geo.gazetteer.places import Gazetteer, default_gazetteer
from geo.gazetteer.search import search_places
from geo.services.ingest import _settle, build_store
from geo.storage.base import ReviewStore, Store
from geo.storage.reviews import now

ACTIONS = ("confirm", "reject", "correct", "reset")
MAX_NAME_CHARS = 300
MAX_PLACES = 50
_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _reviews(store: Store) -> ReviewStore:
    if store.reviews is None:
        raise WritesRefused(f"the {store.kind} store keeps no reviews")
    return store.reviews


@dataclass(frozen=True)
class Outcome:
    """What a verdict did: the correction (None after a reset) and where the event is now."""

    correction: Correction | None
    layer: str
    feature_id: str
    build: BuildResult | None = None


def event_feature_of(store: Store, layer: str, feature_id: str) -> Feature:
    """An event feature by layer and id, whatever its verdict (NotFound otherwise)."""
    if layer not in EVENT_LAYERS:
        raise NotFound(f"no event layer named {layer!r}; event layers: {', '.join(EVENT_LAYERS)}")
    return store.features.get(layer, feature_id)


EVIDENCE_PAGE = 1000


def full_evidence(store: Store, feature: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Every evidence entry of an event feature: a feature carries only the first few (and
    `evidence_count`); the store pages the rest (`FeatureStore.evidence`)."""
    props = feature["properties"]
    carried = list(props.get("evidence") or [])
    if int(props.get("evidence_count") or 0) <= len(carried):
        return carried
    items: list[dict[str, Any]] = []
    while True:
        page = store.features.evidence(
            props["layer"], str(feature["id"]), EVIDENCE_PAGE, len(items)
        )
        items.extend(page.items)
        if not page.items or len(items) >= page.matched:
            return items


def machine_spans(store: Store, feature: Mapping[str, Any]) -> tuple[Span, ...]:
    """The event's evidence spans, all of them: what the build keys its corrections on."""
    return spans_of(full_evidence(store, feature))


def feature_key(feature: Mapping[str, Any], spans: Sequence[Span] | None = None) -> str:
    """The correction id of a feature: the one applied to it, else the machine event's key,
    from its full evidence `spans` (`machine_spans`; without them, the evidence it carries)."""
    props = feature["properties"]
    if props.get("review_id"):
        return props["review_id"]
    if spans is None:
        spans = spans_of(props.get("evidence") or [])
    return review_key(spans, props["kind"])


def machine_of(feature: Mapping[str, Any], existing: Correction | None) -> dict[str, Any]:
    """The machine's values (kept in the first correction; a machine feature shows them)."""
    if existing is not None and existing.machine:
        return existing.machine
    props = feature["properties"]
    evidence = props.get("evidence") or []
    return {
        "kind": props["kind"],
        "name": props.get("name"),
        "year": props.get("year"),
        "date_start": props.get("date_start"),
        "date_end": props.get("date_end"),
        "actors": list(props.get("actors") or []),
        "place_ids": list(props.get("place_ids") or []),
        "title": props.get("title"),
        "text": evidence[0].get("text", "") if evidence else "",
    }


def _text(value: Any, name: str, limit: int) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise InvalidParameter(f"'{name}' must be text")
    value = " ".join(value.split())
    if len(value) > limit:
        raise InvalidParameter(f"'{name}' is longer than {limit} characters")
    if any(ord(ch) < 32 or 0x7F <= ord(ch) < 0xA0 or 0x202A <= ord(ch) <= 0x202E for ch in value):
        raise InvalidParameter(f"'{name}' contains an invisible control character")
    return value or None


def _year(value: Any) -> int | None:
    if value is None or value == "":
        return None
    text = str(value).strip()
    if not (text.isascii() and text.isdigit() and len(text) == 4):
        raise InvalidParameter(f"'year' must be four digits ({MIN_YEAR}-{MAX_YEAR}), got {text!r}")
    year = int(text)
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise InvalidParameter(f"'year' must be within {MIN_YEAR}-{MAX_YEAR}, got {year}")
    return year


def _day(value: Any, name: str) -> str | None:
    if value is None or value == "":
        return None
    text = str(value).strip()
    try:
        if not _ISO_DAY.fullmatch(text):
            raise ValueError(text)
        return date.fromisoformat(text).isoformat()
    except ValueError:
        raise InvalidParameter(f"'{name}' must be a date as YYYY-MM-DD, got {text!r}") from None


def checked_changes(changes: Mapping[str, Any], gazetteer: Gazetteer) -> dict[str, Any]:
    """The corrected fields, validated: a registered kind, known actors, gazetteer places (in
    route order), a year and dates in range; InvalidParameter names the first problem."""
    unknown = sorted(set(changes) - set(FIELDS))
    if unknown:
        raise InvalidParameter(f"unknown field {unknown[0]!r}; fields: {', '.join(FIELDS)}")
    out: dict[str, Any] = {}
    if "kind" in changes:
        if changes["kind"] not in EVENT_KINDS:
            raise InvalidParameter(
                f"unknown kind {changes['kind']!r}; kinds: {', '.join(EVENT_KINDS)}"
            )
        out["kind"] = changes["kind"]
    if "name" in changes:
        out["name"] = _text(changes["name"], "name", MAX_NAME_CHARS)
    if "year" in changes:
        out["year"] = _year(changes["year"])
    for name in ("date_start", "date_end"):
        if name in changes:
            out[name] = _day(changes[name], name)
    start, end = out.get("date_start"), out.get("date_end")
    if start and end and start > end:
        raise InvalidParameter("'date_start' is after 'date_end'")
    if "actors" in changes:
        known = {a.casefold(): a for a in ACTORS}
        actors = []
        for actor in changes["actors"] or []:
            if not isinstance(actor, str) or actor.casefold() not in known:
                raise InvalidParameter(f"unknown actor {actor!r}; actors: {', '.join(ACTORS)}")
            if known[actor.casefold()] not in actors:
                actors.append(known[actor.casefold()])
        out["actors"] = sorted(actors, key=ACTORS.index)
    if "place_ids" in changes:
        places = list(dict.fromkeys(changes["place_ids"] or []))
        if len(places) > MAX_PLACES:
            raise InvalidParameter(f"at most {MAX_PLACES} places")
        for place_id in places:
            if not isinstance(place_id, str) or place_id not in gazetteer.places:
                raise InvalidParameter(f"no gazetteer place with id {place_id!r}")
        out["place_ids"] = places
    return out


def _verdict(
    action: str,
    feature: Feature,
    existing: Correction | None,
    changes: Mapping[str, Any] | None,
    note: str | None,
    user: str,
    gazetteer: Gazetteer,
    spans: Sequence[Span],
) -> Correction:
    props = feature["properties"]
    machine = machine_of(feature, existing)
    key = feature_key(feature, spans)
    base = existing.spans if existing else tuple(spans)
    if not base:
        raise InvalidParameter("this event has no evidence to key a correction on")
    kind = existing.kind if existing else props["kind"]
    status = {"confirm": CONFIRMED, "reject": REJECTED, "correct": CORRECTED}[action]
    kept: dict[str, Any] = {}
    if action == "correct":
        checked = checked_changes(changes or {}, gazetteer)
        # Only what differs from the machine is a correction; the same values confirm it.
        kept = {k: v for k, v in checked.items() if v != machine.get(k)}
        if not kept:
            status = CONFIRMED
    elif existing is not None:
        kept = dict(existing.changes)  # rejecting or confirming a corrected event keeps its fields
        if action == "confirm" and kept:
            status = CORRECTED
    return Correction(
        id=key,
        spans=base,
        kind=kind,
        status=status,
        changes=kept,
        note=_text(note, "note", MAX_NOTE_CHARS),
        user=user,
        updated=now(),
        machine=machine,
    )


def _located(store: Store, feature: Feature, key: str) -> tuple[str, str]:
    """Where the reviewed event is after the rebuild (its kind may have moved its layer)."""
    props = feature["properties"]
    for layer in EVENT_LAYERS:
        try:
            page = store.features.query(layer, FeatureQuery(reviews=parse_reviews(ALL_REVIEWS)))
        except (NotFound, StoreUnavailable):
            continue
        for candidate in page.features:
            if candidate["properties"].get("review_id") == key:
                return layer, str(candidate["id"])
    return props["layer"], str(feature["id"])


def review_event(
    store: Store,
    layer: str,
    feature_id: str,
    action: str,
    *,
    user: str,
    changes: Mapping[str, Any] | None = None,
    note: str | None = None,
    gazetteer: Gazetteer | None = None,
) -> Outcome:
    """Confirm, reject, correct or reset one event, log it and rebuild the layers."""
    if action not in ACTIONS:
        raise InvalidParameter(f"unknown action {action!r}; actions: {', '.join(ACTIONS)}")
    reviews = _reviews(store)
    gazetteer = gazetteer or default_gazetteer()
    with store.documents.transaction():
        _settle(store)
        feature = event_feature_of(store, layer, feature_id)
        spans = machine_spans(store, feature)
        key = feature_key(feature, spans)
        existing = reviews.get(key)
        if action == "reset":
            reviews.remove(key, user)
            correction = None
        else:
            correction = _verdict(
                action, feature, existing, changes, note, user, gazetteer, spans
            )
            reviews.put(correction, existing)
        result = build_store(store)
    store.features.refresh()
    if correction is not None:
        where = _located(store, feature, key)
    elif existing is not None:  # back to the machine's kind, so perhaps to another layer
        machine_layer = layer_of(existing.kind)
        where = (machine_layer, f"{machine_layer}-{feature_id.split('-', 1)[-1]}")
    else:
        where = (layer, feature_id)
    return Outcome(correction, *where, build=result)


# -- listings, export, import -------------------------------------------------------------------


def corrections(store: Store) -> list[Correction]:
    return _reviews(store).corrections() if store.reviews is not None else []


def applied_ids(store: Store) -> set[str]:
    """The corrections the current layers show (on some event feature)."""
    query = FeatureQuery(reviews=parse_reviews(ALL_REVIEWS))
    found: set[str] = set()
    built = {entry["name"] for entry in store.features.collections()}
    for layer in EVENT_LAYERS:
        if layer in built:
            for feature in store.features.query(layer, query).features:
                if feature["properties"].get("review_id"):
                    found.add(feature["properties"]["review_id"])
    return found


def orphaned(store: Store) -> list[Correction]:
    """Corrections whose event the last build no longer found: listed, never dropped."""
    shown = applied_ids(store)
    return [c for c in corrections(store) if c.id not in shown]


def export_jsonl(items: Iterable[Correction]) -> bytes:
    return b"".join(orjson.dumps(c.as_json()) + b"\n" for c in items)


@dataclass
class Imported:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    build: BuildResult | None = None
    ids: list[str] = field(default_factory=list)


def _same(a: Correction, b: Correction) -> bool:
    return (a.status, a.changes, a.note, a.spans, a.kind) == (
        b.status,
        b.changes,
        b.note,
        b.spans,
        b.kind,
    )


def parse_jsonl(data: bytes) -> list[Correction]:
    """Corrections from JSON Lines; InvalidParameter names the first bad line."""
    out = []
    for number, line in enumerate(data.splitlines(), 1):
        if not line.strip():
            continue
        try:
            out.append(Correction.from_json(orjson.loads(line)))
        except (orjson.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
            raise InvalidParameter(f"line {number}: not a correction ({exc})") from None
    return out


def import_jsonl(
    store: Store, data: bytes, *, user: str, gazetteer: Gazetteer | None = None
) -> Imported:
    """Add or replace the corrections in `data`; the same line twice changes nothing (and
    writes nothing), so importing a file again is harmless. Rebuilds if anything changed."""
    reviews = _reviews(store)
    gazetteer = gazetteer or default_gazetteer()
    incoming = parse_jsonl(data)
    for item in incoming:
        checked_changes(item.changes, gazetteer)
    outcome = Imported()
    with store.documents.transaction():
        _settle(store)
        for item in incoming:
            existing = reviews.get(item.id)
            if existing is not None and _same(existing, item):
                outcome.unchanged += 1
                continue
            stamped = replace(item, user=item.user or user, updated=item.updated or now())
            reviews.put(stamped, existing)
            outcome.ids.append(item.id)
            if existing is None:
                outcome.added += 1
            else:
                outcome.updated += 1
        if outcome.ids:
            outcome.build = build_store(store)
    store.features.refresh()
    return outcome


def queue(store: Store, limit: int | None = None) -> list[Feature]:
    """Events nobody has reviewed, the least confident first (the extractor's `confidence`)."""
    query = FeatureQuery(reviews=frozenset({MACHINE}))
    built = {entry["name"] for entry in store.features.collections()}
    features: list[Feature] = []
    for layer in EVENT_LAYERS:
        if layer in built:
            try:
                features.extend(store.features.query(layer, query).features)
            except StoreUnavailable:
                continue
    features.sort(
        key=lambda f: (f["properties"].get("confidence") or 0.0, f["properties"].get("title") or "")
    )
    return features[:limit] if limit is not None else features


def search(query: str, limit: int = 20) -> list[dict[str, Any]]:
    """Gazetteer places matching what an analyst types (for the correction form)."""
    return search_places(default_gazetteer(), query, limit)


def place_names(place_ids: Iterable[str]) -> list[dict[str, str]]:
    gazetteer = default_gazetteer()
    return [
        {"id": p, "name": gazetteer.places[p].name if p in gazetteer.places else p}
        for p in place_ids
    ]


def layer_of(kind: str) -> str:
    return kind_spec(kind).layer
