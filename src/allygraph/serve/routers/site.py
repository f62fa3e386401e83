"""Home page, label search, class browsing, VoID, dumps, the validation report and /health."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, JSONResponse, Response

from allygraph.serve.dataset import DUMPS, dump_dir, ensure_dump, void_triples
from allygraph.serve.examples import EXAMPLES
from allygraph.serve.handlers import NotFoundError
from allygraph.serve.negotiation import PAGE_FORMATS, choose
from allygraph.serve.rendering import local_href, render, shorten
from allygraph.serve.routers.resources import serialize_triples
from allygraph.serve.state import ServeState, get_state

__all__ = ["router"]

router = APIRouter()
PAGE_SIZE = 50
AG = "https://w3id.org/allygraph/ontology#"


def _conditional(request: Request, state: ServeState, *variant: str) -> tuple[str, Response | None]:
    etag = state.etag(*variant)
    if state.not_modified(request, etag):
        return etag, Response(status_code=304, headers=state.cache_headers(etag))
    return etag, None


@router.api_route("/", methods=["GET", "HEAD"], include_in_schema=False)
async def home(request: Request) -> Response:
    """What the dataset is, its counts, search, classes, the query editor and the dumps."""
    state = get_state(request)
    etag, early = _conditional(request, state, "home")
    if early:
        return early
    cat = await state.in_thread(state.catalog)
    classes = [
        {
            "iri": c,
            "label": cat.labels.get(c) or shorten(c),
            "count": n,
            "href": "/browse?class=" + shorten(c),
        }
        for c, n in sorted(cat.classes.items(), key=lambda kv: -kv[1])
        if c.startswith(AG)
    ]
    info = state.published.release
    context = {
        "triples": info.get("triples"),
        "documents": len(info.get("documents") or {}),
        "graphs": len(info.get("graphs") or {}),
        "created": info.get("created"),
        "conforms": info.get("conforms"),
        "classes": classes,
        "examples": EXAMPLES,
        "dumps": DUMPS,
    }
    return render(request, "home.html", context, headers=state.cache_headers(etag))


@router.get("/search", include_in_schema=False)
async def search(request: Request, q: str = "") -> Response:
    """Entities whose label or alias starts with, then contains, the text (HTML or JSON)."""
    state = get_state(request)
    cat = await state.in_thread(state.catalog)
    iris = cat.search(q, limit=100)
    results = [
        {"iri": i, "label": cat.labels.get(i) or i, "href": local_href(state.base, i) or i}
        for i in iris
    ]
    accept = request.headers.get("accept", "")
    if "application/json" in accept or request.query_params.get("format") == "json":
        return JSONResponse({"query": q, "results": results})
    return render(
        request,
        "list.html",
        {
            "title": f"Search: {q}" if q else "Search",
            "q": q,
            "items": results,
            "page": 1,
            "pages": 1,
            "cls": None,
        },
    )


@router.get("/browse", include_in_schema=False)
async def browse(request: Request, page: int = 1) -> Response:
    """Instances of a class (``?class=ag:Person`` or a full IRI), 50 per page."""
    state = get_state(request)
    cls = request.query_params.get("class", "")
    iri = AG + cls[3:] if cls.startswith("ag:") else cls
    cat = await state.in_thread(state.catalog)
    members = cat.members.get(iri)
    if members is None:
        msg = f"class {cls!r}: not a class with instances in this dataset"
        raise NotFoundError(msg)
    pages = max(1, -(-len(members) // PAGE_SIZE))
    page = min(max(page, 1), pages)
    chunk = members[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    items = [
        {
            "iri": i,
            "label": cat.labels.get(i) or i.rsplit("/", 1)[-1],
            "href": local_href(state.base, i) or i,
        }
        for i in chunk
    ]
    title = f"{cat.labels.get(iri) or shorten(iri)} ({len(members)})"
    return render(
        request,
        "list.html",
        {"title": title, "items": items, "page": page, "pages": pages, "cls": cls, "q": ""},
    )


def _dump_folder(state: ServeState) -> Path:
    return dump_dir(state.published.release_dir, state.release_name)


async def _checksums(state: ServeState) -> dict[str, str]:
    sums: dict[str, str] | None = state.cache.get("checksums")
    if sums is None:
        folder = _dump_folder(state)
        sums = {}
        for dump in DUMPS:
            _, digest = await state.in_thread(
                partial(ensure_dump, state.store, folder, dump, materialized=state.materialized)
            )
            sums[dump.name] = digest
        state.cache["checksums"] = sums
    return sums


@router.api_route("/.well-known/void", methods=["GET", "HEAD"], include_in_schema=False)
async def void(request: Request) -> Response:
    """VoID and DCAT description of the dataset (Turtle, JSON-LD, N-Triples, RDF/XML)."""
    state = get_state(request)
    offered = tuple(f for f in PAGE_FORMATS if f.key != "html")
    fmt = (
        choose(request.headers.get("accept"), offered)
        if not request.query_params.get("format")
        else next(
            f
            for f in offered
            if request.query_params["format"] in (f.key, f.extension, f.media_type)
        )
    )
    etag, early = _conditional(request, state, "void", fmt.key)
    if early:
        return early
    triples: list[Any] | None = state.cache.get("void")
    if triples is None:
        sums = await _checksums(state)
        triples = await state.in_thread(
            partial(
                void_triples,
                state.store,
                state.base,
                state.published.release,
                sums,
                materialized=state.materialized,
            )
        )
        state.cache["void"] = triples
    assert triples is not None
    body = serialize_triples(triples, fmt.key)
    headers = {"Vary": "Accept", **state.cache_headers(etag)}
    return Response(body, 200, headers, media_type=fmt.content_type)


@router.get("/dumps", include_in_schema=False)
async def dumps(request: Request) -> Response:
    """The dump files with their sizes and SHA-256 checksums."""
    state = get_state(request)
    sums = await _checksums(state)
    folder = _dump_folder(state)
    files = [
        {
            "name": d.name,
            "media_type": d.media_type,
            "gzip": d.gzip,
            "quads": d.quads,
            "sha256": sums[d.name],
            "size": (folder / d.name).stat().st_size,
        }
        for d in DUMPS
    ]
    return render(request, "dumps.html", {"files": files})


@router.get("/dumps/SHA256SUMS", include_in_schema=False)
async def dump_sums(request: Request) -> Response:
    """Checksums in the format of ``sha256sum -c``."""
    sums = await _checksums(get_state(request))
    body = "".join(f"{digest}  {name}\n" for name, digest in sums.items())
    return Response(body, media_type="text/plain; charset=utf-8")


@router.api_route("/dumps/{name}", methods=["GET", "HEAD"], include_in_schema=False)
async def dump_file(request: Request, name: str) -> Response:
    """One dump file (served with its checksum in ``Digest``-style headers)."""
    state = get_state(request)
    dump = next((d for d in DUMPS if d.name == name), None)
    if dump is None:
        msg = f"/dumps/{name}: no such dump (offered: {', '.join(d.name for d in DUMPS)})"
        raise NotFoundError(msg)
    sums = await _checksums(state)
    path: Path = _dump_folder(state) / dump.name
    headers = {**state.cache_headers(state.etag("dump", name)), "X-Checksum-SHA256": sums[name]}
    media = "application/gzip" if dump.gzip else dump.media_type
    return FileResponse(path, media_type=media, headers=headers, filename=name)


@router.get("/validation", include_in_schema=False)
async def validation(request: Request) -> Response:
    """The SHACL validation report of the published release (Turtle)."""
    state = get_state(request)
    headers = state.cache_headers(state.etag("validation"))
    if state.published.release_dir is None:  # remote: the report travels in the release info
        files = state.published.release.get("files")
        report = files.get("validation.ttl") if isinstance(files, dict) else None
        if not isinstance(report, str):
            msg = "validation: this release has no validation report"
            raise NotFoundError(msg)
        return Response(report, 200, headers, media_type="text/turtle; charset=utf-8")
    path = state.published.release_dir / "validation.ttl"
    if not path.is_file():
        msg = "validation: this release has no validation report"
        raise NotFoundError(msg)
    return FileResponse(
        path,
        media_type="text/turtle; charset=utf-8",
        headers=state.cache_headers(state.etag("validation")),
    )


@router.get("/health", include_in_schema=False)
async def health(request: Request) -> Response:
    """Liveness and readiness: the release served, the workers alive, the query threads."""
    state = get_state(request)
    body: dict[str, Any] = {
        "status": "ok",
        "release": state.release_name,
        "triples": state.published.release.get("triples"),
        "store": "remote" if state.remote else "embedded",
        "default_graph": "materialized" if state.materialized else "union",
        "warm": state.warm,
        "threads": {
            "size": state.threads,
            "timed_out": state.thread_timeouts,
            "overrunning": state.overrunning,
        },
    }
    if state.pool is not None:
        body["workers"] = {
            "alive": state.pool.alive,
            "size": state.pool.size,
            "max": state.pool.max_size,
            "busy": state.pool.busy,
            "killed": state.pool.killed,
        }
        if state.pool.alive == 0:
            body["status"] = "degraded"
    try:
        await state.in_thread(state.store.query, "ASK {}")
    except OSError:
        body["status"] = "unavailable"
        return JSONResponse(body, 503, headers={"Cache-Control": "no-store"})
    return JSONResponse(body, headers={"Cache-Control": "no-store"})
