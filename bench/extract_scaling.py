"""Extraction cost against document length: docs/s and KB/s at 3 KB, 100 KB and 1 MB.

The documents are the dev gold texts concatenated and cut to each size, so the text reads like
news at every length. Flat KB/s means time linear in length (it was quadratic: a 995 KB
document took 144 s to ingest). The 3 KB row is the reference, measured in the same run.
Run: `.venv/bin/python bench/extract_scaling.py`.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from geo.domain.model import Document, DocumentMeta
from geo.extraction.pipeline import extract_document
from geo.gazetteer.places import default_gazetteer

ROOT = Path(__file__).resolve().parents[1]
SIZES = ((3_000, 200), (100_000, 10), (1_000_000, 2))  # bytes, documents


def main() -> int:
    gazetteer = default_gazetteer()
    texts = sorted((ROOT / "seeds" / "examples" / "dev").glob("*.txt"))
    corpus = "\n\n".join(p.read_text(encoding="utf-8") for p in texts)
    extract_document(Document(DocumentMeta("warm", "warm.txt"), corpus[:3000]), gazetteer)
    print(f"{'size':>10} {'docs':>5} {'s/doc':>8} {'docs/s':>8} {'KB/s':>8} {'vs 3 KB':>8}")
    reference = None
    for size, count in SIZES:
        text = (corpus * (size // len(corpus) + 1))[:size]
        started = time.perf_counter()
        for i in range(count):
            # A different start each time, so no document repeats another exactly.
            shifted = text[i * 97 % len(corpus) :] + text[: i * 97 % len(corpus)]
            extract_document(Document(DocumentMeta(f"d{i}", "d.txt"), shifted), gazetteer)
        per_doc = (time.perf_counter() - started) / count
        rate = size / 1000 / per_doc
        reference = reference or rate
        print(f"{size:>10,} {count:>5} {per_doc:>8.3f} {1 / per_doc:>8.1f} {rate:>8.0f} "
              f"{rate / reference:>8.0%}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
