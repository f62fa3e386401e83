"""Serving from a remote store: the app reads a real ``oxigraph serve`` over SPARQL 1.1.

The Oxigraph server is started by ``start_oxigraph`` of the end-to-end remote test (imported,
not copied); the sample release is written to it with the remote writer.
"""

from __future__ import annotations

import importlib.util
import time
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from sample_release import BASE, build_remote_release

from allygraph.serve.app import create_app
from allygraph.settings import Settings
from conftest import TestClient

E2E = Path(__file__).resolve().parents[1] / "e2e" / "test_remote_oxigraph.py"


def _remote_e2e() -> ModuleType:
    spec = importlib.util.spec_from_file_location("remote_oxigraph_e2e", E2E)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def remote_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """An Oxigraph server holding the sample release."""
    proc, url = _remote_e2e().start_oxigraph(tmp_path_factory.mktemp("remote-db"))
    try:
        build_remote_release(url)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture(scope="module")
def remote_client(remote_url: str) -> Iterator[TestClient]:
    """The app over the remote store (queries run in threads as HTTP requests)."""
    settings = Settings(store=remote_url, base_uri=BASE, query_timeout=1.0, max_rows=1000)
    with TestClient(create_app(settings)) as client:
        yield client


def test_sparql_over_remote_store(remote_client: TestClient) -> None:
    """Bounded and unbounded queries, ASK {} and syntax errors behave as on the embedded store."""
    health = remote_client.get("/health").json()
    assert health["store"] == "remote"
    assert "workers" not in health
    kan = "<http://127.0.0.1:8000/id/person/naoto-kan>"
    rows = remote_client.get("/sparql", params={"query": f"SELECT ?p ?o {{ {kan} ?p ?o }}"})
    assert rows.status_code == 200
    assert len(rows.json()["results"]["bindings"]) > 3
    count = remote_client.get(
        "/sparql",
        params={"query": "SELECT (COUNT(DISTINCT ?s) AS ?n) { ?s a ?c }"},
        headers={"Accept": "text/csv"},
    )
    assert count.status_code == 200
    assert int(count.text.splitlines()[1]) > 5
    assert remote_client.get("/sparql", params={"query": "ASK {}"}).json() == {
        "head": {},
        "boolean": True,
    }
    bad = remote_client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p }"})
    assert bad.status_code == 400


def test_entity_page_and_void_over_remote_store(remote_client: TestClient) -> None:
    """An entity dereferences (HTML and Turtle), VoID and the validation report are served."""
    page = remote_client.get("/id/person/naoto-kan", headers={"Accept": "text/html"})
    assert page.status_code == 200
    assert "Naoto Kan" in page.text
    assert "Prime Minister of Japan" in page.text
    turtle = remote_client.get("/id/person/naoto-kan.ttl")
    assert turtle.status_code == 200
    assert "foaf:primaryTopic" in turtle.text or "primaryTopic" in turtle.text
    assert remote_client.get("/id/person/nobody").status_code == 404
    void = remote_client.get("/.well-known/void", headers={"Accept": "text/turtle"})
    assert void.status_code == 200
    assert "rdfs.org/ns/void#triples" in void.text
    assert "graph/document/sakata-2011" in void.text
    assert remote_client.get("/validation").status_code == 200


def test_remote_timeout_is_a_503(remote_client: TestClient) -> None:
    """A query the server cannot answer in time is a 503 query-timeout; ASK {} stays fast."""
    slow = "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    started = time.perf_counter()
    response = remote_client.get("/sparql", params={"query": slow})
    elapsed = time.perf_counter() - started
    assert response.status_code == 503
    assert response.headers["x-allygraph-error"] == "query-timeout"
    assert elapsed < 3
    started = time.perf_counter()
    assert remote_client.get("/sparql", params={"query": "ASK {}"}).status_code == 200
    assert time.perf_counter() - started < 0.5
