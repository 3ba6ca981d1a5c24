"""Scoring arithmetic of geo.services.evaluate with fake extractors; the gold sets are valid."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from drillmap.cli import main as cli_main
from geo.domain.kinds import EVENT_KINDS
from geo.domain.model import ACTORS
from geo.gazetteer.places import GAZETTEER_FILE, default_gazetteer
from geo.services import evaluate as ev

ROOT = Path(__file__).resolve().parents[3]
GOLD_DIR = ROOT / "tests" / "data" / "gold"
GOLD = GOLD_DIR / "gold.jsonl"

STYLES = {
    "wire",
    "ministry",
    "analysis",
    "korean_outlet",
    "chinese_outlet",
    "russian_outlet",
    "explainer",
}
# Primary place names the annotation guide allows: the gazetteer's own spelling (the hand-kept
# files and the generated theatre gazetteer).
PLACE_NAMES = {
    entry["name"] for entry in json.loads(GAZETTEER_FILE.read_text(encoding="utf-8"))["places"]
} | {place.name for place in default_gazetteer()}


def _event(kind: str, year: int | None, actors: list[str], places: list[str]) -> dict[str, Any]:
    return {"kind": kind, "name": None, "year": year, "actors": actors, "places": places}


def _write_gold(tmp_path: Path, records: list[dict[str, Any]]) -> Path:
    (tmp_path / "pyproject.toml").write_text("")  # marks the root doc paths are relative to
    for record in records:
        (tmp_path / record["doc"]).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / record["doc"]).write_text("text")
    gold = tmp_path / "gold.jsonl"
    gold.write_text("\n".join(json.dumps(r) for r in records) + "\n")
    return gold


GOLD_A = [_event("naval_exercise", 2023, ["China", "Russia"], ["Sea of Japan", "East China Sea"])]
GOLD_B = [
    _event("air_patrol", 2019, ["China", "Russia"], ["Sea of Japan"]),
    _event("scramble", 2019, ["South Korea"], []),
]
RECORDS = [
    {"doc": "docs/a.txt", "published": "2023-07-21", "events": GOLD_A},
    {"doc": "docs/b.txt", "published": None, "events": GOLD_B},
]


def _fake(answers: dict[str, list[dict[str, Any]]]) -> ev.Extractor:
    """An extractor that answers from a table keyed by file name, recording what it was asked."""

    def extract(path: Path, published: date | None) -> dict[str, Any]:
        extract.calls.append((path, published))  # type: ignore[attr-defined]
        return {"doc": str(path), "published": None, "places": [], "events": answers[path.name]}

    extract.calls = []  # type: ignore[attr-defined]
    return extract


def _prf(counts: ev.Counts) -> tuple[float, float, float]:
    return (round(counts.precision, 4), round(counts.recall, 4), round(counts.f1, 4))


def test_perfect_extractor_scores_one_everywhere(tmp_path: Path) -> None:
    gold = _write_gold(tmp_path, RECORDS)
    fake = _fake({"a.txt": GOLD_A, "b.txt": GOLD_B})
    report = ev.evaluate(gold, fake)
    assert [call[0] for call in fake.calls] == [tmp_path / "docs/a.txt", tmp_path / "docs/b.txt"]
    assert [call[1] for call in fake.calls] == [date(2023, 7, 21), None]
    for doc in report.docs:
        assert all(_prf(doc.counts[f]) == (1.0, 1.0, 1.0) for f in ev.FIELDS)
    overall = report.overall
    assert overall["places"] == ev.Counts(tp=3, fp=0, fn=0)
    assert overall["actors"] == ev.Counts(tp=5, fp=0, fn=0)
    assert overall["years"] == ev.Counts(tp=2, fp=0, fn=0)
    assert overall["kinds"] == ev.Counts(tp=3, fp=0, fn=0)


def test_empty_extractor_scores_zero(tmp_path: Path) -> None:
    gold = _write_gold(tmp_path, RECORDS)
    report = ev.evaluate(gold, _fake({"a.txt": [], "b.txt": []}))
    overall = report.overall
    assert overall["places"] == ev.Counts(tp=0, fp=0, fn=3)
    assert overall["kinds"] == ev.Counts(tp=0, fp=0, fn=3)
    for name in ev.FIELDS:
        assert _prf(overall[name]) == (0.0, 0.0, 0.0)


def test_half_right_extractor_exact_numbers(tmp_path: Path) -> None:
    gold = _write_gold(tmp_path, RECORDS)
    predicted_a = [_event("naval_exercise", 2022, ["China"], ["Sea of Japan", "Yellow Sea"])]
    # Case and spacing differ from gold on purpose: names are compared case-insensitively.
    predicted_b = [_event("air_patrol", 2019, ["russia", "China"], ["sea of  japan"])]
    report = ev.evaluate(gold, _fake({"a.txt": predicted_a, "b.txt": predicted_b}))
    a, b = report.docs
    assert a.counts["places"] == ev.Counts(tp=1, fp=1, fn=1)
    assert _prf(a.counts["places"]) == (0.5, 0.5, 0.5)
    assert _prf(a.counts["actors"]) == (1.0, 0.5, 0.6667)
    assert _prf(a.counts["years"]) == (0.0, 0.0, 0.0)
    assert _prf(a.counts["kinds"]) == (1.0, 1.0, 1.0)
    assert b.counts["actors"] == ev.Counts(tp=2, fp=0, fn=1)
    assert b.counts["kinds"] == ev.Counts(tp=1, fp=0, fn=1)
    overall = report.overall  # micro-average: counts summed over both documents
    assert overall["places"] == ev.Counts(tp=2, fp=1, fn=1)
    assert _prf(overall["places"]) == (0.6667, 0.6667, 0.6667)
    assert _prf(overall["actors"]) == (1.0, 0.6, 0.75)
    assert _prf(overall["years"]) == (0.5, 0.5, 0.5)
    assert _prf(overall["kinds"]) == (1.0, 0.6667, 0.8)


def test_vacuous_sets() -> None:
    assert _prf(ev.compare([], [])) == (1.0, 1.0, 1.0)
    assert _prf(ev.compare([], ["x"])) == (0.0, 0.0, 0.0)
    assert _prf(ev.compare(["x"], [])) == (0.0, 0.0, 0.0)


def test_null_years_and_missing_fields_are_ignored() -> None:
    sets = ev.event_sets([{"kind": "other", "year": None}, {"year": "2021", "places": None}])
    assert sets == {"places": set(), "actors": set(), "years": {2021}, "kinds": {"other"}}


def test_failing_extractor_is_scored_empty_and_reported(tmp_path: Path) -> None:
    gold = _write_gold(tmp_path, RECORDS)

    def flaky(path: Path, published: date | None) -> dict[str, Any]:
        if path.name == "a.txt":
            raise RuntimeError("boom")
        return {"events": GOLD_B}

    report = ev.evaluate(gold, flaky)
    assert report.docs[0].error == "RuntimeError: boom"
    assert report.docs[0].counts["places"] == ev.Counts(tp=0, fp=0, fn=2)
    assert report.docs[1].error is None
    assert "! RuntimeError: boom" in ev.format_table(report)
    assert "1 failed" in ev.format_table(report)


def test_format_table_is_fixed_width(tmp_path: Path) -> None:
    gold = _write_gold(tmp_path, RECORDS)
    table = ev.format_table(ev.evaluate(gold, _fake({"a.txt": GOLD_A, "b.txt": []})))
    lines = table.splitlines()
    assert lines[0].split() == list(ev.FIELDS)
    body = [line for line in lines if line.startswith(("a.txt", "b.txt", "OVERALL"))]
    assert [line.split()[0] for line in body] == ["a.txt", "b.txt", "OVERALL"]
    assert len({len(line) for line in lines[:-1]}) == 1  # every row but the footer is equally wide
    assert body[0].split()[1:] == ["1.00"] * 12
    assert body[1].split()[1:] == ["0.00"] * 12
    assert lines[-1] == "2 documents, micro-averaged"


def test_main_prints_table_and_exits_zero(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    gold = _write_gold(tmp_path, RECORDS)
    monkeypatch.setattr(
        ev, "load_extractor", lambda spec: _fake({"a.txt": GOLD_A, "b.txt": GOLD_B})
    )
    assert cli_main(["eval", str(gold)]) == 0
    out = capsys.readouterr().out
    assert re.search(r"^OVERALL( +1\.00){12}$", out, re.MULTILINE)


def test_main_reports_bad_gold(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "gold.jsonl"
    bad.write_text('{"doc": "x.txt", "events": "nope"}\n')
    assert cli_main(["eval", str(bad), "--extractor", "json:loads"]) == 2
    assert "'events' must be a list" in capsys.readouterr().err


def test_load_extractor_rejects_bad_spec() -> None:
    with pytest.raises(ValueError, match="module:function"):
        ev.load_extractor("geo.services.evaluate")


# --- the gold set itself -------------------------------------------------------------------


# The dev set, and the sets written and annotated without running the extractor.
GOLD_SETS = sorted(
    [GOLD, *GOLD_DIR.glob("holdout*/holdout*.jsonl")], key=lambda path: path.as_posix()
)


def _gold_records(gold: Path = GOLD) -> list[dict[str, Any]]:
    return [json.loads(line) for line in gold.read_text(encoding="utf-8").splitlines() if line]


def test_there_are_held_out_sets() -> None:
    assert len(GOLD_SETS) >= 3, GOLD_SETS


def test_dev_set_has_the_seeds_and_thirty_new_documents() -> None:
    records = _gold_records()
    new = [r for r in records if Path(r["doc"]).parent != Path("seeds")]
    assert len(new) >= 30
    assert {r["doc"] for r in records} >= {
        "seeds/000_053b0657fcaa53d4.txt",
        "seeds/001_ca12995982ec6360.txt",
        "seeds/002_1042e2a159f2e039.txt",
    }


def _declared_outside_gazetteer(notes: str) -> set[str]:
    """Places a record says the gazetteer lacks ("not in gazetteer: A, B."): the newer blind
    sets annotate them, so recall on the long tail can be measured."""
    found = re.search(r"not in gazetteer:\s*([^.(]*)", notes or "")
    names = found.group(1).split(",") if found else []
    return {name.strip() for name in names if name.strip() and name.strip() != "none annotated"}


@pytest.mark.parametrize("gold", GOLD_SETS, ids=lambda path: path.parent.name)
def test_gold_set_is_valid(gold: Path) -> None:
    records = _gold_records(gold)
    docs = [r["doc"] for r in records]
    assert len(docs) == len(set(docs)) >= 15
    for record in records:
        where = record["doc"]
        assert set(record) <= {
            "doc",
            "published",
            "source_url",
            "style",
            "events",
            "hypothetical_notes",
        }
        assert (ROOT / where).is_file(), where
        assert record["style"] in STYLES, where
        if record["published"] is not None:
            date.fromisoformat(record["published"])
        assert record["events"], where
        for event in record["events"]:
            assert set(event) == {"kind", "name", "year", "actors", "places"}, where
            assert event["kind"] in EVENT_KINDS, where
            assert event["year"] is None or 1980 <= event["year"] <= 2030, where
            assert event["actors"] and set(event["actors"]) <= set(ACTORS), where
            notes = record.get("hypothetical_notes", "")
            allowed = PLACE_NAMES | _declared_outside_gazetteer(notes)
            assert set(event["places"]) <= allowed, (where, event["places"])
            assert len(event["places"]) == len(set(event["places"])), where


@pytest.mark.parametrize("gold", GOLD_SETS, ids=lambda path: path.parent.name)
def test_new_gold_docs_have_sources_and_sidecars(gold: Path) -> None:
    for record in _gold_records(gold):
        if Path(record["doc"]).parent == Path("seeds"):
            assert record["source_url"] is None
            continue
        path = ROOT / record["doc"]
        assert re.fullmatch(r"[a-z]?\d{2,3}_[a-z0-9_]+\.txt", path.name), path.name
        # Kept-unseen sets keep their documents beside them; the others are the example corpus.
        example_set = "dev" if gold.parent.name == "gold" else gold.parent.name
        assert path.parent in (gold.parent / "docs", ROOT / "seeds" / "examples" / example_set)
        assert record["source_url"].startswith(("http://", "https://")), path.name
        sidecar = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
        assert set(sidecar) == {"title", "published", "source", "url"}, path.name
        assert sidecar["url"] == record["source_url"], path.name
        assert sidecar["published"] == record["published"], path.name
        assert sidecar["title"] and sidecar["source"], path.name
        words = len(path.read_text(encoding="utf-8").split())
        assert 150 <= words <= 650, (path.name, words)


@pytest.mark.parametrize("gold", GOLD_SETS, ids=lambda path: path.parent.name)
def test_gold_scores_perfectly_against_itself(gold: Path) -> None:
    """The gold file round-trips through evaluate(): a sanity check of loading and paths."""
    by_doc = {r["doc"]: r["events"] for r in _gold_records(gold)}

    def oracle(path: Path, published: date | None) -> dict[str, Any]:
        return {"events": by_doc[path.relative_to(ROOT).as_posix()]}

    report = ev.evaluate(gold, oracle)
    assert not any(d.error for d in report.docs)
    assert all(c.fp == 0 and c.fn == 0 for c in report.overall.values())


def test_places_are_compared_as_places_not_as_spellings() -> None:
    identities = ev.place_identities()
    gold = [{"kind": "air_patrol", "year": 2021, "actors": ["China"], "places": ["Pratas Islands"]}]
    predicted = {"events": [{**gold[0], "places": ["Pratas Island"]}]}
    assert ev.score_document(gold, predicted, identities)["places"].f1 == 1.0
    assert ev.score_document(gold, predicted)["places"].f1 == 0.0  # names as written
    # Two different places stay two, however they are spelled.
    other = {"events": [{**gold[0], "places": ["Kinmen"]}]}
    assert ev.score_document(gold, other, identities)["places"].f1 == 0.0


def test_a_name_two_hand_kept_places_share_identifies_neither() -> None:
    identities = ev.place_identities()
    names: dict[str, set[str]] = {}
    for place in default_gazetteer().hand_kept():
        for name in (place.name, *place.aliases):
            names.setdefault(ev._norm_text(name), set()).add(place.name)
    shared = {name for name, owners in names.items() if len(owners) > 1}
    assert not shared & set(identities)
    assert identities[ev._norm_text("Diaoyu Islands")] == ev._norm_text("Senkaku Islands")


# The sets in Japanese, Chinese, Korean and Russian (dev and blind alike): tests/data/gold/<set>/.
LANGUAGE_SETS = sorted(
    path
    for path in GOLD_DIR.glob("*/*.jsonl")
    if path.parent.name.split("_")[0].rstrip("0123456789") in ("ja", "zh", "ko", "ru")
)


def test_every_language_has_a_dev_and_a_blind_set() -> None:
    names = {path.parent.name for path in LANGUAGE_SETS}
    for lang in ("ja", "zh", "ko", "ru"):
        assert {lang, f"{lang}_blind"} <= names, names


@pytest.mark.parametrize("gold", LANGUAGE_SETS, ids=lambda path: path.parent.name)
def test_language_set_is_valid_and_loads(gold: Path) -> None:
    """Each record is scored like the English ones and its document is one `drillmap ingest`
    accepts: a sidecar it does not refuse, with the set's language."""
    from geo.storage.documents import load_document

    lang = gold.parent.name.split("_")[0].rstrip("0123456789")
    records = _gold_records(gold)
    count = len(records)  # the issue asks 12 per language for the dev sets
    assert count >= (10 if gold.parent.name.endswith("_blind") else 12), count
    for record in records:
        where = record["doc"]
        path = ROOT / where
        assert path.parent == gold.parent / "docs", where
        assert record["source_url"].startswith(("http://", "https://")), where
        for event in record["events"]:
            assert set(event) == {"kind", "name", "year", "actors", "places"}, where
            assert event["kind"] in EVENT_KINDS, where
            assert event["year"] is None or 1980 <= event["year"] <= 2030, where
            assert set(event["actors"]) <= set(ACTORS), where
            allowed = PLACE_NAMES | _declared_outside_gazetteer(record["hypothetical_notes"])
            assert set(event["places"]) <= allowed, (where, event["places"])
        sidecar = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
        assert sidecar["lang"] == lang and sidecar["url"] == record["source_url"], where
        published = date.fromisoformat(record["published"]) if record["published"] else None
        document = load_document(path, published)
        assert document.meta.lang == lang, where
