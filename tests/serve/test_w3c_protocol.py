"""The W3C SPARQL 1.1 Protocol and Service Description tests, run through the app.

The manifests are read from ../shared/data/w3c-sparql11-tests (never copied into the repo).
Request paths start with /sparql/ in the manifest; they are sent to /sparql. Tests that do
not pass are xfail with the reason, per test id.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from rdflib import RDF, Graph, Namespace, URIRef
from rdflib.collection import Collection

from allygraph.serve.app import create_app
from allygraph.settings import Settings
from conftest import TestClient

SUITE = Path(__file__).parents[2] / ".." / "shared" / "data" / "w3c-sparql11-tests"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
RDFS = Namespace("http://www.w3.org/2000/01/rdf-schema#")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")

pytestmark = pytest.mark.skipif(not SUITE.is_dir(), reason="../shared W3C test suite is absent")

READ_ONLY = "the public endpoint is read-only by design: SPARQL Update is refused with 403"
XFAIL = {
    "update_dataset_default_graph": READ_ONLY,
    "update_dataset_default_graphs": READ_ONLY,
    "update_dataset_named_graphs": READ_ONLY,
    "update_dataset_full": READ_ONLY,
    "update_post_form": READ_ONLY,
    "update_post_direct": READ_ONLY,
    "update_base_uri": READ_ONLY,
}
RESULT_TYPES = (
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "text/csv",
    "text/tab-separated-values",
)
RDF_TYPES = ("text/turtle", "application/rdf+xml", "application/n-triples", "application/ld+json")


def _protocol_tests() -> list[tuple[str, Any]]:
    if not SUITE.is_dir():
        return []
    manifest = Graph().parse(SUITE / "protocol" / "manifest.ttl", format="turtle")
    entries = next(manifest.objects(None, MF.entries))
    out = []
    for test in Collection(manifest, entries):
        name = str(test).rsplit("#", 1)[1]
        marks = [pytest.mark.xfail(reason=XFAIL[name], strict=True)] if name in XFAIL else []
        out.append(pytest.param(name, test, id=name, marks=marks))
    return out


@pytest.fixture(scope="module")
def manifest() -> Graph:
    """The protocol manifest."""
    return Graph().parse(SUITE / "protocol" / "manifest.ttl", format="turtle")


@pytest.fixture(scope="module")
def w3c_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """An app over a release holding the suite's data1..3 as named graphs."""
    import pyoxigraph as ox

    from allygraph.store.release import ReleaseWriter

    root = tmp_path_factory.mktemp("w3c")
    with ReleaseWriter(root) as release:
        for n in (1, 2, 3):
            data = (SUITE / "protocol" / f"data{n}.nt").read_bytes()
            release.replace_graph(
                f"http://kasei.us/2009/09/sparql/data/data{n}.rdf", data, ox.RdfFormat.N_TRIPLES
            )
        total, graphs = release.count()
        release.publish({"triples": total, "graphs": graphs})
    settings = Settings(store=str(root), base_uri="http://www.example/", query_timeout=5)
    with TestClient(create_app(settings, workers=0), base_url="http://www.example") as client:
        yield client


def _check_response(response: Any, expected: Any, manifest: Graph) -> None:
    statuses = {str(s).rsplit("#", 1)[1] for s in manifest.objects(expected, MF.expectedStatus)}
    klass = f"StatusCode{response.status_code // 100}xx"
    assert klass in statuses, f"{response.status_code} not in {statuses}: {response.text[:200]}"
    fmt = manifest.value(expected, MF.expectedFormat)
    media = response.headers.get("content-type", "").split(";")[0]
    if fmt is not None and str(fmt) in ("boolean", "tabular"):
        assert media in RESULT_TYPES[:2] or (str(fmt) == "tabular" and media in RESULT_TYPES)
    if fmt is not None and str(fmt) == "RDF":
        assert media in RDF_TYPES
    boolean = manifest.value(expected, MF.expectedBoolean)
    if boolean is not None:
        if media == "application/sparql-results+json":
            value = json.loads(response.text)["boolean"]
        else:
            value = "<boolean>true</boolean>" in response.text
        assert value is boolean.toPython()


@pytest.mark.parametrize(("name", "test"), _protocol_tests())
def test_protocol(name: str, test: URIRef, manifest: Graph, w3c_client: TestClient) -> None:
    """One W3C protocol test: each request gets the expected status class and result."""
    action = manifest.value(test, MF.action)
    requests = Collection(manifest, manifest.value(action, HT.requests))
    for request in requests:
        method = str(manifest.value(request, HT.methodName))
        path = str(manifest.value(request, HT.absolutePath)).replace("/sparql/", "/sparql", 1)
        headers = {}
        header_list = manifest.value(request, HT.headers)
        if header_list is not None:
            for header in Collection(manifest, header_list):
                headers[str(manifest.value(header, HT.fieldName))] = str(
                    manifest.value(header, HT.fieldValue)
                )
        body = manifest.value(request, HT.body)
        content = None
        if body is not None:
            encoding = str(manifest.value(body, CNT.characterEncoding) or "UTF-8")
            content = str(manifest.value(body, CNT.chars)).encode(encoding.lower())
        response = w3c_client.request(method, path, content=content, headers=headers)
        _check_response(response, manifest.value(request, HT.resp), manifest)


@pytest.fixture(scope="module")
def description(w3c_client: TestClient) -> tuple[Any, Graph]:
    """GET on the endpoint without a query (machine Accept) and its parsed graph."""
    response = w3c_client.get("/sparql", headers={"Accept": "text/turtle"})
    graph = Graph().parse(data=response.text, format="turtle")
    return response, graph


def test_sd_returns_rdf(description: tuple[Any, Graph]) -> None:
    """service-description returns-rdf: GET on the endpoint returns RDF."""
    response, graph = description
    assert response.status_code == 200
    assert len(graph) > 10


def test_sd_has_endpoint_triple(description: tuple[Any, Graph]) -> None:
    """service-description has-endpoint-triple: sd:endpoint is the URL requested."""
    _, graph = description
    assert (None, SD.endpoint, URIRef("http://www.example/sparql")) in graph


def test_sd_conforms_to_schema(description: tuple[Any, Graph]) -> None:
    """service-description conforms-to-schema: one sd:Service with the required structure."""
    _, graph = description
    services = list(graph.subjects(RDF.type, SD.Service))
    assert len(services) == 1
    service = services[0]
    assert (service, SD.supportedLanguage, SD.SPARQL11Query) in graph
    assert set(graph.objects(service, SD.resultFormat))
    dataset = graph.value(service, SD.defaultDataset)
    assert (dataset, RDF.type, SD.Dataset) in graph
    assert graph.value(dataset, SD.defaultGraph) is not None
    names = {graph.value(n, SD.name) for n in graph.objects(dataset, SD.namedGraph)}
    assert URIRef("http://kasei.us/2009/09/sparql/data/data1.rdf") in names
    assert (service, SD.feature, SD.UnionDefaultGraph) in graph
