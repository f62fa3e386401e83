"""A remote store: any SPARQL 1.1 server, read through the Protocol and written through Update.

``ALLYGRAPH_STORE`` may be an ``http(s)://`` URL instead of a folder. The URL names either a
server root laid out like Oxigraph's (``/query``, ``/update``), a query endpoint ending in
``/query`` (its ``/update`` sibling is the update endpoint: Oxigraph, Jena Fuseki), or one
ending in ``/sparql`` that takes both (Virtuoso); GraphDB's ``/repositories/<id>`` updates
through ``/repositories/<id>/statements``. :func:`endpoints_for` says which.

Reading (:class:`RemoteStore`) offers the part of :class:`pyoxigraph.Store` the server and the
commands use, and returns pyoxigraph's own result objects, so callers do not change:
``query()`` results are parsed with :func:`pyoxigraph.parse_query_results` (SELECT, ASK) or
loaded into an in-memory Store (CONSTRUCT, DESCRIBE).

Writing (:class:`RemoteReleaseWriter`) has the methods of
:class:`~allygraph.store.release.ReleaseWriter`. Each document graph is replaced by one
SPARQL Update request, ``DROP SILENT GRAPH <g> ; INSERT DATA { GRAPH <g> { ... } }``; SPARQL
1.1 Update section 2.2 lets a request hold several operations, and Oxigraph, Jena (TDB2) and
GraphDB (RDF4J) run one request as one transaction, so a reset connection or a server error
leaves the graph as it was. Several small graphs share one request (up to ``batch_bytes``),
never splitting a graph. Virtuoso limits the size of one SPARQL text, so the ``staging``
strategy inserts a graph in chunks into a staging graph and then replaces the target with one
``MOVE`` request. The release metadata (the ``release.json`` of the embedded store) lives in
the graph ``{base}graph/release``, written last; readers hide that graph.

The default graph of a query is the union of the named graphs, as on the embedded store.
Servers do this with a setting (``oxigraph serve --union-default-graph``, Fuseki's
``tdb2:unionDefaultGraph``); :class:`RemoteStore` detects whether it is on, else uses
Oxigraph's ``union-default-graph`` parameter or Jena's ``urn:x-arq:UnionGraph``, else lists
the graphs as ``default-graph-uri`` parameters (SPARQL 1.1 Protocol section 2.1.4; slower).
Virtuoso queries every graph when no dataset is given, which counts as the server setting.
On the first three the release graph is part of the union (two triples); listing hides it.

Only reads are retried (connection refused or reset, HTTP 502/503/504); a failed write raises
:class:`~allygraph.errors.StoreError` naming the URL and what failed.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import re
import time
import urllib.parse
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import IO, Any, Literal

import httpx
import pyoxigraph as ox

from allygraph.errors import QueryTimeoutError, StoreError

__all__ = [
    "RELEASE_INFO",
    "RELEASE_NAME",
    "Endpoints",
    "RemotePublished",
    "RemoteReleaseWriter",
    "RemoteStore",
    "endpoints_for",
    "is_remote",
]

_AG = "https://w3id.org/allygraph/ontology#"
RELEASE_NAME = _AG + "releaseName"
"""Predicate of the release graph giving the published release's name."""
RELEASE_INFO = _AG + "releaseInfo"
"""Predicate of the release graph giving the release information as an ``rdf:JSON`` literal."""
_RDF_JSON = "http://www.w3.org/1999/02/22-rdf-syntax-ns#JSON"

UnionMode = Literal["server", "param", "arq", "list"]
Strategy = Literal["update", "staging"]

_RESULTS_ACCEPT = (
    "application/sparql-results+json, application/n-triples;q=0.9, text/turtle;q=0.8, "
    "application/sparql-results+xml;q=0.7, application/rdf+xml;q=0.5"
)
_RESULT_TYPES = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
_GRAPH_TYPES = {
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "text/plain": ox.RdfFormat.N_TRIPLES,
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/n-quads": ox.RdfFormat.N_QUADS,
}
_ARQ_UNION = "urn:x-arq:UnionGraph"  # Jena's name for the union of the named graphs
_RETRY_STATUS = frozenset({502, 503, 504})
_POSITION = re.compile(r"at (\d+):(\d+)")


def is_remote(location: object) -> bool:
    """Whether a store location is a SPARQL endpoint URL rather than a folder.

    >>> is_remote("http://127.0.0.1:7878"), is_remote("var/store")
    (True, False)
    """
    return str(location).lower().startswith(("http://", "https://"))


@dataclasses.dataclass(frozen=True, slots=True)
class Endpoints:
    """Where a remote store is queried and updated."""

    query: str
    update: str


def endpoints_for(url: str) -> Endpoints:
    """Return the query and update endpoints a store URL stands for.

    >>> endpoints_for("http://127.0.0.1:7878")
    Endpoints(query='http://127.0.0.1:7878/query', update='http://127.0.0.1:7878/update')
    >>> endpoints_for("http://localhost:3030/ds/query").update
    'http://localhost:3030/ds/update'
    >>> endpoints_for("http://localhost:8890/sparql").update
    'http://localhost:8890/sparql'
    >>> endpoints_for("http://localhost:7200/repositories/kg").update
    'http://localhost:7200/repositories/kg/statements'

    Raises:
        StoreError: The URL is not an http(s) URL with a host.
    """
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        msg = f"ALLYGRAPH_STORE: a remote store must be an http(s) URL with a host (got {url!r})"
        raise StoreError(msg)
    path = parts.path.rstrip("/")
    base = urllib.parse.urlunsplit((parts.scheme, parts.netloc, path, parts.query, ""))
    if path.endswith("/query"):
        return Endpoints(base, base.removesuffix("/query") + "/update")
    if path.endswith("/sparql"):
        return Endpoints(base, base)
    if re.search(r"/repositories/[^/]+$", path):
        return Endpoints(base, base + "/statements")
    return Endpoints(base + "/query", base + "/update")


def _media_type(response: httpx.Response) -> str:
    media: str = response.headers.get("content-type", "")
    return media.split(";")[0].strip().lower()


def _server_message(response: httpx.Response) -> str:
    text = response.text.strip().replace("\n", " ")
    return text[:500] + ("..." if len(text) > 500 else "")


def _iri(node: ox.NamedNode | str) -> str:
    value = node.value if isinstance(node, ox.NamedNode) else node
    return f"<{value}>"


class RemoteStore:
    """The subset of :class:`pyoxigraph.Store` that allygraph reads with, over SPARQL 1.1.

    Args:
        url: The store URL (see :func:`endpoints_for`).
        query_url: Query endpoint, when it does not follow from ``url``.
        update_url: Update endpoint, when it does not follow from ``url``.
        timeout: Seconds to wait for the server (connecting takes at most 10 s of it).
        auth: Credentials for the server (``(user, password)`` or an :class:`httpx.Auth`).
        retries: How many times a read is retried after a refused or reset connection or a
            502, 503 or 504 answer.
        client: An :class:`httpx.Client` to use (tests pass one with a ``MockTransport``).
    """

    def __init__(
        self,
        url: str,
        *,
        query_url: str | None = None,
        update_url: str | None = None,
        timeout: float = 30.0,
        auth: httpx.Auth | tuple[str, str] | None = None,
        retries: int = 2,
        client: httpx.Client | None = None,
    ) -> None:
        ends = endpoints_for(url)
        self.url = url
        self.query_url = query_url or ends.query
        self.update_url = update_url or ends.update
        self.timeout = timeout
        self.retries = retries
        self.union: UnionMode | None = None
        self.server = ""  # the Server header of the last answer (tells Virtuoso apart)
        self.hidden: set[str] = set()
        self.known: list[str] | None = None  # the graphs the release lists, when known
        self._graph_cache: list[str] | None = None
        self._owns_client = client is None
        self._client = client or httpx.Client(
            timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)),
            auth=auth,
            headers={"User-Agent": "allygraph"},
        )

    # -- HTTP -------------------------------------------------------------------------------

    def _send(self, url: str, *, what: str, read: bool, **kwargs: Any) -> httpx.Response:
        """POST to ``url``; map transport failures and error statuses to StoreError."""
        attempts = 1 + (self.retries if read else 0)
        for attempt in range(attempts):
            last = attempt == attempts - 1
            try:
                response = self._client.post(url, **kwargs)
            except httpx.TimeoutException as err:
                msg = f"{url}: {what}: the SPARQL store did not answer within {self.timeout:g} s"
                if read and isinstance(err, httpx.ReadTimeout):
                    # The server took the query but ran out of time on it: a query timeout.
                    raise QueryTimeoutError(msg) from err
                raise StoreError(msg + _unknown(read)) from err
            except httpx.ConnectError as err:
                if not last:
                    time.sleep(0.2 * (attempt + 1))
                    continue
                msg = f"{url}: {what}: cannot connect to the SPARQL store ({err})"
                raise StoreError(msg) from err
            except (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError) as err:
                if not last:
                    time.sleep(0.2 * (attempt + 1))
                    continue
                msg = f"{url}: {what}: the connection was closed mid-request ({err})"
                raise StoreError(msg + _unknown(read)) from err
            except httpx.HTTPError as err:
                msg = f"{url}: {what}: the request failed ({err})"
                raise StoreError(msg + _unknown(read)) from err
            self.server = response.headers.get("server", self.server)
            if response.status_code in _RETRY_STATUS and not last:
                time.sleep(0.2 * (attempt + 1))
                continue
            return response
        raise AssertionError("unreachable")  # pragma: no cover

    def _check(self, response: httpx.Response, url: str, what: str, *, read: bool) -> None:
        if response.is_success:
            return
        msg = (
            f"{url}: {what}: the SPARQL store answered HTTP {response.status_code} "
            f"{response.reason_phrase} ({_server_message(response)})"
        )
        raise StoreError(msg + ("" if read else "; the store was left as it was"))

    def update(self, update: str, *, what: str = "update") -> None:
        """Run a SPARQL 1.1 Update request (never retried).

        Raises:
            StoreError: The server cannot be reached, failed or refused the update.
        """
        response = self._send(
            self.update_url,
            what=what,
            read=False,
            content=update.encode("utf-8"),
            headers={"Content-Type": "application/sparql-update; charset=utf-8"},
        )
        self._check(response, self.update_url, what, read=False)
        self._graph_cache = None

    # -- queries ----------------------------------------------------------------------------

    def _dataset_params(
        self,
        use_default_graph_as_union: bool,
        default_graph: Any,
        named_graphs: Any,
    ) -> list[tuple[str, str]]:
        if default_graph is not None or named_graphs is not None:
            params: list[tuple[str, str]] = []
            defaults = default_graph if isinstance(default_graph, list | tuple) else [default_graph]
            params += [("default-graph-uri", g.value) for g in defaults if _named(g)]
            params += [("named-graph-uri", g.value) for g in named_graphs or () if _named(g)]
            return params
        if not use_default_graph_as_union:
            return []
        mode = self.union or "list"
        if mode == "server":
            return []
        if mode == "param":
            return [("union-default-graph", "")]
        if mode == "arq":
            return [("default-graph-uri", _ARQ_UNION)]
        return [("default-graph-uri", g) for g in self._visible_graphs()]

    def _post_query(
        self, query: str, params: Sequence[tuple[str, str]], accept: str, what: str
    ) -> httpx.Response:
        response = self._send(
            self.query_url,
            what=what,
            read=True,
            content=urllib.parse.urlencode([("query", query), *params]).encode("ascii"),
            headers={"Accept": accept, "Content-Type": "application/x-www-form-urlencoded"},
        )
        if response.status_code == 400:
            # Oxigraph, Fuseki and Virtuoso answer a malformed query with 400 and the parser's
            # message; callers treat it like pyoxigraph's SyntaxError.
            raise SyntaxError(_server_message(response))
        self._check(response, self.query_url, what, read=True)
        return response

    def query(
        self,
        query: str,
        *,
        base_iri: str | None = None,
        use_default_graph_as_union: bool = False,
        default_graph: Any = None,
        named_graphs: Any = None,
        **_ignored: Any,
    ) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
        """Evaluate a query on the server; the keywords are those of ``pyoxigraph.Store.query``.

        Raises:
            SyntaxError: The server rejected the query as malformed (HTTP 400).
            StoreError: The server cannot be reached, failed or did not answer in time.
        """
        shift = 0
        if base_iri:
            query, shift = f"BASE <{base_iri}>\n{query}", 1
        params = self._dataset_params(use_default_graph_as_union, default_graph, named_graphs)
        try:
            response = self._post_query(query, params, _RESULTS_ACCEPT, "query")
        except SyntaxError as err:
            if shift:
                text = _POSITION.sub(lambda m: f"at {int(m[1]) - shift}:{m[2]}", str(err), 1)
                raise SyntaxError(text) from None
            raise
        return _parse_results(response, self.query_url)

    def _select(self, query: str, what: str) -> ox.QuerySolutions:
        response = self._post_query(query, [], _RESULTS_ACCEPT, what)
        result = _parse_results(response, self.query_url)
        if not isinstance(result, ox.QuerySolutions):
            msg = f"{self.query_url}: {what}: expected SELECT results (got {type(result).__name__})"
            raise StoreError(msg)
        return result

    # -- the Store API ----------------------------------------------------------------------

    def _all_graphs(self) -> list[str]:
        found: list[str] = []
        for query in (
            "SELECT DISTINCT ?g WHERE { GRAPH ?g { } }",
            "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }",
        ):
            rows = self._select(query, "list named graphs")
            found = [row["g"].value for row in rows if isinstance(row["g"], ox.NamedNode)]
            if found:
                break
        return sorted(found)

    def _visible_graphs(self) -> list[str]:
        if self._graph_cache is None:
            found = self.known if self.known is not None else self._all_graphs()
            self._graph_cache = [g for g in found if g not in self.hidden]
        return self._graph_cache

    def named_graphs(self) -> Iterator[ox.NamedNode]:
        """Iterate over the named graphs (the release graph is hidden)."""
        return iter([ox.NamedNode(g) for g in self._visible_graphs()])

    def contains_named_graph(self, graph: ox.NamedNode | str) -> bool:
        """Whether the store has a non-empty graph of that name."""
        name = graph.value if isinstance(graph, ox.NamedNode) else graph
        if name in self.hidden:
            return False
        result = self.query(f"ASK {{ GRAPH {_iri(name)} {{ ?s ?p ?o }} }}")
        return bool(result)

    def quads_for_pattern(
        self,
        subject: Any,
        predicate: Any,
        object: Any,
        graph_name: Any = None,
    ) -> Iterator[ox.Quad]:
        """Iterate over the quads matching a pattern (None matches anything).

        Blank nodes cannot be named in a SPARQL query (they are variables there), so a
        pattern with a blank node matches nothing; the default graph, which allygraph never
        writes to, is empty.
        """
        terms = (subject, predicate, object)
        if any(isinstance(t, ox.BlankNode) for t in terms) or isinstance(
            graph_name, ox.DefaultGraph | ox.BlankNode
        ):
            return iter(())
        names = ("s", "p", "o")
        pattern = " ".join(
            str(t) if t is not None else f"?{n}" for t, n in zip(terms, names, strict=True)
        )
        graph = str(graph_name) if graph_name is not None else "?g"
        hide = " ".join(f"FILTER(?g != {_iri(g)})" for g in sorted(self.hidden))
        query = (
            f"SELECT * WHERE {{ GRAPH {graph} {{ {pattern} }} {hide if graph == '?g' else ''} }}"
        )
        rows = self._select(query, "read quads")
        return _quads(rows, terms, graph_name)

    def __len__(self) -> int:
        hide = " ".join(f"FILTER(?g != {_iri(g)})" for g in sorted(self.hidden))
        rows = self._select(
            f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {hide} }}", "count quads"
        )
        for row in rows:
            n = row["n"]
            return int(n.value) if n is not None else 0
        return 0

    def dump(
        self,
        output: IO[bytes] | str | os.PathLike[str] | None = None,
        format: ox.RdfFormat | None = None,
        *,
        from_graph: Any = None,
        prefixes: Mapping[str, str] | None = None,
        base_iri: str | None = None,
    ) -> bytes | None:
        """Serialize one graph (``from_graph``) or every named graph, like ``Store.dump``.

        Raises:
            StoreError: The server cannot be read, or a whole dataset is asked for in a
                format without graphs.
        """
        fmt = format or ox.RdfFormat.N_QUADS
        if from_graph is None:
            if not fmt.supports_datasets:
                msg = f"{self.url}: dump: {fmt.name} has no graphs (pass from_graph)"
                raise StoreError(msg)
            items: list[Any] = list(self.quads_for_pattern(None, None, None))
        else:
            items = [q.triple for q in self.quads_for_pattern(None, None, None, from_graph)]
        kwargs: dict[str, Any] = {"format": fmt}
        if prefixes is not None:
            kwargs["prefixes"] = dict(prefixes)
        if base_iri is not None:
            kwargs["base_iri"] = base_iri
        if output is None:
            return ox.serialize(items, **kwargs) or b""
        ox.serialize(items, output, **kwargs)
        return None

    # -- allygraph's own ---------------------------------------------------------------------

    def read_release(self) -> tuple[str, dict[str, Any]] | None:
        """Return the release graph's IRI and the release information, or None."""
        rows = self._select(
            f"SELECT ?g ?name ?info WHERE {{ GRAPH ?g {{ ?g <{RELEASE_NAME}> ?name ; "
            f"<{RELEASE_INFO}> ?info }} }} ORDER BY DESC(?name) LIMIT 1",
            "read the release information",
        )
        for row in rows:
            graph, info = row["g"], row["info"]
            assert graph is not None
            assert info is not None
            try:
                data: dict[str, Any] = json.loads(info.value)
            except ValueError as err:
                msg = f"{self.url}: release graph {graph.value}: release information is not JSON"
                raise StoreError(msg) from err
            return graph.value, data
        return None

    def release_name(self) -> str | None:
        """The name of the published release (a cheap query to poll)."""
        rows = self._select(
            f"SELECT ?name WHERE {{ GRAPH ?g {{ ?g <{RELEASE_NAME}> ?name }} }} "
            "ORDER BY DESC(?name) LIMIT 1",
            "read the release name",
        )
        for row in rows:
            name = row["name"]
            return name.value if name is not None else None
        return None

    def detect_union(self, probe_graph: str) -> UnionMode:
        """Find how to make the default graph the union of the named graphs on this server.

        ``probe_graph`` must hold a triple about itself (the release graph does).
        """
        probe = f"ASK {{ {_iri(probe_graph)} ?p ?o }}"
        mode: UnionMode = "list"
        if bool(_parse_results(self._post_query(probe, [], _RESULTS_ACCEPT, "probe"), "")):
            mode = "server"
        else:
            for candidate, params in (
                ("param", [("union-default-graph", "")]),
                ("arq", [("default-graph-uri", _ARQ_UNION)]),
            ):
                try:
                    answer = self._post_query(probe, params, _RESULTS_ACCEPT, "probe")
                except (SyntaxError, StoreError):
                    continue
                if bool(_parse_results(answer, "")):
                    mode = candidate  # type: ignore[assignment]
                    break
        self.union = mode
        return mode

    def forget_graphs(self) -> None:
        """Drop the cached list of graphs (after a new release was published)."""
        self._graph_cache = None

    def close(self) -> None:
        """Close the HTTP connections (if this store opened them)."""
        if self._owns_client:
            self._client.close()

    def __del__(self) -> None:
        # Readers are opened per command and per test without a with-block; close the
        # connection pool with them rather than leave sockets to the garbage collector.
        client = getattr(self, "_client", None)
        if client is not None and getattr(self, "_owns_client", False):
            client.close()


def _unknown(read: bool) -> str:
    if read:
        return ""
    return (
        "; the update was not confirmed: the server applies a request as one transaction, so "
        "each graph in it is either unchanged or completely replaced"
    )


def _named(node: Any) -> bool:
    return isinstance(node, ox.NamedNode)


def _parse_results(
    response: httpx.Response, url: str
) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
    media = _media_type(response)
    try:
        if media in _RESULT_TYPES:
            return ox.parse_query_results(response.content, _RESULT_TYPES[media])
        if media in _GRAPH_TYPES:
            # Load the triples into an in-memory store so the caller gets a real QueryTriples.
            local = ox.Store()
            local.load(response.content, format=_GRAPH_TYPES[media])
            triples = local.query("CONSTRUCT WHERE { ?s ?p ?o }")
            assert isinstance(triples, ox.QueryTriples)
            return triples
    except SyntaxError as err:
        msg = f"{url}: the SPARQL store sent results that do not parse as {media} ({err})"
        raise StoreError(msg) from err
    msg = f"{url}: the SPARQL store answered with an unexpected media type ({media or 'none'})"
    raise StoreError(msg)


def _quads(
    rows: ox.QuerySolutions, terms: tuple[Any, Any, Any], graph_name: Any
) -> Iterator[ox.Quad]:
    for row in rows:
        s = terms[0] if terms[0] is not None else row["s"]
        p = terms[1] if terms[1] is not None else row["p"]
        o = terms[2] if terms[2] is not None else row["o"]
        g = graph_name if graph_name is not None else row["g"]
        yield ox.Quad(s, p, o, g)


class RemotePublished:
    """Read access to what was published on a remote store (like :class:`PublishedStore`).

    Attributes:
        root: The store URL.
        store: A :class:`RemoteStore`.
        release: The release information (the embedded store's ``release.json``).
        release_dir: Always None: a remote release has no folder.
    """

    def __init__(self, url: str, *, store: RemoteStore | None = None, timeout: float = 30.0):
        self.root = url
        self.store = store if store is not None else RemoteStore(url, timeout=timeout)
        self.release_dir: None = None
        found = self.store.read_release()
        if found is None:
            msg = (
                f"{url}: no graph has been published to this SPARQL store yet; "
                "run `allygraph build` first"
            )
            raise StoreError(msg)
        self._take(*found)
        self.store.detect_union(found[0])

    def _take(self, graph: str, info: dict[str, Any]) -> None:
        self.release_graph = graph
        self.release = info
        self.store.hidden = {graph}
        # The graphs of the release, not whatever else the server holds (Virtuoso keeps
        # system graphs such as virtrdf# beside ours).
        graphs = info.get("graphs")
        self.store.known = sorted(graphs) if isinstance(graphs, dict) else None
        self.store.forget_graphs()

    def refresh(self) -> bool:
        """Take up a newer release, if one was published since; return whether there was."""
        name = self.store.release_name()
        if name is None or name == self.release.get("name"):
            return False
        found = self.store.read_release()
        if found is None:  # pragma: no cover - removed between the two queries
            return False
        self._take(*found)
        return True


class RemoteReleaseWriter:
    """Write a release to a remote SPARQL store; the same methods as ``ReleaseWriter``.

    Graph replacements are collected into requests of up to ``batch_bytes`` and sent as they
    fill; :meth:`count` sends what is left. Graphs dropped with :meth:`drop_graphs` (and not
    written again) are removed by :meth:`publish`, in the request that also replaces the
    release graph. A failed or abandoned build therefore leaves every graph either as it was
    or completely replaced, and the release information as it was, so that the next build
    redoes whatever is not recorded.

    Args:
        url: The store URL.
        incremental: Keep the graphs already there; otherwise every graph not written by
            this build is dropped at publication (the store is always changed in place).
        base_uri: Base of the release graph ``{base}graph/release`` (default: the previous
            release's, else the ``base_uri`` given to :meth:`publish`).
        strategy: ``update`` (one request per batch of graphs) or ``staging`` (chunks into a
            staging graph, then ``MOVE``); by default ``staging`` on Virtuoso (told by its
            ``Server`` header), else ``update``.
        batch_bytes: Largest SPARQL Update text sent at once (a single larger graph is sent
            alone, except with ``staging``).
        store: A :class:`RemoteStore` to write through (tests pass one with a mock client).
        timeout: Seconds to wait for the server.
    """

    def __init__(
        self,
        url: str,
        *,
        incremental: bool = False,
        base_uri: str | None = None,
        strategy: Strategy | None = None,
        batch_bytes: int = 8 << 20,
        store: RemoteStore | None = None,
        timeout: float = 300.0,
    ) -> None:
        self.root = url
        self.incremental = incremental
        self.batch_bytes = batch_bytes
        self.store = store if store is not None else RemoteStore(url, timeout=timeout)
        self.published = False
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
        self.name = f"r{stamp}-{os.getpid()}"
        self.folder = f"{url}#{self.name}"
        found = self.store.read_release()
        virtuoso = "virtuoso" in self.store.server.lower()
        self.strategy: Strategy = strategy or ("staging" if virtuoso else "update")
        self.release_graph: str | None = found[0] if found else None
        self.previous: str | None = found[1].get("name") if found else None
        self.previous_info: dict[str, Any] = found[1] if found else {}
        base = base_uri or self.previous_info.get("base_uri")
        if base:
            self.release_graph = f"{base}graph/release"
        if self.release_graph:
            self.store.hidden = {self.release_graph}
        self._batch: list[tuple[str, str]] = []
        self._batch_size = 0
        self._drops: set[str] = set()
        self._files: dict[str, bytes] = {}

    def __enter__(self) -> RemoteReleaseWriter:
        if not self.incremental:
            # A fresh release holds only what this build writes: every graph there now is
            # dropped at publication unless it is written again.
            self._drops = set(self.store._visible_graphs())
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._batch.clear()
        self._drops.clear()

    def graphs(self) -> set[str]:
        """IRIs of the named graphs as they will be once this release is published."""
        self.store.forget_graphs()
        present = set(self.store._visible_graphs())
        return (present | {g for g, _ in self._batch}) - self._drops

    def replace_graph(self, graph: str, data: bytes, fmt: ox.RdfFormat | None = None) -> None:
        """Replace one named graph by the triples in ``data`` (N-Triples unless ``fmt``).

        Raises:
            StoreError: The data does not parse or cannot be written.
        """
        try:
            triples = [q.triple for q in ox.parse(data, format=fmt or ox.RdfFormat.N_TRIPLES)]
        except (SyntaxError, ValueError) as err:
            msg = f"{graph}: cannot write the graph ({err})"
            raise StoreError(msg) from err
        # pyoxigraph's N-Triples is valid SPARQL (SPARQL 1.1 Query section 19.8 includes it).
        body = (ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b"").decode("utf-8")
        self._drops.discard(graph)
        self._batch = [(g, b) for g, b in self._batch if g != graph]
        if self.strategy == "staging":
            self._stage(graph, body)
            return
        self._batch.append((graph, body))
        self._batch_size += len(body)
        if self._batch_size >= self.batch_bytes:
            self._flush()

    def load_quads(self, data: bytes, fmt: ox.RdfFormat, graph: str | None = None) -> None:
        """Add a serialization's quads to their graphs (triples go to ``graph``)."""
        groups: dict[str, list[ox.Triple]] = {}
        for quad in ox.parse(data, format=fmt):
            name = quad.graph_name.value if isinstance(quad.graph_name, ox.NamedNode) else graph
            if name is None:
                msg = f"{self.root}: load: triples need a graph on a remote store"
                raise StoreError(msg)
            groups.setdefault(name, []).append(quad.triple)
        ops = [
            f"INSERT DATA {{ GRAPH {_iri(g)} {{\n"
            + (ox.serialize(ts, format=ox.RdfFormat.N_TRIPLES) or b"").decode()
            + "} }"
            for g, ts in groups.items()
        ]
        if ops:
            self.store.update(" ;\n".join(ops), what="load")

    def load_file(
        self,
        source: bytes | Path,
        fmt: ox.RdfFormat,
        graph: str,
        *,
        base_iri: str | None = None,
    ) -> None:
        """Replace ``graph`` by a file's triples; quads replace the graphs they name.

        ``source`` is the file's content or its path. The file is parsed completely before
        anything is sent.

        Raises:
            SyntaxError: The file does not parse (pyoxigraph's error, with its position).
            StoreError: The data cannot be written.
        """
        data = source.read_bytes() if isinstance(source, Path) else source
        groups: dict[str, list[ox.Triple]] = {}
        try:
            for quad in ox.parse(data, format=fmt, base_iri=base_iri):
                name = quad.graph_name
                key = name.value if isinstance(name, ox.NamedNode) else graph
                groups.setdefault(key, []).append(quad.triple)
        except ValueError as err:
            msg = f"{graph}: cannot write the graph ({err})"
            raise StoreError(msg) from err
        for key, triples in groups.items():
            body = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
            self.replace_graph(key, body)

    def drop_graphs(self, graphs: Iterable[str]) -> None:
        """Remove named graphs when the release is published."""
        for graph in graphs:
            self._batch = [(g, b) for g, b in self._batch if g != graph]
            self._drops.add(graph)

    def _flush(self, extra: Sequence[str] = ()) -> None:
        ops: list[str] = []
        for graph, body in self._batch:
            ops.append(f"DROP SILENT GRAPH {_iri(graph)}")
            ops.append(f"INSERT DATA {{ GRAPH {_iri(graph)} {{\n{body}}} }}")
        ops.extend(extra)
        if ops:
            graphs = ", ".join(g for g, _ in self._batch[:3]) + (
                ", ..." if len(self._batch) > 3 else ""
            )
            self.store.update(" ;\n".join(ops), what=f"replace graphs {graphs or 'release'}")
        self._batch = []
        self._batch_size = 0

    def _stage(self, graph: str, body: str, chunk_lines: int = 500) -> None:
        """Insert a graph in chunks into a staging graph, then MOVE it over the target.

        Virtuoso compiles an update to SQL and refuses texts over 10,000 lines of it
        (error SP031), about 2,000 triples; 500 per request stays well below.
        """
        staging = f"urn:allygraph:staging:{self.name}:{graph}"
        self.store.update(f"DROP SILENT GRAPH {_iri(staging)}", what=f"stage {graph}")
        lines = body.splitlines(keepends=True)
        for start in range(0, len(lines), chunk_lines):
            chunk = "".join(lines[start : start + chunk_lines])
            self.store.update(
                f"INSERT DATA {{ GRAPH {_iri(staging)} {{\n{chunk}}} }}", what=f"stage {graph}"
            )
        # MOVE drops the target and renames the staging graph in one operation
        # (SPARQL 1.1 Update section 3.2.4); one request, so readers never see half of it.
        self.store.update(
            f"DROP SILENT GRAPH {_iri(graph)} ;\n"
            f"MOVE SILENT GRAPH {_iri(staging)} TO GRAPH {_iri(graph)}",
            what=f"replace graph {graph}",
        )

    def count(self) -> tuple[int, dict[str, int]]:
        """Send pending replacements; return the number of quads and triples per graph."""
        self._flush()
        hide = {*self.store.hidden, *self._drops}
        rows = self.store._select(
            "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
            "count triples",
        )
        per_graph: dict[str, int] = {}
        for row in rows:
            graph, n = row["g"], row["n"]
            if (
                isinstance(graph, ox.NamedNode)
                and n is not None
                and graph.value not in hide
                and not graph.value.startswith("urn:allygraph:staging:")
            ):
                per_graph[graph.value] = int(n.value)
        return sum(per_graph.values()), per_graph

    def write_file(self, name: str, content: bytes) -> str:
        """Keep an artifact (validation report) with the release; return where it is kept."""
        self._files[name] = content
        return f"{self.folder}/{name}"

    def publish(self, info: dict[str, Any]) -> str:
        """Send what is pending and replace the release graph in one request; return its id.

        Raises:
            StoreError: The server refused or failed; the previous release information stays.
        """
        info = {
            "name": self.name,
            "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            **info,
        }
        if self._files:
            info["files"] = {k: v.decode("utf-8", "replace") for k, v in self._files.items()}
        if self.release_graph is None:
            base = info.get("base_uri")
            if not base:
                msg = f"{self.root}: publish: the release needs a base_uri to name its graph"
                raise StoreError(msg)
            self.release_graph = f"{base}graph/release"
        graph = _iri(self.release_graph)
        text = json.dumps(info, sort_keys=True)
        literal = str(ox.Literal(text, datatype=ox.NamedNode(_RDF_JSON)))
        name = str(ox.Literal(self.name))
        extra = [f"DROP SILENT GRAPH {_iri(g)}" for g in sorted(self._drops)]
        extra += [
            f"DROP SILENT GRAPH {graph}",
            f"INSERT DATA {{ GRAPH {graph} {{ {graph} <{RELEASE_NAME}> {name} ; "
            f"<{RELEASE_INFO}> {literal} }} }}",
        ]
        self._flush(extra)
        self._drops.clear()
        self.published = True
        return self.folder
