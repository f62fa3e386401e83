"""Link quality against an independent annotation: precision first, recall measured.

Runs the offline linking of a build (gazetteer QIDs via the resolver, plus accepted links)
over the corpus and over unseen domain texts, and compares with tests/link/gold/.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from allygraph.link import extract_corpus, link_entities, load_links
from allygraph.records import Entity

REPO = Path(__file__).resolve().parents[2]
GOLD = Path(__file__).resolve().parent / "gold"


def _linked(corpus: Path) -> dict[str, dict[str, Entity]]:
    links = load_links(REPO / "data" / "links" / "accepted.yaml")
    out: dict[str, dict[str, Entity]] = {}
    for extraction in extract_corpus(corpus, REPO / "data" / "gazetteer"):
        entities = link_entities(extraction.entities, links)
        out[extraction.document.doc_id] = {e.key: e for e in entities}
    return out


@pytest.fixture(scope="module")
def corpus_scores() -> dict[str, Any]:
    """Precision and recall of the corpus links against gold/corpus-links.yaml."""
    gold = yaml.safe_load((GOLD / "corpus-links.yaml").read_text(encoding="utf-8"))
    expected: dict[str, str] = gold["linked"]
    unverified = set(gold["unverified"])
    in_wikidata = len(expected) + len(unverified)
    system: dict[str, str] = {}
    for entities in _linked(REPO / "data" / "corpus").values():
        system.update({k: e.qid for k, e in entities.items() if e.qid})
    judged = {k: q for k, q in system.items() if k in expected}
    correct = sum(1 for k, q in judged.items() if expected[k] == q)
    return {
        "linked": len(system),
        "judged": len(judged),
        "correct": correct,
        "unjudged": sorted(k for k in system if k not in expected),
        "precision": correct / len(judged) if judged else 1.0,
        "recall": correct / in_wikidata,
        "in_wikidata": in_wikidata,
    }


def test_corpus_link_precision(corpus_scores: dict[str, Any]) -> None:
    """At least 98% of the corpus links are the annotated QID."""
    print(f"corpus: {corpus_scores}")
    assert corpus_scores["precision"] >= 0.98


@pytest.mark.xfail(
    reason="recall (34 of 77, 0.44) is bounded by the gazetteer's verified QIDs (about 300 of "
    "2,600 entries): the search tool holds no public data pairing a QID with the corpus's bases, "
    "think tanks, newspapers, presses and most scholars; they need link --online + review",
    strict=True,
)
def test_corpus_link_recall(corpus_scores: dict[str, Any]) -> None:
    """At least 90% of the corpus entities that exist in Wikidata are linked correctly."""
    assert corpus_scores["recall"] >= 0.9


def test_unseen_texts_precision() -> None:
    """On unseen domain texts, links stay >= 95% precise and never pick a namesake."""
    gold = yaml.safe_load((GOLD / "unseen-links.yaml").read_text(encoding="utf-8"))
    linked = _linked(GOLD / "unseen")
    total = correct = 0
    for doc_id, expected in gold.items():
        entities = linked[doc_id]
        for key, entity in entities.items():
            if not entity.qid:
                continue
            assert entity.qid not in expected["wrong"], f"{doc_id}: {key} -> {entity.qid}"
            if key in expected["linked"]:
                total += 1
                correct += expected["linked"][key] == entity.qid
    print(f"unseen: {correct}/{total} links correct")
    assert total >= 8
    assert correct / total >= 0.95
