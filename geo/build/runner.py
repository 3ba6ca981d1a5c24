"""A build: every document → extraction → features → one all-or-nothing write to a layer sink;
an increment: new documents → extraction → folded into the stored merge records → one apply.

Output is RFC 7946 GeoJSON, byte-identical when rebuilt from the same inputs (sorted features,
no timestamps), and the same whether the documents came in one build or one by one: both fold
documents into merge records with `geo.build.records`. A failed build leaves the previous
layers in place.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from geo.build.features import (
    apply_reviews,
    by_layer,
    document_entry,
    document_mentions,
    draw,
    draw_all,
    fold_all,
)
from geo.build.parallel import extract_all, extract_each
from geo.build.records import EVENT, Records, fold, link_places, place_layers
from geo.domain.features import Feature, layer_summary
from geo.domain.model import Document
from geo.domain.review import Correction
from geo.extraction.pipeline import Extraction
from geo.gazetteer.places import Gazetteer, default_gazetteer
from geo.storage.base import BuiltLayers, LayerSink, MergeDelta, MergeStore
from geo.storage.files import FileDocumentStore, FileLayerSink
from geo.storage.reviews import REVIEW_DIR, FileReviewStore

PROGRESS_THRESHOLD = 200
RECORDS_FORMAT = "r2."  # begins every token: records of another format are rebuilt, not read
REVIEWED = "reviewed-"  # begins the token of records a build drew with corrections


@dataclass(frozen=True)
class BuildResult:
    counts: dict[str, int]
    documents: int
    touched: int | None = None  # rows an increment wrote (records, evidence, features)
    orphaned: list[Correction] = field(default_factory=list)  # corrections whose event is gone


def records_token(doc_ids: Iterable[str], base: str = RECORDS_FORMAT) -> str:
    """The merge records' version: which documents, in which order, they were folded from.

    A chain (each id hashed onto the token before it), so an ingest gives the new version
    from the stored one and its own documents, without listing the corpus."""
    token = base
    for doc_id in doc_ids:
        token = RECORDS_FORMAT + hashlib.sha256(f"{token}\n{doc_id}".encode()).hexdigest()[:16]
    return token


def _delta(
    records: Records,
    drawn: list[tuple[str, Feature]],
    extractions: Sequence[Extraction],
    gazetteer: Gazetteer,
    *,
    token: str,
    base: str | None,
    owners: Iterable[str],
) -> MergeDelta:
    bodies = {}
    for owner in owners:
        if owner.startswith(EVENT):
            bodies[owner] = records.events[owner].to_json()
        else:
            bodies[owner] = records.places[owner[2:]].to_json()
    return MergeDelta(
        token=token,
        base=base,
        records=bodies,
        evidence=records.evidence,
        owners={feature["id"]: owner for owner, feature in drawn},
        mentions={x.document.meta.doc_id: document_mentions(x, gazetteer) for x in extractions},
        members=records.member_rows(),
    )


def build(
    documents: Iterable[Document],
    sink: LayerSink,
    gazetteer: Gazetteer | None = None,
    show_progress: bool = False,
    *,
    workers: int = 1,
    scheduler: str | None = None,
    corrections: Sequence[Correction] = (),
) -> BuildResult:
    """Extract every document and replace every layer in `sink`, all or nothing, with the
    analysts' corrections applied."""
    gazetteer = gazetteer or default_gazetteer()
    documents = list(documents)
    use_bar = show_progress and len(documents) >= PROGRESS_THRESHOLD
    extractions: list[Extraction] = []
    found = extract_each(
        documents, gazetteer, workers=workers, scheduler=scheduler, progress=use_bar
    )
    records = fold_all(found, gazetteer, kept=extractions)
    # The analysts' corrections: after the merge, before the features are drawn.
    orphaned = apply_reviews(records, corrections, gazetteer)
    drawn = draw_all(records, gazetteer)
    layers = by_layer([feature for _, feature in drawn])
    keeps = sink.keeps_records
    index = {
        "layers": [layer_summary(name, features) for name, features in layers.items()],
        "documents": [document_entry(x, gazetteer, mentions=not keeps) for x in extractions],
    }
    if corrections:  # absent without reviews, so such builds stay byte-identical
        index["review"] = {
            "corrections": len(corrections),
            "orphaned": [c.id for c in orphaned],
        }
    texts = {doc.meta.doc_id: doc.text for doc in documents}
    state = None
    if keeps:
        owners = [*records.events, *("p:" + p for p in records.places)]
        doc_ids = [x.document.meta.doc_id for x in extractions]
        # Records drawn with corrections get a token no increment accepts, so an ingest
        # after them rebuilds (and applies the corrections) instead of folding into them.
        token = REVIEWED + records_token(doc_ids) if corrections else records_token(doc_ids)
        state = _delta(
            records, drawn, extractions, gazetteer, token=token, base=None, owners=owners
        )
    sink.write(BuiltLayers(layers=layers, index=index, texts=texts, state=state))
    counts = {name: len(f) for name, f in layers.items()}
    return BuildResult(counts, len(documents), orphaned=orphaned)


def increment(
    documents: Sequence[Document],
    merge: MergeStore,
    gazetteer: Gazetteer | None = None,
    *,
    workers: int = 1,
    scheduler: str | None = None,
    show_progress: bool = False,
) -> int | None:
    """Fold new documents into the stored records and apply the features they touch; the rows
    written, or None if the store has no usable records (then rebuild). The caller has checked
    that the records hold every other stored document (`MergeStore.follows`). Corrections are
    not applied here: with any, the caller rebuilds (`geo.services.ingest._fold_in`), and
    records built with them carry a token this refuses."""
    base = merge.token()
    if base is None or not base.startswith(RECORDS_FORMAT):  # none, reviewed, or older
        return None
    gazetteer = gazetteer or default_gazetteer()
    extractions = extract_all(
        documents, gazetteer, workers=workers, scheduler=scheduler, progress=show_progress
    )
    records = Records(
        load=merge.records, load_members=merge.members, first_members=merge.first_members
    )
    records.prefetch(extractions)
    for extraction in extractions:
        fold(extraction, records, gazetteer)
    link_places(records)
    owners = list(records.touched)
    before = {o: records.events[o].drawn for o in owners if o.startswith(EVENT)}
    drawn = draw(records, owners, gazetteer)
    features: dict[str, list[Feature]] = defaultdict(list)
    for _, feature in drawn:
        features[feature["properties"]["layer"]].append(feature)
    removed: dict[str, set[str]] = defaultdict(set)
    previous: dict[str, dict[str, list]] = defaultdict(dict)
    for owner, old in before.items():
        if old is None:
            continue
        previous[old[0]][old[1]] = old[2]
        drawn_now = records.events[owner].drawn
        if drawn_now is None or drawn_now[:2] != old[:2]:
            removed[old[0]].add(old[1])
    for place_id in records.named_before:
        for layer in place_layers(gazetteer[place_id]):
            previous[layer][f"{layer}-{place_id}"] = [f"{layer}-{place_id}"]
    token = records_token([x.document.meta.doc_id for x in extractions], base)
    delta = _delta(records, drawn, extractions, gazetteer, token=token, base=base, owners=owners)
    delta = replace(
        delta,
        features=dict(features),
        removed=dict(removed),
        previous=dict(previous),
        documents=[document_entry(x, gazetteer, mentions=False) for x in extractions],
        texts={x.document.meta.doc_id: x.document.text for x in extractions},
    )
    merge.apply(delta)
    return delta.rows()


def build_layers(
    seeds_dir: Path,
    out_dir: Path,
    gazetteer: Gazetteer | None = None,
    show_progress: bool = False,
    examples: bool = True,
    **options: object,
) -> BuildResult:
    """The file store's build: the documents in `seeds_dir` (with its example corpus unless
    `examples` is false) to the layers in `out_dir`, with the corrections kept beside them;
    `options` go to `build` (workers)."""
    documents = FileDocumentStore(Path(seeds_dir), examples=examples).documents()
    corrections = FileReviewStore(Path(seeds_dir) / REVIEW_DIR).corrections()
    sink = FileLayerSink(Path(out_dir))
    return build(  # type: ignore[arg-type]
        documents, sink, gazetteer, show_progress, corrections=corrections, **options
    )
