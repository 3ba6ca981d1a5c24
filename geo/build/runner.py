"""Building the map layers from the documents: exercises, patrols, zones, places and an index.

Output is RFC 7946 GeoJSON, byte-identical when rebuilt from the same inputs (sorted features,
no timestamps), and written all-or-nothing: a failed build leaves the previous layers in place.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
from shapely.geometry import mapping
from tqdm import tqdm

from geo.storage.atomic import staged_files
from geo.storage.documents import iter_documents
from geo.extraction.merge import identity_key, merge_across_documents
from geo.extraction.pipeline import Extraction, extract_document
from geo.gazetteer.places import Gazetteer, Place, default_gazetteer
from geo.build.geometry import bbox_of, event_geometry, rfc7946
from geo.domain.model import ACTORS, Document, DocumentMeta, Event
from geo.extraction.text import split_sentences

LAYER_TITLES = {
    "exercises": "Exercises",
    "patrols": "Patrols and flights",
    "zones": "Zones (air defense, disputed)",
    "places": "Places named",
}
PATROL_KINDS = frozenset({"air_patrol", "naval_patrol", "bomber_flight", "scramble"})
KIND_LABELS = {
    "naval_exercise": "naval exercise",
    "air_patrol": "air patrol",
    "naval_patrol": "naval patrol",
    "bomber_flight": "bomber flight",
    "scramble": "fighter scramble",
    "missile_launch": "missile launch",
    "other": "exercise",
}
PROGRESS_THRESHOLD = 200


@dataclass(frozen=True)
class BuildResult:
    counts: dict[str, int]
    documents: int


def layer_for_kind(kind: str) -> str:
    return "patrols" if kind in PATROL_KINDS else "exercises"


def feature_id(layer: str, key: object) -> str:
    """Stable across rebuilds: derived from what identifies the thing, not from build order."""
    digest = hashlib.sha1(repr(key).encode(), usedforsecurity=False).hexdigest()[:12]
    return f"{layer}-{digest}"


def _sorted_years(years: Iterable[int | None]) -> list[int | None]:
    unique = set(years)
    return sorted(y for y in unique if y is not None) + ([None] if None in unique else [])


def _sorted_actors(actors: Iterable[str]) -> list[str]:
    return sorted(set(actors), key=ACTORS.index)


def _evidence_json(event: Event, documents: dict[str, Document]) -> list[dict[str, Any]]:
    out = []
    for item in event.evidence:
        out.append(_evidence_entry(documents[item.doc_id].meta, item.text, item.start, item.end))
    return out


def _evidence_entry(meta: DocumentMeta, text: str, start: int, end: int) -> dict[str, Any]:
    """A sentence and the document it comes from, as every layer's `evidence` lists it."""
    return {
        "doc_id": meta.doc_id,
        "title": meta.title or meta.doc_id,
        "published": meta.published.isoformat() if meta.published else None,
        "text": text,
        "start": start,
        "end": end,
    }


def event_title(event: Event, gazetteer: Gazetteer) -> str:
    if event.name:
        return event.name
    who = "–".join(event.actors) or "Unattributed"
    where = f", {gazetteer[event.place_ids[0]].name}" if event.place_ids else ""
    return f"{who} {KIND_LABELS[event.kind]}{where}"


def event_feature(
    event: Event, gazetteer: Gazetteer, documents: dict[str, Document]
) -> dict[str, Any]:
    layer = layer_for_kind(event.kind)
    geometry = event_geometry(event, gazetteer)
    fid = feature_id(layer, identity_key(event))
    properties = {
        "id": fid,
        "layer": layer,
        "kind": event.kind,
        "name": event.name,
        "title": event_title(event, gazetteer),
        "year": event.year,
        "years": [event.year],
        "date_start": event.date_start.isoformat() if event.date_start else None,
        "date_end": event.date_end.isoformat() if event.date_end else None,
        "actors": event.actors,
        "places": [gazetteer[p].name for p in event.place_ids],
        "place_ids": event.place_ids,
        "evidence": _evidence_json(event, documents),
        "n_sources": len(event.doc_ids),
        "confidence": event.confidence,
    }
    return _feature(fid, geometry, properties)


def _feature(fid: str, geometry: Any, properties: dict[str, Any]) -> dict[str, Any]:
    feature: dict[str, Any] = {"type": "Feature", "id": fid}
    bbox = bbox_of(geometry)
    if bbox is not None:
        feature["bbox"] = bbox
    feature["geometry"] = mapping(geometry) if geometry is not None else None
    feature["properties"] = properties
    return feature


def _mention_sentences(extractions: list[Extraction]) -> dict[str, list[dict[str, Any]]]:
    """For each place, the first sentence per document that names it."""
    found: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for extraction in extractions:
        sentences = split_sentences(extraction.document.text)
        meta = extraction.document.meta
        seen: set[str] = set()
        for mention in extraction.mentions:
            if mention.place_id in seen:
                continue
            seen.add(mention.place_id)
            sentence = next(s for s in sentences if s.start <= mention.start < s.end)
            found[mention.place_id].append(
                _evidence_entry(meta, sentence.text, sentence.start, sentence.end)
            )
    return found


def place_feature(
    place: Place,
    layer: str,
    evidence: list[dict[str, Any]],
    events: list[tuple[str, Event]],
    doc_years: list[int | None],
) -> dict[str, Any]:
    years = [e.year for _, e in events] or doc_years or [None]
    fid = f"{layer}-{place.id}"
    properties = {
        "id": fid,
        "layer": layer,
        "kind": place.kind,
        "name": place.name,
        "title": place.name,
        "year": None,
        "years": _sorted_years(years),
        "date_start": None,
        "date_end": None,
        "actors": _sorted_actors(a for _, e in events for a in e.actors),
        "places": [place.name],
        "place_ids": [place.id],
        "evidence": evidence,
        "n_sources": len({e["doc_id"] for e in evidence}),
        "confidence": 1.0,
        "disputed": place.disputed,
        "aliases": list(place.aliases),
        "geometry_source": place.source,
        "event_ids": sorted(fid for fid, _ in events),
    }
    return _feature(fid, rfc7946(place.geometry), properties)


def is_zone(place: Place) -> bool:
    """Air defense zones and disputed islands get their own layer."""
    return place.kind == "airspace" or (place.disputed and place.kind == "island")


def _event_sort_key(feature: dict[str, Any]) -> tuple:
    props = feature["properties"]
    return (props["year"] is None, props["year"] or 0, props["title"], feature["id"])


def collection_bytes(features: list[dict[str, Any]]) -> bytes:
    """A FeatureCollection with one feature per line, so diffs of committed layers stay readable."""
    body = b",\n".join(orjson.dumps(f) for f in features)
    return b'{"type":"FeatureCollection","features":[\n' + body + b"\n]}\n"


def _layer_summary(name: str, features: list[dict[str, Any]]) -> dict[str, Any]:
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
        "title": LAYER_TITLES[name],
        "count": len(features),
        "years": _sorted_years(y for f in features for y in f["properties"]["years"]),
        "actors": _sorted_actors(a for f in features for a in f["properties"]["actors"]),
        "kinds": sorted({f["properties"]["kind"] for f in features}),
        "bbox": bbox,
        "geometry_types": sorted({f["geometry"]["type"] for f in features if f["geometry"]}),
    }


def build_features(
    extractions: list[Extraction], gazetteer: Gazetteer
) -> dict[str, list[dict[str, Any]]]:
    """All layers' features from the documents' extractions, in a stable order."""
    by_id = {x.document.meta.doc_id: x.document for x in extractions}
    events = merge_across_documents((e for x in extractions for e in x.events), gazetteer)
    layers: dict[str, list[dict[str, Any]]] = {
        "exercises": [],
        "patrols": [],
        "zones": [],
        "places": [],
    }
    events_by_place: dict[str, list[tuple[str, Event]]] = defaultdict(list)
    for event in events:
        feature = event_feature(event, gazetteer, by_id)
        layers[feature["properties"]["layer"]].append(feature)
        for place_id in event.place_ids:
            events_by_place[place_id].append((feature["id"], event))
    evidence = _mention_sentences(extractions)
    doc_years: dict[str, list[int | None]] = defaultdict(list)
    for extraction in extractions:
        for place_id in {m.place_id for m in extraction.mentions}:
            doc_years[place_id].append(extraction.document.meta.reference_year)
    for place_id in sorted(evidence):
        place = gazetteer[place_id]
        args = (evidence[place_id], events_by_place[place_id], doc_years[place_id])
        layers["places"].append(place_feature(place, "places", *args))
        if is_zone(place):
            layers["zones"].append(place_feature(place, "zones", *args))
    for name in ("exercises", "patrols"):
        layers[name].sort(key=_event_sort_key)
    return layers


def _document_entry(
    extraction: Extraction, seeds_dir: Path, gazetteer: Gazetteer
) -> dict[str, Any]:
    """A document's metadata and its place mentions (the web app highlights them by offset)."""
    document = extraction.document
    meta = document.meta
    return {
        "id": meta.doc_id,
        # Relative to the seeds folder's parent, so the index is the same in every clone.
        "path": (Path(seeds_dir.name) / Path(meta.path).name).as_posix(),
        "title": meta.title,
        "published": meta.published.isoformat() if meta.published else None,
        "published_year": meta.reference_year,
        "source": meta.source,
        "url": meta.url,
        "sha256": hashlib.sha256(document.text.encode()).hexdigest(),
        "mentions": [
            {
                "place_id": m.place_id,
                "name": gazetteer[m.place_id].name,
                "start": m.start,
                "end": m.end,
            }
            for m in extraction.mentions
        ],
    }


def build_layers(
    seeds_dir: Path, out_dir: Path, gazetteer: Gazetteer | None = None, show_progress: bool = False
) -> BuildResult:
    """Read every document in `seeds_dir` and (re)write the layers in `out_dir`, all or nothing."""
    gazetteer = gazetteer or default_gazetteer()
    documents = list(iter_documents(seeds_dir))
    use_bar = show_progress and len(documents) >= PROGRESS_THRESHOLD

    def progress(items: Iterable) -> Iterable:
        return tqdm(items, desc="extracting", unit="doc") if use_bar else items

    extractions = [extract_document(doc, gazetteer) for doc in progress(documents)]
    layers = build_features(extractions, gazetteer)
    index = {
        "layers": [_layer_summary(name, features) for name, features in layers.items()],
        "documents": [_document_entry(x, Path(seeds_dir), gazetteer) for x in extractions],
    }
    with staged_files(out_dir) as stage:
        for name, features in layers.items():
            stage(f"{name}.geojson", collection_bytes(features))
        stage("index.json", orjson.dumps(index, option=orjson.OPT_INDENT_2) + b"\n")
    return BuildResult({name: len(f) for name, f in layers.items()}, len(documents))
