"""Tests of allygraph.model.metadata: the build as a PROV-O activity."""

from __future__ import annotations

import datetime as dt

from rdflib.namespace import RDF, XSD

from allygraph.model import build_iri, dataset_metadata, sample_extraction
from allygraph.validate import validate_graph
from allygraph.vocab import AG, PROV, Minter

MINTER = Minter("http://127.0.0.1:8000/")


def test_build_iri_depends_on_inputs_only() -> None:
    """The same documents and version give the same build IRI; another version does not."""
    doc = sample_extraction().document
    assert build_iri(MINTER, [doc], "0.1.0") == build_iri(MINTER, [doc], "0.1.0")
    assert build_iri(MINTER, [doc], "0.1.0") != build_iri(MINTER, [doc], "0.2.0")


def test_meta_graph_describes_the_build() -> None:
    """The meta graph has the activity, its times, agent and used documents, and conforms."""
    doc = sample_extraction().document
    build = build_iri(MINTER, [doc], "0.1.0")
    start = dt.datetime(2024, 1, 1, 12, 0, tzinfo=dt.UTC)
    graph = dataset_metadata(
        MINTER,
        build_iri=build,
        documents=[doc, "other-doc"],
        started=start,
        ended=start + dt.timedelta(seconds=3),
        software_version="0.1.0",
    )
    assert (build, RDF.type, PROV.Activity) in graph
    assert (build, RDF.type, AG.Build) in graph
    assert graph.value(build, PROV.startedAtTime).datatype == XSD.dateTime
    assert (build, PROV.used, MINTER.document("sample-2010")) in graph
    assert (build, PROV.used, MINTER.document("other-doc")) in graph
    agent = graph.value(build, PROV.wasAssociatedWith)
    assert (agent, RDF.type, PROV.SoftwareAgent) in graph
    assert validate_graph(graph).conforms
