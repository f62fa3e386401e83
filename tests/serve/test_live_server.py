"""Real clients over a real socket: httpx, SPARQLWrapper, rdflib parsing an entity IRI."""

from __future__ import annotations

import threading
import time

import httpx
from rdflib import Graph, URIRef
from sample_release import BASE
from SPARQLWrapper import JSON, SPARQLWrapper

KAN = BASE + "id/person/naoto-kan"


def test_rdflib_parses_entity_iri(live_server: str) -> None:
    """rdflib.Graph().parse(iri) against the running server gives the entity's graph."""
    graph = Graph().parse(live_server + "id/person/naoto-kan")
    assert (URIRef(KAN), None, None) in graph
    assert len(graph) > 20


def test_sparqlwrapper_select_and_ask(live_server: str) -> None:
    """SPARQLWrapper reads SELECT and ASK results."""
    client = SPARQLWrapper(live_server + "sparql")
    client.setReturnFormat(JSON)
    client.setQuery("SELECT DISTINCT ?s WHERE { ?s a <https://w3id.org/allygraph/ontology#State> }")
    rows = client.queryAndConvert()["results"]["bindings"]  # type: ignore[index]
    assert len(rows) == 3
    client.setQuery("ASK { ?s ?p ?o }")
    assert client.queryAndConvert()["boolean"] is True  # type: ignore[index]


def test_httpx_protocol_over_socket(live_server: str) -> None:
    """httpx over TCP: 400 with position, 406, 415, 403, gzip, 304."""
    with httpx.Client(base_url=live_server) as http:
        assert http.get("sparql", params={"query": "ASK {"}).status_code == 400
        assert (
            http.get(
                "sparql", params={"query": "ASK {}"}, headers={"Accept": "image/png"}
            ).status_code
            == 406
        )
        assert (
            http.post(
                "sparql", content="ASK {}", headers={"Content-Type": "text/plain"}
            ).status_code
            == 415
        )
        assert (
            http.post(
                "sparql", content="CLEAR ALL", headers={"Content-Type": "application/sparql-update"}
            ).status_code
            == 403
        )
        page = http.get("id/document/sakata-2011", headers={"Accept": "text/html"})
        assert page.headers.get("content-encoding") == "gzip"
        again = http.get(
            "id/document/sakata-2011",
            headers={"Accept": "text/html", "If-None-Match": page.headers["etag"]},
        )
        assert again.status_code == 304


def test_ask_stays_fast_during_long_queries(live_server: str) -> None:
    """While several long queries run, ASK {} still answers in milliseconds."""
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    statuses: list[int] = []

    def run() -> None:
        with httpx.Client(timeout=30) as http:
            statuses.append(http.get(live_server + "sparql", params={"query": slow}).status_code)

    threads = [threading.Thread(target=run) for _ in range(3)]
    for thread in threads:
        thread.start()
    time.sleep(0.3)
    with httpx.Client() as http:
        timings = []
        for _ in range(5):
            started = time.perf_counter()
            assert http.get(live_server + "sparql", params={"query": "ASK {}"}).status_code == 200
            timings.append(time.perf_counter() - started)
    for thread in threads:
        thread.join()
    assert statuses == [503, 503, 503]
    assert sorted(timings)[2] < 0.1
