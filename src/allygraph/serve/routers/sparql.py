"""The SPARQL 1.1 Protocol endpoint at ``/sparql`` (query only), with its service description.

Request handling, in order: read the operation (GET, form POST, direct POST; 415 for other
bodies, 403 for updates), check SERVICE targets, parse (400 with line and column), negotiate
(406), answer 304 when the client holds this result of this release, then run the query in a
worker process with a hard time limit. ``ASK {}`` and other pattern-free queries run inline.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import time
from typing import Any
from urllib.parse import parse_qsl

import pyoxigraph as ox
from fastapi import APIRouter, Request
from fastapi.responses import Response

from allygraph.errors import QueryRefusedError, QueryTimeoutError, StoreError
from allygraph.serve import worker
from allygraph.serve.examples import EXAMPLES, PREFIXES
from allygraph.serve.handlers import (
    BadRequestError,
    ResultTooLargeError,
    UnsupportedMediaTypeError,
)
from allygraph.serve.negotiation import (
    ASK_FORMATS,
    GRAPH_FORMATS,
    SELECT_FORMATS,
    Format,
    choose,
    format_by_name,
)
from allygraph.serve.query import analyze_query, check_service_target, check_syntax, syntax_error
from allygraph.serve.rendering import render, term_cell
from allygraph.serve.state import ServeState, get_state

__all__ = ["router", "service_description"]

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


async def _read_operation(request: Request) -> _Operation:
    """Read query, dataset and format from a GET or POST (SPARQL 1.1 Protocol, section 2.1)."""
    op = _Operation()
    url_pairs = parse_qsl(request.url.query, keep_blank_values=True)
    pairs = list(url_pairs)
    if request.method == "POST":
        content_type = request.headers.get("content-type", "")
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
            text = (await request.body()).decode("utf-8")
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


def _negotiate(request: Request, offered: tuple[Format, ...], override: str | None) -> Format:
    if override:
        return format_by_name(override, offered)
    return choose(request.headers.get("accept"), offered)


async def _execute(
    state: ServeState, job: dict[str, Any], trivial: bool
) -> tuple[dict[str, Any], bytes]:
    """Run a job inline (trivial), in a worker process, or in a thread (no pool)."""
    if trivial:
        header, payload = worker.execute(state.store, job)
        return header, payload
    if state.pool is not None:
        reply = await state.pool.run(job, state.settings.query_timeout)
        return reply.header, reply.payload
    try:
        header, payload = await asyncio.wait_for(
            asyncio.to_thread(worker.execute, state.store, job), state.settings.query_timeout
        )
        return header, payload
    except TimeoutError:
        msg = "query: ran out of time (threads cannot be stopped: run with workers)"
        raise QueryTimeoutError(msg) from None


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
    msg = f"query: the store failed ({message})"
    raise StoreError(msg)


@router.api_route("/sparql", methods=["GET", "POST", "HEAD"], include_in_schema=False)
async def sparql(request: Request) -> Response:
    """Answer a SPARQL 1.1 Protocol query, or describe the service when there is none."""
    state = get_state(request)
    started = time.perf_counter()
    op = await _read_operation(request)
    if op.query is None:
        return _describe_or_edit(request, state, op.format)
    text = op.query
    qhash = hashlib.sha256(text.encode()).hexdigest()[:12]
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
        elif info.trivial:
            check_syntax(text, state.base)
        # Other queries are parsed by the worker, which reports syntax errors with their
        # position just the same: parsing twice would only add latency.
        offered = (
            SELECT_FORMATS
            if info.form in ("SELECT", None)
            else (ASK_FORMATS if info.form == "ASK" else GRAPH_FORMATS)
        )
        fmt = _negotiate(request, offered, op.format)
        fmt_key = fmt.key
        cacheable = request.method in ("GET", "HEAD") and not info.services
        etag = state.etag(text, fmt.key, *op.default_graphs, "|", *op.named_graphs)
        headers = {"Vary": "Accept"}
        if cacheable:
            headers.update(state.cache_headers(etag))
            if state.not_modified(request, etag):
                outcome = "not-modified"
                return Response(status_code=304, headers=headers)
        else:
            headers["Cache-Control"] = "no-store"
        job = {
            "query": text,
            "format": _worker_format(fmt, info.form),
            "max_rows": state.settings.max_rows,
            "base_iri": state.base,
            "default_graphs": op.default_graphs,
            "named_graphs": op.named_graphs,
            "union": True,
            "prefixes": PREFIXES,
        }
        header, payload = await _execute(state, job, info.trivial and not info.services)
        if not header.get("ok"):
            _raise_for(header, state)
        rows = int(header.get("rows", 0))
        outcome = "ok"
        if fmt.key == "html":
            return _html_results(request, state, text, payload, info.form, headers)
        if request.method == "HEAD":
            payload = b""
        return Response(payload, 200, headers, media_type=fmt.content_type)
    except Exception as err:
        outcome = getattr(err, "code", type(err).__name__)
        raise
    finally:
        qlog.info(
            json.dumps(
                {
                    "event": "query",
                    "hash": qhash,
                    "ms": round((time.perf_counter() - started) * 1000, 2),
                    "rows": rows,
                    "format": fmt_key,
                    "outcome": outcome,
                }
            )
        )


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

    fmt = _negotiate(request, (*SD_FORMATS, HTML), override)
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

    The default graph is declared as the union of the named graphs (``sd:UnionDefaultGraph``),
    each named graph listed with its triple count from ``release.json``.
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
                "allygraph SPARQL 1.1 query endpoint (read-only). The default graph is the union "
                "of the named graphs: one per source document, plus the ontology and metadata. "
                "A triple stated in several document graphs matches once per graph: use "
                "DISTINCT for sets. "
                f"Queries stop after {state.settings.query_timeout:g} s; results over "
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
