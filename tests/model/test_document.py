"""Tests of allygraph.model.document: the RDF of one document graph."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import XSD

from allygraph.errors import CorpusError
from allygraph.model import sample_extraction, to_rdf
from allygraph.records import Claim, Document, Entity, EntityKind, Extraction, Mention
from allygraph.vocab import AG, OA, Minter

BASE = "http://127.0.0.1:8000/"
MINTER = Minter(BASE)
PREFIXES = """
PREFIX ag: <https://w3id.org/allygraph/ontology#>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""


@pytest.fixture(scope="module")
def graph() -> Graph:
    return to_rdf(sample_extraction(), MINTER, build_iri=URIRef(BASE + "id/build/test"))


def ask(graph: Graph, where: str) -> bool:
    return bool(graph.query(PREFIXES + "ASK {" + where + "}").askAnswer)


def test_document_node(graph: Graph) -> None:
    """The document is typed, carries its exact text, digest, metadata and build."""
    assert ask(
        graph,
        """<http://127.0.0.1:8000/id/document/sample-2010> a ag:Document, prov:Entity,
               ag:Publication, ag:NewsArticle ;
           ag:text ?text ; ag:sha256 ?sha ; ag:doi "10.1234/sample.2010" ;
           ag:year "2010"^^xsd:gYear ; ag:date "2010-06"^^xsd:gYearMonth ;
           ag:author <http://127.0.0.1:8000/id/person/jane-doe> ;
           ag:publisher ?pub ;
           prov:wasGeneratedBy <http://127.0.0.1:8000/id/build/test> .
           ?pub a ag:Publisher ; rdfs:label "Example Press"@en .""",
    )
    text = graph.value(MINTER.document("sample-2010"), AG.text)
    assert str(text) == sample_extraction().document.text


def test_entity_labels_and_links(graph: Graph) -> None:
    """Entities get class, English and other-language labels, aliases, QID and description."""
    assert ask(
        graph,
        """<http://127.0.0.1:8000/id/person/naoto-kan> a ag:Person ;
               rdfs:label "Naoto Kan"@en, "菅直人"@ja ; skos:prefLabel "Naoto Kan"@en ;
               skos:altLabel "Kan"@en, "Kan Naoto"@en .
           <http://127.0.0.1:8000/id/state/japan> owl:sameAs <http://www.wikidata.org/entity/Q17> ;
               ag:wikidata <http://www.wikidata.org/entity/Q17> ; ag:linkSource "gazetteer" .
           <http://127.0.0.1:8000/id/organization/japan-defense-agency>
               a ag:Agency, ag:GovernmentAgency ;
               ag:country <http://127.0.0.1:8000/id/state/japan> .
           <http://127.0.0.1:8000/id/base/futenma> a ag:MilitaryBase ;
               ag:usedBy <http://127.0.0.1:8000/id/organization/us-marine-corps> .""",
    )


def test_mentions_are_annotations_with_both_selectors(graph: Graph) -> None:
    """Each mention is an identifying annotation with position and quote selectors."""
    rows = list(
        graph.query(
            PREFIXES
            + """SELECT ?start ?end ?exact ?prefix ?suffix WHERE {
                ?m a ag:Mention ; oa:motivatedBy oa:identifying ;
                   oa:hasBody <http://127.0.0.1:8000/id/place/tokyo> ; oa:hasTarget ?t .
                ?t oa:hasSource <http://127.0.0.1:8000/id/document/sample-2010> ;
                   oa:hasSelector ?p, ?q .
                ?p a oa:TextPositionSelector ; oa:start ?start ; oa:end ?end .
                ?q a oa:TextQuoteSelector ; oa:exact ?exact ; oa:prefix ?prefix ;
                   oa:suffix ?suffix .
            }"""
        )
    )
    assert len(rows) == 1
    start, end, exact, prefix, suffix = rows[0]
    text = sample_extraction().document.text
    assert start.datatype == XSD.integer
    assert text[start.toPython() : end.toPython()] == str(exact) == "Tokyo"
    assert str(prefix) == text[max(0, start.toPython() - 32) : start.toPython()]
    assert str(suffix) == text[end.toPython() : end.toPython() + 32]
    assert ask(graph, "?d ag:mentions <http://127.0.0.1:8000/id/place/tokyo>")


def test_holds_post_is_modelled_with_post_and_tenure(graph: Graph) -> None:
    """holdsPost links a Post in its state and a Tenure with the dates."""
    assert ask(
        graph,
        """<http://127.0.0.1:8000/id/person/naoto-kan> ag:holdsPost ?post ; ag:tenure ?t .
           ?post a ag:Post ; rdfs:label "Prime Minister of Japan"@en ;
                 ag:postIn <http://127.0.0.1:8000/id/state/japan> .
           ?t a ag:Tenure ; ag:post ?post ;
              ag:tenureOf <http://127.0.0.1:8000/id/person/naoto-kan> ;
              rdfs:label "Naoto Kan as Prime Minister of Japan, 2010–2011"@en ;
              ag:startDate "2010-06-08"^^xsd:date ; ag:endDate "2011-09-02"^^xsd:date .""",
    )


def test_claims_are_reified_with_their_passage(graph: Graph) -> None:
    """A claim is an rdf:Statement derived from a describing annotation; its triple holds."""
    assert ask(
        graph,
        """?c a ag:Claim, rdf:Statement ;
              rdf:subject <http://127.0.0.1:8000/id/organization/us-marine-corps> ;
              rdf:predicate ag:movedTo ; rdf:object <http://127.0.0.1:8000/id/place/henoko> ;
              ag:date "2010"^^xsd:gYear ; prov:wasDerivedFrom ?a .
           ?a a oa:Annotation ; oa:motivatedBy oa:describing ; oa:hasBody ?c ;
              oa:hasTarget/oa:hasSelector/oa:exact
                  "The Marines at Futenma will move to Henoko, Kan said." .
           <http://127.0.0.1:8000/id/organization/us-marine-corps> ag:movedTo
               <http://127.0.0.1:8000/id/place/henoko> .""",
    )


def test_references_become_publications(graph: Graph) -> None:
    """A cited book gets its class, title, year, author, publisher and place."""
    assert ask(
        graph,
        """<http://127.0.0.1:8000/id/document/sample-2010> ag:cites ?b .
           ?b a ag:Publication, ag:Book ; ag:title "Alliance Adrift" ;
              rdfs:label "Alliance Adrift" ; ag:year "1999"^^xsd:gYear ; ag:pages "91" ;
              ag:placeOfPublication "New York" ;
              ag:author ?a ; ag:publisher ?p .
           ?a a ag:Person ; rdfs:label "Yoichi Funabashi"@en .
           ?p a ag:Agency, ag:Publisher .""",
    )


def test_deterministic_and_without_blank_nodes() -> None:
    """The same input gives the same triples, and no blank node appears."""
    first = to_rdf(sample_extraction(), MINTER)
    second = to_rdf(sample_extraction(), MINTER)
    assert set(first) == set(second)
    assert not any(isinstance(term, BNode) for triple in first for term in triple)
    assert isomorphic(first, second)


def test_unknown_subtype_is_refused() -> None:
    """A subtype the ontology does not define for the kind is an error, not a silent drop."""
    ex = sample_extraction()
    bad = dataclasses.replace(ex.entities[0], subtype="Ministry")
    with pytest.raises(CorpusError, match="subtype must be one of"):
        to_rdf(dataclasses.replace(ex, entities=(bad, *ex.entities[1:])), MINTER)


def test_unknown_predicate_is_refused() -> None:
    """A claim predicate that is not an ontology property is an error."""
    ex = sample_extraction()
    bad = dataclasses.replace(ex.claims[1], predicate="likes")
    with pytest.raises(CorpusError, match="claim predicate must be one of"):
        to_rdf(dataclasses.replace(ex, claims=(bad,)), MINTER)


def test_entity_referenced_but_not_extracted_gets_a_stub() -> None:
    """An attribute pointing at an unknown key describes it minimally (class and label)."""
    ex = sample_extraction()
    graph = to_rdf(dataclasses.replace(ex, entities=ex.entities[:3]), MINTER)
    marines = MINTER.entity("base", "futenma")
    assert (marines, None, None) in graph
    assert ask(graph, "<http://127.0.0.1:8000/id/place/tokyo> a ag:Place ; rdfs:label ?l .")


@settings(max_examples=60, deadline=None)
@given(
    text=st.text(min_size=1, max_size=200),
    data=st.data(),
)
def test_selectors_round_trip(text: str, data: st.DataObject) -> None:
    """For any text and span, the quote selector holds the text at the position selector."""
    start = data.draw(st.integers(min_value=0, max_value=len(text)))
    end = data.draw(st.integers(min_value=start, max_value=len(text)))
    doc = Document("d", "d.txt", text, "0" * 64)
    entity = Entity("place/x", EntityKind.PLACE, "X")
    mention = Mention("d", start, end, text[start:end], EntityKind.PLACE, "place/x")
    graph = to_rdf(Extraction(doc, (entity,), (mention,), (), ()), MINTER)
    node = MINTER.mention("d", start, end)
    position = URIRef(node + "#position")
    quote = URIRef(node + "#quote")
    s = graph.value(position, OA.start).toPython()
    e = graph.value(position, OA.end).toPython()
    assert str(graph.value(quote, OA.exact)) == text[s:e] == text[start:end]
    assert str(graph.value(quote, OA.prefix)) + text[s:] == text[max(0, s - 32) :]


def test_span_outside_text_is_refused() -> None:
    """A claim whose passage lies outside the text is an error."""
    ex = sample_extraction()
    bad = Claim("sample-2010", "place/tokyo", "country", "state/japan", True, 0, 10_000)
    with pytest.raises(CorpusError, match="span must lie within"):
        to_rdf(dataclasses.replace(ex, claims=(bad,)), MINTER)


def test_literal_claim_object_is_typed() -> None:
    """A date-valued claim object becomes a typed literal."""
    ex = sample_extraction()
    claim = Claim("sample-2010", "place/henoko", "date", "2010-05-28", False, 0, 5)
    graph = to_rdf(dataclasses.replace(ex, claims=(claim,)), MINTER)
    henoko = MINTER.entity("place", "henoko")
    assert graph.value(henoko, AG.date) == Literal("2010-05-28", datatype=XSD.date)


def test_gazetteer_posts_and_subtypes() -> None:
    """A gazetteer post attribute becomes Post and Tenure; a subtype naming the kind is fine."""
    ex = sample_extraction()
    kan = dataclasses.replace(
        ex.entities[0],
        attributes=(("post", "Minister of Finance (state/japan) 2010-01-07/2010-06-08"),),
    )
    treaty = Entity("treaty/anpo", EntityKind.TREATY, "Security Treaty", subtype="Treaty")
    base = dataclasses.replace(ex.entities[4], subtype="MarineCorpsAirStation")
    entities = (kan, *ex.entities[1:4], base, *ex.entities[5:], treaty)
    graph = to_rdf(dataclasses.replace(ex, entities=entities), MINTER)
    assert ask(
        graph,
        """<http://127.0.0.1:8000/id/person/naoto-kan> ag:tenure ?t .
           ?t ag:post ?p ; ag:startDate "2010-01-07"^^xsd:date ;
              ag:endDate "2010-06-08"^^xsd:date .
           ?p rdfs:label "Minister of Finance of Japan"@en ;
              ag:postIn <http://127.0.0.1:8000/id/state/japan> .
           <http://127.0.0.1:8000/id/base/futenma> a ag:MarineCorpsAirStation .
           <http://127.0.0.1:8000/id/treaty/anpo> a ag:Treaty .""",
    )
