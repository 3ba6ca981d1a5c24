"""Search speed: building the FTS5 index and answering queries over ~3 KB news-like documents,
beside the reference (a Python scan of every text for the same words) measured in the same run.

Run: `.venv/bin/python bench/search_speed.py [--docs 10000] [--repeat 20]`.
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import time

from extract_speed import corpus, sentence_pool

from geo.domain.search import SearchEntry, parse_search
from geo.storage.fts import database_bytes, search_database

QUERIES = [
    "Tsugaru",
    '"Sea of Japan"',
    "bomb*",
    "Russia China drills",
    '"joint naval exercise" Russia',
    "zeppelin",
]


def _median_ms(run, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def _scan(texts: list[str], words: list[str]) -> int:
    """The reference: every text, case-folded, searched for every word (no phrases, no ranks)."""
    return sum(all(w in text.casefold() for w in words) for text in texts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    documents = corpus(args.docs, sentence_pool())
    entries = [SearchEntry("document", d.meta.doc_id, d.meta.doc_id, d.text) for d in documents]
    first_sentences = [d.text[: d.text.find(". ") + 1] or d.text[:200] for d in documents]
    entries += [
        SearchEntry("evidence", d.meta.doc_id, "event", s, 0, f"exercises-{i}", "exercises")
        for i, (d, s) in enumerate(zip(documents, first_sentences, strict=True))
    ]
    megabytes = sum(len(d.text.encode()) for d in documents) / 1e6
    start = time.perf_counter()
    data = database_bytes(entries, "bench")
    built = time.perf_counter() - start
    db = sqlite3.connect(":memory:")
    db.deserialize(data)
    texts = [e.body for e in entries]

    print(f"{args.docs:,} documents, {megabytes:.1f} MB of text, {len(entries):,} entries")
    print(f"index built in {built:.2f} s ({megabytes / built:.1f} MB/s), {len(data) / 1e6:.1f} MB")
    print()
    print("| query | matched | FTS5, first 20 hits (ms) | reference scan (ms) | x faster |")
    print("|---|---:|---:|---:|---:|")
    for text in QUERIES:
        query = parse_search(text)
        words = [w.casefold() for t in query.terms for w in t.words]
        page = search_database(db, query, 20, 0, "bench")
        fts_ms = _median_ms(lambda q=query: search_database(db, q, 20, 0, "bench"), args.repeat)
        scan_ms = _median_ms(lambda w=words: _scan(texts, w), max(3, args.repeat // 5))
        print(
            f"| `{text}` | {page.matched:,} | {fts_ms:.1f} | {scan_ms:.1f} | "
            f"{scan_ms / fts_ms:.0f} |"
        )


if __name__ == "__main__":
    main()
