"""Extraction and linking quality against the independent gold annotations (tests/eval)."""

from __future__ import annotations

import importlib.util
import itertools
import json
import sys
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
CASES = Path(__file__).resolve().parent
TYPES = {"person", "treaty", "base", "organization", "publication", "state", "place", "event"}

# Floors: what the extractor reached when the evaluation was set up (see docs/evaluation.md),
# rounded down by 0.05 (0.10 for types with fewer than 15 gold mentions in a group, where one
# mention moves F1 a lot; 0.02 for link precision, whose target is 0.98), so that a
# regression fails. Raise them as the extractor improves. Keys: (group, mode, type).
SPAN_FLOORS: dict[tuple[str, str, str], float] = {
    ("corpus", "exact", "all"): 0.91,
    ("corpus", "exact", "base"): 0.95,
    ("corpus", "exact", "event"): 0.95,
    ("corpus", "exact", "organization"): 0.84,
    ("corpus", "exact", "person"): 0.94,
    ("corpus", "exact", "place"): 0.95,
    ("corpus", "exact", "publication"): 0.90,
    ("corpus", "exact", "state"): 0.92,
    ("corpus", "exact", "treaty"): 0.82,
    ("corpus", "overlap", "all"): 0.93,
    ("corpus", "overlap", "base"): 0.95,
    ("corpus", "overlap", "event"): 0.95,
    ("corpus", "overlap", "organization"): 0.92,
    ("corpus", "overlap", "person"): 0.94,
    ("corpus", "overlap", "place"): 0.95,
    ("corpus", "overlap", "publication"): 0.90,
    ("corpus", "overlap", "state"): 0.92,
    ("corpus", "overlap", "treaty"): 0.95,
    ("unseen", "exact", "all"): 0.87,
    ("unseen", "exact", "base"): 0.76,
    ("unseen", "exact", "event"): 0.72,
    ("unseen", "exact", "organization"): 0.90,
    ("unseen", "exact", "person"): 0.90,
    ("unseen", "exact", "place"): 0.84,
    ("unseen", "exact", "publication"): 0.85,
    ("unseen", "exact", "state"): 0.90,
    ("unseen", "exact", "treaty"): 0.70,
    ("unseen", "overlap", "all"): 0.89,
    ("unseen", "overlap", "base"): 0.80,
    ("unseen", "overlap", "event"): 0.84,
    ("unseen", "overlap", "organization"): 0.91,
    ("unseen", "overlap", "person"): 0.90,
    ("unseen", "overlap", "place"): 0.85,
    ("unseen", "overlap", "publication"): 0.95,
    ("unseen", "overlap", "state"): 0.90,
    ("unseen", "overlap", "treaty"): 0.88,
    # unseen2: four blind held-out texts (commit 81921cc); first run 0.79 exact / 0.85 overlap.
    ("unseen2", "exact", "all"): 0.89,
    ("unseen2", "exact", "base"): 0.83,
    ("unseen2", "exact", "event"): 0.84,
    ("unseen2", "exact", "organization"): 0.90,
    ("unseen2", "exact", "person"): 0.89,
    ("unseen2", "exact", "place"): 0.88,
    ("unseen2", "exact", "publication"): 0.95,
    ("unseen2", "exact", "state"): 0.94,
    ("unseen2", "exact", "treaty"): 0.74,
    ("unseen2", "overlap", "all"): 0.91,
    ("unseen2", "overlap", "base"): 0.83,
    ("unseen2", "overlap", "event"): 0.84,
    ("unseen2", "overlap", "organization"): 0.90,
    ("unseen2", "overlap", "person"): 0.89,
    ("unseen2", "overlap", "place"): 0.90,
    ("unseen2", "overlap", "publication"): 0.95,
    ("unseen2", "overlap", "state"): 0.94,
    ("unseen2", "overlap", "treaty"): 0.88,
    # unseen3: five blind held-out texts (commit 304c2b9); first run 0.88 exact / 0.90
    # overlap (docs/evaluation.md); floors from the numbers after this session's changes.
    ("unseen3", "exact", "all"): 0.87,
    ("unseen3", "exact", "base"): 0.84,
    ("unseen3", "exact", "event"): 0.66,
    ("unseen3", "exact", "organization"): 0.91,
    ("unseen3", "exact", "person"): 0.85,
    ("unseen3", "exact", "place"): 0.87,
    ("unseen3", "exact", "publication"): 0.80,
    ("unseen3", "exact", "state"): 0.90,
    ("unseen3", "exact", "treaty"): 0.66,
    ("unseen3", "overlap", "all"): 0.88,
    ("unseen3", "overlap", "base"): 0.84,
    ("unseen3", "overlap", "event"): 0.66,
    ("unseen3", "overlap", "organization"): 0.92,
    ("unseen3", "overlap", "person"): 0.87,
    ("unseen3", "overlap", "place"): 0.87,
    ("unseen3", "overlap", "publication"): 0.84,
    ("unseen3", "overlap", "state"): 0.90,
    ("unseen3", "overlap", "treaty"): 0.79,
}
# (group, level, measure) -> minimum link precision or recall.
LINK_FLOORS: dict[tuple[str, str, str], float] = {
    ("corpus", "entities", "precision"): 0.98,
    ("corpus", "entities", "recall"): 0.91,
    ("corpus", "mentions", "precision"): 0.98,
    ("corpus", "mentions", "recall"): 0.95,
    ("unseen", "entities", "precision"): 0.96,
    ("unseen", "entities", "recall"): 0.81,
    ("unseen", "mentions", "precision"): 0.97,
    ("unseen", "mentions", "recall"): 0.83,
    ("unseen2", "entities", "precision"): 0.95,
    ("unseen2", "entities", "recall"): 0.87,
    ("unseen2", "mentions", "precision"): 0.97,
    ("unseen2", "mentions", "recall"): 0.91,
    ("unseen3", "entities", "precision"): 0.97,
    ("unseen3", "entities", "recall"): 0.84,
    ("unseen3", "mentions", "precision"): 0.97,
    ("unseen3", "mentions", "recall"): 0.90,
}


def _evaluator() -> ModuleType:
    """Import benchmarks/evaluate.py by path (benchmarks is not a package)."""
    name = "allygraph_benchmarks_evaluate"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, REPO / "benchmarks" / "evaluate.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@cache
def _report() -> dict[str, Any]:
    evaluate = _evaluator()
    try:
        return dict(evaluate.evaluate(CASES))
    except evaluate.ExtractorMissingError as exc:
        pytest.skip(str(exc))


def _gold_files() -> list[Path]:
    return sorted(CASES.glob("*/gold.json"))


@pytest.mark.parametrize("gold_file", _gold_files(), ids=lambda p: p.parent.name)
def test_gold_offsets_match_the_text(gold_file: Path) -> None:
    """Every gold mention's text is exactly the case text at its offsets; spans never overlap."""
    gold = json.loads(gold_file.read_text(encoding="utf-8"))
    path = gold_file.parent / gold["path"] if "path" in gold else gold_file.parent / "input.txt"
    text = path.read_text(encoding="utf-8").removeprefix("\ufeff")
    spans = sorted((m["start"], m["end"]) for m in gold["mentions"])
    for m in gold["mentions"]:
        assert text[m["start"] : m["end"]] == m["text"], m
        assert m["type"] in TYPES, m
        assert m["entity"].startswith(m["type"] + ":"), m
    assert all(a[1] <= b[0] for a, b in itertools.pairwise(spans))
    assert gold["source"]


def test_unseen_cases_are_of_the_required_size() -> None:
    """There are at least eight unseen texts of 1,500-4,000 characters each."""
    inputs = sorted(CASES.glob("unseen-*/input.txt"))
    assert len(inputs) >= 8
    for path in inputs:
        assert 1500 <= len(path.read_text(encoding="utf-8")) <= 4000, path


def test_scorer_gives_full_marks_to_the_gold_itself() -> None:
    """The scorer rates the gold mentions as predictions at precision = recall = 1."""
    evaluate = _evaluator()
    cases = evaluate.load_cases(CASES)
    for case in cases:
        case.predicted = list(case.gold)
    report = evaluate.score(cases)
    for group in ("corpus", "unseen"):
        for mode in ("exact", "overlap"):
            assert report[group]["span"][mode]["all"]["f1"] == 1.0
        for level in ("mentions", "entities"):
            assert report[group]["link"][level]["precision"] == 1.0
            assert report[group]["link"][level]["recall"] == 1.0


def test_scorer_counts_a_wrong_and_a_spurious_link() -> None:
    """A wrong QID and a QID where gold marks nothing both lower link precision."""
    evaluate = _evaluator()
    span = evaluate.Span
    case = evaluate.Case(
        "unseen-x",
        "unseen",
        Path("x"),
        gold=[span(0, 5, "Japan", "state", "state:japan", "Q17")],
        text="Japan and Korea",
    )
    case.predicted = [
        span(0, 5, "Japan", "state", "state:japan", "Q884"),
        span(10, 15, "Korea", "place", "place:korea", "Q18097"),
    ]
    link = evaluate.score([case])["unseen"]["link"]["mentions"]
    assert (link["right_predicted"], link["predicted"]) == (0, 2)
    assert (link["found_gold"], link["gold"]) == (0, 1)


@pytest.mark.parametrize("key", sorted(SPAN_FLOORS), ids=lambda k: "-".join(k))
def test_span_f1_stays_above_its_floor(key: tuple[str, str, str]) -> None:
    """Per group, match mode and type, F1 stays at or above the recorded floor."""
    group, mode, kind = key
    f1 = _report()[group]["span"][mode][kind]["f1"]
    assert f1 is not None, key
    assert f1 >= SPAN_FLOORS[key], f"{key}: F1 {f1}"


@pytest.mark.parametrize("key", sorted(LINK_FLOORS), ids=lambda k: "-".join(k))
def test_link_scores_stay_above_their_floor(key: tuple[str, str, str]) -> None:
    """Per group and level, link precision and recall stay at or above the recorded floor."""
    group, level, measure = key
    value = _report()[group]["link"][level][measure]
    assert value is not None, key
    assert value >= LINK_FLOORS[key], f"{key}: {value}"


def test_extractor_runs_on_every_case() -> None:
    """The extractor produces mentions for every group (skips while it is not importable)."""
    report = _report()
    for group in ("corpus", "unseen", "unseen2", "unseen3"):
        assert report[group]["span"]["exact"]["all"]["predicted"] > 0
