"""Extraction speed on one core: docs/s over a synthetic corpus of ~3 KB news-like documents.

The corpus is built from the sentences of seeds/ and the dev gold set (seeds/examples/dev/),
so it reads like the real input; then the same per language (Japanese, Chinese, Korean,
Russian), from the sentences of each language's gold set where it is there, else of
tests/data/lang/<lang>.txt: documents of ~3 KB of UTF-8, English in the same run for reference.
Run: `.venv/bin/python bench/extract_speed.py [--docs 10000] [--lang-docs 2000]`.
"""

from __future__ import annotations

import argparse
import os
import random
import time
from pathlib import Path

from geo.domain.model import Document, DocumentMeta
from geo.extraction.pipeline import extract_document, matcher_for
from geo.extraction.text import split_sentences
from geo.gazetteer.places import default_gazetteer

ROOT = Path(__file__).resolve().parents[1]
TARGET_BYTES = 3000


def sentence_pool() -> list[str]:
    paths = sorted((ROOT / "seeds").glob("*.txt")) + sorted(
        (ROOT / "seeds" / "examples" / "dev").glob("*.txt")
    )
    return [s.text for p in paths for s in split_sentences(p.read_text(encoding="utf-8"))]


def language_pool(lang: str) -> list[str]:
    """The sentences of a language's gold set (dev and holdouts left out), else of our file."""
    docs = sorted((ROOT / "tests" / "data" / "gold" / lang / "docs").glob("*.txt"))
    paths = docs or [ROOT / "tests" / "data" / "lang" / f"{lang}.txt"]
    return [s.text for p in paths for s in split_sentences(p.read_text(encoding="utf-8"))]


def corpus(count: int, pool: list[str], separator: str = " ") -> list[Document]:
    rng = random.Random(7)
    documents = []
    for i in range(count):
        parts: list[str] = []
        size = 0
        while size < TARGET_BYTES:
            sentence = rng.choice(pool)
            parts.append(sentence)
            size += len(sentence.encode()) + 1
        meta = DocumentMeta(doc_id=f"bench-{i}", path=f"bench-{i}.txt", published_year=2024)
        documents.append(Document(meta, separator.join(parts)))
    return documents


def per_language(
    count: int, gazetteer
) -> list[tuple[str, int, float, int, float, float, float]]:
    """(language, documents, mean bytes, events, docs/s, MB/s, docs per CPU second), English
    first for reference. On shared cores the wall clock counts other processes' turns too; CPU
    time counts this one's only."""
    rows = []
    for lang in ("en", "ja", "zh", "ko", "ru"):
        pool = sentence_pool() if lang == "en" else language_pool(lang)
        documents = corpus(count, pool, "" if lang in ("ja", "zh") else " ")
        extract_document(documents[0], gazetteer)  # the language's matcher, built once
        total = sum(len(d.text.encode()) for d in documents)
        started, cpu = time.perf_counter(), time.process_time()
        events = sum(len(extract_document(d, gazetteer).events) for d in documents)
        seconds = time.perf_counter() - started
        cpu_seconds = time.process_time() - cpu
        rows.append(
            (lang, len(documents), total / len(documents), events, count / seconds,
             total / seconds / 1e6, count / cpu_seconds)
        )
    return rows


def _rss_mb() -> float:
    """Resident memory of this process (Linux), in MB; 0 where /proc is not there."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--lang-docs", type=int, default=2_000, help="documents per language")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core, as the target says
    rss_start = _rss_mb()
    started = time.perf_counter()
    gazetteer = default_gazetteer()
    load_seconds = time.perf_counter() - started
    rss_loaded = _rss_mb()
    started = time.perf_counter()
    matcher_for(gazetteer)
    compile_seconds = time.perf_counter() - started
    rss_compiled = _rss_mb()
    documents = corpus(args.docs, sentence_pool())
    total_bytes = sum(len(d.text.encode()) for d in documents)
    started = time.perf_counter()
    events = sum(len(extract_document(d, gazetteer).events) for d in documents)
    seconds = time.perf_counter() - started
    print(f"{'documents':<24}{len(documents):>12,}")
    print(f"{'mean size (bytes)':<24}{total_bytes / len(documents):>12,.0f}")
    print(f"{'gazetteer entries':<24}{len(gazetteer):>12,}")
    print(f"{'  generated':<24}{len(gazetteer.generated()):>12,}")
    print(f"{'  names matched':<24}{len(gazetteer.candidates()):>12,}")
    print(f"{'gazetteer load (s)':<24}{load_seconds:>12.3f}")
    print(f"{'matcher compile (s)':<24}{compile_seconds:>12.3f}")
    print(f"{'RSS before load (MB)':<24}{rss_start:>12.0f}")
    print(f"{'RSS gazetteer (MB)':<24}{rss_loaded - rss_start:>12.0f}")
    print(f"{'RSS matcher (MB)':<24}{rss_compiled - rss_loaded:>12.0f}")
    print(f"{'events found':<24}{events:>12,}")
    print(f"{'elapsed (s)':<24}{seconds:>12.2f}")
    print(f"{'docs/s (1 core)':<24}{len(documents) / seconds:>12,.0f}")
    print(f"{'MB/s (1 core)':<24}{total_bytes / seconds / 1e6:>12.2f}")
    print()
    print(
        f"{'language':<10}{'docs':>8}{'bytes':>8}{'events':>9}{'docs/s':>9}{'MB/s':>7}"
        f"{'docs/CPU s':>12}  target (per core)"
    )
    for lang, docs, size, found, rate, mbs, cpu_rate in per_language(args.lang_docs, gazetteer):
        verdict = "met" if cpu_rate >= 1000 else "NOT met"
        print(f"{lang:<10}{docs:>8,}{size:>8,.0f}{found:>9,}{rate:>9,.0f}{mbs:>7.2f}"
              f"{cpu_rate:>12,.0f}  >= 1,000 docs/s: {verdict}")


if __name__ == "__main__":
    main()
