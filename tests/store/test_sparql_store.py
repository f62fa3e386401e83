"""Tests of the remote SPARQL store over httpx.MockTransport: reads, writes, failures."""

from __future__ import annotations

import urllib.parse
from collections.abc import Callable

import httpx
import pyoxigraph as ox
import pytest

from allygraph.errors import QueryTimeoutError, StoreError
from allygraph.store import (
    RemotePublished,
    RemoteReleaseWriter,
    RemoteStore,
    is_remote,
    open_published,
    open_writer,
)

URL = "http://store.test:7878"
BASE = "http://example.org/"
G1 = BASE + "graph/document/a"
G2 = BASE + "graph/document/b"
ONE = b'<http://example.org/s> <http://example.org/p> "one" .\n'
TWO = b'<http://example.org/s> <http://example.org/p> "two" .\n'


class FakeServer:
    """A SPARQL 1.1 server in memory: an Oxigraph store behind the Protocol, like oxigraph serve.

    ``fail`` may return an exception to raise or a response to send instead of answering.
    """

    def __init__(self) -> None:
        self.store = ox.Store()
        self.requests: list[tuple[str, bytes]] = []
        self.fail: Callable[[httpx.Request], httpx.Response | Exception | None] | None = None

    def __call__(self, request: httpx.Request) -> httpx.Response:
        body = request.read()
        self.requests.append((request.url.path, body))
        if self.fail is not None:
            outcome = self.fail(request)
            if isinstance(outcome, Exception):
                raise outcome
            if outcome is not None:
                return outcome
        if request.url.path == "/update":
            try:
                self.store.update(body.decode())  # one transaction, as on the server
            except SyntaxError as err:
                return httpx.Response(400, text=str(err))
            return httpx.Response(204)
        form = urllib.parse.parse_qs(body.decode(), keep_blank_values=True)
        kwargs: dict[str, object] = {}
        if "union-default-graph" in form:
            kwargs["use_default_graph_as_union"] = True
        if "default-graph-uri" in form:
            kwargs["default_graph"] = [ox.NamedNode(g) for g in form["default-graph-uri"]]
        try:
            result = self.store.query(form["query"][0], **kwargs)  # type: ignore[arg-type]
        except SyntaxError as err:
            return httpx.Response(400, text=str(err))
        if isinstance(result, ox.QueryTriples):
            data = result.serialize(format=ox.RdfFormat.N_TRIPLES) or b""
            return httpx.Response(
                200, content=data, headers={"Content-Type": "application/n-triples"}
            )
        data = result.serialize(format=ox.QueryResultsFormat.JSON) or b""
        media = "application/sparql-results+json"
        return httpx.Response(200, content=data, headers={"Content-Type": media})

    def graph(self, iri: str) -> set[str]:
        """The triples of one graph as N-Triples lines."""
        return {
            str(q.triple) for q in self.store.quads_for_pattern(None, None, None, ox.NamedNode(iri))
        }

    def updates(self) -> int:
        """How many update requests were received."""
        return sum(1 for path, _ in self.requests if path == "/update")


@pytest.fixture
def server() -> FakeServer:
    """An empty in-memory SPARQL server."""
    return FakeServer()


def _store(server: FakeServer, **kwargs: object) -> RemoteStore:
    client = httpx.Client(transport=httpx.MockTransport(server))
    return RemoteStore(URL, client=client, **kwargs)  # type: ignore[arg-type]


def _publish(server: FakeServer, graphs: dict[str, bytes], **kwargs: object) -> None:
    writer = RemoteReleaseWriter(URL, base_uri=BASE, store=_store(server), **kwargs)  # type: ignore[arg-type]
    with writer as release:
        for graph, data in graphs.items():
            release.replace_graph(graph, data)
        total, per_graph = release.count()
        release.publish({"base_uri": BASE, "triples": total, "graphs": per_graph})


def test_store_location_kinds() -> None:
    """Only http(s) URLs are remote stores."""
    assert is_remote("https://kg.example.org/sparql")
    assert not is_remote("var/store")
    assert not is_remote("/srv/http-store")


def test_publish_and_read_back(server: FakeServer) -> None:
    """A published release reads back with pyoxigraph result types and hides its release graph."""
    _publish(server, {G1: ONE, G2: TWO})
    published = RemotePublished(URL, store=_store(server))
    assert published.release["triples"] == 2
    assert published.release_dir is None
    assert {g.value for g in published.store.named_graphs()} == {G1, G2}
    rows = published.store.query(
        "SELECT ?o WHERE { ?s <http://example.org/p> ?o } ORDER BY ?o",
        use_default_graph_as_union=True,
    )
    assert isinstance(rows, ox.QuerySolutions)
    assert [r["o"].value for r in rows] == ["one", "two"]  # type: ignore[union-attr]
    ask = published.store.query("ASK { ?s ?p 'two' }", use_default_graph_as_union=True)
    assert isinstance(ask, ox.QueryBoolean)
    assert bool(ask)
    triples = published.store.query(
        "CONSTRUCT WHERE { ?s ?p ?o }", default_graph=[ox.NamedNode(G1)]
    )
    assert isinstance(triples, ox.QueryTriples)
    assert len(list(triples)) == 1
    quads = list(published.store.quads_for_pattern(None, None, ox.Literal("two")))
    assert [q.graph_name.value for q in quads] == [G2]  # type: ignore[union-attr]
    assert len(published.store) == 2
    dump = published.store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(G1))
    assert dump == ONE
    assert published.store.contains_named_graph(ox.NamedNode(G1))


def test_union_mode_is_detected(server: FakeServer) -> None:
    """Against an Oxigraph-like server the union-default-graph parameter is used."""
    _publish(server, {G1: ONE})
    published = RemotePublished(URL, store=_store(server))
    assert published.store.union == "param"


def test_listing_graphs_hides_the_release_graph(server: FakeServer) -> None:
    """Listing graphs as default-graph-uri keeps the release graph out of the union."""
    _publish(server, {G1: ONE})
    published = RemotePublished(URL, store=_store(server))
    published.store.union = "list"
    rows = published.store.query("SELECT * WHERE { ?s ?p ?o }", use_default_graph_as_union=True)
    assert len(list(rows)) == 1  # type: ignore[arg-type]


def test_nothing_published_is_a_clear_error(server: FakeServer) -> None:
    """An empty SPARQL store says to build first."""
    with pytest.raises(StoreError, match=r"store\.test.*run `allygraph build` first"):
        RemotePublished(URL, store=_store(server))


def test_refresh_sees_a_new_release(server: FakeServer) -> None:
    """refresh() switches to a release published after the reader opened."""
    _publish(server, {G1: ONE})
    published = RemotePublished(URL, store=_store(server))
    assert not published.refresh()
    first = published.release["name"]
    _publish(server, {G1: TWO})
    assert published.refresh()
    assert published.release["name"] != first


def test_each_graph_is_replaced_in_one_request(server: FakeServer) -> None:
    """A replacement is DROP + INSERT DATA in the same request; graphs are never split."""
    _publish(server, {G1: ONE})
    server.requests.clear()
    _publish(server, {G1: TWO, G2: ONE}, batch_bytes=1)
    bodies = [body.decode() for path, body in server.requests if path == "/update"]
    assert len(bodies) == 3  # G1, G2, then the release graph
    assert f"DROP SILENT GRAPH <{G1}>" in bodies[0]
    assert f"INSERT DATA {{ GRAPH <{G1}>" in bodies[0]
    assert server.graph(G1) == {'<http://example.org/s> <http://example.org/p> "two"'}


def test_incremental_keeps_and_full_drops(server: FakeServer) -> None:
    """An incremental release keeps other graphs; a full one drops what it did not write."""
    _publish(server, {G1: ONE, G2: TWO})
    with RemoteReleaseWriter(URL, incremental=True, store=_store(server)) as release:
        release.replace_graph(G1, TWO)
        assert release.graphs() == {G1, G2}
        release.publish({"base_uri": BASE})
    assert server.graph(G2)
    _publish(server, {G1: ONE})
    assert not server.graph(G2)
    assert server.graph(G1) == {'<http://example.org/s> <http://example.org/p> "one"'}


def test_dropped_graphs_go_with_the_release_graph(server: FakeServer) -> None:
    """Dropped graphs disappear in the same request that records the new release."""
    _publish(server, {G1: ONE, G2: TWO})
    server.requests.clear()
    with RemoteReleaseWriter(URL, incremental=True, store=_store(server)) as release:
        release.drop_graphs([G2])
        assert release.graphs() == {G1}
        assert release.count() == (1, {G1: 1})
        assert server.graph(G2)  # not yet
        release.publish({"base_uri": BASE})
    assert not server.graph(G2)
    last = server.requests[-1][1].decode()
    assert f"DROP SILENT GRAPH <{G2}>" in last
    assert "releaseInfo" in last


def test_staging_strategy_moves_the_graph(server: FakeServer) -> None:
    """With staging, a graph is inserted in chunks elsewhere and moved over the target."""
    data = b"".join(
        f'<http://example.org/s{i}> <http://example.org/p> "{i}" .\n'.encode() for i in range(5)
    )
    _publish(server, {G1: data}, strategy="staging")
    assert len(server.graph(G1)) == 5
    moves = [b for p, b in server.requests if p == "/update" and b"MOVE SILENT GRAPH" in b]
    assert len(moves) == 1
    assert not [g for g in server.store.named_graphs() if "staging" in g.value]


def test_bad_data_is_refused_before_sending(server: FakeServer) -> None:
    """A graph that does not parse raises StoreError and sends nothing."""
    with (
        pytest.raises(StoreError, match="cannot write the graph"),
        RemoteReleaseWriter(URL, base_uri=BASE, store=_store(server)) as release,
    ):
        release.replace_graph(G1, b"<not a triple")
    assert server.updates() == 0


def test_server_down_is_a_clear_error_after_retries() -> None:
    """A refused connection names the URL; reads are retried twice."""
    calls = []

    def refuse(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        raise httpx.ConnectError("[Errno 111] Connection refused", request=request)

    store = RemoteStore(URL, client=httpx.Client(transport=httpx.MockTransport(refuse)))
    with pytest.raises(StoreError, match=r"store\.test:7878/query: .*cannot connect.*refused"):
        store.query("ASK {}")
    assert len(calls) == 3


def test_slow_server_is_a_clear_error(server: FakeServer) -> None:
    """A query the server takes but does not answer in time is a query timeout, not retried."""
    server.fail = lambda r: httpx.ReadTimeout("timed out", request=r)
    with pytest.raises(QueryTimeoutError, match=r"did not answer within 30 s"):
        _store(server).query("ASK {}")
    assert len(server.requests) == 1


def test_unavailable_read_is_retried(server: FakeServer) -> None:
    """A 503 on a read is retried and the retry's answer is used."""
    answers = iter([httpx.Response(503, text="busy"), None])
    server.fail = lambda r: next(answers)
    assert bool(_store(server).query("ASK {}")) is True


def test_server_error_on_write_is_not_retried(server: FakeServer) -> None:
    """A 500 on an update names status and message, is sent once, and changes nothing."""
    _publish(server, {G1: ONE})
    server.fail = lambda r: (
        httpx.Response(500, text="disk full") if r.url.path == "/update" else None
    )
    server.requests.clear()
    with pytest.raises(StoreError, match=r"HTTP 500 Internal Server Error \(disk full\)"):
        _publish(server, {G1: TWO})
    assert server.updates() == 1
    server.fail = None
    assert server.graph(G1) == {'<http://example.org/s> <http://example.org/p> "one"'}


def test_reset_mid_write_leaves_graph_and_release_unchanged(server: FakeServer) -> None:
    """A connection reset during an update leaves the graph whole and the old release current."""
    _publish(server, {G1: ONE, G2: TWO})
    before = RemotePublished(URL, store=_store(server)).release["name"]
    server.fail = lambda r: (
        httpx.RemoteProtocolError("Connection reset by peer", request=r)
        if r.url.path == "/update"
        else None
    )
    with pytest.raises(StoreError, match=r"closed mid-request.*unchanged or completely replaced"):
        _publish(server, {G1: TWO})
    server.fail = None
    assert server.graph(G1) == {'<http://example.org/s> <http://example.org/p> "one"'}
    assert RemotePublished(URL, store=_store(server)).release["name"] == before


def test_malformed_query_is_a_syntax_error_with_position(server: FakeServer) -> None:
    """The server's 400 becomes a SyntaxError; a prepended BASE does not shift the line."""
    with pytest.raises(SyntaxError, match=r"at 1:\d+"):
        _store(server).query("SELECT * WHERE { ?s ?p", base_iri="http://example.org/")


def test_open_dispatches_on_the_location(tmp_path: object) -> None:
    """A URL opens the remote store, a folder the embedded one."""
    down = "http://127.0.0.1:9"  # discard port: nothing listens
    with pytest.raises(StoreError, match=r"127\.0\.0\.1:9"):
        open_published(down)
    with pytest.raises(StoreError, match="run `allygraph build` first"):
        open_published(str(tmp_path))
    writer = open_writer(str(tmp_path))
    assert type(writer).__name__ == "ReleaseWriter"
