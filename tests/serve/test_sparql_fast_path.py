"""The /sparql fast path, where queries run, and the materialized default graph."""

from __future__ import annotations

import gzip
import time

import pyoxigraph as ox

from allygraph.serve import worker
from conftest import TestClient

ENTITY = "SELECT ?p ?o WHERE { <http://127.0.0.1:8000/id/person/naoto-kan> ?p ?o }"


def test_cors_and_gzip_on_the_fast_path(client: TestClient) -> None:
    """Query answers carry CORS headers for an Origin and are gzipped when asked (> 1 KiB)."""
    response = client.get(
        "/sparql",
        params={"query": ENTITY},
        headers={"Origin": "https://example.org", "Accept-Encoding": "gzip"},
    )
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == "*"
    assert "ETag" in response.headers["access-control-expose-headers"]
    assert response.headers.get("content-encoding") == "gzip"
    assert response.json()["results"]["bindings"]
    plain = client.get("/sparql", params={"query": ENTITY}, headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers
    assert gzip.decompress(gzip.compress(plain.content)) == plain.content


def test_fast_path_errors_and_pages(client: TestClient) -> None:
    """Errors keep their status and headers; HTML result pages still come from the route."""
    bad = client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p }"})
    assert bad.status_code == 400
    assert bad.headers["x-allygraph-error-position"].count(":") == 1
    refused = client.post(
        "/sparql", content=b"DROP ALL", headers={"Content-Type": "application/sparql-update"}
    )
    assert refused.status_code == 403
    page = client.get("/sparql", params={"query": ENTITY}, headers={"Accept": "text/html"})
    assert page.status_code == 200
    assert "<table" in page.text
    form = client.post("/sparql", data={"query": ENTITY})
    assert form.status_code == 200
    assert form.headers["cache-control"] == "no-store"


def test_default_graph_is_the_merge(client: TestClient) -> None:
    """A label stated in both document graphs matches once; the description says so."""
    kan = "<http://127.0.0.1:8000/id/person/naoto-kan>"
    label = "<http://www.w3.org/2000/01/rdf-schema#label>"
    query = f"SELECT (COUNT(*) AS ?n) WHERE {{ {kan} {label} ?l }}"
    rows = client.get("/sparql", params={"query": query}).json()["results"]["bindings"]
    assert rows[0]["n"]["value"] == "2"  # "Naoto Kan"@en and "菅直人"@ja, each once
    sd = client.get("/sparql", headers={"Accept": "text/turtle"}).text
    assert "duplicates removed" in sd
    health = client.get("/health").json()
    assert health["default_graph"] == "materialized"
    assert health["threads"]["size"] >= 8


def test_thread_work_stops_at_the_deadline() -> None:
    """A thread query past its deadline stops at its next chunk of output: an error, no rows."""
    store = ox.Store()
    store.extend(
        ox.Quad(ox.NamedNode(f"http://x/s{i}"), ox.NamedNode("http://x/p"), ox.Literal(str(i)))
        for i in range(5000)
    )
    job = {"query": "SELECT * { ?s ?p ?o }", "format": "json", "max_rows": 10**6, "union": False}
    header, payload = worker.execute(store, job, deadline=time.monotonic() - 1)
    assert header == {"ok": False, "error": "timeout", "message": "deadline"}
    assert payload == b""
    construct = {**job, "query": "CONSTRUCT WHERE { ?s ?p ?o }", "format": "turtle"}
    header, _ = worker.execute(store, construct, deadline=time.monotonic() - 1)
    assert header["error"] == "timeout"
    header, _ = worker.execute(store, job, deadline=time.monotonic() + 60)
    assert header == {"ok": True, "rows": 5000}
