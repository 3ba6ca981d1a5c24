"""Score an extractor against the hand-annotated gold set (`tests/data/gold/gold.jsonl`).

The extractor is passed in as a callable so this module never imports `geo.extraction.pipeline`:
it can be used (and tested) before the real extractor exists, and a fake or alternative
extractor can be scored the same way. Per document we compare four sets, because they are what
the map layers are built from and they stay comparable however events are split or merged:

* places - union of `events[].places` (primary gazetteer names) * actors - union of
`events[].actors` * years - non-null `events[].year` * kinds - `events[].kind`

Overall scores are micro-averaged: true/false positives and false negatives are summed over
documents before precision, recall and F1 are computed, so a document with many events weighs
more than one with a single event.
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

Extractor = Callable[[Path, date | None], dict[str, Any]]

FIELDS: tuple[str, ...] = ("places", "actors", "years", "kinds")
DEFAULT_EXTRACTOR = "geo.services.evaluate:pipeline_extract"


class GoldError(ValueError):
    """A gold record is malformed; the message names the line."""


@dataclass(frozen=True)
class Counts:
    """Set-overlap tallies for one field; kept as counts so they can be summed (micro-average)."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    @property
    def precision(self) -> float:
        """Share of predictions in gold; vacuous (0/0) counts 1.0 only when gold was empty too."""
        if self.tp + self.fp == 0:
            return 1.0 if self.fn == 0 else 0.0
        return self.tp / (self.tp + self.fp)

    @property
    def recall(self) -> float:
        """Share of gold items found; vacuous (0/0) counts 1.0 only when nothing was predicted."""
        if self.tp + self.fn == 0:
            return 1.0 if self.fp == 0 else 0.0
        return self.tp / (self.tp + self.fn)

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 0.0 if p + r == 0 else 2 * p * r / (p + r)


def compare(gold: Iterable[Any], predicted: Iterable[Any]) -> Counts:
    """Overlap of two sets of already-normalised items."""
    g, p = set(gold), set(predicted)
    return Counts(tp=len(g & p), fp=len(p - g), fn=len(g - p))


@dataclass(frozen=True)
class GoldDoc:
    """One line of gold.jsonl, reduced to what scoring needs."""

    doc: str
    published: date | None
    events: tuple[dict[str, Any], ...]
    style: str | None = None
    source_url: str | None = None


@dataclass
class DocScore:
    doc: str
    counts: dict[str, Counts]
    error: str | None = None


@dataclass
class Report:
    docs: list[DocScore] = field(default_factory=list)

    @property
    def overall(self) -> dict[str, Counts]:
        """Micro-averaged counts: per-document tallies summed field by field."""
        total = {name: Counts() for name in FIELDS}
        for doc in self.docs:
            for name in FIELDS:
                total[name] = total[name] + doc.counts[name]
        return total


def _norm_text(value: Any) -> str:
    """Case- and whitespace-insensitive key, so 'sea of japan ' matches 'Sea of Japan'."""
    return " ".join(str(value).split()).casefold()


def _year(value: Any) -> int | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def place_identities() -> dict[str, str]:
    """Every name of a hand-kept gazetteer place to its primary name (case-folded), for the
    names no two of those places share: "Pratas Islands" and "Pratas Island" are one place."""
    from geo.gazetteer.places import default_gazetteer

    owners: dict[str, set[str]] = {}
    for place in default_gazetteer().hand_kept():
        for name in (place.name, *place.aliases):
            owners.setdefault(_norm_text(name), set()).add(_norm_text(place.name))
    return {name: next(iter(primary)) for name, primary in owners.items() if len(primary) == 1}


def event_sets(
    events: Iterable[dict[str, Any]], identities: Mapping[str, str] | None = None
) -> dict[str, set[Any]]:
    """The four compared sets for a list of events (gold or predicted alike); with
    `identities`, a place is compared by the place its name denotes, not by the name."""
    identities = identities or {}
    sets: dict[str, set[Any]] = {name: set() for name in FIELDS}
    for event in events:
        names = (_norm_text(p) for p in event.get("places") or ())
        sets["places"].update(identities.get(name, name) for name in names)
        sets["actors"].update(_norm_text(a) for a in event.get("actors") or ())
        year = _year(event.get("year"))
        if year is not None:
            sets["years"].add(year)
        if event.get("kind"):
            sets["kinds"].add(_norm_text(event["kind"]))
    return sets


def score_document(
    gold_events: Iterable[dict[str, Any]],
    predicted: dict[str, Any],
    identities: Mapping[str, str] | None = None,
) -> dict[str, Counts]:
    """Counts per field for one document, from gold events and an extractor's output object."""
    gold_sets = event_sets(gold_events, identities)
    predicted_sets = event_sets(predicted.get("events") or (), identities)
    return {name: compare(gold_sets[name], predicted_sets[name]) for name in FIELDS}


def _parse_date(value: Any, where: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError) as exc:
        raise GoldError(f"{where}: published {value!r} is not YYYY-MM-DD") from exc


def load_gold(gold_path: Path) -> list[GoldDoc]:
    """Read gold.jsonl; blank lines are skipped, malformed ones raise GoldError."""
    docs: list[GoldDoc] = []
    for number, line in enumerate(gold_path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{gold_path}:{number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise GoldError(f"{where}: not JSON ({exc.msg})") from exc
        if not isinstance(record, dict) or not isinstance(record.get("doc"), str):
            raise GoldError(f"{where}: record needs a 'doc' path")
        events = record.get("events")
        if not isinstance(events, list):
            raise GoldError(f"{where}: 'events' must be a list")
        docs.append(
            GoldDoc(
                doc=record["doc"],
                published=_parse_date(record.get("published"), where),
                events=tuple(events),
                style=record.get("style"),
                source_url=record.get("source_url"),
            )
        )
    return docs


def find_root(gold_path: Path) -> Path:
    """Gold `doc` paths are relative to the repo root: nearest ancestor holding pyproject.toml."""
    for candidate in gold_path.resolve().parents:
        if (candidate / "pyproject.toml").is_file():
            return candidate
    return Path.cwd()


def evaluate(
    gold_path: Path,
    extract: Extractor,
    root: Path | None = None,
    identities: Mapping[str, str] | None = None,
) -> Report:
    """Run `extract` on every gold document and score it (places by `identities`, if given).

    An extractor that raises on one document is scored as if it found nothing there (and the
    error is kept on the row), so one bad document does not hide the scores of the others.
    """
    base = root if root is not None else find_root(gold_path)
    report = Report()
    for gold in load_gold(gold_path):
        error: str | None = None
        try:
            predicted = extract(base / gold.doc, gold.published)
        except Exception as exc:  # scored as an empty prediction, reported in the table
            predicted, error = {}, f"{type(exc).__name__}: {exc}"
        counts = score_document(gold.events, predicted, identities)
        report.docs.append(DocScore(gold.doc, counts, error))
    return report


def _cell(counts: Counts) -> str:
    return f"{counts.precision:4.2f} {counts.recall:4.2f} {counts.f1:4.2f}"


def format_table(report: Report) -> str:
    """Fixed-width table: one row per document (P R F1 per field), then the OVERALL row."""
    names = [Path(d.doc).name for d in report.docs]
    width = max([len("document"), len("OVERALL"), *map(len, names)])
    cell_width = len(_cell(Counts()))
    head1 = " ".join([f"{'':<{width}}", *(f"{name:^{cell_width}}" for name in FIELDS)])
    head2 = " ".join(
        [f"{'document':<{width}}", *(f"{'P    R    F1':<{cell_width}}" for _ in FIELDS)]
    )
    rule = "-" * len(head2)
    lines = [head1, head2, rule]
    for name, doc in zip(names, report.docs, strict=True):
        row = " ".join([f"{name:<{width}}", *(_cell(doc.counts[f]) for f in FIELDS)])
        lines.append(row + (f"  ! {doc.error}" if doc.error else ""))
    lines.append(rule)
    overall = report.overall
    lines.append(" ".join([f"{'OVERALL':<{width}}", *(_cell(overall[f]) for f in FIELDS)]))
    errors = sum(1 for d in report.docs if d.error)
    lines.append(
        f"{len(report.docs)} documents, micro-averaged" + (f", {errors} failed" if errors else "")
    )
    return "\n".join(lines)


def pipeline_extract(path: Path, published: date | None) -> dict[str, Any]:
    """The project's own extractor behind the Callable interface; imported only when called."""
    from geo.extraction.pipeline import extract_document, extraction_json
    from geo.storage.documents import load_document

    return extraction_json(extract_document(load_document(path, published)))


def load_extractor(spec: str) -> Extractor:
    """Import 'module:function' lazily, so the real extractor is only needed when eval runs."""
    module_name, _, attr = spec.partition(":")
    if not module_name or not attr:
        raise ValueError(f"extractor must look like 'module:function', got {spec!r}")
    return getattr(importlib.import_module(module_name), attr)


def score(
    gold: Path,
    extractor: str = DEFAULT_EXTRACTOR,
    root: Path | None = None,
    names_as_written: bool = False,
) -> Report:
    """Score the extractor named 'module:function' against a gold file (`drillmap eval`).

    Places are compared as places: a gold name and an extracted one that the hand-kept
    gazetteer knows as names of one place match (`names_as_written` compares the strings)."""
    identities = None if names_as_written else place_identities()
    return evaluate(gold, load_extractor(extractor), root=root, identities=identities)
