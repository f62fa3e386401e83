"""Errors to HTTP responses: the one place that maps exceptions to status codes.

=========================  ======  ====================================================
error                      status  when
=========================  ======  ====================================================
QuerySyntaxError           400     the query does not parse (message has line:column)
BadRequestError            400     the request breaks the protocol (two queries, ...)
QueryRefusedError          403     update on the read-only endpoint, refused SERVICE
NotFoundError              404     unknown IRI (the routers answer in the asked format)
NotAcceptableError         406     no acceptable format; the body lists the offered ones
UnsupportedMediaTypeError  415     POST body of a type other than form or sparql-query
ResultTooLargeError        422     more rows than ``ALLYGRAPH_MAX_ROWS``; never truncated
QueryTimeoutError          503     the query was stopped at ``ALLYGRAPH_QUERY_TIMEOUT``
StoreError                 503     the store failed; logged, generic message
=========================  ======  ====================================================
"""

from __future__ import annotations

import html
import logging

from fastapi import FastAPI, Request
from fastapi.responses import Response

from allygraph.errors import (
    AllygraphError,
    QueryRefusedError,
    QuerySyntaxError,
    QueryTimeoutError,
    StoreError,
)
from allygraph.serve.negotiation import NotAcceptableError

__all__ = [
    "BadRequestError",
    "NotFoundError",
    "ResultTooLargeError",
    "UnsupportedMediaTypeError",
    "error_response",
    "install_handlers",
]

log = logging.getLogger("allygraph.serve")


class BadRequestError(AllygraphError, ValueError):
    """The request breaks the SPARQL protocol (HTTP 400)."""

    code = "bad-request"


class UnsupportedMediaTypeError(AllygraphError, ValueError):
    """The request body has a media type or charset the endpoint does not take (HTTP 415)."""

    code = "unsupported-media-type"


class ResultTooLargeError(AllygraphError, ValueError):
    """The result has more rows than the configured cap (HTTP 422); it is never truncated."""

    code = "result-too-large"


class NotFoundError(AllygraphError, LookupError):
    """Nothing is known about the requested resource (HTTP 404)."""

    code = "not-found"


_STATUS: list[tuple[type[Exception], int]] = [
    (QuerySyntaxError, 400),
    (BadRequestError, 400),
    (QueryRefusedError, 403),
    (NotFoundError, 404),
    (NotAcceptableError, 406),
    (UnsupportedMediaTypeError, 415),
    (ResultTooLargeError, 422),
    (QueryTimeoutError, 503),
    (StoreError, 503),
]


def status_for(err: Exception) -> int:
    """HTTP status of an error (500 for anything unexpected)."""
    for cls, status in _STATUS:
        if isinstance(err, cls):
            return status
    return 500


def error_response(request: Request, err: Exception) -> Response:
    """Render an error as plain text, or as a small HTML page for browsers."""
    status = status_for(err)
    code = getattr(err, "code", "internal")
    if status >= 500 and not isinstance(err, QueryTimeoutError):
        log.error("request failed: %s %s", request.method, request.url.path, exc_info=err)
        message = "the store is unavailable; try again later" if status == 503 else "internal error"
    else:
        message = str(err)
    headers = {"Cache-Control": "no-store", "X-Allygraph-Error": code}
    if isinstance(err, NotAcceptableError):
        headers["Vary"] = "Accept"
        message += "\n" + "\n".join(f"{f.media_type}  (format={f.key})" for f in err.offered)
    if isinstance(err, QuerySyntaxError) and err.line is not None:
        headers["X-Allygraph-Error-Position"] = f"{err.line}:{err.column}"
    if status == 405:
        headers["Allow"] = "GET, HEAD, POST, OPTIONS"
    accept = request.headers.get("accept", "")
    if "text/html" in accept and status != 406:
        body = (
            f"<!doctype html><html lang=en><meta charset=utf-8>"
            f"<meta name=viewport content='width=device-width,initial-scale=1'>"
            f"<title>{status} {code}</title><link rel=stylesheet href='/static/style.css'>"
            f"<main><h1>{status}</h1><pre class=error>{html.escape(message)}</pre>"
            f"<p><a href='/'>Home</a> · <a href='/sparql'>Query editor</a></p></main>"
        )
        return Response(body, status, headers, media_type="text/html")
    return Response(message + "\n", status, headers, media_type="text/plain")


def install_handlers(app: FastAPI) -> None:
    """Register :func:`error_response` for every error allygraph raises on purpose."""

    async def handle(request: Request, exc: Exception) -> Response:
        return error_response(request, exc)

    app.add_exception_handler(AllygraphError, handle)
