"""docs/federation/: each example query parses and has a recorded result of its variables."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rdflib.plugins.sparql import prepareQuery

FOLDER = Path(__file__).resolve().parents[2] / "docs" / "federation"
QUERIES = sorted(FOLDER.glob("*.rq"))


def test_there_are_examples() -> None:
    """Three federated examples and a local check are documented."""
    assert len(QUERIES) >= 4
    text = (FOLDER.parent / "federation.md").read_text(encoding="utf-8")
    for query in QUERIES:
        assert query.name in text


@pytest.mark.parametrize("query", QUERIES, ids=lambda p: p.stem)
def test_example_parses_and_its_result_fits(query: Path) -> None:
    """The query parses (SPARQL 1.1 with SERVICE); the recorded JSON binds only its variables."""
    prepared = prepareQuery(query.read_text(encoding="utf-8"))
    names = [str(v) for v in prepared.algebra["PV"]]
    result = json.loads(query.with_suffix(".json").read_text(encoding="utf-8"))
    assert result["head"]["vars"] == names
    for row in result["results"]["bindings"]:
        assert set(row) <= set(names)
        for term in row.values():
            assert term["type"] in {"uri", "literal", "bnode"}
