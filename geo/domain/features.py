"""The layer feature: its types and the one function per source (event, place) that builds it.

The build, the tests' fixtures and the benchmarks all make features here, so a property is
added or renamed in one place; `layer_summary` is the index entry every store reports.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, NotRequired, Protocol, TypedDict

from shapely.geometry import mapping
from shapely.geometry.base import BaseGeometry

from geo.domain.geojson import bbox_of, rfc7946
from geo.domain.kinds import kind_spec
from geo.domain.layers import layer_spec
from geo.domain.model import ACTORS, DocumentMeta, Event


class EvidenceJSON(TypedDict):
    """A sentence and the document it comes from (offsets are characters into the text)."""

    doc_id: str
    title: str
    published: str | None
    text: str
    start: int
    end: int
    # The document's language, and where the sentence names places (offsets into `text`),
    # so the popup shows the sentence in its own script with its places marked.
    lang: NotRequired[str]
    marks: NotRequired[list[list[int]]]


class Feature(TypedDict):
    """A GeoJSON Feature as every layer holds it; `properties` are listed in the README."""

    type: str
    id: str
    bbox: NotRequired[list[float]]
    geometry: dict[str, Any] | None
    properties: dict[str, Any]


class PlaceLike(Protocol):
    """What a place feature needs of a gazetteer place."""

    id: str
    name: str
    kind: str
    aliases: tuple[str, ...]
    disputed: bool
    source: str
    geometry: BaseGeometry


def feature_id(layer: str, key: object) -> str:
    """Stable across rebuilds: derived from what identifies the thing, not from build order."""
    digest = hashlib.sha1(repr(key).encode(), usedforsecurity=False).hexdigest()[:12]
    return f"{layer}-{digest}"


def sorted_years(years: Iterable[int | None]) -> list[int | None]:
    """Years ascending, undated last."""
    unique = set(years)
    return sorted(y for y in unique if y is not None) + ([None] if None in unique else [])


def sorted_actors(actors: Iterable[str]) -> list[str]:
    """Actors in the canonical order (China, Russia, United States, ...)."""
    return sorted(set(actors), key=ACTORS.index)


def evidence_entry(
    meta: DocumentMeta,
    text: str,
    start: int,
    end: int,
    marks: Sequence[tuple[int, int]] = (),
) -> EvidenceJSON:
    """A sentence and the document it comes from, as every layer's `evidence` lists it.

    `marks` are place mentions as document offsets; those inside the sentence are kept,
    relative to it. A document in a language other than English says which (`lang`)."""
    entry: EvidenceJSON = {
        "doc_id": meta.doc_id,
        "title": meta.title or meta.doc_id,
        "published": meta.published.isoformat() if meta.published else None,
        "text": text,
        "start": start,
        "end": end,
    }
    if meta.lang and meta.lang != "en":
        entry["lang"] = meta.lang
        entry["marks"] = [[s - start, e - start] for s, e in marks if start <= s and e <= end]
    return entry


def feature_languages(evidence: Iterable[EvidenceJSON]) -> list[str]:
    """The languages of the documents behind a feature (English where none is recorded)."""
    return sorted({item.get("lang", "en") for item in evidence}) or ["en"]


def event_title(event: Event, first_place: str | None) -> str:
    """The exercise's name, else "China–Russia naval exercise, Sea of Japan"."""
    if event.name:
        return event.name
    who = "–".join(event.actors) or "Unattributed"
    where = f", {first_place}" if first_place else ""
    return f"{who} {kind_spec(event.kind).title_noun}{where}"


def make_feature(fid: str, geometry: BaseGeometry | None, properties: dict[str, Any]) -> Feature:
    """A Feature with its bbox (when it has a geometry) before the geometry, as RFC 7946 shows."""
    feature: dict[str, Any] = {"type": "Feature", "id": fid}
    bbox = bbox_of(geometry)
    if bbox is not None:
        feature["bbox"] = bbox
    feature["geometry"] = mapping(geometry) if geometry is not None else None
    feature["properties"] = properties
    return feature  # type: ignore[return-value]


def event_feature(
    event: Event,
    *,
    fid: str,
    place_names: Sequence[str],
    geometry: BaseGeometry | None,
    evidence: list[EvidenceJSON],
    title: str | None = None,
    evidence_count: int | None = None,
    n_sources: int | None = None,
    review: str = "machine",
    review_note: str | None = None,
    review_id: str | None = None,
) -> Feature:
    """The feature of one (merged) event; its layer comes from the kind registry; `review` says
    whether an analyst confirmed, corrected or rejected it (`geo.domain.review`).

    With `evidence_count`, `evidence` holds only the first entries and the store the rest.
    """
    layer = kind_spec(event.kind).layer
    properties = {
        "id": fid,
        "layer": layer,
        "kind": event.kind,
        "name": event.name,
        "title": title or event_title(event, place_names[0] if place_names else None),
        "year": event.year,
        "years": [event.year],
        "date_start": event.date_start.isoformat() if event.date_start else None,
        "date_end": event.date_end.isoformat() if event.date_end else None,
        "actors": event.actors,
        "places": list(place_names),
        "place_ids": event.place_ids,
        "evidence": evidence,
        **({} if evidence_count is None else {"evidence_count": evidence_count}),
        "n_sources": len(event.doc_ids) if n_sources is None else n_sources,
        "confidence": event.confidence,
        "langs": feature_languages(evidence),
        "review": review,
        "review_note": review_note,
        "review_id": review_id,
    }
    return make_feature(fid, geometry, properties)


EVENTS_LISTED = 100  # event ids a place feature lists; `event_count` counts them all


@dataclass(frozen=True)
class HeldThere:
    """What a place feature says of the events held there: their years and actors, the first
    ids (by id) and how many there are."""

    years: list[int | None]
    actors: list[str]
    ids: list[str]
    count: int

    @classmethod
    def of(cls, events: Sequence[tuple[str, Event]]) -> HeldThere:
        """From the events themselves (feature id, event)."""
        return cls(
            years=[e.year for _, e in events],
            actors=[a for _, e in events for a in e.actors],
            ids=sorted(fid for fid, _ in events)[:EVENTS_LISTED],
            count=len(events),
        )


def place_feature(
    place: PlaceLike,
    layer: str,
    evidence: list[EvidenceJSON],
    held: HeldThere,
    doc_years: list[int | None],
    evidence_count: int | None = None,
    n_sources: int | None = None,
) -> Feature:
    """The feature of a gazetteer place the documents name, with the events held there.

    With `evidence_count`, `evidence` holds only the first entries and the store the rest.
    """
    years = held.years or doc_years or [None]
    fid = f"{layer}-{place.id}"
    properties = {
        "id": fid,
        "layer": layer,
        "kind": place.kind,
        "name": place.name,
        "title": place.name,
        "year": None,
        "years": sorted_years(years),
        "date_start": None,
        "date_end": None,
        "actors": sorted_actors(held.actors),
        "places": [place.name],
        "place_ids": [place.id],
        "evidence": evidence,
        **({} if evidence_count is None else {"evidence_count": evidence_count}),
        "n_sources": len({e["doc_id"] for e in evidence}) if n_sources is None else n_sources,
        "confidence": 1.0,
        "disputed": place.disputed,
        "aliases": list(place.aliases),
        "geometry_source": place.source,
        "event_ids": sorted(held.ids)[:EVENTS_LISTED],
        "event_count": held.count,
        "langs": feature_languages(evidence),
    }
    return make_feature(fid, rfc7946(place.geometry), properties)


def feature_order(feature: Feature) -> tuple:
    """A layer's stable order: events by year (undated last), title, id; places by id."""
    props = feature["properties"]
    if layer_spec(props["layer"]).role == "places":
        return (feature["id"],)
    return (props["year"] is None, props["year"] or 0, props["title"], feature["id"])


def is_zone(place: PlaceLike) -> bool:
    """Air defense zones and disputed islands get their own layer."""
    return place.kind == "airspace" or (place.disputed and place.kind == "island")


def layer_summary(name: str, features: Sequence[Feature]) -> dict[str, Any]:
    """A layer's index entry: count, years, actors, kinds, extent, geometry types."""
    boxes = [f["bbox"] for f in features if "bbox" in f]
    bbox = (
        [
            min(b[0] for b in boxes),
            min(b[1] for b in boxes),
            max(b[2] for b in boxes),
            max(b[3] for b in boxes),
        ]
        if boxes
        else None
    )
    return {
        "name": name,
        "title": layer_spec(name).title,
        "count": len(features),
        "years": sorted_years(y for f in features for y in f["properties"]["years"]),
        "actors": sorted_actors(a for f in features for a in f["properties"]["actors"]),
        "kinds": sorted({f["properties"]["kind"] for f in features}),
        "bbox": bbox,
        "geometry_types": sorted({f["geometry"]["type"] for f in features if f["geometry"]}),
    }
