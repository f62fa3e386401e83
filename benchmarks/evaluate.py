"""Measure entity extraction and linking against the independent gold annotations.

The cases are the folders of ``tests/eval``: each has a ``gold.json`` with the mentions an
annotator marked (offsets, type, entity id, verified QID or null) and either an
``input.txt`` (unseen texts, written for the evaluation) or a ``"path"`` to a corpus text.
Folders named ``corpus-*`` form the *corpus* group, ``unseen2-*`` and ``unseen3-*`` the
*unseen2* and *unseen3* groups (blind held-out texts), the others the *unseen* group. See
``docs/evaluation.md`` for the guidelines and the measured numbers.

Usage:
    .venv/bin/python benchmarks/evaluate.py                 # table per group and type
    .venv/bin/python benchmarks/evaluate.py --json          # everything as JSON
    .venv/bin/python benchmarks/evaluate.py --errors 15     # plus examples of the errors

Scores (micro-averaged over the cases of a group):

- span, exact: a prediction is right when (start, end, type) equals a gold mention's;
- span, overlap: a prediction is right when it overlaps a gold mention of the same type, and
  a gold mention is found when a prediction of the same type overlaps it;
- link, mentions: precision over the predicted mentions whose entity has a QID (right when
  the gold mention they overlap has that QID; wrong when it has another QID or when no gold
  mention is there; left out when the gold QID is unknown), recall over the gold mentions
  with a QID (found when an overlapping prediction carries that QID);
- link, entities: the same per distinct entity of a case (a predicted entity is right when
  one of its mentions overlaps a gold mention with its QID).
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
CASES_DIR = REPO / "tests" / "eval"
GAZETTEER_DIR = REPO / "data" / "gazetteer"
LINKS_FILE = REPO / "data" / "links" / "accepted.yaml"
TYPES = ("person", "treaty", "base", "organization", "publication", "state", "place", "event")
GROUPS = ("corpus", "unseen", "unseen2", "unseen3")


class ExtractorMissingError(RuntimeError):
    """The extraction layer cannot be imported (not written yet, or broken)."""


@dataclass(frozen=True)
class Span:
    """One mention, gold or predicted, reduced to what the scores compare."""

    start: int
    end: int
    text: str
    type: str
    entity: str
    qid: str | None

    def overlaps(self, other: Span) -> bool:
        """Whether the two half-open spans share a character."""
        return self.start < other.end and other.start < self.end


@dataclass
class Case:
    """One evaluation text with its gold mentions."""

    name: str
    group: str
    path: Path
    gold: list[Span]
    predicted: list[Span] = field(default_factory=list)
    text: str = ""


def load_cases(folder: Path = CASES_DIR) -> list[Case]:
    """Read every ``<folder>/<case>/gold.json`` (sorted by name)."""
    cases = []
    for gold_file in sorted(folder.glob("*/gold.json")):
        data = json.loads(gold_file.read_text(encoding="utf-8"))
        case_dir = gold_file.parent
        path = (case_dir / data["path"]).resolve() if "path" in data else case_dir / "input.txt"
        gold = [
            Span(m["start"], m["end"], m["text"], m["type"], m["entity"], m.get("qid"))
            for m in data["mentions"]
        ]
        group = case_dir.name.split("-", 1)[0] if "-" in case_dir.name else "unseen"
        group = group if group in GROUPS else "unseen"
        cases.append(Case(case_dir.name, group, path, gold))
    return cases


def _find(module: str, name: str) -> Any:
    """``module.name`` or None when the module or the name is missing."""
    try:
        return getattr(importlib.import_module(module), name, None)
    except ImportError:
        return None


def load_extractor() -> Callable[[Path], tuple[str, list[Span]]]:
    """Import the pipeline pieces and load the gazetteer once; return ``path -> spans``.

    Runs what ``allygraph build`` runs per document: ``extract_document`` (from
    ``allygraph.extract``, or ``allygraph.resolve`` where extraction and resolution meet),
    then ``allygraph.link.link_extraction`` with the accepted links file when both exist.

    Raises:
        ExtractorMissingError: ``extract_document``, the gazetteer loader or the corpus loader
            cannot be imported.
    """
    load_document = _find("allygraph.corpus", "load_document")
    load_gazetteer = _find("allygraph.extract.gazetteer", "load_gazetteer")
    extract_document = _find("allygraph.extract", "extract_document") or _find(
        "allygraph.resolve", "extract_document"
    )
    if load_document is None or load_gazetteer is None or extract_document is None:
        raise ExtractorMissingError(
            "allygraph.extract.extract_document (or allygraph.resolve.extract_document), "
            "load_gazetteer or load_document is not importable yet; nothing to evaluate"
        )
    gazetteer = load_gazetteer(GAZETTEER_DIR)
    link_extraction = _find("allygraph.link", "link_extraction")
    load_links = _find("allygraph.link", "load_links")
    links = None
    if link_extraction is not None and load_links is not None and LINKS_FILE.exists():
        links = load_links(LINKS_FILE)

    def run(path: Path) -> tuple[str, list[Span]]:
        doc = load_document(path)
        extraction = extract_document(doc, gazetteer)
        if links is not None:
            extraction = link_extraction(extraction, links)
        qids = {e.key: e.qid for e in extraction.entities}
        spans = {
            (m.start, m.end, str(m.kind)): Span(
                m.start, m.end, m.text, str(m.kind), m.key, qids.get(m.key)
            )
            for m in extraction.mentions
        }
        return doc.text, list(spans.values())

    return run


def run_cases(cases: list[Case], extract: Callable[[Path], tuple[str, list[Span]]]) -> None:
    """Fill ``case.predicted`` and ``case.text`` by running the extractor on each case."""
    for case in cases:
        case.text, case.predicted = extract(case.path)


@dataclass
class Tally:
    """Counts for precision and recall (numerators may differ for the two sides)."""

    right_predicted: int = 0
    predicted: int = 0
    found_gold: int = 0
    gold: int = 0

    def add(self, other: Tally) -> None:
        """Add another tally to this one."""
        self.right_predicted += other.right_predicted
        self.predicted += other.predicted
        self.found_gold += other.found_gold
        self.gold += other.gold

    def scores(self) -> dict[str, float | int | None]:
        """Precision, recall, F1 and the counts (None where a denominator is zero)."""
        p = self.right_predicted / self.predicted if self.predicted else None
        r = self.found_gold / self.gold if self.gold else None
        f = 2 * p * r / (p + r) if p is not None and r is not None and p + r else None
        if p is not None and r is not None and not p + r:
            f = 0.0
        return {
            "precision": p,
            "recall": r,
            "f1": f,
            "predicted": self.predicted,
            "gold": self.gold,
            "right_predicted": self.right_predicted,
            "found_gold": self.found_gold,
        }


def _span_tallies(case: Case) -> dict[tuple[str, str], Tally]:
    """Exact and overlap tallies per type for one case: keys (mode, type)."""
    out: dict[tuple[str, str], Tally] = defaultdict(Tally)
    gold_keys = {(g.start, g.end, g.type) for g in case.gold}
    pred_keys = {(p.start, p.end, p.type) for p in case.predicted}
    for p in case.predicted:
        out["exact", p.type].predicted += 1
        out["exact", p.type].right_predicted += (p.start, p.end, p.type) in gold_keys
        out["overlap", p.type].predicted += 1
        out["overlap", p.type].right_predicted += any(
            g.type == p.type and g.overlaps(p) for g in case.gold
        )
    for g in case.gold:
        out["exact", g.type].gold += 1
        out["exact", g.type].found_gold += (g.start, g.end, g.type) in pred_keys
        out["overlap", g.type].gold += 1
        out["overlap", g.type].found_gold += any(
            p.type == g.type and p.overlaps(g) for p in case.predicted
        )
    return out


def _gold_under(pred: Span, gold: list[Span]) -> Span | None:
    """The gold mention a prediction stands on: same span first, else the largest overlap."""
    best: Span | None = None
    best_overlap = 0
    for g in gold:
        if (g.start, g.end) == (pred.start, pred.end):
            return g
        overlap = min(g.end, pred.end) - max(g.start, pred.start)
        if overlap > best_overlap:
            best, best_overlap = g, overlap
    return best


def _link_tallies(case: Case) -> tuple[Tally, Tally, list[dict[str, Any]]]:
    """Mention-level and entity-level link tallies for one case, plus the wrong links."""
    mentions = Tally()
    wrong: list[dict[str, Any]] = []
    entity_verdicts: dict[str, set[str]] = defaultdict(set)  # predicted key -> verdicts
    for p in case.predicted:
        if not p.qid:
            continue
        g = _gold_under(p, case.gold)
        if g is not None and g.qid is None:
            entity_verdicts[p.entity].add("unknown")
            continue
        right = g is not None and g.qid == p.qid
        mentions.predicted += 1
        mentions.right_predicted += right
        entity_verdicts[p.entity].add("right" if right else "wrong")
        if not right:
            wrong.append(
                {
                    "case": case.name,
                    "text": p.text,
                    "start": p.start,
                    "predicted": p.qid,
                    "gold": None if g is None else g.qid,
                    "gold_entity": None if g is None else g.entity,
                }
            )
    for g in case.gold:
        if not g.qid:
            continue
        mentions.gold += 1
        mentions.found_gold += any(p.qid == g.qid and p.overlaps(g) for p in case.predicted)
    entities = Tally()
    for verdicts in entity_verdicts.values():
        if verdicts == {"unknown"}:
            continue
        entities.predicted += 1
        entities.right_predicted += "right" in verdicts
    gold_entities: dict[str, list[Span]] = defaultdict(list)
    for g in case.gold:
        if g.qid:
            gold_entities[g.entity].append(g)
    for spans in gold_entities.values():
        entities.gold += 1
        entities.found_gold += any(
            p.qid == g.qid and p.overlaps(g) for g in spans for p in case.predicted
        )
    return mentions, entities, wrong


def _span_errors(case: Case) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """False positives and false negatives under the overlap rule, with a little context."""

    def ctx(s: Span) -> str:
        return case.text[max(0, s.start - 30) : s.end + 30].replace("\n", " ")

    fps = [
        {"case": case.name, "type": p.type, "text": p.text, "start": p.start, "context": ctx(p)}
        for p in case.predicted
        if not any(g.type == p.type and g.overlaps(p) for g in case.gold)
    ]
    fns = [
        {"case": case.name, "type": g.type, "text": g.text, "start": g.start, "context": ctx(g)}
        for g in case.gold
        if not any(p.type == g.type and p.overlaps(g) for p in case.predicted)
    ]
    return fps, fns


def score(cases: Iterable[Case]) -> dict[str, Any]:
    """All scores per group: span (exact, overlap) per type and overall, links, errors."""
    report: dict[str, Any] = {}
    for group in GROUPS:
        members = [c for c in cases if c.group == group]
        if not members:
            continue
        spans: dict[tuple[str, str], Tally] = defaultdict(Tally)
        link_m, link_e = Tally(), Tally()
        wrong: list[dict[str, Any]] = []
        fps: list[dict[str, Any]] = []
        fns: list[dict[str, Any]] = []
        for case in members:
            for key, tally in _span_tallies(case).items():
                spans[key].add(tally)
                spans[key[0], "all"].add(tally)
            m, e, w = _link_tallies(case)
            link_m.add(m)
            link_e.add(e)
            wrong += w
            fp, fn = _span_errors(case)
            fps += fp
            fns += fn
        report[group] = {
            "cases": [c.name for c in members],
            "span": {
                mode: {t: spans[mode, t].scores() for t in (*TYPES, "all")}
                for mode in ("exact", "overlap")
            },
            "link": {"mentions": link_m.scores(), "entities": link_e.scores()},
            "errors": {"false_positives": fps, "false_negatives": fns, "wrong_links": wrong},
        }
    return report


def _fmt(value: float | int | None) -> str:
    return "   -" if value is None else f"{value:.2f}" if isinstance(value, float) else str(value)


def format_table(report: dict[str, Any], errors: int = 0) -> str:
    """Render the report as plain-text tables (and up to ``errors`` examples per kind)."""
    lines = []
    for group, data in report.items():
        lines.append(f"== {group} ({len(data['cases'])} cases) ==")
        lines.append(
            f"{'type':<13}{'gold':>5}{'pred':>6} | {'P':>5}{'R':>5}{'F1':>5}"
            f"  exact | {'P':>5}{'R':>5}{'F1':>5}  overlap"
        )
        for t in (*TYPES, "all"):
            ex, ov = data["span"]["exact"][t], data["span"]["overlap"][t]
            lines.append(
                f"{t:<13}{ex['gold']:>5}{ex['predicted']:>6} | "
                f"{_fmt(ex['precision']):>5}{_fmt(ex['recall']):>5}{_fmt(ex['f1']):>5}        | "
                f"{_fmt(ov['precision']):>5}{_fmt(ov['recall']):>5}{_fmt(ov['f1']):>5}"
            )
        for level in ("mentions", "entities"):
            s = data["link"][level]
            lines.append(
                f"link {level:<9} precision {_fmt(s['precision'])} "
                f"({s['right_predicted']}/{s['predicted']})  recall {_fmt(s['recall'])} "
                f"({s['found_gold']}/{s['gold']})"
            )
        if errors:
            errs = data["errors"]
            for kind in ("false_positives", "false_negatives"):
                counts = Counter(e["type"] for e in errs[kind])
                lines.append(f"-- {kind} (overlap rule) by type: {dict(counts.most_common())}")
                for e in errs[kind][:errors]:
                    lines.append(
                        f"   {e['case']} [{e['type']}] {e['text']!r}: ...{e['context']}..."
                    )
            lines.append(f"-- wrong links: {len(errs['wrong_links'])}")
            for e in errs["wrong_links"][:errors]:
                lines.append(
                    f"   {e['case']} {e['text']!r} -> {e['predicted']} (gold {e['gold']}, "
                    f"{e['gold_entity']})"
                )
        lines.append("")
    return "\n".join(lines)


def evaluate(folder: Path = CASES_DIR) -> dict[str, Any]:
    """Load the cases, run the extractor on them and score; raises ExtractorMissingError."""
    cases = load_cases(folder)
    run_cases(cases, load_extractor())
    return score(cases)


def main(argv: list[str] | None = None) -> int:
    """Command line: print the table (or JSON); exit 2 when the extractor is missing."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--json", action="store_true", help="print the full report as JSON")
    parser.add_argument("--errors", type=int, default=0, help="show N examples of each error")
    parser.add_argument("--cases", type=Path, default=CASES_DIR, help="folder of the cases")
    args = parser.parse_args(argv)
    began = time.perf_counter()
    try:
        report = evaluate(args.cases)
    except ExtractorMissingError as exc:
        print(f"evaluate: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(report, indent=1, ensure_ascii=False))
    else:
        print(format_table(report, args.errors))
        print(f"({time.perf_counter() - began:.1f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
