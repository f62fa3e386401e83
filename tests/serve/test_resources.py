"""Dereferenceable IRIs, HTML pages, VoID, dumps and the validation report, in process."""

from __future__ import annotations

import gzip
import hashlib
import json
import re

import pyoxigraph as ox
import pytest
from rdflib import Graph, URIRef
from sample_release import BASE

from conftest import TestClient

KAN = BASE + "id/person/naoto-kan"

RDF_TYPES = [
    ("text/turtle", "turtle", "ttl"),
    ("application/ld+json", "json-ld", "jsonld"),
    ("application/n-triples", "nt", "nt"),
    ("application/rdf+xml", "xml", "rdf"),
]


@pytest.mark.parametrize(("media", "rdflib_format", "ext"), RDF_TYPES)
def test_entity_negotiation_and_extensions(
    client: TestClient, media: str, rdflib_format: str, ext: str
) -> None:
    """Each RDF type comes by Accept (200, Vary) and by extension URL, with the same graph."""
    by_accept = client.get("/id/person/naoto-kan", headers={"Accept": media})
    assert by_accept.status_code == 200
    assert by_accept.headers["content-type"].startswith(media)
    assert "Accept" in by_accept.headers["vary"]
    assert by_accept.headers["content-location"] == f"/id/person/naoto-kan.{ext}"
    by_ext = client.get(f"/id/person/naoto-kan.{ext}")
    assert by_ext.headers["content-type"].startswith(media)
    one = Graph().parse(data=by_accept.content, format=rdflib_format)
    two = Graph().parse(data=by_ext.content, format=rdflib_format)
    assert len(one) == len(two) > 20
    assert (URIRef(KAN), None, None) in one


def test_data_document_content(client: TestClient) -> None:
    """The data document holds outgoing and incoming triples and mentions with passages."""
    graph = Graph().parse(data=client.get("/id/person/naoto-kan.ttl").content, format="turtle")
    oa = "http://www.w3.org/ns/oa#"
    assert (URIRef(KAN), URIRef("http://www.w3.org/2000/01/rdf-schema#label"), None) in graph
    assert (None, None, URIRef(KAN)) in graph  # incoming (tenureOf, mentions, hasBody)
    exact = {str(o) for o in graph.objects(None, URIRef(oa + "exact"))}
    assert {"Naoto Kan", "Kan"} <= exact
    assert (
        URIRef(BASE + "id/person/naoto-kan.ttl"),
        URIRef("http://xmlns.com/foaf/0.1/primaryTopic"),
        URIRef(KAN),
    ) in graph


def test_link_headers_list_alternates(client: TestClient) -> None:
    """Link headers name each alternate with its media type."""
    link = client.get("/id/person/naoto-kan", headers={"Accept": "text/html"}).headers["link"]
    for media, _, ext in RDF_TYPES:
        assert f'</id/person/naoto-kan.{ext}>; rel="alternate"; type="{media}"' in link


@pytest.mark.parametrize(
    ("accept", "media"),
    [
        ("text/html", "text/html"),
        ("text/turtle", "text/turtle"),
        ("application/ld+json", "application/ld+json"),
        ("application/n-triples", "application/n-triples"),
        ("application/rdf+xml", "application/rdf+xml"),
    ],
)
def test_unknown_iri_404_in_requested_format(client: TestClient, accept: str, media: str) -> None:
    """An unknown IRI is a 404 in the asked format (parseable RDF for RDF types)."""
    response = client.get("/id/person/nobody", headers={"Accept": accept})
    assert response.status_code == 404
    assert response.headers["content-type"].startswith(media)
    if media == "application/ld+json":
        json.loads(response.text)


def test_every_minted_iri_dereferences(client: TestClient) -> None:
    """Each IRI under the base in the store answers 200 (fragments via their document)."""
    rows = client.get(
        "/sparql",
        params={
            "query": f"SELECT DISTINCT ?x {{ {{ ?x ?p ?o }} UNION "
            f"{{ ?s ?p ?x }} FILTER(STRSTARTS(STR(?x), '{BASE}')) }}",
            "format": "json",
        },
    ).json()["results"]["bindings"]
    iris = {r["x"]["value"].split("#")[0] for r in rows}
    assert len(iris) > 20
    for iri in sorted(iris):
        response = client.get(iri[len(BASE) - 1 :], headers={"Accept": "text/turtle"})
        assert response.status_code == 200, iri


def test_entity_html_page(client: TestClient) -> None:
    """The entity page shows labels, aliases, values by label, incoming links and passages."""
    page = client.get("/id/person/naoto-kan", headers={"Accept": "text/html"}).text
    assert "<h1>Naoto Kan</h1>" in page
    assert "Also known as" in page
    assert "菅直人" in page
    assert ">Prime Minister of Japan</a>" in page  # a value by its label
    assert "<mark>Kan</mark>" in page
    assert 'href="/id/document/sakata-2011#m' in page
    assert "https://www.wikidata.org" in page or "http://www.wikidata.org/entity/Q20738" in page
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert match is not None
    data = json.loads(match.group(1))
    assert data["@type"] == "Person"
    assert data["name"] == "Naoto Kan"
    assert "cdn" not in page.lower()


@pytest.mark.parametrize(
    ("path", "phrase"),
    [
        ("/id/post/prime-minister-of-japan", "held this post"),
        ("/id/publication/cha-2010-powerplay", "cited by"),
        ("/id/place/okinawa", "bases here"),
        ("/id/state/south-korea", "party to"),
    ],
)
def test_incoming_phrases(client: TestClient, path: str, phrase: str) -> None:
    """Incoming links read naturally, with counts."""
    page = client.get(path, headers={"Accept": "text/html"}).text
    assert phrase in page


def test_document_view_marks_mentions(client: TestClient) -> None:
    """The source document shows its text with mentions marked and linked."""
    page = client.get("/id/document/sakata-2011", headers={"Accept": "text/html"}).text
    assert 'class="mention"' in page
    assert 'href="/id/base/futenma"' in page
    assert "Futenma</a> would stay" in page


def test_conditional_entity(client: TestClient) -> None:
    """Entity documents revalidate with 304."""
    first = client.get("/id/person/naoto-kan.ttl")
    again = client.get("/id/person/naoto-kan.ttl", headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304


def test_ontology_and_graph(client: TestClient) -> None:
    """The ontology, its terms as anchors, and a named graph dereference."""
    page = client.get("/ontology", headers={"Accept": "text/html"}).text
    assert 'id="Person"' in page
    ttl = client.get("/ontology.ttl")
    assert "owl:Class" in ttl.text or "Class" in ttl.text
    graph = client.get("/graph/document/feng-2010", headers={"Accept": "application/n-quads"})
    assert graph.status_code == 406
    graph = client.get("/graph/document/feng-2010.nt")
    assert graph.status_code == 200
    assert len(graph.text.splitlines()) > 50


def test_home_search_browse(client: TestClient) -> None:
    """Home page with counts and links; search by prefix and substring; browse pages."""
    home = client.get("/").text
    assert "/.well-known/void" in home
    assert "/dumps" in home
    assert "/sparql" in home
    assert "source documents" in home
    prefix = client.get("/search", params={"q": "nao", "format": "json"}).json()
    assert prefix["results"][0]["iri"] == KAN
    substring = client.get("/search", params={"q": "futenma", "format": "json"}).json()
    assert BASE + "id/base/futenma" in [r["iri"] for r in substring["results"]]
    browse = client.get("/browse", params={"class": "ag:State"}).text
    assert "South Korea" in browse
    assert client.get("/browse", params={"class": "ag:Nothing"}).status_code == 404


def test_void_and_dumps(client: TestClient) -> None:
    """VoID lists partitions, graphs, linkset and dumps; dumps match their checksums."""
    void = Graph().parse(data=client.get("/.well-known/void").content, format="turtle")
    text = void.serialize(format="nt")
    for term in (
        "classPartition",
        "propertyPartition",
        "Linkset",
        "exampleResource",
        "dataDump",
        "http://www.w3.org/ns/sparql-service-description#name",
        "dcat#distribution",
        "checksumValue",
    ):
        assert term in text, term
    sums = dict(
        line.split("  ")[::-1] for line in client.get("/dumps/SHA256SUMS").text.strip().splitlines()
    )
    for name, digest in sums.items():
        body = client.get(f"/dumps/{name}").content
        assert hashlib.sha256(body).hexdigest() == digest
    nq = gzip.decompress(client.get("/dumps/allygraph.nq.gz").content)
    quads = list(ox.parse(nq, format=ox.RdfFormat.N_QUADS))
    assert {q.graph_name.value for q in quads} >= {BASE + "graph/document/feng-2010"}
    assert client.get("/validation").text.count("sh:conforms") == 1


def test_health(client: TestClient) -> None:
    """/health reports the release and the workers."""
    body = client.get("/health").json()
    assert body["status"] == "ok"
    assert body["workers"]["size"] == 2
