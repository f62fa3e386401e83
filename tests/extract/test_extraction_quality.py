"""Quality floors against the hand-annotated cases (see benchmarks/extraction_quality.py)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))

from extraction_quality import case_sets, evaluate  # noqa: E402

from allygraph.extract.gazetteer import load_gazetteer  # noqa: E402

# Floors a little below what the extractor reaches (docs/extraction.md), overlap matching.
CORPUS_FLOORS = {
    "person": 0.95, "organization": 0.9, "state": 0.95, "place": 0.9, "base": 0.95,
    "treaty": 0.85, "event": 0.8, "publication": 0.85, "all": 0.9,
}  # fmt: skip
UNSEEN_FLOORS = {"person": 0.85, "state": 0.85, "place": 0.8, "base": 0.8, "all": 0.85}


@pytest.fixture(scope="module")
def gazetteer():
    return load_gazetteer(ROOT / "data" / "gazetteer")


@pytest.mark.parametrize(("name", "floors"), [("corpus", CORPUS_FLOORS), ("unseen", UNSEEN_FLOORS)])
def test_f1_floors(gazetteer, name, floors) -> None:
    """F1 per entity type stays above its floor (overlap matching)."""
    scores = evaluate(case_sets()[name], gazetteer, overlap=True)
    low = {t: round(scores[t][2], 3) for t, floor in floors.items() if scores[t][2] < floor}
    assert low == {}
