"""Tests of allygraph.validate: the shapes accept the model's output and catch broken data."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDFS, XSD

from allygraph.errors import ValidationFailedError
from allygraph.model import sample_extraction, to_rdf
from allygraph.validate import Severity, validate_graph
from allygraph.vocab import AG, OA, Minter

MINTER = Minter("http://127.0.0.1:8000/")
KAN = MINTER.entity("person", "naoto-kan")
TOKYO = MINTER.mention("sample-2010", 57, 62)


@pytest.fixture
def graph() -> Graph:
    return to_rdf(sample_extraction(), MINTER)


def test_model_output_conforms(graph: Graph) -> None:
    """The graph of the sample document conforms and the report says so."""
    report = validate_graph(graph)
    assert report.conforms, report.to_text()
    assert report.results == ()
    assert report.to_text().startswith("Conforms: 0 violation(s)")
    report.raise_for_violations()


def test_conforms_after_an_oxigraph_round_trip(graph: Graph) -> None:
    """What pyoxigraph gives back (integers, gYear, strings) still conforms."""
    store = ox.Store()
    data = graph.serialize(format="nt", encoding="utf-8")
    store.load(data, ox.RdfFormat.N_TRIPLES)
    back = Graph().parse(
        data=store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph()), format="nt"
    )
    assert validate_graph(back).conforms


def test_broken_quote_is_reported(graph: Graph) -> None:
    """A quote that is not the text at its offsets fails the SPARQL constraint."""
    quote = URIRef(TOKYO + "#quote")
    assert str(graph.value(quote, OA.exact)) == "Tokyo"
    graph.set((quote, OA.exact, Literal("Kyoto")))
    report = validate_graph(graph)
    assert not report.conforms
    (result,) = report.violations
    assert result.focus_node == f"<{MINTER.document('sample-2010')}>"
    assert result.path == "oa:exact"
    assert result.value == f"<{quote}>"
    assert "Kyoto" in result.message
    assert "Tokyo" in result.message


def test_bad_qid_iri_is_reported(graph: Graph) -> None:
    """A Wikidata link that is not an item IRI violates the pattern."""
    japan = MINTER.entity("state", "japan")
    graph.set((japan, AG.wikidata, URIRef("http://www.wikidata.org/wiki/Q17")))
    report = validate_graph(graph)
    assert not report.conforms
    paths = {(r.focus_node, r.path) for r in report.violations}
    assert (f"<{japan}>", "ag:wikidata") in paths


def test_missing_english_label_is_reported(graph: Graph) -> None:
    """An entity without an English rdfs:label violates the label shape."""
    for label in list(graph.objects(KAN, RDFS.label)):
        if label.language == "en":
            graph.remove((KAN, RDFS.label, label))
    report = validate_graph(graph)
    assert not report.conforms
    assert {(r.focus_node, r.path) for r in report.violations} == {(f"<{KAN}>", "rdfs:label")}


def test_bad_doi_is_reported(graph: Graph) -> None:
    """A DOI with a resolver prefix does not match the DOI pattern."""
    doc = MINTER.document("sample-2010")
    graph.set((doc, AG.doi, Literal("https://doi.org/10.1234/x")))
    report = validate_graph(graph)
    (result,) = report.violations
    assert (result.focus_node, result.path) == (f"<{doc}>", "ag:doi")
    with pytest.raises(ValidationFailedError, match="1 violation") as info:
        report.raise_for_violations()
    assert info.value.report is report


def test_start_after_end_is_reported(graph: Graph) -> None:
    """A position selector whose start exceeds its end violates sh:lessThanOrEquals."""
    position = URIRef(TOKYO + "#position")
    graph.set((position, OA.start, Literal(70)))
    report = validate_graph(graph)
    focus = {(r.focus_node, r.path) for r in report.violations}
    assert (f"<{position}>", "oa:start") in focus


def test_year_must_be_gyear(graph: Graph) -> None:
    """A publication year typed as an integer is a datatype violation."""
    book = MINTER.entity("publication", "funabashi-1999-alliance-adrift")
    graph.set((book, AG.year, Literal(1999)))
    report = validate_graph(graph)
    assert {(r.focus_node, r.path) for r in report.violations} == {(f"<{book}>", "ag:year")}
    assert "xsd:gYear" in report.to_text()


def test_claim_without_asserted_triple_is_reported(graph: Graph) -> None:
    """A reified claim whose triple is not asserted fails the second SPARQL constraint."""
    henoko = MINTER.entity("place", "henoko")
    marines = MINTER.entity("organization", "us-marine-corps")
    graph.remove((marines, AG.movedTo, henoko))
    report = validate_graph(graph)
    (result,) = report.violations
    assert result.path == "rdf:object"
    assert "not asserted" in result.message


def test_tenure_dates_accept_year_or_date(graph: Graph) -> None:
    """Tenure dates may be xsd:date or xsd:gYear, not a plain string."""
    tenure = next(graph.objects(KAN, AG.tenure))
    graph.set((tenure, AG.startDate, Literal("2010", datatype=XSD.gYear)))
    assert validate_graph(graph).conforms
    graph.set((tenure, AG.startDate, Literal("June 2010")))
    assert not validate_graph(graph).conforms


def test_warnings_do_not_break_conformance(graph: Graph) -> None:
    """Two years on a publication are a warning, reported but conforming."""
    book = MINTER.entity("publication", "funabashi-1999-alliance-adrift")
    graph.add((book, AG.year, Literal("2000", datatype=XSD.gYear)))
    report = validate_graph(graph)
    assert report.conforms
    assert [r.severity for r in report.results] == [Severity.WARNING]


def test_dataset_graphs_are_validated_one_by_one(graph: Graph) -> None:
    """Each named graph of a dataset is validated; results are merged."""
    dataset = Dataset()
    dataset.graph(MINTER.document_graph("a")).__iadd__(graph)
    broken = Graph()
    broken += graph
    broken.set((MINTER.entity("state", "japan"), OWL.sameAs, URIRef("http://example.org/x")))
    dataset.graph(MINTER.document_graph("b")).__iadd__(broken)
    report = validate_graph(dataset)
    assert not report.conforms
    assert len(report.violations) == 1
