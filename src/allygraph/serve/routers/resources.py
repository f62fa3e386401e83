"""Dereferenceable IRIs: ``/id/...``, ``/graph/...``, ``/ontology`` and ``/shapes``.

Design: **200 with ``Vary: Accept``**, not 303. The IRI answers with the representation the
client asks for (HTML for browsers, Turtle, JSON-LD, N-Triples or RDF/XML for machines);
``Content-Location`` names the specific document (``/id/person/x.ttl``), whose RDF says
``<x.ttl> foaf:primaryTopic <x>``, so the thing and the page about it stay distinct (W3C TAG,
httpRange-14 resolution of 2012) without the extra round trip of a 303. Extension URLs
(``.ttl``, ``.jsonld``, ``.nt``, ``.rdf``, ``.html``) pick a format without headers; ``Link``
headers list every alternate with its media type. Unknown IRIs are 404 in the asked format.
"""

from __future__ import annotations

import bisect
import json
from collections import Counter, OrderedDict
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from fastapi import APIRouter, Request
from fastapi.responses import Response

from allygraph.serve.describe import Description, Term, describe, exists, passages, value_of
from allygraph.serve.examples import PREFIXES
from allygraph.serve.negotiation import PAGE_FORMATS, Format, NotAcceptableError, choose
from allygraph.serve.rendering import local_href, render, shorten
from allygraph.serve.state import ServeState, get_state

__all__ = ["RDF_FORMATS", "router", "serialize_triples"]

router = APIRouter()

RDF_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "jsonld": ox.RdfFormat.JSON_LD,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "rdfxml": ox.RdfFormat.RDF_XML,
}
_BY_EXT = {f.extension: f for f in PAGE_FORMATS}
PAGE_CACHE = 512  # rendered pages and data documents kept per release (releases are immutable)
AG = PREFIXES["ag"]
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
FOAF_TOPIC = ox.NamedNode("http://xmlns.com/foaf/0.1/primaryTopic")
ONTOLOGY_IRI = "https://w3id.org/allygraph/ontology"
SHAPES_IRI = "https://w3id.org/allygraph/shapes"
_HIDDEN = {
    RDF_TYPE,
    "http://www.w3.org/2000/01/rdf-schema#label",
    "http://www.w3.org/2004/02/skos/core#prefLabel",
    "http://www.w3.org/2004/02/skos/core#altLabel",
    "https://schema.org/description",
    "http://www.w3.org/2002/07/owl#sameAs",
    AG + "wikidata",
    AG + "text",
}
_INCOMING_HIDDEN = {
    "http://www.w3.org/ns/oa#hasBody",
    "http://www.w3.org/ns/oa#hasSource",
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#subject",
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#object",
    AG + "tenureOf",
}
# How an incoming link reads on the page of its object ("cited by", "held this post").
_INVERSE = {
    "holdsPost": "held this post",
    "cites": "cited by",
    "author": "author of",
    "editor": "editor of",
    "translator": "translator of",
    "publisher": "publisher of",
    "partOf": "contains",
    "usedBy": "bases used",
    "movedTo": "moved here",
    "party": "party to",
    "participant": "took part in",
    "place": "events here",
    "mentions": "mentioned in",
    "country": "in this country",
    "postIn": "posts in it",
    "post": "tenures of this post",
    "affiliatedWith": "affiliated people",
    "tenure": "tenure of",
}
_INVERSE_BY_CLASS = {
    ("locatedIn", "MilitaryBase"): "bases here",
    ("locatedIn", "Place"): "places in it",
    ("locatedIn", "Agency"): "organizations here",
}
_SCHEMA_TYPES = {
    "Person": "Person",
    "Treaty": "Legislation",
    "MilitaryBase": "Place",
    "State": "Country",
    "Place": "Place",
    "Event": "Event",
    "Book": "Book",
    "Chapter": "Chapter",
    "JournalArticle": "ScholarlyArticle",
    "Report": "Report",
    "NewsArticle": "NewsArticle",
    "Document": "CreativeWork",
    "Publication": "CreativeWork",
}


def serialize_triples(triples: list[ox.Triple], fmt: str) -> bytes:
    """Serialize triples with the usual prefixes (pyoxigraph's fast writers)."""
    return ox.serialize(triples, format=RDF_FORMATS[fmt], prefixes=PREFIXES) or b""


def _links(path: str) -> str:
    return ", ".join(
        f'<{path}.{f.extension}>; rel="alternate"; type="{f.media_type}"' for f in PAGE_FORMATS
    )


def _pick(request: Request, extension: str | None) -> Format:
    if extension is not None:
        return _BY_EXT[extension]
    name = request.query_params.get("format")
    if name:
        for fmt in PAGE_FORMATS:
            if name in (fmt.key, fmt.extension, fmt.media_type, *fmt.aliases):
                return fmt
        raise NotAcceptableError(f"format={name}", PAGE_FORMATS)
    return choose(request.headers.get("accept"), PAGE_FORMATS)


async def _exists(state: ServeState, iri: str) -> bool:
    """Whether the store knows the IRI (a few index seeks; an HTTP request when remote)."""
    if state.remote:
        known: bool = await state.in_thread(exists, state.store, iri, state.graph)
        return known
    return exists(state.store, iri, state.graph)


async def _split_extension(state: ServeState, path: str) -> tuple[str, str | None]:
    """``id/person/x.ttl`` -> (``id/person/x``, ``ttl``) unless ``x.ttl`` is itself known."""
    stem, dot, ext = path.rpartition(".")
    if dot and ext in _BY_EXT and not await _exists(state, state.base + path):
        return stem, ext
    return path, None


def _not_found(request: Request, iri: str, fmt: Format | None) -> Response:
    headers = {"Vary": "Accept", "Cache-Control": "no-store"}
    key = fmt.key if fmt else "text"
    if key == "html":
        return render(request, "notfound.html", {"iri": iri}, headers=headers, status=404)
    bodies = {
        "turtle": f"# Not found: <{iri}> is not described in this dataset.\n",
        "ntriples": f"# Not found: <{iri}> is not described in this dataset.\n",
        "jsonld": json.dumps({"@id": iri, "@graph": []}),
        "rdfxml": (
            '<?xml version="1.0"?>\n<!-- Not found: this IRI is not described here -->\n'
            '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>\n'
        ),
    }
    media = fmt.content_type if fmt else "text/plain; charset=utf-8"
    body = bodies.get(key, f"Not found: <{iri}>\n")
    return Response(body, 404, headers, media_type=media)


def _respond_rdf(
    request: Request,
    state: ServeState,
    path: str,
    iri: str,
    triples: list[ox.Triple],
    fmt: Format,
) -> Response:
    doc = ox.NamedNode(f"{state.base}{path}.{fmt.extension}")
    triples = [ox.Triple(doc, FOAF_TOPIC, ox.NamedNode(iri)), *triples]
    body = b"" if request.method == "HEAD" else serialize_triples(triples, fmt.key)
    return Response(body, 200, _headers(state, path, iri, fmt), media_type=fmt.content_type)


def _headers(state: ServeState, path: str, iri: str, fmt: Format) -> dict[str, str]:
    return {
        "Vary": "Accept",
        "Content-Location": f"/{path}.{fmt.extension}",
        "Link": _links("/" + path),
        **state.cache_headers(state.etag(iri, fmt.key)),
    }


async def _serve(request: Request, path: str) -> Response:
    state = get_state(request)
    path, extension = await _split_extension(state, path.rstrip("/"))
    iri = state.base + path
    try:
        fmt = _pick(request, extension)
    except NotAcceptableError:
        if not await _exists(state, iri):
            return _not_found(request, iri, None)
        raise
    if not await _exists(state, iri):
        return _not_found(request, iri, fmt)
    etag = state.etag(iri, fmt.key)
    if state.not_modified(request, etag):
        return Response(status_code=304, headers=_headers(state, path, iri, fmt))
    if path.startswith("graph/"):
        triples = await state.in_thread(_graph_triples, state.store, iri)
        if fmt.key == "html":
            return _graph_page(request, state, path, iri, len(triples), fmt)
        return _respond_rdf(request, state, path, iri, triples, fmt)
    cache: OrderedDict[tuple[str, str], Response] = state.cache.setdefault("pages", OrderedDict())
    hit = cache.get((iri, fmt.key))
    if hit is not None and request.method == "GET":
        cache.move_to_end((iri, fmt.key))
        return Response(hit.body, 200, _headers(state, path, iri, fmt), media_type=hit.media_type)
    # Look-ups run in a thread (pyoxigraph releases the GIL): a hub entity never blocks the loop.
    desc = await state.in_thread(describe, state.store, iri, state.graph)
    if fmt.key != "html":
        response = _respond_rdf(request, state, path, iri, list(desc.triples), fmt)
    else:
        page = await state.in_thread(entity_page, state, desc)
        template = "document.html" if page["is_document"] else "entity.html"
        response = render(request, template, page, headers=_headers(state, path, iri, fmt))
    if request.method == "GET":
        cache[(iri, fmt.key)] = response
        while len(cache) > PAGE_CACHE:
            cache.popitem(last=False)
    return response


@router.api_route("/id/{path:path}", methods=["GET", "HEAD"], include_in_schema=False)
async def resource(request: Request, path: str) -> Response:
    """Dereference an entity, document, mention, claim or other IRI minted under the base."""
    return await _serve(request, "id/" + path)


@router.api_route("/graph/{path:path}", methods=["GET", "HEAD"], include_in_schema=False)
async def named_graph(request: Request, path: str) -> Response:
    """Dereference a named graph: its triples, or a page about it."""
    return await _serve(request, "graph/" + path)


def _graph_triples(store: ox.Store, iri: str) -> list[ox.Triple]:
    node = ox.NamedNode(iri)
    return [
        ox.Triple(q.subject, q.predicate, q.object)
        for q in store.quads_for_pattern(None, None, None, node)
    ]


def _graph_page(
    request: Request, state: ServeState, path: str, iri: str, count: int, fmt: Format
) -> Response:
    context = {"iri": iri, "count": count, "path": "/" + path, "formats": PAGE_FORMATS}
    return render(request, "graph.html", context, headers=_headers(state, path, iri, fmt))


def _display(state: ServeState, iri: str) -> str:
    """How an IRI reads on a page: its label; a prefixed name; else its path under ``id/``."""
    label = state.labels().get(iri)
    if label:
        return label
    short = shorten(iri)
    if short == iri and iri.startswith(state.base + "id/"):
        return iri[len(state.base) + 3 :]  # "tenure/c4a5ba857002" rather than the whole IRI
    return short


def _cells(state: ServeState, values: list[Term]) -> list[dict[str, Any]]:
    """Values as page cells, in reading order of their labels (posts, tenures, places)."""
    cells = [_label_of(state, v) for v in values]
    cells.sort(key=lambda c: (str(c["text"]).casefold(), str(c.get("title", ""))))
    return cells


def _label_of(state: ServeState, term: Term) -> dict[str, Any]:
    if isinstance(term, ox.NamedNode):
        return {
            "text": _display(state, term.value),
            "href": local_href(state.base, term.value) or term.value,
            "title": term.value,
            "kind": "iri",
        }
    if isinstance(term, ox.Literal):
        hint = term.language or (
            shorten(term.datatype.value)
            if term.datatype.value.startswith(PREFIXES["xsd"])
            and not term.datatype.value.endswith("#string")
            else ""
        )
        return {"text": term.value, "href": None, "kind": "literal", "hint": hint}
    return {"text": str(term), "href": None, "kind": "bnode"}


def entity_page(state: ServeState, desc: Description) -> dict[str, Any]:
    """Everything the entity or document template shows, values already labelled."""
    iri = desc.iri
    node = ox.NamedNode(iri)
    cat = state.catalog()
    labels = cat.labels
    out_props: dict[str, list[Term]] = {}
    incoming: dict[str, list[Term]] = {}
    for t in desc.triples:
        if t.subject == node:
            out_props.setdefault(t.predicate.value, []).append(t.object)
        elif t.object == node:
            incoming.setdefault(t.predicate.value, []).append(t.subject)

    def values(p: str) -> list[Term]:
        return out_props.get(p, [])

    types = [t.value for t in values(RDF_TYPE) if isinstance(t, ox.NamedNode)]
    local_types = {t[len(AG) :] for t in types if t.startswith(AG)}
    label = labels.get(iri) or iri.rsplit("/", 1)[-1]
    aliases = sorted(
        {
            value_of(v)
            for p in (
                "http://www.w3.org/2004/02/skos/core#altLabel",
                "http://www.w3.org/2000/01/rdf-schema#label",
                "http://www.w3.org/2004/02/skos/core#prefLabel",
            )
            for v in values(p)
            if value_of(v) != label
        }
    )
    descriptions = [value_of(v) for v in values("https://schema.org/description")]
    wikidata = sorted(
        {
            value_of(v)
            for p in (AG + "wikidata", "http://www.w3.org/2002/07/owl#sameAs")
            for v in values(p)
            if value_of(v).startswith("http://www.wikidata.org/")
        }
    )
    properties = [
        {
            "predicate": _label_of(state, ox.NamedNode(p)),
            "objects": _cells(state, vs),
        }
        for p, vs in sorted(out_props.items(), key=lambda kv: labels.get(kv[0], kv[0]))
        if p not in _HIDDEN
    ]
    subject_types = _types_of(
        state, {value_of(s) for ss in incoming.values() for s in ss if isinstance(s, ox.NamedNode)}
    )
    links = []
    for p, subjects in sorted(incoming.items()):
        if p in _INCOMING_HIDDEN:
            continue
        local = p[len(AG) :] if p.startswith(AG) else None
        classes = Counter(c for s in subjects for c in subject_types.get(value_of(s), ()))
        main_class = classes.most_common(1)[0][0] if classes else ""
        phrase = (
            _INVERSE_BY_CLASS.get((local or "", main_class))
            or _INVERSE.get(local or "")
            or f"{labels.get(p) or shorten(p)} (of)"
        )
        unique = sorted(set(subjects), key=lambda s: labels.get(value_of(s), value_of(s)))
        links.append(
            {
                "phrase": phrase,
                "count": len(unique),
                "subjects": [_label_of(state, s) for s in unique[:100]],
            }
        )
    found = passages(desc)
    quotes = [
        {
            "prefix": p.prefix,
            "exact": p.exact,
            "suffix": p.suffix,
            "document": _label_of(state, ox.NamedNode(p.document)),
            "href": (local_href(state.base, p.document) or p.document) + f"#m{p.start}-{p.end}",
            "mention": local_href(state.base, p.mention) or p.mention,
            "kind": p.motivation,
        }
        for p in found
        if p.body in (iri, None) or p.document != iri
    ]
    schema_type = next((_SCHEMA_TYPES[t] for t in local_types if t in _SCHEMA_TYPES), "Thing")
    if local_types & {
        "Agency",
        "Ministry",
        "GovernmentAgency",
        "ArmedForce",
        "MilitaryUnit",
        "ThinkTank",
        "University",
        "Publisher",
        "Newspaper",
        "PoliticalParty",
        "Legislature",
        "InternationalOrganization",
    }:
        schema_type = "Organization"
    jsonld: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": schema_type,
        "@id": iri,
        "name": label,
        "url": iri,
    }
    if aliases:
        jsonld["alternateName"] = aliases
    if descriptions:
        jsonld["description"] = descriptions[0]
    if wikidata:
        jsonld["sameAs"] = wikidata
    is_document = "Document" in local_types
    page: dict[str, Any] = {
        "iri": iri,
        "label": label,
        "types": [_label_of(state, ox.NamedNode(t)) for t in types],
        "aliases": aliases,
        "descriptions": descriptions,
        "wikidata": wikidata,
        "properties": properties,
        "incoming": links,
        "incoming_truncated": desc.incoming_truncated,
        "mentions_truncated": desc.mentions_truncated,
        "passages": quotes[:200],
        "passage_count": len(quotes),
        "jsonld": json.dumps(jsonld, ensure_ascii=False).replace("</", "<\\/"),
        "path": local_href(state.base, iri) or iri,
        "formats": PAGE_FORMATS,
        "is_document": is_document,
    }
    if is_document:
        text = next((value_of(v) for v in values(AG + "text")), "")
        page["segments"] = _segments(state, text, found, iri)
    return page


def _types_of(state: ServeState, iris: set[str]) -> dict[str, list[str]]:
    members = state.catalog().members
    out: dict[str, list[str]] = {}
    for cls, instances in members.items():
        if not cls.startswith(AG):
            continue
        for iri in iris:
            # members lists are sorted: a binary search keeps this cheap for hub pages
            i = bisect.bisect_left(instances, iri)
            if i < len(instances) and instances[i] == iri:
                out.setdefault(iri, []).append(cls[len(AG) :])
    return out


def _segments(state: ServeState, text: str, found: list[Any], doc: str) -> list[dict[str, Any]]:
    """Split a document's text into plain runs and marked mentions (overlaps skipped)."""
    marks = sorted(
        (p for p in found if p.document == doc and p.motivation == "identifying" and p.body),
        key=lambda p: (p.start, -p.end),
    )
    out: list[dict[str, Any]] = []
    pos = 0
    for p in marks:
        if p.start < pos or p.end > len(text):
            continue
        if p.start > pos:
            out.append({"text": text[pos : p.start]})
        entity = _label_of(state, ox.NamedNode(p.body))
        out.append(
            {
                "text": text[p.start : p.end],
                "href": entity["href"],
                "title": entity["text"],
                "id": f"m{p.start}-{p.end}",
            }
        )
        pos = p.end
    if pos < len(text):
        out.append({"text": text[pos:]})
    return out


def _static_graph(state: ServeState, graph_iri: str, namespace: str, file: str) -> list[ox.Triple]:
    """Triples of the ontology or shapes: their store graph, else the file in ``ontology/``."""
    store = state.store
    graph = ox.NamedNode(graph_iri)
    if store.contains_named_graph(graph):
        return _graph_triples(store, graph_iri)
    triples = {
        ox.Triple(q.subject, q.predicate, q.object)
        for q in store.quads_for_pattern(None, None, None, state.graph)
        if isinstance(q.subject, ox.NamedNode) and q.subject.value.startswith(namespace)
    }
    if triples:
        return sorted(triples, key=str)
    path = Path(file)
    if path.is_file():
        return [
            ox.Triple(q.subject, q.predicate, q.object)
            for q in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE)
        ]
    return []


async def _ontology_like(request: Request, which: str, extension: str | None) -> Response:
    state = get_state(request)
    if which == "ontology":
        iri, graph, ns, file = (
            ONTOLOGY_IRI,
            state.base + "graph/ontology",
            ONTOLOGY_IRI,
            ("ontology/allygraph.ttl"),
        )
    else:
        iri, graph, ns, file = (
            SHAPES_IRI,
            state.base + "graph/shapes",
            SHAPES_IRI,
            ("ontology/shapes.ttl"),
        )
    fmt = _pick(request, extension)
    etag = state.etag(iri, fmt.key)
    headers = {
        "Vary": "Accept",
        "Link": _links("/" + which),
        "Content-Location": f"/{which}.{fmt.extension}",
        **state.cache_headers(etag),
    }
    if state.not_modified(request, etag):
        return Response(status_code=304, headers=headers)
    key = f"static:{which}"
    triples = state.cache.get(key)
    if triples is None:
        triples = await state.in_thread(_static_graph, state, graph, ns, file)
        state.cache[key] = triples
    if not triples:
        return _not_found(request, iri, fmt)
    if fmt.key != "html":
        body = serialize_triples(triples, fmt.key)
        return Response(body, 200, headers, media_type=fmt.content_type)
    terms: dict[str, dict[str, Any]] = {}
    for t in triples:
        s = t.subject.value if isinstance(t.subject, ox.NamedNode) else None
        if s is None or "#" not in s:
            continue
        entry = terms.setdefault(s, {"iri": s, "name": s.rsplit("#", 1)[1], "props": []})
        entry["props"].append((_label_of(state, t.predicate), _label_of(state, t.object)))
    context = {
        "which": which,
        "iri": iri,
        "terms": sorted(terms.values(), key=lambda e: e["name"]),
        "formats": PAGE_FORMATS,
        "path": "/" + which,
    }
    return render(request, "ontology.html", context, headers=headers)


@router.api_route("/ontology", methods=["GET", "HEAD"], include_in_schema=False)
async def ontology(request: Request) -> Response:
    """The ontology (terms are anchors: ``/ontology#Person``)."""
    return await _ontology_like(request, "ontology", None)


@router.api_route("/ontology.{ext}", methods=["GET", "HEAD"], include_in_schema=False)
async def ontology_ext(request: Request, ext: str) -> Response:
    """The ontology in the format named by the extension."""
    if ext not in _BY_EXT:
        return _not_found(request, ONTOLOGY_IRI + "." + ext, None)
    return await _ontology_like(request, "ontology", ext)


@router.api_route("/shapes", methods=["GET", "HEAD"], include_in_schema=False)
async def shapes(request: Request) -> Response:
    """The SHACL shapes."""
    return await _ontology_like(request, "shapes", None)


@router.api_route("/shapes.{ext}", methods=["GET", "HEAD"], include_in_schema=False)
async def shapes_ext(request: Request, ext: str) -> Response:
    """The SHACL shapes in the format named by the extension."""
    if ext not in _BY_EXT:
        return _not_found(request, SHAPES_IRI + "." + ext, None)
    return await _ontology_like(request, "shapes", ext)
