"""``/reconcile``: a W3C Entity Reconciliation API service (version 0.2, OpenRefine's).

==================================  ==============================================================
``GET /reconcile``                  the service manifest (no parameters)
``GET|POST /reconcile``             ``queries=<batch>``: reconciliation; ``extend=<query>``:
                                    data extension (form body or query string; ``callback`` JSONP)
``GET /reconcile/suggest/entity``   ``prefix``, ``cursor``: entity auto-complete
``GET /reconcile/suggest/type``     ``prefix``, ``cursor``: ontology classes
``GET /reconcile/suggest/property`` ``prefix``, ``cursor``: properties (ontology + ``wikidata``)
``GET /reconcile/flyout/entity``    ``id``: a small HTML preview (JSON ``{id, html}``)
``GET /reconcile/preview``          ``id``: an HTML preview for OpenRefine's iframe
``GET /reconcile/properties``       ``type``, ``limit``: properties proposed for data extension
==================================  ==============================================================

Entity ids are entity keys (``person/naoto-kan``; identifier space ``{base}id/``); types are
ontology classes by local name (``Person``; schema space the ontology namespace). A candidate
gets ``match: true`` only when its name equals the query exactly, no other candidate's does,
and every property constraint is met: precision before convenience.

Bad requests (malformed JSON, a batch that breaks the spec's schema, an unknown property in
an extension) get HTTP 400 and ``{"status": "error", "message": ..., "details": ...}``; the
0.2 specification leaves the body of errors open ("Error Handling and Rate-limiting"), and
this is the shape the Wikidata reconciliation service uses. More than :data:`BATCH_SIZE`
queries in one batch get 413, as the specification allows.
"""

from __future__ import annotations

import html
import json
import re
import threading
from typing import Annotated, Any, Literal, Protocol
from urllib.parse import parse_qs

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictFloat,
    StrictInt,
    StrictStr,
    TypeAdapter,
    ValidationError,
    model_validator,
)

from allygraph import __version__
from allygraph.serve.routers.reconcile_index import (
    IndexedEntity,
    ReconcileIndex,
    build_index,
    fold_name,
)
from allygraph.vocab import AG

__all__ = ["BATCH_SIZE", "get_index", "router"]

router = APIRouter(prefix="/reconcile", tags=["reconciliation"])

BATCH_SIZE = 100
"""Most queries one batch may hold (announced in the manifest as ``batchSize``)."""
DEFAULT_LIMIT = 5
MAX_LIMIT = 100
SUGGEST_PAGE = 10
WIKIDATA_SERVICE = "https://wikidata.reconci.link/en/api"
_CALLBACK = re.compile(r"^[A-Za-z_$][\w$.]{0,63}$")
_LOCK = threading.Lock()


class _State(Protocol):
    """What the router needs from the app state (``ServeState`` or a test stand-in)."""

    base: str
    cache: dict[str, Any]

    @property
    def published(self) -> Any:
        """The published store (``.store`` is a read-only pyoxigraph Store)."""


def get_index(request: Request) -> ReconcileIndex:
    """FastAPI dependency: the index of the current release, built on first use."""
    state: _State = request.app.state.allygraph
    index = state.cache.get("reconcile")
    if isinstance(index, ReconcileIndex):
        return index
    with _LOCK:
        index = state.cache.get("reconcile")
        if not isinstance(index, ReconcileIndex):
            base = str(state.published.release.get("base_uri") or state.base)
            union = not getattr(state.published, "default_graph_materialized", False)
            index = build_index(state.published.store, base, union=union)
            state.cache["reconcile"] = index
    return index


IndexDep = Annotated[ReconcileIndex, Depends(get_index)]


# -- request bodies (the spec's JSON schemas, as pydantic models) -----------------------


class _EntityValue(BaseModel):
    model_config = ConfigDict(extra="allow")
    id: StrictStr
    name: StrictStr | None = None


_Value = StrictStr | StrictBool | StrictInt | StrictFloat | _EntityValue


class _Constraint(BaseModel):
    model_config = ConfigDict(extra="allow")
    pid: StrictStr
    v: _Value | list[_Value]


class _Query(BaseModel):
    model_config = ConfigDict(extra="forbid")
    query: StrictStr | None = None
    type: StrictStr | list[StrictStr] | None = None
    limit: StrictInt | StrictFloat | None = None
    properties: list[_Constraint] | None = None
    type_strict: Literal["any", "should", "all"] | None = None

    @model_validator(mode="after")
    def _query_or_properties(self) -> _Query:
        if not (self.query and self.query.strip()) and not self.properties:
            msg = "a query needs a non-empty 'query' or at least one of 'properties'"
            raise ValueError(msg)
        return self


class _ExtendProperty(BaseModel):
    model_config = ConfigDict(extra="allow")
    id: StrictStr
    settings: dict[str, Any] = Field(default_factory=dict)


class _Extend(BaseModel):
    model_config = ConfigDict(extra="allow")
    ids: list[StrictStr]
    properties: list[_ExtendProperty]


_BATCH = TypeAdapter(dict[str, _Query])


class _BadRequest(Exception):
    def __init__(self, message: str, details: Any = None, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.details = details
        self.status = status


def _error(err: _BadRequest) -> JSONResponse:
    body: dict[str, Any] = {"status": "error", "message": err.message}
    if err.details is not None:
        body["details"] = err.details
    return JSONResponse(body, status_code=err.status)


def _parse_json(name: str, text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError as err:
        raise _BadRequest(f"'{name}' must be JSON ({err})") from None


def _problems(err: ValidationError) -> list[str]:
    return [
        f"{'.'.join(str(p) for p in e['loc']) or '(root)'}: {e['msg']}"
        for e in err.errors(include_url=False)
    ]


# -- reconciliation ------------------------------------------------------------------


def _type_objects(index: ReconcileIndex, entity: IndexedEntity) -> list[dict[str, str]]:
    return [{"id": t, "name": index.types[t].name if t in index.types else t} for t in entity.types]


def _values(index: ReconcileIndex, entity: IndexedEntity, pid: str, store: Any) -> list[str]:
    """Comparable values (ids, labels, lexical forms) of one property of one entity."""
    if pid == "wikidata":
        return list(entity.wikidata)
    if pid in {"label", "altLabel"}:
        return list(entity.names)
    if pid == "description":
        return [entity.description] if entity.description else []
    if pid == "linkSource":
        return [entity.link_source] if entity.link_source else []
    info = index.properties.get(pid)
    if info is None or info.iri is None:
        return []
    out: list[str] = []
    for quad in store.quads_for_pattern(_node(entity.iri), _node(info.iri), None, None):
        value = str(quad.object.value)
        out.append(value)
        owner = index.entity_id(value)
        if owner is not None:
            out += [owner, *index.entities[owner].names]
    return out


def _node(iri: str) -> Any:
    import pyoxigraph as ox

    return ox.NamedNode(iri)


def _constraint_score(wanted: Any, have: list[str]) -> float:
    wanted_values = wanted if isinstance(wanted, list) else [wanted]
    folded = {fold_name(h) for h in have}
    best = 0.0
    for value in wanted_values:
        text = value.id if isinstance(value, _EntityValue) else str(value).lower()
        if isinstance(value, bool):
            text = "true" if value else "false"
        if text in have or fold_name(text) in folded:
            return 1.0
        if isinstance(value, _EntityValue) and value.name and fold_name(value.name) in folded:
            best = max(best, 0.9)
    return best


def _reconcile_one(index: ReconcileIndex, query: _Query, store: Any) -> list[dict[str, Any]]:
    limit = max(1, min(MAX_LIMIT, int(query.limit or DEFAULT_LIMIT)))
    wanted_types = [query.type] if isinstance(query.type, str) else list(query.type or [])
    allowed: set[str] = set()
    for type_id in wanted_types:
        allowed |= index.subtypes(type_id.removeprefix(str(AG)))
    text = (query.query or "").strip()
    exact_id = index.entity_id(text) if text else None
    if exact_id is not None:
        names = {exact_id: 1.0}
        exact = {exact_id}
    elif text:
        names = index.name_scores(text, limit=max(50, limit * 10))
        exact = index.exact_owners(text)
    else:  # properties only: every entity of the wanted types is a candidate
        names = {k: 0.0 for k, e in index.entities.items() if not allowed or allowed & set(e.types)}
        exact = set()
    candidates = []
    for key, name_score in names.items():
        entity = index.entities[key]
        type_ok = not allowed or bool(allowed & set(entity.types))
        if not type_ok and query.type_strict != "should":
            continue
        features: list[dict[str, Any]] = [{"id": "name", "value": name_score}]
        constraint_scores = []
        for constraint in query.properties or []:
            value = _constraint_score(constraint.v, _values(index, entity, constraint.pid, store))
            constraint_scores.append(value)
            features.append({"id": f"property_{constraint.pid}", "value": value})
        if wanted_types:
            features.append({"id": "type_match", "value": type_ok})
        features.append({"id": "wikidata_linked", "value": bool(entity.wikidata)})
        if text:
            score = (
                name_score
                if not constraint_scores
                else 0.7 * name_score + 0.3 * (sum(constraint_scores) / len(constraint_scores))
            )
        else:
            score = sum(constraint_scores) / len(constraint_scores)
            if score == 0:
                continue
        if not type_ok:
            score *= 0.8
        candidates.append((round(100 * score, 2), key, entity, features, constraint_scores))
    candidates.sort(key=lambda c: (-c[0], c[2].name, c[1]))
    results = []
    for score, key, entity, features, constraint_scores in candidates[:limit]:
        sure = all(s >= 0.9 for s in constraint_scores)
        match = sure and (
            (key in exact and len(exact) == 1)
            or (not text and score >= 99.99 and len(candidates) == 1)
        )
        result: dict[str, Any] = {
            "id": key,
            "name": entity.name,
            "score": score,
            "match": match,
            "type": _type_objects(index, entity),
            "features": features,
        }
        if entity.description:
            result["description"] = entity.description
        results.append(result)
    return results


def _manifest(index: ReconcileIndex, service: str) -> dict[str, Any]:
    default_types = [
        {"id": t, "name": index.types[t].name}
        for t in ("Person", "Agency", "Treaty", "MilitaryBase", "State", "Place", "Event")
        if t in index.types
    ]
    return {
        "versions": ["0.2"],
        "name": "allygraph: the US-Japan alliance and Korea",
        "identifierSpace": index.identifier_space,
        "schemaSpace": str(AG),
        "documentation": f"{service}/docs",
        "serviceVersion": __version__,
        "batchSize": BATCH_SIZE,
        "view": {"url": f"{index.identifier_space}{{{{id}}}}"},
        "defaultTypes": default_types,
        "preview": {"url": f"{service}/preview?id={{{{id}}}}", "width": 400, "height": 140},
        "suggest": {
            "entity": {
                "service_url": service,
                "service_path": "/suggest/entity",
                "flyout_service_path": "/flyout/entity?id=${id}",
            },
            "type": {"service_url": service, "service_path": "/suggest/type"},
            "property": {"service_url": service, "service_path": "/suggest/property"},
        },
        "extend": {
            "propose_properties": {"service_url": service, "service_path": "/properties"},
            "property_settings": [
                {
                    "name": "limit",
                    "label": "Limit",
                    "type": "number",
                    "default": 0,
                    "help_text": "Most values returned per entity (0: all)",
                }
            ],
        },
    }


def _service_url(request: Request) -> str:
    return str(request.base_url).rstrip("/") + router.prefix


# -- data extension ------------------------------------------------------------------


def _cell(index: ReconcileIndex, term: Any) -> dict[str, Any]:
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        owner = index.entity_id(term.value)
        if owner is not None:
            return {"id": owner, "name": index.entities[owner].name}
        return {"str": term.value}
    value = str(term.value)
    datatype = term.datatype.value if isinstance(term, ox.Literal) else ""
    if datatype.endswith("#integer") and re.fullmatch(r"-?\d+", value):
        return {"int": int(value)}
    if datatype.endswith(("#decimal", "#double", "#float")):
        try:
            return {"float": float(value)}
        except ValueError:
            return {"str": value}
    if datatype.endswith("#date") and re.fullmatch(r"-?\d{4}-\d{2}-\d{2}", value):
        return {"date": f"{value}T00:00:00Z"}
    if datatype.endswith("#dateTime") and re.fullmatch(r"-?\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", value):
        return {"date": value}
    return {"str": value}


def _extend(index: ReconcileIndex, request: _Extend, store: Any) -> dict[str, Any]:
    meta: list[dict[str, Any]] = []
    for prop in request.properties:
        info = index.properties.get(prop.id)
        if info is None:
            known = ", ".join(sorted(index.properties))
            raise _BadRequest(f"extend: unknown property {prop.id!r}", f"known: {known}")
        column: dict[str, Any] = {"id": info.id, "name": info.name}
        if info.id == "wikidata":
            column["service"] = WIKIDATA_SERVICE
        meta.append(column)
    rows: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for raw_id in request.ids:
        key = index.entity_id(raw_id)
        entity = index.entities.get(key) if key else None
        row: dict[str, list[dict[str, Any]]] = {}
        for prop in request.properties:
            limit = prop.settings.get("limit", 0)
            try:
                limit = int(limit or 0)
            except (TypeError, ValueError):
                raise _BadRequest(
                    f"extend: setting 'limit' of {prop.id} must be a number"
                ) from None
            cells = [] if entity is None else _extend_cells(index, entity, prop.id, store)
            row[prop.id] = cells[:limit] if limit > 0 else cells
        rows[raw_id] = row
    return {"meta": meta, "rows": rows}


def _extend_cells(
    index: ReconcileIndex, entity: IndexedEntity, pid: str, store: Any
) -> list[dict[str, Any]]:
    if pid == "wikidata":
        return [{"id": q, "name": q} for q in entity.wikidata]
    info = index.properties[pid]
    assert info.iri is not None
    seen: list[dict[str, Any]] = []
    for quad in store.quads_for_pattern(_node(entity.iri), _node(info.iri), None, None):
        cell = _cell(index, quad.object)
        if cell not in seen:
            seen.append(cell)
    return seen


# -- routes ------------------------------------------------------------------------


def _respond(data: Any, callback: str | None) -> Response:
    if callback:
        if not _CALLBACK.match(callback):
            return _error(_BadRequest("'callback' must be a JavaScript identifier"))
        body = f"/**/{callback}({json.dumps(data, ensure_ascii=False)});"
        return Response(body, media_type="application/javascript")
    return JSONResponse(data)


def _service(index: ReconcileIndex, request: Request, params: dict[str, str]) -> Response:
    callback = params.get("callback")
    store = request.app.state.allygraph.published.store
    try:
        if "queries" in params:
            raw = _parse_json("queries", params["queries"])
            if isinstance(raw, dict) and len(raw) > BATCH_SIZE:
                msg = f"queries: a batch holds at most {BATCH_SIZE} queries (got {len(raw)})"
                raise _BadRequest(msg, status=413)
            try:
                batch = _BATCH.validate_python(raw)
            except ValidationError as err:
                raise _BadRequest(
                    "queries: the batch breaks the 0.2 schema", _problems(err)
                ) from None
            result = {qid: {"result": _reconcile_one(index, q, store)} for qid, q in batch.items()}
            return _respond(result, callback)
        if "extend" in params:
            raw = _parse_json("extend", params["extend"])
            try:
                extend = _Extend.model_validate(raw)
            except ValidationError as err:
                raise _BadRequest(
                    "extend: the query breaks the 0.2 schema", _problems(err)
                ) from None
            return _respond(_extend(index, extend, store), callback)
    except _BadRequest as err:
        return _error(err)
    return _respond(_manifest(index, _service_url(request)), callback)


@router.get("", summary="Manifest, or reconciliation / data extension via ?queries= / ?extend=")
def reconcile_get(request: Request, index: IndexDep) -> Response:
    """Answer the manifest, a query batch or a data extension query given in the URL."""
    return _service(index, request, dict(request.query_params))


@router.post("", summary="Reconciliation (form field queries) or data extension (extend)")
async def reconcile_post(request: Request) -> Response:
    """Answer a query batch or data extension query sent as a form (or in the URL)."""
    params = dict(request.query_params)
    content_type = request.headers.get("content-type", "")
    if content_type.startswith("application/x-www-form-urlencoded"):
        # Parsed here rather than with request.form(): that needs python-multipart.
        body = (await request.body()).decode("utf-8", errors="replace")
        params.update({k: v[-1] for k, v in parse_qs(body, keep_blank_values=True).items()})
    import anyio.to_thread

    index = await anyio.to_thread.run_sync(get_index, request)
    return await anyio.to_thread.run_sync(_service, index, request, params)


def _item(id: str, name: str, description: str) -> dict[str, Any]:
    """A suggested entity, type or property: id, name and (when known) description."""
    item: dict[str, Any] = {"id": id, "name": name}
    if description:
        item["description"] = description
    return item


def _page(items: list[dict[str, Any]], cursor: int) -> dict[str, Any]:
    return {"result": items[cursor : cursor + SUGGEST_PAGE]}


def _prefix_rank(prefix: str, names: list[str]) -> int | None:
    """0: a name starts with the prefix; 1: a word of a name does; 2: contains; None: no."""
    folded = fold_name(prefix)
    if not folded:
        return 0
    folded_names = [fold_name(n) for n in names]
    if any(n.startswith(folded) for n in folded_names):
        return 0
    if any(f" {folded}" in f" {n}" for n in folded_names):
        return 1
    if any(folded in n for n in folded_names):
        return 2
    return None


Cursor = Annotated[int, Query(ge=0, description="Suggestions to skip")]


@router.get("/suggest/entity", summary="Entity auto-complete")
def suggest_entity(
    index: IndexDep, prefix: str = "", cursor: Cursor = 0, type: str | None = None
) -> Response:
    """Entities whose name (or id) starts with, has a word starting with, or contains prefix."""
    allowed = index.subtypes(type) if type else None
    exact = index.entity_id(prefix) if prefix else None
    ranked = []
    for key, entity in index.entities.items():
        if allowed is not None and not allowed & set(entity.types):
            continue
        rank = -1 if key == exact else _prefix_rank(prefix, [entity.name, *entity.names])
        if rank is not None:
            ranked.append((rank, fold_name(entity.name), key, entity))
    ranked.sort(key=lambda r: (r[0], r[1], r[2]))
    items = [
        {**_item(key, entity.name, entity.description), "notable": _type_objects(index, entity)}
        for _, _, key, entity in ranked
    ]
    return JSONResponse(_page(items, cursor))


@router.get("/suggest/type", summary="Type auto-complete (ontology classes)")
def suggest_type(index: IndexDep, prefix: str = "", cursor: Cursor = 0) -> Response:
    """Ontology classes matching prefix, most populated first."""
    ranked = []
    for info in index.types.values():
        rank = _prefix_rank(prefix, [info.name, info.id])
        if rank is not None:
            ranked.append((rank, -index.type_counts.get(info.id, 0), info.id, info))
    ranked.sort(key=lambda r: r[:3])
    items = []
    for *_, info in ranked:
        item = _item(info.id, info.name, info.description)
        if info.broader:
            item["broader"] = [{"id": b, "name": index.types[b].name} for b in info.broader]
        items.append(item)
    return JSONResponse(_page(items, cursor))


@router.get("/suggest/property", summary="Property auto-complete")
def suggest_property(index: IndexDep, prefix: str = "", cursor: Cursor = 0) -> Response:
    """Properties (ontology properties used by entities, plus wikidata and labels)."""
    ranked = []
    for info in index.properties.values():
        rank = _prefix_rank(prefix, [info.name, info.id])
        if rank is not None:
            by_id = 0 if fold_name(info.id).startswith(fold_name(prefix)) else 1
            ranked.append((rank, by_id, info.id, info))
    ranked.sort(key=lambda r: r[:3])
    items = [_item(info.id, info.name, info.description) for *_, info in ranked]
    return JSONResponse(_page(items, cursor))


@router.get("/properties", summary="Properties proposed for data extension of a type")
def propose_properties(
    index: IndexDep,
    type: str = "",
    limit: Annotated[int | None, Query(ge=1)] = None,
) -> Response:
    """The properties entities of ``type`` (and its subclasses) actually use."""
    found: list[str] = []
    for cls in sorted(index.subtypes(type)) if type else sorted(index.type_properties):
        for pid in index.type_properties.get(cls, []):
            if pid not in found:
                found.append(pid)
    if not found:
        found = [
            p for p in ("label", "altLabel", "description", "wikidata") if p in index.properties
        ]
    if limit:
        found = found[:limit]
    body: dict[str, Any] = {
        "type": type,
        "properties": [
            {"id": p, "name": index.properties[p].name} for p in found if p in index.properties
        ],
    }
    if limit:
        body["limit"] = limit
    return JSONResponse(body)


def _entity_html(index: ReconcileIndex, entity: IndexedEntity) -> str:
    types = ", ".join(t["name"] for t in _type_objects(index, entity))
    parts = [
        f'<p><a href="{html.escape(entity.iri)}" target="_blank"><strong>'
        f"{html.escape(entity.name)}</strong></a> <small>({html.escape(types)})</small></p>"
    ]
    if entity.description:
        parts.append(f"<p>{html.escape(entity.description)}</p>")
    for qid in entity.wikidata:
        source = (
            f" <small>[{html.escape(entity.link_source)}]</small>" if entity.link_source else ""
        )
        parts.append(
            f'<p>Wikidata: <a href="https://www.wikidata.org/wiki/{html.escape(qid)}" '
            f'target="_blank">{html.escape(qid)}</a>{source}</p>'
        )
    return "\n".join(parts)


def _lookup(index: ReconcileIndex, id: str) -> IndexedEntity | None:
    key = index.entity_id(id)
    return index.entities.get(key) if key else None


@router.get("/flyout/entity", summary="Flyout for a suggested entity")
def flyout_entity(index: IndexDep, id: str) -> Response:
    """``{id, html}`` for the suggested entity; 404 with the error shape when unknown."""
    entity = _lookup(index, id)
    if entity is None:
        return _error(_BadRequest(f"id: no entity {id!r} in this dataset", status=404))
    return JSONResponse({"id": id, "html": _entity_html(index, entity)})


@router.get("/preview", summary="HTML preview of an entity", response_class=HTMLResponse)
def preview(index: IndexDep, id: str) -> Response:
    """An HTML page summarizing the entity, sized for OpenRefine's preview iframe."""
    entity = _lookup(index, id)
    if entity is None:
        body = f"<p>No entity {html.escape(id)!s} in this dataset.</p>"
        return HTMLResponse(_page_html("not found", body), status_code=404)
    return HTMLResponse(_page_html(entity.name, _entity_html(index, entity)))


def _page_html(title: str, body: str) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title>"
        "<style>body{font:14px/1.4 sans-serif;margin:6px}p{margin:2px 0}</style></head>"
        f"<body>\n{body}\n</body></html>\n"
    )
