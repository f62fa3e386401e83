"""Precision, recall and F1 per entity type against the hand-annotated cases.

Cases live in tests/cases/<name>/ (input.txt or source.txt, annotation.tsv, gold.json);
``corpus-*`` cases are the two corpus texts, the others are unseen texts of the domain.
Exact: same span and type. Overlap: same type and overlapping spans (one-to-one).

    .venv/bin/python benchmarks/extraction_quality.py [--details]
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from build_gold import case_document  # noqa: E402

from allygraph.extract import load_gazetteer  # noqa: E402
from allygraph.resolve import extract_document  # noqa: E402

CASES = ROOT / "tests" / "cases"
TYPES = ("person", "organization", "state", "place", "base", "treaty", "event", "publication")


def predicted(case: Path, gazetteer) -> set[tuple[int, int, str]]:
    doc = case_document(case)
    extraction = extract_document(doc, gazetteer)
    return {(m.start, m.end, m.kind.value) for m in extraction.mentions}


def gold_spans(case: Path) -> set[tuple[int, int, str]]:
    data = json.loads((case / "gold.json").read_text(encoding="utf-8"))
    return {(e["start"], e["end"], e["type"]) for e in data["entities"]}


def match_counts(pred, gold, overlap: bool) -> tuple[Counter, Counter, Counter]:
    tp, fp, fn = Counter(), Counter(), Counter()
    if not overlap:
        for s in pred & gold:
            tp[s[2]] += 1
        for s in pred - gold:
            fp[s[2]] += 1
        for s in gold - pred:
            fn[s[2]] += 1
        return tp, fp, fn
    used: set[tuple[int, int, str]] = set()
    for p in sorted(pred):
        hit = next(
            (
                g
                for g in sorted(gold)
                if g not in used and g[2] == p[2] and g[0] < p[1] and p[0] < g[1]
            ),
            None,
        )
        if hit:
            used.add(hit)
            tp[p[2]] += 1
        else:
            fp[p[2]] += 1
    for g in gold - used:
        fn[g[2]] += 1
    return tp, fp, fn


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def evaluate(
    cases: list[Path], gazetteer, overlap: bool
) -> dict[str, tuple[float, float, float, int]]:
    tp, fp, fn = Counter(), Counter(), Counter()
    for case in cases:
        a, b, c = match_counts(predicted(case, gazetteer), gold_spans(case), overlap)
        tp += a
        fp += b
        fn += c
    out = {}
    for t in (*TYPES, "all"):
        if t == "all":
            counts = (sum(tp.values()), sum(fp.values()), sum(fn.values()))
        else:
            counts = (tp[t], fp[t], fn[t])
        if sum(counts):
            out[t] = (*prf(*counts), counts[0] + counts[2])
    return out


def case_sets() -> dict[str, list[Path]]:
    cases = sorted(p for p in CASES.iterdir() if (p / "gold.json").exists())
    return {
        "corpus": [c for c in cases if c.name.startswith("corpus-")],
        "unseen": [c for c in cases if not c.name.startswith("corpus-")],
    }


def main() -> None:
    gazetteer = load_gazetteer(ROOT / "data" / "gazetteer")
    for name, cases in case_sets().items():
        for overlap in (False, True):
            mode = "overlap" if overlap else "exact"
            print(f"\n{name} ({len(cases)} texts), {mode} match")
            print(f"  {'type':13} {'P':>6} {'R':>6} {'F1':>6} {'gold':>5}")
            for t, (p, r, f, n) in evaluate(cases, gazetteer, overlap).items():
                print(f"  {t:13} {p:6.3f} {r:6.3f} {f:6.3f} {n:5d}")
    if "--details" in sys.argv:
        for cases in case_sets().values():
            for case in cases:
                pred, gold = predicted(case, gazetteer), gold_spans(case)
                text = case_document(case).text
                print(f"\n== {case.name}")
                for s in sorted(pred - gold):
                    print(f"  FP {s[2]:12} {text[s[0] : s[1]]!r}")
                for s in sorted(gold - pred):
                    print(f"  FN {s[2]:12} {text[s[0] : s[1]]!r}")


if __name__ == "__main__":
    main()
