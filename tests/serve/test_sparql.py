"""The /sparql endpoint in process: protocol, formats, errors, protections, caching."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

import httpx
import pytest
from sample_release import BASE

from allygraph.serve.app import create_app
from allygraph.serve.examples import EXAMPLES
from allygraph.settings import Settings
from conftest import TestClient

SELECT = "SELECT ?s ?label WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?label } LIMIT 5"
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"

FORMAT_TABLE = [
    # (query, Accept, format=, status, content type)
    (SELECT, "application/sparql-results+json", None, 200, "application/sparql-results+json"),
    (SELECT, "application/sparql-results+xml", None, 200, "application/sparql-results+xml"),
    (SELECT, "text/csv", None, 200, "text/csv"),
    (SELECT, "text/tab-separated-values", None, 200, "text/tab-separated-values"),
    (SELECT, "*/*", None, 200, "application/sparql-results+json"),
    (SELECT, "text/turtle", None, 406, "text/plain"),
    (SELECT, "image/png", None, 406, "text/plain"),
    (SELECT, "image/png", "tsv", 200, "text/tab-separated-values"),
    (SELECT, None, "csv", 200, "text/csv"),
    (SELECT, None, "turtle", 406, "text/plain"),
    (
        "ASK { ?s ?p ?o }",
        "application/sparql-results+xml",
        None,
        200,
        "application/sparql-results+xml",
    ),
    ("ASK { ?s ?p ?o }", "text/csv", None, 200, "text/csv"),
    ("CONSTRUCT WHERE { ?s a ?t } LIMIT 3", "text/turtle", None, 200, "text/turtle"),
    (
        "CONSTRUCT WHERE { ?s a ?t } LIMIT 3",
        "application/ld+json",
        None,
        200,
        "application/ld+json",
    ),
    (
        "CONSTRUCT WHERE { ?s a ?t } LIMIT 3",
        "application/n-triples",
        None,
        200,
        "application/n-triples",
    ),
    (
        "CONSTRUCT WHERE { ?s a ?t } LIMIT 3",
        "application/rdf+xml",
        None,
        200,
        "application/rdf+xml",
    ),
    ("CONSTRUCT WHERE { ?s a ?t } LIMIT 3", "application/trig", None, 200, "application/trig"),
    (
        "CONSTRUCT WHERE { ?s a ?t } LIMIT 3",
        "application/n-quads",
        None,
        200,
        "application/n-quads",
    ),
    (
        "CONSTRUCT WHERE { ?s a ?t } LIMIT 3",
        "application/sparql-results+json",
        None,
        406,
        "text/plain",
    ),
    (f"DESCRIBE <{BASE}id/person/naoto-kan>", "text/turtle", None, 200, "text/turtle"),
]


@pytest.mark.parametrize(("query", "accept", "fmt", "status", "media"), FORMAT_TABLE)
def test_format_table(
    client: TestClient, query: str, accept: str | None, fmt: str | None, status: int, media: str
) -> None:
    """Accept headers and format= give the expected status and media type (406 included)."""
    params = {"query": query} | ({"format": fmt} if fmt else {})
    headers = {"Accept": accept} if accept else {}
    response = client.get("/sparql", params=params, headers=headers)
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(media)
    if status == 406:
        assert "application/sparql-results+json" in response.text or "text/turtle" in response.text


def test_get_and_post_forms_agree(client: TestClient) -> None:
    """GET, form POST and direct POST return the same rows."""
    accept = {"Accept": "application/sparql-results+json"}
    get = client.get("/sparql", params={"query": SELECT}, headers=accept).json()
    form = client.post("/sparql", data={"query": SELECT}, headers=accept).json()
    direct = client.post(
        "/sparql", content=SELECT, headers={**accept, "Content-Type": "application/sparql-query"}
    ).json()
    assert get == form == direct
    assert len(get["results"]["bindings"]) == 5


def test_default_graph_is_union_and_named_graphs(client: TestClient) -> None:
    """The default graph is the union; default-graph-uri and named-graph-uri narrow it."""
    q = f"ASK {{ <{BASE}id/document/feng-2010> ?p ?o . <{BASE}id/document/sakata-2011> ?q ?r }}"
    assert client.get("/sparql", params={"query": q}).json()["boolean"] is True
    one = client.get(
        "/sparql", params={"query": q, "default-graph-uri": f"{BASE}graph/document/feng-2010"}
    )
    assert one.json()["boolean"] is False
    named = client.get(
        "/sparql",
        params={
            "query": "SELECT DISTINCT ?g { GRAPH ?g { ?s ?p ?o } }",
            "named-graph-uri": f"{BASE}graph/document/feng-2010",
        },
    ).json()
    assert [b["g"]["value"] for b in named["results"]["bindings"]] == [
        f"{BASE}graph/document/feng-2010"
    ]


def test_syntax_error_is_400_with_position(client: TestClient) -> None:
    """A malformed query is a 400 whose message names line and column."""
    response = client.get("/sparql", params={"query": "SELECT ?x\nWHERE {\n  ?x ?y \n}"})
    assert response.status_code == 400
    assert response.text.startswith("query:4:2:")
    assert response.headers["x-allygraph-error-position"] == "4:2"


@pytest.mark.parametrize(
    ("content_type", "body", "status"),
    [
        ("text/plain", "ASK {}", 415),
        ("", "ASK {}", 415),
        ("application/sparql-query; charset=UTF-16", "ASK {}", 415),
        ("application/json", '{"query": "ASK {}"}', 415),
        ("application/sparql-update", "CLEAR ALL", 403),
        ("application/x-www-form-urlencoded", "update=CLEAR%20ALL", 403),
    ],
)
def test_bad_bodies(client: TestClient, content_type: str, body: str, status: int) -> None:
    """Wrong body types are 415; updates are a clear 403."""
    headers = {"Content-Type": content_type} if content_type else {}
    response = client.post("/sparql", content=body.encode(), headers=headers)
    assert response.status_code == status
    if status == 403:
        assert "read-only" in response.text


@pytest.mark.parametrize(
    "update",
    [
        "INSERT DATA { <a:s> <a:p> <a:o> }",
        "DROP ALL",
        "PREFIX a: <http://a/> DELETE WHERE { ?s ?p ?o }",
    ],
)
def test_update_in_query_parameter_refused(client: TestClient, update: str) -> None:
    """An update sent as query= is refused with 403, not run and not a bare syntax error."""
    response = client.get("/sparql", params={"query": update})
    assert response.status_code == 403
    assert "read-only" in response.text


def test_two_queries_are_400(client: TestClient) -> None:
    """Two query parameters break the protocol: 400."""
    response = client.get("/sparql?query=ASK%20%7B%7D&query=ASK%20%7B%7D")
    assert response.status_code == 400


def test_service_disabled_by_default(client: TestClient) -> None:
    """SERVICE is refused with 403 when federation is off (the default)."""
    q = "SELECT * { SERVICE <https://query.wikidata.org/sparql> { ?s ?p ?o } }"
    response = client.get("/sparql", params={"query": q})
    assert response.status_code == 403
    assert "disabled" in response.text


@pytest.mark.parametrize(
    "target",
    [
        "http://127.0.0.1:8000/sparql",
        "http://localhost:8000/sparql",
        "http://10.0.0.8/sparql",
        "http://169.254.169.254/",
        "http://[::1]/sparql",
        "file:///etc/passwd",
        "?endpoint",
    ],
)
def test_service_enabled_refuses_private_targets(store_root: Path, target: str) -> None:
    """With SERVICE on, loopback, private, link-local, other schemes and variables are refused."""
    settings = Settings(
        store=str(store_root),
        base_uri=BASE,
        service_enabled=True,
        service_allowlist=["https://query.wikidata.org/sparql", target],
    )
    with TestClient(create_app(settings, workers=0)) as local:
        ref = target if target.startswith("?") else f"<{target}>"
        response = local.get("/sparql", params={"query": f"SELECT * {{ SERVICE {ref} {{}} }}"})
    assert response.status_code == 403, response.text


def test_service_redirect_not_followed() -> None:
    """pyoxigraph's SERVICE client does not follow redirects (checked on a local redirect)."""
    import http.server

    import pyoxigraph as ox

    hits: list[str] = []

    class Redirect(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            hits.append(self.path)
            self.send_response(302)
            self.send_header("Location", "http://127.0.0.1:9/elsewhere")
            self.end_headers()

        do_POST = do_GET

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Redirect)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    endpoint = f"http://127.0.0.1:{server.server_port}/"
    try:
        with pytest.raises(OSError, match="redirect"):
            list(ox.Store().query(f"SELECT * {{ SERVICE <{endpoint}> {{ ?s ?p ?o }} }}"))  # type: ignore[arg-type]
    finally:
        server.shutdown()
        server.server_close()
    assert len(hits) == 1


def test_row_cap_is_explicit(client: TestClient) -> None:
    """More rows than the cap is a 422 naming the cap; LIMIT under the cap passes."""
    q = "SELECT * { ?s ?p ?o . ?a ?b ?c }"
    response = client.get("/sparql", params={"query": q})
    assert response.status_code == 422
    assert "1000 rows" in response.text
    ok = client.get("/sparql", params={"query": q + " LIMIT 1000"})
    assert ok.status_code == 200
    assert len(ok.json()["results"]["bindings"]) == 1000


def test_timeout_stops_the_query_and_others_stay_fast(client: TestClient) -> None:
    """A query past the limit is a 503 error (never partial 200); ASK {} stays fast meanwhile."""
    results: list[httpx.Response] = []

    def slow() -> None:
        results.append(client.get("/sparql", params={"query": SLOW}))

    threads = [threading.Thread(target=slow) for _ in range(3)]
    for thread in threads:
        thread.start()
    time.sleep(0.3)
    started = time.perf_counter()
    fast = client.get("/sparql", params={"query": "ASK {}"})
    elapsed = time.perf_counter() - started
    for thread in threads:
        thread.join()
    assert fast.status_code == 200
    assert elapsed < 0.5
    assert [r.status_code for r in results] == [503, 503, 503]
    assert "time limit" in results[0].text
    time.sleep(0.5)
    health = client.get("/health").json()
    assert health["workers"]["killed"] >= 2
    again = client.get("/sparql", params={"query": SELECT})
    assert again.status_code == 200


def test_conditional_get_and_cache_headers(client: TestClient) -> None:
    """GET results carry ETag, Last-Modified, Cache-Control; revalidation gives 304."""
    first = client.get("/sparql", params={"query": SELECT})
    etag = first.headers["etag"]
    assert "max-age" in first.headers["cache-control"]
    assert "Accept" in first.headers["vary"]
    again = client.get("/sparql", params={"query": SELECT}, headers={"If-None-Match": etag})
    assert again.status_code == 304
    since = client.get(
        "/sparql",
        params={"query": SELECT},
        headers={"If-Modified-Since": first.headers["last-modified"]},
    )
    assert since.status_code == 304
    other = client.get(
        "/sparql", params={"query": SELECT, "format": "csv"}, headers={"If-None-Match": etag}
    )
    assert other.status_code == 200


def test_cors_for_reads_without_credentials(client: TestClient) -> None:
    """Reads are open to any origin, without credentials."""
    response = client.get(
        "/sparql", params={"query": "ASK {}"}, headers={"Origin": "https://example.org"}
    )
    assert response.headers["access-control-allow-origin"] == "*"
    assert "access-control-allow-credentials" not in response.headers
    preflight = client.options(
        "/sparql",
        headers={
            "Origin": "https://example.org",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "Content-Type",
        },
    )
    assert preflight.status_code == 200


def test_gzip(client: TestClient) -> None:
    """Large responses are gzip-compressed when the client accepts it."""
    response = client.get(
        "/sparql",
        params={"query": "SELECT * { ?s ?p ?o } LIMIT 500"},
        headers={"Accept-Encoding": "gzip"},
    )
    assert response.headers["content-encoding"] == "gzip"


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: e.key)
def test_examples_return_rows(client: TestClient, example: object) -> None:
    """Every example query of the editor runs and returns rows on the sample release."""
    response = client.get(
        "/sparql",
        params={"query": example.query},  # type: ignore[attr-defined]
        headers={"Accept": "application/sparql-results+json"},
    )
    assert response.status_code == 200, response.text
    assert response.json()["results"]["bindings"]


def test_service_description_and_editor(client: TestClient) -> None:
    """GET without a query: service description for machines, the editor for browsers."""
    sd = client.get("/sparql", headers={"Accept": "text/turtle"})
    assert sd.status_code == 200
    assert "sd:endpoint <http://testserver/sparql>" in sd.text
    assert "UnionDefaultGraph" in sd.text
    page = client.get("/sparql", headers={"Accept": "text/html"})
    assert "<textarea" in page.text
    assert "PREFIX ag: <https://w3id.org/allygraph/ontology#>" in page.text
    assert "cdn" not in page.text.lower()


def test_html_results_table_links(client: TestClient) -> None:
    """Browsers get a results table whose local IRIs link to their pages."""
    q = "SELECT ?s WHERE { ?s a <https://w3id.org/allygraph/ontology#Person> }"
    page = client.get("/sparql", params={"query": q}, headers={"Accept": "text/html"})
    assert page.status_code == 200
    assert 'href="/id/person/naoto-kan"' in page.text
    assert "Naoto Kan" in page.text


def test_query_log(client: TestClient, caplog: pytest.LogCaptureFixture) -> None:
    """Each query is logged as JSON: hash, duration, rows, outcome."""
    with caplog.at_level("INFO", logger="allygraph.serve.query"):
        client.get("/sparql", params={"query": SELECT})
    record = json.loads(caplog.records[-1].getMessage())
    assert record["outcome"] == "ok"
    assert record["rows"] == 5
    assert len(record["hash"]) == 12
