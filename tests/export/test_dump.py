"""Tests of allygraph.export.dump: every format parses back to an isomorphic graph."""

from __future__ import annotations

import io
import json

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import XSD

from allygraph.export import export_dataset, from_oxigraph, to_oxigraph
from allygraph.model import jsonld_context, sample_extraction, to_rdf
from allygraph.vocab import Minter, RdfFormat

MINTER = Minter("http://127.0.0.1:8000/")
RDFLIB_FORMAT = {
    RdfFormat.TURTLE: "turtle",
    RdfFormat.NTRIPLES: "nt",
    RdfFormat.NQUADS: "nquads",
    RdfFormat.TRIG: "trig",
    RdfFormat.JSONLD: "json-ld",
    RdfFormat.RDFXML: "xml",
}


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    data = Dataset()
    graph = to_rdf(sample_extraction(), MINTER)
    data.graph(MINTER.document_graph("sample-2010")).__iadd__(graph)
    extra = data.graph(MINTER.graph("meta"))
    extra.add((MINTER.entity("build", "x"), URIRef("http://example.org/p"), Literal("日本")))
    return data


def union(dataset: Dataset) -> Graph:
    graph = Graph()
    for named in dataset.graphs():
        graph += named
    return graph


def dump(source: object, fmt: RdfFormat) -> bytes:
    out = io.BytesIO()
    export_dataset(source, fmt, out)  # type: ignore[arg-type]
    return out.getvalue()


def assert_round_trip(data: bytes, fmt: RdfFormat, dataset: Dataset) -> None:
    if fmt.supports_datasets:
        back = Dataset()
        back.parse(data=data, format=RDFLIB_FORMAT[fmt])
        for named in dataset.graphs():
            if len(named):
                assert isomorphic(back.graph(named.identifier), named), fmt
    else:
        back_graph = Graph().parse(data=data, format=RDFLIB_FORMAT[fmt])
        assert isomorphic(back_graph, union(dataset)), fmt


@pytest.mark.parametrize("fmt", list(RdfFormat), ids=lambda f: f.key)
def test_rdflib_dataset_round_trip(dataset: Dataset, fmt: RdfFormat) -> None:
    """Each format written from an rdflib dataset parses back isomorphic."""
    assert_round_trip(dump(dataset, fmt), fmt, dataset)


@pytest.mark.parametrize("fmt", list(RdfFormat), ids=lambda f: f.key)
def test_oxigraph_store_round_trip(dataset: Dataset, fmt: RdfFormat) -> None:
    """Each format written from a pyoxigraph store parses back isomorphic."""
    store = ox.Store()
    store.load(dump(dataset, RdfFormat.NQUADS), ox.RdfFormat.N_QUADS)
    assert_round_trip(dump(store, fmt), fmt, dataset)


def test_jsonld_uses_the_shipped_context(dataset: Dataset) -> None:
    """JSON-LD is compacted with ontology/context.jsonld (short names, not full IRIs)."""
    document = json.loads(dump(dataset, RdfFormat.JSONLD))
    assert document["@context"] == jsonld_context()
    text = json.dumps(document)
    assert '"hasBody"' in text
    assert "https://w3id.org/allygraph/ontology#author" not in text


def test_graph_formats_write_the_union_once(dataset: Dataset) -> None:
    """N-Triples holds each triple of the union exactly once."""
    lines = dump(dataset, RdfFormat.NTRIPLES).decode("utf-8").splitlines()
    assert len(lines) == len(set(lines)) == len(union(dataset))


@settings(max_examples=50, deadline=None)
@given(
    st.one_of(
        st.builds(lambda s: Literal(s), st.text(max_size=30)),
        st.builds(lambda s: Literal(s, lang="ja"), st.text(min_size=1, max_size=30)),
        st.builds(lambda n: Literal(n), st.integers()),
        st.builds(lambda y: Literal(f"{y:04d}", datatype=XSD.gYear), st.integers(1, 9999)),
    )
)
def test_term_conversion_round_trip(literal: Literal) -> None:
    """rdflib -> pyoxigraph -> rdflib keeps every literal (plain strings stay plain)."""
    assert from_oxigraph(to_oxigraph(literal)) == literal
