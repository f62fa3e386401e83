"""Tests of ontology/allygraph.ttl and ontology/context.jsonld: they parse and cover the model."""

from __future__ import annotations

import json

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from allygraph.model import jsonld_context, ontology_graph, ontology_path, sample_extraction, to_rdf
from allygraph.model.terms import KIND_CLASS, PREDICATES, REFERENCE_KIND_CLASS, SUBTYPES
from allygraph.vocab import AG, ONTOLOGY_IRI, Minter

DECLARED_TYPES = {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty}


def ag_terms(graph: Graph) -> set[URIRef]:
    terms = set()
    for triple in graph:
        for term in triple:
            if isinstance(term, URIRef) and str(term).startswith(str(AG)):
                terms.add(term)
    return terms


def test_ontology_header() -> None:
    """The ontology has its fixed IRI, a version, a license and a creator."""
    graph = ontology_graph()
    onto = URIRef(ONTOLOGY_IRI)
    assert (onto, RDF.type, OWL.Ontology) in graph
    for prop in (OWL.versionInfo, URIRef("http://purl.org/dc/terms/license")):
        assert graph.value(onto, prop) is not None
    assert graph.value(onto, URIRef("http://purl.org/dc/terms/creator")) is not None


def test_every_declared_term_has_label_and_definition() -> None:
    """Each ag: class and property has an English label and an English definition."""
    graph = ontology_graph()
    declared = {s for t in DECLARED_TYPES for s in graph.subjects(RDF.type, t)}
    assert len(declared) > 60
    for term in declared:
        labels = [o for o in graph.objects(term, RDFS.label) if o.language == "en"]
        definitions = [o for o in graph.objects(term, SKOS.definition) if o.language == "en"]
        assert labels, term
        assert definitions, term


def test_model_output_uses_only_declared_terms() -> None:
    """Every ag: term the model writes (and every mapping table names) is declared."""
    graph = ontology_graph()
    declared = {s for t in DECLARED_TYPES for s in graph.subjects(RDF.type, t)}
    used = ag_terms(to_rdf(sample_extraction(), Minter("http://127.0.0.1:8000/")))
    used |= set(KIND_CLASS.values()) | set(REFERENCE_KIND_CLASS.values())
    used |= {AG[name] for names in SUBTYPES.values() for name in names}
    used |= {AG[name] for name in PREDICATES}
    assert used - declared == set()


def test_subclasses_are_declared_below_their_kind() -> None:
    """Each subtype a kind allows is a subclass (transitively) of the kind's class."""
    graph = ontology_graph()
    for kind, names in SUBTYPES.items():
        for name in names:
            supers = set(graph.transitive_objects(AG[name], RDFS.subClassOf))
            assert KIND_CLASS[kind] in supers, name


def test_context_maps_terms_to_the_ontology() -> None:
    """The JSON-LD context is valid JSON and maps short names to ag: IRIs."""
    data = json.loads(ontology_path("context.jsonld").read_text(encoding="utf-8"))
    assert data["@context"] == jsonld_context()
    context = jsonld_context()
    assert context["ag"] == str(AG)
    assert context["author"] == {"@id": "ag:author", "@type": "@id"}
    assert context["Person"] == "ag:Person"
