"""The shipped ontology, shapes and JSON-LD context, loaded from the package.

The source of truth is the repository's ``ontology/`` folder. ``allygraph/model/ontology`` is a
symbolic link to it, so the files are package data: an editable install reads them in place and
a wheel build copies them into the package (``[tool.setuptools.package-data]`` lists
``model/ontology/*``). When the link is missing (a checkout on a file system without links)
the repository folder is used directly.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from rdflib import Graph

from allygraph.errors import StoreError

__all__ = [
    "CONTEXT_FILE",
    "ONTOLOGY_FILE",
    "SHAPES_FILE",
    "jsonld_context",
    "ontology_graph",
    "ontology_path",
    "shapes_graph",
]

ONTOLOGY_FILE = "allygraph.ttl"
SHAPES_FILE = "shapes.ttl"
CONTEXT_FILE = "context.jsonld"

_HERE = Path(__file__).resolve().parent
_CANDIDATES = (Path(__file__).parent / "ontology", _HERE.parents[2] / "ontology")


def ontology_path(name: str) -> Path:
    """Return the path of a shipped ontology file (``allygraph.ttl``, ``shapes.ttl``, ...).

    Raises:
        StoreError: The file is in neither the package nor the repository.
    """
    for folder in _CANDIDATES:
        path = folder / name
        if path.is_file():
            return path
    tried = ", ".join(str(folder) for folder in _CANDIDATES)
    msg = f"model: the ontology file {name!r} must be shipped with allygraph (looked in {tried})"
    raise StoreError(msg)


@lru_cache(maxsize=4)
def _parsed(name: str) -> Graph:
    return Graph().parse(ontology_path(name), format="turtle")


def _copy(graph: Graph) -> Graph:
    copy = Graph()
    for prefix, namespace in graph.namespaces():
        copy.bind(prefix, namespace, override=True)
    copy += graph
    return copy


def ontology_graph() -> Graph:
    """Return a new graph holding the allygraph OWL ontology (``ontology/allygraph.ttl``)."""
    return _copy(_parsed(ONTOLOGY_FILE))


def shapes_graph() -> Graph:
    """Return a new graph holding the SHACL shapes (``ontology/shapes.ttl``)."""
    return _copy(_parsed(SHAPES_FILE))


@lru_cache(maxsize=1)
def _context() -> str:
    return ontology_path(CONTEXT_FILE).read_text(encoding="utf-8")


def jsonld_context() -> dict[str, Any]:
    """Return the ``@context`` object of ``ontology/context.jsonld`` (a fresh copy)."""
    document = json.loads(_context())
    context: dict[str, Any] = document["@context"]
    return context
