"""The web app: ``create_app(settings)`` and ``serve(settings, host, port)``.

Routes:

==========================  =========================================================
``/``                       home: the dataset, counts, search, classes, editor, dumps
``/sparql``                 SPARQL 1.1 query endpoint; without a query the service
                            description (machines) or the query editor (browsers)
``/id/...``                 every IRI minted under the base (content negotiation)
``/graph/...``              the named graphs (one per source document)
``/ontology``, ``/shapes``  the ontology and the SHACL shapes
``/search``, ``/browse``    label search (prefix, then substring); instances by class
``/.well-known/void``       VoID + DCAT description
``/dumps``, ``/dumps/*``    dumps with SHA-256 checksums
``/validation``             the SHACL validation report of the release
``/health``                 liveness, release and workers
==========================  =========================================================
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.middleware.cors import CORSMiddleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from allygraph.serve.handlers import install_handlers
from allygraph.serve.routers import reconcile, resources, site, sparql
from allygraph.serve.routers.sparql import SparqlFastPath
from allygraph.serve.state import ServeState, default_workers
from allygraph.settings import Settings

__all__ = ["create_app", "serve"]

access_log = logging.getLogger("allygraph.serve.access")


class AccessLogMiddleware:
    """One JSON line per request: method, path, status, bytes, duration (pure ASGI, cheap)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not access_log.isEnabledFor(logging.INFO):
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 0
        size = 0

        async def wrapped(message: Message) -> None:
            nonlocal status, size
            if message["type"] == "http.response.start":
                status = message["status"]
            elif message["type"] == "http.response.body":
                size += len(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, receive, wrapped)
        finally:
            access_log.info(
                json.dumps(
                    {
                        "event": "access",
                        "method": scope["method"],
                        "path": scope["path"],
                        "status": status,
                        "bytes": size,
                        "ms": round((time.perf_counter() - started) * 1000, 2),
                        "client": (scope.get("client") or ("-",))[0],
                    }
                )
            )


class AllygraphApp(FastAPI):
    """The FastAPI app with two outer layers: the access log and the ``/sparql`` fast path.

    Queries to ``/sparql`` are the hot path: :class:`SparqlFastPath` answers them before the
    framework's own middleware (error pages, CORS, gzip, routing, dependencies), doing what
    those would do itself. Everything else takes the usual way.
    """

    cors_origins: tuple[str, ...] = ("*",)

    def build_middleware_stack(self) -> ASGIApp:
        """The framework's stack wrapped in the fast path and the access log."""
        inner = super().build_middleware_stack()
        return AccessLogMiddleware(SparqlFastPath(inner, list(self.cors_origins)))


def create_app(settings: Settings | None = None, *, workers: int | None = None) -> FastAPI:
    """Create the web app over the published release of ``settings.store``.

    Args:
        settings: Configuration; read from ``ALLYGRAPH_*`` variables when None.
        workers: Query worker processes kept running (default: one per core, at least two;
            more start while long queries hold them). ``0`` runs
            queries in threads, which cannot be stopped at the time limit: tests only.

    The store is opened and the workers are started in the app's lifespan.
    """
    settings = settings or Settings()
    count = default_workers() if workers is None else workers

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        state = ServeState(settings, count)
        app.state.allygraph = state
        await state.start()
        try:
            yield
        finally:
            await state.stop()

    app = AllygraphApp(
        title="allygraph",
        description="Linked data and SPARQL for texts on the US-Japan alliance and Korea.",
        lifespan=lifespan,
        docs_url="/api/docs",
        redoc_url=None,
        openapi_url="/api/openapi.json",
    )
    install_handlers(app)
    app.include_router(sparql.router)
    app.include_router(resources.router)
    app.include_router(site.router)
    app.include_router(reconcile.router)
    app.mount("/static", StaticFiles(directory=Path(__file__).with_name("static")), "static")
    app.add_middleware(GZipMiddleware, minimum_size=1024)
    app.add_middleware(
        CORSMiddleware,
        allow_origins=settings.cors_origins,
        allow_credentials=False,
        allow_methods=["GET", "HEAD", "POST", "OPTIONS"],
        allow_headers=["Accept", "Content-Type", "If-None-Match", "If-Modified-Since"],
        expose_headers=["ETag", "Last-Modified", "Link", "Content-Location", "X-Allygraph-Error"],
        max_age=600,
    )
    app.cors_origins = tuple(settings.cors_origins)
    return app


def serve(
    settings: Settings,
    host: str = "127.0.0.1",
    port: int = 8000,
    *,
    workers: int | None = None,
    **kwargs: Any,
) -> None:
    """Run the app with uvicorn until interrupted (``allygraph serve``).

    Args:
        settings: Configuration.
        host: Interface to listen on.
        port: TCP port.
        workers: Query worker processes (see :func:`create_app`).
        **kwargs: Passed to :func:`uvicorn.run`.

    Access and query logs go to stderr as JSON lines; uvicorn's own access log is off.
    """
    import uvicorn

    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(message)s"))
    for name in ("allygraph.serve.access", "allygraph.serve.query", "allygraph.serve"):
        logger = logging.getLogger(name)
        logger.setLevel(logging.INFO)
        if not logger.handlers:
            logger.addHandler(handler)
        logger.propagate = False
    app = create_app(settings, workers=workers)
    uvicorn.run(app, host=host, port=port, access_log=False, **kwargs)
