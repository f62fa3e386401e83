"""The SPARQL 1.1 Protocol endpoint at ``/sparql`` (query only), with its service description.

Request handling, in order: read the operation (GET, form POST, direct POST; 415 for other
bodies, 403 for updates), check SERVICE targets, classify the query on its tokens, negotiate
(406), answer 304 when the client holds this result of this release, then run the query where
:meth:`ServeState.run_query` puts it: pattern-free queries inline, bounded ones in a thread,
the rest in a killable worker process. The query is parsed once, where it runs; a malformed
one comes back as 400 with line and column.

The route is a plain Starlette route (no FastAPI dependency machinery): it is the hot path.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

import pyoxigraph as ox
from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from allygraph.errors import AllygraphError, QueryRefusedError, QueryTimeoutError, StoreError
from allygraph.serve.examples import EXAMPLES, PREFIXES
from allygraph.serve.handlers import (
    BadRequestError,
    ResultTooLargeError,
    UnsupportedMediaTypeError,
    error_response,
)
from allygraph.serve.negotiation import (
    ASK_FORMATS,
    GRAPH_FORMATS,
    SELECT_FORMATS,
    Format,
    choose,
    format_by_name,
)
from allygraph.serve.query import analyze_query, check_service_target, syntax_error
from allygraph.serve.rendering import render, term_cell
from allygraph.serve.state import ServeState, get_state

__all__ = ["SparqlFastPath", "router", "service_description"]

router = APIRouter()
qlog = logging.getLogger("allygraph.serve.query")

SD_FORMATS: tuple[Format, ...] = tuple(f for f in GRAPH_FORMATS if f.key != "html")
_W3_FORMATS = {
    "json": "http://www.w3.org/ns/formats/SPARQL_Results_JSON",
    "xml": "http://www.w3.org/ns/formats/SPARQL_Results_XML",
    "csv": "http://www.w3.org/ns/formats/SPARQL_Results_CSV",
    "tsv": "http://www.w3.org/ns/formats/SPARQL_Results_TSV",
    "turtle": "http://www.w3.org/ns/formats/Turtle",
    "jsonld": "http://www.w3.org/ns/formats/JSON-LD",
    "ntriples": "http://www.w3.org/ns/formats/N-Triples",
    "rdfxml": "http://www.w3.org/ns/formats/RDF_XML",
    "trig": "http://www.w3.org/ns/formats/TriG",
    "nquads": "http://www.w3.org/ns/formats/N-Quads",
}


class _Operation:
    """The parsed protocol operation of one request."""

    def __init__(self) -> None:
        self.query: str | None = None
        self.default_graphs: list[str] = []
        self.named_graphs: list[str] = []
        self.format: str | None = None


def _single(pairs: list[tuple[str, str]], name: str) -> str | None:
    values = [v for k, v in pairs if k == name]
    if len(values) > 1:
        msg = f"{name}: the protocol allows one {name} parameter (got {len(values)})"
        raise BadRequestError(msg)
    return values[0] if values else None


def _charset_ok(content_type: str) -> bool:
    for param in content_type.split(";")[1:]:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset" and value.strip().strip('"').lower() not in (
            "utf-8",
            "utf8",
            "us-ascii",
        ):
            return False
    return True


class _Exchange:
    """What the endpoint reads from a request, however it arrived (route or fast path)."""

    __slots__ = ("body", "headers", "method", "query_string")

    def __init__(
        self, method: str, query_string: str, headers: Mapping[str, str], body: bytes
    ) -> None:
        self.method = method
        self.query_string = query_string
        self.headers = headers
        self.body = body


def _read_operation(ex: _Exchange) -> _Operation:
    """Read query, dataset and format from a GET or POST (SPARQL 1.1 Protocol, section 2.1)."""
    op = _Operation()
    url_pairs = parse_qsl(ex.query_string, keep_blank_values=True)
    pairs = url_pairs
    if ex.method == "POST":
        content_type = ex.headers.get("content-type", "")
        media = content_type.split(";")[0].strip().lower()
        if media == "application/sparql-update":
            msg = "update: this endpoint is read-only; SPARQL Update is not accepted"
            raise QueryRefusedError(msg)
        if media not in ("application/x-www-form-urlencoded", "application/sparql-query"):
            got = media or "no Content-Type"
            msg = (
                "Content-Type: must be application/sparql-query or "
                f"application/x-www-form-urlencoded (got {got})"
            )
            raise UnsupportedMediaTypeError(msg)
        if not _charset_ok(content_type):
            msg = f"Content-Type: the body must be UTF-8 (got {content_type!r})"
            raise UnsupportedMediaTypeError(msg)
        try:
            text = ex.body.decode("utf-8")
        except UnicodeDecodeError:
            msg = "body: must be UTF-8 encoded"
            raise UnsupportedMediaTypeError(msg) from None
        if media == "application/x-www-form-urlencoded":
            pairs = url_pairs + parse_qsl(text, keep_blank_values=True)
        else:
            if _single(url_pairs, "query") is not None:
                msg = "query: a direct POST carries the query in its body, not in the URL"
                raise BadRequestError(msg)
            op.query = text
    if any(k == "update" for k, _ in pairs):
        msg = "update: this endpoint is read-only; SPARQL Update is not accepted"
        raise QueryRefusedError(msg)
    if op.query is None:
        op.query = _single(pairs, "query")
    op.default_graphs = [v for k, v in pairs if k == "default-graph-uri"]
    op.named_graphs = [v for k, v in pairs if k == "named-graph-uri"]
    op.format = _single(pairs, "format") or _single(pairs, "output")
    return op


def _negotiate(
    headers: Mapping[str, str], offered: tuple[Format, ...], override: str | None
) -> Format:
    if override:
        return format_by_name(override, offered)
    return choose(headers.get("accept"), offered)


@dataclass(slots=True)
class _Answer:
    """The outcome of a query request, before it becomes a response."""

    status: int
    headers: dict[str, str]
    body: bytes = b""
    format: Format | None = None
    text: str = ""
    form: str | None = None


def _offered(form: str | None) -> tuple[Format, ...]:
    if form in ("SELECT", None):
        return SELECT_FORMATS
    return ASK_FORMATS if form == "ASK" else GRAPH_FORMATS


async def _answer(
    state: ServeState, ex: _Exchange, op: _Operation, *, html: bool = True
) -> _Answer | None:
    """Check, negotiate and run the query of an operation (logged as one ``query`` line).

    Returns None, before running anything, when the client wants an HTML page and ``html``
    is False (the fast path leaves pages to the route). ``body`` of an HTML answer is the
    JSON results or Turtle to render.
    """
    started = time.perf_counter()
    text = op.query or ""
    outcome, rows, fmt_key = "error", 0, "-"
    try:
        info = analyze_query(text)
        if info.is_update:
            msg = "update: this endpoint is read-only; SPARQL Update is not accepted"
            raise QueryRefusedError(msg)
        if info.services:
            if not state.settings.service_enabled:
                msg = (
                    f"SERVICE <{info.services[0]}>: federated queries are disabled on this "
                    "endpoint (ALLYGRAPH_SERVICE_ENABLED=false)"
                )
                raise QueryRefusedError(msg)
            for target in info.services:
                check_service_target(target, state.settings.service_allowlist)
        # The query is parsed where it runs (inline, thread or worker), which reports syntax
        # errors with their position: parsing twice would only add latency.
        fmt = _negotiate(ex.headers, _offered(info.form), op.format)
        if fmt.key == "html" and not html:
            outcome = "page"
            return None
        fmt_key = fmt.key
        cacheable = ex.method in ("GET", "HEAD") and not info.services
        headers = {"Vary": "Accept"}
        if cacheable:
            etag = state.etag(text, fmt.key, *op.default_graphs, "|", *op.named_graphs)
            headers.update(state.cache_headers(etag))
            if state.is_fresh(
                ex.headers.get("if-none-match"), ex.headers.get("if-modified-since"), etag
            ):
                outcome = "not-modified"
                return _Answer(304, headers)
        else:
            headers["Cache-Control"] = "no-store"
        job = {
            "query": text,
            "format": _worker_format(fmt, info.form),
            "max_rows": state.settings.max_rows,
            "base_iri": state.base,
            "default_graphs": op.default_graphs,
            "named_graphs": op.named_graphs,
            "prefixes": PREFIXES,
        }
        header, payload = await state.run_query(
            job, trivial=info.trivial and not info.services, bounded=info.bounded
        )
        if not header.get("ok"):
            _raise_for(header, state)
        rows = int(header.get("rows", 0))
        outcome = "ok"
        if ex.method == "HEAD" and fmt.key != "html":
            payload = b""
        return _Answer(200, headers, payload, fmt, text, info.form)
    except Exception as err:
        outcome = getattr(err, "code", type(err).__name__)
        raise
    finally:
        if qlog.isEnabledFor(logging.INFO):
            qlog.info(
                json.dumps(
                    {
                        "event": "query",
                        "hash": hashlib.sha256(text.encode()).hexdigest()[:12],
                        "ms": round((time.perf_counter() - started) * 1000, 2),
                        "rows": rows,
                        "format": fmt_key,
                        "outcome": outcome,
                    }
                )
            )


def _worker_format(fmt: Format, form: str | None) -> str:
    """The format the worker writes: HTML pages are rendered from JSON results or Turtle."""
    if fmt.key != "html":
        return fmt.key
    return "turtle" if form in ("CONSTRUCT", "DESCRIBE") else "json"


def _raise_for(header: dict[str, Any], state: ServeState) -> None:
    error = header.get("error")
    message = str(header.get("message", ""))
    if error == "syntax":
        raise syntax_error(message)
    if error == "row-cap":
        msg = (
            f"result: more than {state.settings.max_rows} rows (ALLYGRAPH_MAX_ROWS); "
            "add LIMIT/OFFSET to page through it — results are never truncated"
        )
        raise ResultTooLargeError(msg)
    if error == "evaluation":
        msg = f"query: cannot be evaluated ({message})"
        raise BadRequestError(msg)
    if error == "timeout":
        msg = (
            f"query: stopped after the {state.settings.query_timeout:g} s time limit "
            "(ALLYGRAPH_QUERY_TIMEOUT)"
        )
        raise QueryTimeoutError(msg)
    msg = f"query: the store failed ({message})"
    raise StoreError(msg)


async def sparql(request: Request) -> Response:
    """Answer a SPARQL 1.1 Protocol query, or describe the service when there is none."""
    state = get_state(request)
    body = await request.body() if request.method == "POST" else b""
    ex = _Exchange(request.method, request.url.query, request.headers, body)
    op = _read_operation(ex)
    if op.query is None:
        return _describe_or_edit(request, state, op.format)
    answer = await _answer(state, ex, op)
    assert answer is not None
    if answer.status == 200 and answer.format is not None and answer.format.key == "html":
        return _html_results(request, state, answer.text, answer.body, answer.form, answer.headers)
    media = answer.format.content_type if answer.format and answer.status == 200 else None
    return Response(answer.body, answer.status, answer.headers, media_type=media)


router.add_route("/sparql", sparql, methods=["GET", "POST", "HEAD"], include_in_schema=False)


def _html_results(
    request: Request,
    state: ServeState,
    query: str,
    payload: bytes,
    form: str | None,
    headers: dict[str, str],
) -> Response:
    """Render SELECT/ASK results as a table; graphs as their Turtle text."""
    context: dict[str, Any] = {"query": query, "examples": EXAMPLES, "form": form}
    if form in ("CONSTRUCT", "DESCRIBE"):
        context["graph_text"] = payload.decode("utf-8")
    else:
        data = json.loads(payload)
        if "boolean" in data:
            context["boolean"] = data["boolean"]
        else:
            variables = data["head"].get("vars", [])
            context["variables"] = variables
            context["rows"] = [
                [term_cell(state, binding.get(v)) for v in variables]
                for binding in data["results"]["bindings"]
            ]
    return render(request, "sparql.html", context, headers=headers)


def _describe_or_edit(request: Request, state: ServeState, override: str | None) -> Response:
    """GET without a query: the query editor for browsers, the service description otherwise."""
    from allygraph.serve.negotiation import HTML

    fmt = _negotiate(request.headers, (*SD_FORMATS, HTML), override)
    etag = state.etag("sd", fmt.key, str(request.url))
    headers = {"Vary": "Accept", **state.cache_headers(etag)}
    if state.not_modified(request, etag):
        return Response(status_code=304, headers=headers)
    if fmt.key == "html":
        context = {"query": "", "examples": EXAMPLES, "prefixes": PREFIXES, "form": None}
        return render(request, "sparql.html", context, headers=headers)
    endpoint = str(request.url.replace(query=""))
    quads = service_description(state, endpoint)
    body = ox.serialize(quads, format=_RDF[fmt.key], prefixes=_SD_PREFIXES) or b""
    return Response(body, 200, headers, media_type=fmt.content_type)


_RDF = {
    "turtle": ox.RdfFormat.TURTLE,
    "jsonld": ox.RdfFormat.JSON_LD,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "rdfxml": ox.RdfFormat.RDF_XML,
    "trig": ox.RdfFormat.TRIG,
    "nquads": ox.RdfFormat.N_QUADS,
}
_SD_PREFIXES = {
    "sd": "http://www.w3.org/ns/sparql-service-description#",
    "void": "http://rdfs.org/ns/void#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "dcterms": "http://purl.org/dc/terms/",
}


def service_description(state: ServeState, endpoint: str) -> list[ox.Triple]:
    """The SPARQL 1.1 Service Description of the endpoint at ``endpoint``.

    The default graph is declared as the union of the named graphs (``sd:UnionDefaultGraph``);
    the comment says whether duplicates are removed (a materialized default graph, the RDF
    merge) or not (a bag union over the graphs). Each named graph is listed with its triple
    count from ``release.json``.
    """
    sd = "http://www.w3.org/ns/sparql-service-description#"
    void = "http://rdfs.org/ns/void#"
    rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")

    def n(iri: str) -> ox.NamedNode:
        return ox.NamedNode(iri)

    service = n(endpoint + "#service")
    dataset = ox.BlankNode("dataset")
    default = ox.BlankNode("default")
    out = [
        ox.Triple(service, rdf_type, n(sd + "Service")),
        ox.Triple(service, n(sd + "endpoint"), n(endpoint)),
        ox.Triple(service, n(sd + "supportedLanguage"), n(sd + "SPARQL11Query")),
        ox.Triple(service, n(sd + "feature"), n(sd + "UnionDefaultGraph")),
        ox.Triple(service, n(sd + "feature"), n(sd + "DereferencesURIs")),
        ox.Triple(
            service,
            n("http://www.w3.org/2000/01/rdf-schema#comment"),
            ox.Literal(
                "allygraph SPARQL 1.1 query endpoint (read-only). "
                + _default_graph_note(state)
                + f" Queries stop after {state.settings.query_timeout:g} s; results over "
                f"{state.settings.max_rows} rows are refused, never truncated.",
                language="en",
            ),
        ),
        ox.Triple(service, n(sd + "defaultDataset"), dataset),
        ox.Triple(dataset, rdf_type, n(sd + "Dataset")),
        ox.Triple(dataset, n(sd + "defaultGraph"), default),
        ox.Triple(default, rdf_type, n(sd + "Graph")),
        ox.Triple(dataset, n(void + "sparqlEndpoint"), n(endpoint)),
    ]
    if state.settings.service_enabled:
        out.append(ox.Triple(service, n(sd + "feature"), n(sd + "BasicFederatedQuery")))
    for key in (
        "json",
        "xml",
        "csv",
        "tsv",
        "turtle",
        "jsonld",
        "ntriples",
        "rdfxml",
        "trig",
        "nquads",
    ):
        out.append(ox.Triple(service, n(sd + "resultFormat"), n(_W3_FORMATS[key])))
    triples = state.published.release.get("triples")
    if isinstance(triples, int):
        out.append(
            ox.Triple(
                default,
                n(void + "triples"),
                ox.Literal(str(triples), datatype=n("http://www.w3.org/2001/XMLSchema#integer")),
            )
        )
    graphs = state.published.release.get("graphs") or {}
    for i, (name, count) in enumerate(sorted(graphs.items())):
        node, graph = ox.BlankNode(f"ng{i}"), ox.BlankNode(f"g{i}")
        out += [
            ox.Triple(dataset, n(sd + "namedGraph"), node),
            ox.Triple(node, rdf_type, n(sd + "NamedGraph")),
            ox.Triple(node, n(sd + "name"), n(name)),
            ox.Triple(node, n(sd + "graph"), graph),
            ox.Triple(graph, rdf_type, n(sd + "Graph")),
            ox.Triple(
                graph,
                n(void + "triples"),
                ox.Literal(str(int(count)), datatype=n("http://www.w3.org/2001/XMLSchema#integer")),
            ),
        ]
    return out


def _default_graph_note(state: ServeState) -> str:
    """What the default graph is, for people reading the service description."""
    if state.materialized:
        return (
            "The default graph is the RDF merge of the named graphs (one per source document, "
            "plus the ontology and metadata), duplicates removed: a triple stated in several "
            "document graphs is in it once."
        )
    return (
        "The default graph is the union of the named graphs: one per source document, plus "
        "the ontology and metadata. A triple stated in several document graphs matches once "
        "per graph: use DISTINCT for sets."
    )


_FAST_METHODS = frozenset({"GET", "HEAD", "POST"})
_MAX_BODY = 16 * 2**20  # a larger POST goes through the framework (and its limits)
_GZIP_MIN = 1024


class SparqlFastPath:
    """ASGI layer that answers ``/sparql`` queries without the framework's layers.

    It reads the operation, runs the query and sends the bytes itself, with what the
    middleware stack would have added: CORS headers for simple requests, gzip above 1 KiB when
    accepted, and errors rendered by :func:`~allygraph.serve.handlers.error_response`.
    Anything else (other paths, OPTIONS preflights, the service description, the query editor,
    HTML result pages) passes to the app, with a POST body replayed.

    Args:
        app: The framework's middleware stack.
        cors_origins: Origins allowed to read responses (``*`` for any).
    """

    def __init__(self, app: ASGIApp, cors_origins: list[str]) -> None:
        self.app = app
        self.any_origin = "*" in cors_origins
        self.origins = frozenset(cors_origins)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Answer a query to ``/sparql``; pass anything else to the app."""
        if (
            scope["type"] != "http"
            or scope["path"] != "/sparql"
            or scope["method"] not in _FAST_METHODS
        ):
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        body: bytes | None = b""
        if scope["method"] == "POST" and int(headers.get("content-length") or 0) > _MAX_BODY:
            await self.app(scope, receive, send)
            return
        try:
            if scope["method"] == "POST":
                body = await _read_body(receive)
                if body is None:
                    return  # the client went away
            assert body is not None
            ex = _Exchange(scope["method"], scope["query_string"].decode("latin-1"), headers, body)
            state: ServeState = scope["app"].state.allygraph
            op = _read_operation(ex)
            answer = None if op.query is None else await _answer(state, ex, op, html=False)
        except AllygraphError as err:
            await self._error(scope, receive, send, err)
            return
        if answer is None:  # a page: the route renders it
            await self.app(scope, _replay(body, receive), send)
            return
        await self._send(send, headers, answer)

    async def _send(self, send: Send, request: dict[str, str], answer: _Answer) -> None:
        out = answer.headers
        payload = answer.body
        if answer.status == 200 and answer.format is not None:
            out["Content-Type"] = answer.format.content_type
            if len(payload) >= _GZIP_MIN and "gzip" in request.get("accept-encoding", ""):
                payload = gzip.compress(payload, compresslevel=6)
                out["Content-Encoding"] = "gzip"
                out["Vary"] = "Accept, Accept-Encoding"
        origin = request.get("origin")
        if origin is not None and (self.any_origin or origin in self.origins):
            out["Access-Control-Allow-Origin"] = "*" if self.any_origin else origin
            out["Access-Control-Expose-Headers"] = _EXPOSE
            if not self.any_origin:
                out["Vary"] = out.get("Vary", "") + ", Origin"
        raw = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in out.items()]
        if answer.status != 304:
            raw.append((b"content-length", str(len(payload)).encode()))
        await send({"type": "http.response.start", "status": answer.status, "headers": raw})
        await send({"type": "http.response.body", "body": payload})

    async def _error(self, scope: Scope, receive: Receive, send: Send, err: Exception) -> None:
        response = error_response(Request(scope, receive), err)
        origin = dict(scope["headers"]).get(b"origin")
        if origin is not None and (self.any_origin or origin.decode("latin-1") in self.origins):
            response.headers["Access-Control-Allow-Origin"] = (
                "*" if self.any_origin else origin.decode("latin-1")
            )
            response.headers["Access-Control-Expose-Headers"] = _EXPOSE
        await response(scope, receive, send)


_EXPOSE = "ETag, Last-Modified, Link, Content-Location, X-Allygraph-Error"


async def _read_body(receive: Receive) -> bytes | None:
    parts: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return None
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > _MAX_BODY:
            msg = f"body: must be at most {_MAX_BODY} bytes (got more)"
            raise BadRequestError(msg)
        parts.append(chunk)
        if not message.get("more_body", False):
            return b"".join(parts)


def _replay(body: bytes, receive: Receive) -> Receive:
    """A ``receive`` that hands the already-read body to the app once, then defers."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay
