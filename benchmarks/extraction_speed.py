"""Extraction throughput (MB of text per second, one core) and memory over many documents.

Builds ~1,000 documents from shuffled paragraphs of the corpus (with their endnote and
furniture zones recomputed by the corpus loader's zone splitter), extracts and resolves each,
and prints MB/s and the peak RSS after every 200 documents (flat memory = no growth).

    .venv/bin/python benchmarks/extraction_speed.py [--docs 1000] [--only feng]

``--only feng`` builds the documents from the news commentary alone (prose); the default
mixes in the book chapter, whose endnotes hold a name every few words.
"""

from __future__ import annotations

import hashlib
import random
import resource
import sys
import time
from pathlib import Path

from allygraph.corpus.loader import load_document
from allygraph.corpus.zones import split_zones
from allygraph.extract import load_gazetteer
from allygraph.records import Document
from allygraph.resolve import extract_document

ROOT = Path(__file__).resolve().parents[1]


def documents(count: int, only: str = "") -> list[Document]:
    rng = random.Random(7)
    paragraphs: list[str] = []
    metas = []
    for path in sorted((ROOT / "data" / "corpus").glob(f"{only}*.txt")):
        doc = load_document(path)
        metas.append(doc.meta)
        paragraphs += [p for p in doc.text.split("\n\n") if p.strip()]
    docs = []
    for i in range(count):
        text = "\n\n".join(rng.choices(paragraphs, k=40))
        zones, notes = split_zones(text)
        sha = hashlib.sha256(text.encode()).hexdigest()
        docs.append(Document(f"gen-{i}", "", text, sha, metas[i % len(metas)], zones, notes))
    return docs


def main() -> None:
    count = int(sys.argv[sys.argv.index("--docs") + 1]) if "--docs" in sys.argv else 1000
    start = time.perf_counter()
    gazetteer = load_gazetteer(ROOT / "data" / "gazetteer")
    print(
        f"gazetteer: {len(gazetteer.entries)} entries, {len(gazetteer.forms)} forms, "
        f"{time.perf_counter() - start:.3f} s"
    )
    only = sys.argv[sys.argv.index("--only") + 1] if "--only" in sys.argv else ""
    docs = documents(count, only)
    size = sum(len(d.text.encode()) for d in docs)
    start = time.perf_counter()
    cpu = time.process_time()
    chars = 0
    for i, doc in enumerate(docs, 1):
        extract_document(doc, gazetteer)
        chars += len(doc.text.encode())
        if i % 200 == 0:
            rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            rate = chars / 1e6 / (time.process_time() - cpu)
            print(f"  {i:5d} docs  {rate:6.2f} MB/s (CPU time)  peak RSS {rss:7.1f} MB")
    elapsed = time.perf_counter() - start
    used = time.process_time() - cpu
    print(
        f"{count} documents, {size / 1e6:.1f} MB: {size / 1e6 / used:.2f} MB/s per core "
        f"(CPU time {used:.1f} s; wall {elapsed:.1f} s)"
    )


if __name__ == "__main__":
    main()
