"""Turn a case's hand-written annotation.tsv into gold.json (entity spans by type).

The annotation lists each entity surface with its type; every word-bounded, case-sensitive
occurrence outside FURNITURE zones is gold. Non-publication spans are flat (longest first);
publication titles form their own layer, so names inside a title are annotated as well.

    .venv/bin/python benchmarks/build_gold.py tests/cases/corpus-sakata
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from allygraph.corpus.loader import load_document
from allygraph.records import ZoneKind

ROOT = Path(__file__).resolve().parents[1]


def case_document(case: Path):
    source = case / "source.txt"
    path = ROOT / source.read_text().strip() if source.exists() else case / "input.txt"
    return load_document(path)


def build(case: Path) -> dict:
    doc = case_document(case)
    furniture = [(z.start, z.end) for z in doc.zones if z.kind is ZoneKind.FURNITURE]
    rows = []
    for line in (case / "annotation.tsv").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        kind, surface = line.split("\t", 1)
        rows.append((kind.strip(), surface.strip()))
    found: list[tuple[int, int, str]] = []
    for kind, surface in rows:
        pattern = re.compile(r"(?<!\w)" + re.escape(surface) + r"(?![\w])")
        for m in pattern.finditer(doc.text):
            if any(lo < m.end() and m.start() < hi for lo, hi in furniture):
                continue
            found.append((m.start(), m.end(), kind))
    layers: dict[bool, list[tuple[int, int, str]]] = {True: [], False: []}
    for start, end, kind in sorted(found, key=lambda f: (-(f[1] - f[0]), f[0])):
        layer = layers[kind == "publication"]
        if any(s < end and start < e for s, e, _ in layer):
            continue
        layer.append((start, end, kind))
    spans = sorted(layers[True] + layers[False])
    return {
        "document": doc.doc_id,
        "sha256": doc.sha256,
        "entities": [{"start": s, "end": e, "type": k, "text": doc.text[s:e]} for s, e, k in spans],
    }


if __name__ == "__main__":
    for arg in sys.argv[1:]:
        case = Path(arg)
        gold = build(case)
        (case / "gold.json").write_text(json.dumps(gold, ensure_ascii=False, indent=1) + "\n")
        print(case.name, len(gold["entities"]), "gold entities")
