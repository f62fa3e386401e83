"""Train the citation CRF on AnyStyle's core.xml and evaluate it (and the rules) on gold.xml.

    .venv/bin/python scripts/train_citations.py            # train, write the model, evaluate
    .venv/bin/python scripts/train_citations.py --eval     # evaluate the committed model only

Reads ../shared/data/anystyle-parser/{core,gold}.xml (BSD-2-Clause; never copied into the
repository) and writes src/allygraph/extract/models/citations.crfsuite. Also reports field
precision/recall of the whole parser on the hand-annotated domain cases in tests/extract/cases/.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
import unicodedata
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import pycrfsuite

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from allygraph.corpus import load_document  # noqa: E402
from allygraph.extract.citations import parse_citation, parse_references  # noqa: E402
from allygraph.extract.citations_crf import MODEL_NAME, token_features, tokenize  # noqa: E402
from allygraph.extract.citations_rules import parse_citation_rules  # noqa: E402
from allygraph.records import Reference  # noqa: E402

DATA = ROOT / ".." / "shared" / "data" / "anystyle-parser"
MODEL = ROOT / "src" / "allygraph" / "extract" / "models" / MODEL_NAME
CASES = ROOT / "tests" / "extract" / "cases"
# Coarse labels shared by the CRF (AnyStyle's labels) and the rules (our span roles).
COARSE = {
    "author": "author",
    "editor": "editor",
    "translator": "translator",
    "title": "title",
    "container-title": "container",
    "journal": "container",
    "container": "container",
    "collection-title": "series",
    "series": "series",
    "date": "date",
    "publisher": "publisher",
    "location": "place",
    "place": "place",
    "volume": "volume",
    "issue": "volume",
    "pages": "pages",
    "url": "url",
    "doi": "doi",
}


def load_xml(path: Path) -> list[tuple[str, list[tuple[str, int, int]]]]:
    """Return (reference string, [(label, start, end)]) for each <sequence>."""
    out = []
    for seq in ET.parse(path).getroot():
        parts: list[str] = []
        fields = []
        pos = 0
        for el in seq:
            value = " ".join((el.text or "").split())
            if not value:
                continue
            if parts:
                pos += 1
            fields.append((el.tag, pos, pos + len(value)))
            parts.append(value)
            pos += len(value)
        out.append((" ".join(parts), fields))
    return out


def token_labels(text: str, fields: list[tuple[str, int, int]]) -> list[str]:
    labels = []
    for s, _ in tokenize(text):
        lab = next((f for f, a, b in fields if a <= s < b), "note")
        labels.append(lab)
    return labels


def train(core: Path, model: Path, c1: float, c2: float, iterations: int) -> None:
    trainer = pycrfsuite.Trainer(verbose=False)
    for text, fields in load_xml(core):
        tokens = tokenize(text)
        if tokens:
            trainer.append(token_features(text, tokens), token_labels(text, fields))
    trainer.set_params(
        {
            "c1": c1,
            "c2": c2,
            "max_iterations": iterations,
            "feature.possible_transitions": True,
            "feature.minfreq": 2,
        }
    )
    model.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / MODEL_NAME
        trainer.train(str(out))
        model.write_bytes(out.read_bytes())


def _segments(labels: list[str]) -> set[tuple[str, int, int]]:
    segs = set()
    start = 0
    for i in range(1, len(labels) + 1):
        if i == len(labels) or labels[i] != labels[start]:
            segs.add((labels[start], start, i))
            start = i
    return segs


def _prf(tp: int, fp: int, fn: int) -> str:
    p = tp / max(1, tp + fp)
    r = tp / max(1, tp + fn)
    f = 2 * p * r / max(1e-9, p + r)
    return f"P={p:.3f} R={r:.3f} F1={f:.3f}"


def evaluate_gold(gold: Path, model: Path, *, unseen_only: bool = False) -> None:
    """Token accuracy and field (segment) P/R on gold.xml, for the CRF and for the rules."""
    tagger = pycrfsuite.Tagger()
    tagger.open(str(model))
    data = load_xml(gold)
    if unseen_only:
        seen = {t for t, _ in load_xml(gold.parent / "core.xml")}
        data = [(t, f) for t, f in data if t not in seen]
    for system in ("crf", "rules"):
        correct = total = 0
        counts: dict[str, Counter[str]] = {}
        t0 = time.perf_counter()
        for text, fields in data:
            tokens = tokenize(text)
            if not tokens:
                continue
            gold_labels = [COARSE.get(x, "other") for x in token_labels(text, fields)]
            if system == "crf":
                pred = [COARSE.get(x, "other") for x in tagger.tag(token_features(text, tokens))]
            else:
                p = parse_citation_rules(text, 0, len(text))
                pred = []
                for s, _ in tokenize(text):
                    lab = next(
                        (COARSE.get(r, "other") for r, a, b in p.spans if a <= s < b), "other"
                    )
                    pred.append(lab)
                # Rules label fields, not separators: a token is right when its field is.
            correct += sum(a == b for a, b in zip(gold_labels, pred, strict=True))
            total += len(tokens)
            gs, ps = _segments(gold_labels), _segments(pred)
            for lab in {x[0] for x in gs | ps} - {"other"}:
                c = counts.setdefault(lab, Counter())
                g = {x for x in gs if x[0] == lab}
                q = {x for x in ps if x[0] == lab}
                c["tp"] += len(g & q)
                c["fp"] += len(q - g)
                c["fn"] += len(g - q)
        dt = time.perf_counter() - t0
        which = f"{len(data)} not in core.xml" if unseen_only else f"all {len(data)}"
        print(
            f"== gold.xml ({which}), {system}: token accuracy {correct / total:.3f}"
            f" over {total} tokens"
            f" ({len(data) / dt:.0f} references/s)"
        )
        allc: Counter[str] = Counter()
        for lab in sorted(counts):
            c = counts[lab]
            allc.update(c)
            print(f"   {lab:10s} {_prf(c['tp'], c['fp'], c['fn'])}  (n={c['tp'] + c['fn']})")
        print(f"   {'fields':10s} {_prf(allc['tp'], allc['fp'], allc['fn'])}")


FIELDS = [
    "title",
    "title_translation",
    "container",
    "series",
    "year",
    "date",
    "volume",
    "issue",
    "pages",
    "publisher",
    "place",
    "url",
]
LISTS = ["authors", "editors", "translators"]


def _norm(v: object) -> str | None:
    if v is None:
        return None
    s = unicodedata.normalize("NFKC", str(v))
    for a, b in (("’", "'"), ("‘", "'"), ("“", '"'), ("”", '"')):
        s = s.replace(a, b)
    return " ".join(s.split()).strip(" .,;:").lower() or None


def _fields(r: Reference) -> dict[str, object]:
    d: dict[str, object] = {
        "title": r.title,
        "container": r.container_title,
        "series": r.series,
        "year": r.year,
        "date": r.date,
        "volume": r.volume,
        "issue": r.issue,
        "pages": r.pages,
        "publisher": r.publisher,
        "place": r.place,
        "url": r.url,
        "kind": r.kind,
        "authors": list(r.authors),
        "editors": list(r.editors),
        "translators": list(r.translators),
    }
    tt = [r.raw[s - r.start : e - r.start] for role, s, e in r.spans if role == "title-translation"]
    d["title_translation"] = tt[0] if tt else None
    return d


def _score(
    pairs: list[tuple[dict[str, object] | None, dict[str, object] | None]],
    stats: dict[str, Counter[str]],
) -> None:
    for g, p in pairs:
        for f in FIELDS:
            gv = _norm(g.get(f)) if g else None
            pv = _norm(p.get(f)) if p else None
            c = stats.setdefault(f, Counter())
            if gv and pv == gv:
                c["tp"] += 1
            else:
                c["fn"] += bool(gv)
                c["fp"] += bool(pv)
        for f in LISTS:
            gl = Counter(_norm(x) for x in (g.get(f) or [] if g else []))  # type: ignore[union-attr]
            pl = Counter(_norm(x) for x in (p.get(f) or [] if p else []))  # type: ignore[union-attr]
            c = stats.setdefault(f, Counter())
            tp = sum((gl & pl).values())
            c["tp"] += tp
            c["fn"] += sum(gl.values()) - tp
            c["fp"] += sum(pl.values()) - tp
        if g and p:
            c = stats.setdefault("kind", Counter())
            ok = g["kind"] == p["kind"]
            c["tp"] += ok
            c["fp"] += not ok
            c["fn"] += not ok


def _report(title: str, stats: dict[str, Counter[str]]) -> None:
    print(f"== {title}")
    allc: Counter[str] = Counter()
    for f, c in stats.items():
        print(f"   {f:18s} {_prf(c['tp'], c['fp'], c['fn'])}  (n={c['tp'] + c['fn']})")
        if f != "kind":
            allc.update(c)
    print(f"   {'all fields':18s} {_prf(allc['tp'], allc['fp'], allc['fn'])}")


def evaluate_domain(method: str = "auto") -> None:
    """Field P/R of parse_references on the Sakata notes, and of parse_citation on domain lines."""
    g = json.loads((CASES / "citations_sakata.json").read_text(encoding="utf-8"))
    doc = load_document(ROOT / "data" / "corpus" / f"{g['doc_id']}.txt")
    refs = list(parse_references(doc, method=method))  # type: ignore[arg-type]
    used: set[int] = set()
    pairs: list[tuple[dict[str, object] | None, dict[str, object] | None]] = []
    keys: list[tuple[str, str]] = []
    exact = 0
    for c in g["citations"]:
        note = doc.notes[c["note"] - 1]
        s = doc.text.index(c["raw"], note.start, note.end)
        e = s + len(c["raw"])
        hit = next(
            (
                k
                for k, r in enumerate(refs)
                if k not in used
                and min(e, r.end) - max(s, r.start) > 0.5 * max(e - s, r.end - r.start)
            ),
            None,
        )
        if hit is None:
            pairs.append((c, None))
            continue
        used.add(hit)
        pairs.append((c, _fields(refs[hit])))
        keys.append((c["work"], refs[hit].key))
        exact += refs[hit].raw.rstrip(".) ") == c["raw"].rstrip(".) ")
    pairs += [(None, _fields(r)) for k, r in enumerate(refs) if k not in used]
    n_gold = len(g["citations"])
    print(f"== method={method}")
    print(
        f"== Sakata notes: {n_gold} gold citations, {len(refs)} found, "
        f"{len(used)} matched, {exact} with exact boundaries"
    )
    links = Counter()
    for i in range(len(keys)):
        for j in range(i + 1, len(keys)):
            same_g, same_p = keys[i][0] == keys[j][0], keys[i][1] == keys[j][1]
            links["tp"] += same_g and same_p
            links["fp"] += same_p and not same_g
            links["fn"] += same_g and not same_p
    print(f"   same-work key links {_prf(links['tp'], links['fp'], links['fn'])}")
    stats: dict[str, Counter[str]] = {}
    _score(pairs, stats)
    _report("Sakata notes, fields", stats)
    for name in ("citations_domain.json", "citations_heldout.json"):
        d = json.loads((CASES / name).read_text(encoding="utf-8"))
        pairs = []
        for c in d["references"]:
            r = parse_citation(c["raw"], method=method)  # type: ignore[arg-type]
            pairs.append((c, _fields(r) if r else None))
        stats = {}
        _score(pairs, stats)
        _report(f"{name} ({len(pairs)} reference strings), fields", stats)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--eval", action="store_true", help="evaluate the committed model only")
    ap.add_argument("--c1", type=float, default=0.3)
    ap.add_argument("--c2", type=float, default=0.01)
    ap.add_argument("--iterations", type=int, default=150)
    args = ap.parse_args()
    if not (DATA / "core.xml").is_file():
        raise SystemExit(f"{DATA}: AnyStyle training data not found")
    if not args.eval:
        t0 = time.perf_counter()
        train(DATA / "core.xml", MODEL, args.c1, args.c2, args.iterations)
        print(
            f"trained {MODEL.relative_to(ROOT)} ({MODEL.stat().st_size / 1024:.0f} KiB) "
            f"in {time.perf_counter() - t0:.1f} s"
        )
    evaluate_gold(DATA / "gold.xml", MODEL)
    evaluate_gold(DATA / "gold.xml", MODEL, unseen_only=True)
    for method in ("rules", "crf", "auto"):
        evaluate_domain(method)


if __name__ == "__main__":
    main()
