"""Quality floors against the hand-annotated cases (see benchmarks/extraction_quality.py)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))

import extraction_quality  # noqa: E402
from extraction_quality import case_sets, evaluate  # noqa: E402

from allygraph.extract.gazetteer import load_gazetteer  # noqa: E402

# The gold of tests/cases was written before the independent guidelines (docs/evaluation.md)
# and counts names inside titles as mentions; the extractor now follows the maximal-span
# rule (a title is one mention), so the test scores against that gold without the names
# inside its titles. Its other conventions still differ from the guidelines: it types a bare
# "Korea" state (the guidelines: place), counts descriptions as events ("the submarine
# incident", "nuclear crisis") and organizations ("US military"), and has no bracketed
# translated titles, so the state, event and publication floors below sit under the old ones
# (measured value minus 0.05). The independent floors are in tests/eval/test_quality.py.
CORPUS_FLOORS = {
    "person": 0.95, "organization": 0.88, "state": 0.82, "place": 0.89, "base": 0.95,
    "treaty": 0.85, "event": 0.71, "publication": 0.85, "all": 0.88,
}  # fmt: skip
UNSEEN_FLOORS = {"person": 0.85, "state": 0.85, "place": 0.8, "base": 0.8, "all": 0.85}

_GOLD_SPANS = extraction_quality.gold_spans


def _outermost_gold(case: Path) -> set[tuple[int, int, str]]:
    gold = _GOLD_SPANS(case)
    titles = [s for s in gold if s[2] == "publication"]
    return {
        s for s in gold if not any(t[0] <= s[0] and s[1] <= t[1] and t[:2] != s[:2] for t in titles)
    }


@pytest.fixture(scope="module")
def gazetteer():
    return load_gazetteer(ROOT / "data" / "gazetteer")


@pytest.mark.parametrize(("name", "floors"), [("corpus", CORPUS_FLOORS), ("unseen", UNSEEN_FLOORS)])
def test_f1_floors(gazetteer, name, floors, monkeypatch) -> None:
    """F1 per entity type stays above its floor (overlap matching, maximal spans)."""
    monkeypatch.setattr(extraction_quality, "gold_spans", _outermost_gold)
    scores = evaluate(case_sets()[name], gazetteer, overlap=True)
    low = {t: round(scores[t][2], 3) for t, floor in floors.items() if scores[t][2] < floor}
    assert low == {}
