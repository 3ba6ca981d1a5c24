"""A build: every document → extraction → features → one all-or-nothing write to a layer sink.

Output is RFC 7946 GeoJSON, byte-identical when rebuilt from the same inputs (sorted features,
no timestamps); a failed build leaves the previous layers in place.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

from geo.build.features import build_features, document_entry
from geo.domain.features import layer_summary
from geo.domain.model import Document
from geo.domain.review import Correction
from geo.extraction.pipeline import extract_document
from geo.gazetteer.places import Gazetteer, default_gazetteer
from geo.storage.base import BuiltLayers, LayerSink
from geo.storage.files import FileDocumentStore, FileLayerSink
from geo.storage.reviews import REVIEW_DIR, FileReviewStore

PROGRESS_THRESHOLD = 200


@dataclass(frozen=True)
class BuildResult:
    counts: dict[str, int]
    documents: int
    orphaned: list[Correction] = field(default_factory=list)  # corrections whose event is gone


def build(
    documents: Iterable[Document],
    sink: LayerSink,
    gazetteer: Gazetteer | None = None,
    show_progress: bool = False,
    corrections: Sequence[Correction] = (),
) -> BuildResult:
    """Extract every document and replace every layer in `sink`, all or nothing, with the
    analysts' corrections applied."""
    gazetteer = gazetteer or default_gazetteer()
    documents = list(documents)
    use_bar = show_progress and len(documents) >= PROGRESS_THRESHOLD
    progress = tqdm(documents, desc="extracting", unit="doc") if use_bar else documents
    extractions = [extract_document(doc, gazetteer) for doc in progress]
    orphaned: list[Correction] = []
    layers = build_features(extractions, gazetteer, corrections, orphaned)
    index = {
        "layers": [layer_summary(name, features) for name, features in layers.items()],
        "documents": [document_entry(x, gazetteer) for x in extractions],
    }
    if corrections:  # absent without reviews, so such builds stay byte-identical
        index["review"] = {
            "corrections": len(corrections),
            "orphaned": [c.id for c in orphaned],
        }
    texts = {doc.meta.doc_id: doc.text for doc in documents}
    sink.write(BuiltLayers(layers=layers, index=index, texts=texts))
    counts = {name: len(f) for name, f in layers.items()}
    return BuildResult(counts, len(documents), orphaned)


def build_layers(
    seeds_dir: Path,
    out_dir: Path,
    gazetteer: Gazetteer | None = None,
    show_progress: bool = False,
    examples: bool = True,
) -> BuildResult:
    """The file store's build: the documents in `seeds_dir` (with its example corpus unless
    `examples` is false) to the layers in `out_dir`, with the corrections kept beside them."""
    documents = FileDocumentStore(Path(seeds_dir), examples=examples).documents()
    corrections = FileReviewStore(Path(seeds_dir) / REVIEW_DIR).corrections()
    sink = FileLayerSink(Path(out_dir))
    return build(documents, sink, gazetteer, show_progress, corrections)
