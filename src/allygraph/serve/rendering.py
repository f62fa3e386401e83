"""Server-side HTML: the Jinja2 environment and how RDF terms are shown to people."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from allygraph.serve.examples import PREFIXES

if TYPE_CHECKING:
    from allygraph.serve.state import ServeState

__all__ = ["local_href", "render", "shorten", "term_cell"]

_ENV = Environment(
    loader=FileSystemLoader(Path(__file__).with_name("templates")),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)
ONTOLOGY_NS = PREFIXES["ag"]


def shorten(iri: str) -> str:
    """A prefixed name for a well-known namespace, else the IRI itself.

    >>> shorten("https://w3id.org/allygraph/ontology#Person")
    'ag:Person'
    """
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and len(iri) > len(ns):
            return f"{prefix}:{iri[len(ns) :]}"
    return iri


def local_href(base: str, iri: str) -> str | None:
    """The path on this server that serves ``iri``, or None when it is not ours.

    IRIs minted under the base are served at their path (whatever host the request used);
    ontology terms are anchors of ``/ontology`` and shapes are ``/shapes``.
    """
    if iri.startswith(base):
        return "/" + iri[len(base) :]
    if iri.startswith(ONTOLOGY_NS):
        return "/ontology#" + iri[len(ONTOLOGY_NS) :]
    if iri.startswith("https://w3id.org/allygraph/ontology"):
        return "/ontology"
    if iri.startswith("https://w3id.org/allygraph/shapes"):
        return "/shapes" + iri[len("https://w3id.org/allygraph/shapes") :]
    return None


def term_cell(state: ServeState, binding: dict[str, Any] | None) -> dict[str, Any]:
    """A SPARQL JSON binding as a table cell: text, link and a hint of its kind."""
    if binding is None:
        return {"text": "", "href": None, "kind": "unbound"}
    kind = binding.get("type")
    value = str(binding.get("value", ""))
    if kind == "uri":
        href = local_href(state.base, value) or value
        label = state.labels().get(value) if hasattr(state, "labels") else None
        return {"text": label or shorten(value), "href": href, "kind": "iri", "title": value}
    if kind == "bnode":
        return {"text": "_:" + value, "href": None, "kind": "bnode"}
    if kind == "triple":
        return {"text": "<< triple >>", "href": None, "kind": "triple"}
    hint = binding.get("xml:lang") or (
        shorten(binding["datatype"]) if "datatype" in binding else ""
    )
    return {"text": value, "href": None, "kind": "literal", "hint": hint}


def render(
    request: Request,
    name: str,
    context: dict[str, Any],
    *,
    headers: dict[str, str] | None = None,
    status: int = 200,
) -> HTMLResponse:
    """Render a template with the request, the dataset name and the base in its context."""
    state = request.app.state.allygraph
    template = _ENV.get_template(name)
    page = template.render(
        request=request,
        base=state.base,
        release=state.release_name,
        shorten=shorten,
        href=lambda iri: local_href(state.base, iri) or iri,
        **context,
    )
    if request.method == "HEAD":
        page = ""
    return HTMLResponse(page, status_code=status, headers=headers)
