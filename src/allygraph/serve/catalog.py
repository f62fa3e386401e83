"""An in-memory index of the release for pages: labels, types, label search, class counts.

Built once per release on first use (a few SPARQL scans), then every page looks labels up in
a dict instead of querying the store per value.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

__all__ = ["Catalog", "build_catalog"]

RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
SKOS_PREF = "http://www.w3.org/2004/02/skos/core#prefLabel"
SKOS_ALT = "http://www.w3.org/2004/02/skos/core#altLabel"
DCT_TITLE = "http://purl.org/dc/terms/title"
AG_TITLE = "https://w3id.org/allygraph/ontology#title"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_LABEL_PREDICATES = (SKOS_PREF, RDFS_LABEL, DCT_TITLE, AG_TITLE)


@dataclass
class Catalog:
    """Labels and classes of one release.

    Attributes:
        labels: Display label per IRI (English or untagged preferred).
        classes: Instance count per class IRI.
        members: Sorted instance IRIs per class IRI (for paging).
        names: ``(lowercased surface form, IRI)`` pairs, sorted, for prefix search.
    """

    labels: dict[str, str] = field(default_factory=dict)
    classes: dict[str, int] = field(default_factory=dict)
    members: dict[str, list[str]] = field(default_factory=dict)
    names: list[tuple[str, str]] = field(default_factory=list)

    def search(self, text: str, limit: int = 50) -> list[str]:
        """IRIs whose label or alias starts with ``text`` first, then those containing it."""
        needle = text.strip().lower()
        if not needle:
            return []
        found: dict[str, None] = {}
        i = bisect.bisect_left(self.names, (needle, ""))
        while i < len(self.names) and self.names[i][0].startswith(needle):
            found.setdefault(self.names[i][1], None)
            if len(found) >= limit:
                return list(found)
            i += 1
        for name, iri in self.names:
            if needle in name:
                found.setdefault(iri, None)
                if len(found) >= limit:
                    break
        return list(found)


def _rank(literal: Any) -> int:
    lang = getattr(literal, "language", None)
    return 0 if lang == "en" else 1 if not lang else 2


def build_catalog(store: ox.Store, graph: ox.DefaultGraph | None = None) -> Catalog:
    """Scan the store's labels and types into a :class:`Catalog`.

    ``graph``: read only the (materialized) default graph; None reads every graph.
    """
    cat = Catalog()
    best: dict[str, tuple[int, int, str]] = {}
    surface: set[tuple[str, str]] = set()
    for order, predicate in enumerate((*_LABEL_PREDICATES, SKOS_ALT)):
        for quad in store.quads_for_pattern(None, ox.NamedNode(predicate), None, graph):
            subject, obj = quad.subject, quad.object
            if not isinstance(subject, ox.NamedNode) or not isinstance(obj, ox.Literal):
                continue
            surface.add((obj.value.lower(), subject.value))
            if predicate == SKOS_ALT:
                continue
            rank = (_rank(obj), order, obj.value)
            if subject.value not in best or rank < best[subject.value]:
                best[subject.value] = rank
    cat.labels = {iri: rank[2] for iri, rank in best.items()}
    cat.names = sorted(surface)
    members: dict[str, set[str]] = {}
    for quad in store.quads_for_pattern(None, ox.NamedNode(RDF_TYPE), None, graph):
        if isinstance(quad.subject, ox.NamedNode) and isinstance(quad.object, ox.NamedNode):
            members.setdefault(quad.object.value, set()).add(quad.subject.value)
    cat.members = {c: sorted(m) for c, m in members.items()}
    cat.classes = {c: len(m) for c, m in cat.members.items()}
    return cat
