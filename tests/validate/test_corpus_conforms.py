"""The graphs of the shipped corpus documents conform to the shapes (end to end)."""

from __future__ import annotations

from pathlib import Path

import pytest

from allygraph.corpus import load_document
from allygraph.extract import load_gazetteer
from allygraph.model import to_rdf
from allygraph.resolve import extract_document
from allygraph.validate import validate_graph
from allygraph.vocab import Minter

ROOT = Path(__file__).parents[2]
DOCUMENTS = sorted((ROOT / "data" / "corpus").glob("*.txt"))


@pytest.fixture(scope="module")
def gazetteer():  # type: ignore[no-untyped-def]
    return load_gazetteer(ROOT / "data" / "gazetteer")


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.stem)
def test_corpus_document_conforms(path: Path, gazetteer) -> None:  # type: ignore[no-untyped-def]
    """Extract, model and validate one corpus document: no violation."""
    extraction = extract_document(load_document(path), gazetteer)
    report = validate_graph(to_rdf(extraction, Minter("http://127.0.0.1:8000/")))
    assert report.conforms, report.to_text()
