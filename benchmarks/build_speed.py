"""Time `allygraph build` as a whole process (python start-up included).

Usage:
    .venv/bin/python benchmarks/build_speed.py                # the shipped corpus, 5 runs
    .venv/bin/python benchmarks/build_speed.py --docs 1000 --jobs 2 --incremental

With --docs N the corpus texts are repeated (each copy made distinct by a numbered first
line) into N documents in a temporary folder. --incremental then changes one document and
times the rebuild, reporting it as a share of the full build.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CLI = [sys.executable, "-m", "allygraph"]


def make_corpus(folder: Path, docs: int) -> Path:
    sources = sorted((REPO / "data" / "corpus").glob("*.txt"))
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(docs):
        src = sources[i % len(sources)]
        text = src.read_text(encoding="utf-8")
        (folder / f"doc-{i:05d}.txt").write_text(f"Copy {i}: {text}", encoding="utf-8")
        meta = src.with_name(src.stem + ".meta.json")
        if meta.exists():
            shutil.copy(meta, folder / f"doc-{i:05d}.meta.json")
    return folder


def timed(args: list[str], store: Path) -> float:
    start = time.perf_counter()
    subprocess.run([*CLI, "--store", str(store), *args], check=True, capture_output=True, cwd=REPO)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--docs", type=int, default=0, help="generate N documents")
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--incremental", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmpdir = Path(tmp)
        corpus = make_corpus(tmpdir / "corpus", args.docs) if args.docs else REPO / "data/corpus"
        size = sum(p.stat().st_size for p in corpus.glob("*.txt"))
        full = []
        for i in range(args.runs):
            store = tmpdir / f"store{i}"
            full.append(
                timed(["build", "--full", "--corpus", str(corpus), "--jobs", str(args.jobs)], store)
            )
        result = {
            "documents": len(list(corpus.glob("*.txt"))),
            "bytes": size,
            "jobs": args.jobs,
            "full_build_s": {"median": statistics.median(full), "min": min(full), "runs": full},
            "mb_per_s": size / 1e6 / statistics.median(full),
        }
        if args.incremental:
            store = tmpdir / "store0"
            first = sorted(corpus.glob("*.txt"))[0]
            first.write_text(
                first.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8"
            )
            inc = timed(["build", "--corpus", str(corpus), "--jobs", str(args.jobs)], store)
            result["incremental_one_changed_s"] = inc
            result["incremental_share_of_full"] = inc / statistics.median(full)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
