"""The data document of a resource: its outgoing and incoming triples and its mentions.

Built from pattern look-ups on the store (no SPARQL parsing): the triples of every graph,
deduplicated, because an entity mentioned by two documents is described identically in both
document graphs. When the release's default graph is materialized (the merge of the named
graphs), the look-ups read that one graph (``graph=DefaultGraph()``): one entry per triple
instead of one per graph that states it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import pyoxigraph as ox

__all__ = ["Description", "Passage", "describe", "exists", "passages", "value_of"]

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple


def value_of(term: Term) -> str:
    """The lexical value of a term (the N-Triples form of a quoted triple)."""
    return str(term) if isinstance(term, ox.Triple) else term.value


OA = "http://www.w3.org/ns/oa#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
PROV = "http://www.w3.org/ns/prov#"
MAX_INCOMING = 5000
MAX_MENTIONS = 100  # mentions with passages in one data document; SPARQL has all of them

_HAS_BODY = ox.NamedNode(OA + "hasBody")
_HAS_TARGET = ox.NamedNode(OA + "hasTarget")
_HAS_SOURCE = ox.NamedNode(OA + "hasSource")
_HAS_SELECTOR = ox.NamedNode(OA + "hasSelector")
_DERIVED = ox.NamedNode(PROV + "wasDerivedFrom")
_RDF_SUBJECT = ox.NamedNode(RDF + "subject")
_RDF_OBJECT = ox.NamedNode(RDF + "object")


@dataclass
class Description:
    """The triples served for one IRI, in the order they were found.

    Attributes:
        iri: The described IRI.
        triples: Deduplicated triples: outgoing, incoming, mention closures.
        incoming_truncated: More incoming triples exist than were included.
        mentions_truncated: More mentions exist than were closed over (passages included).
    """

    iri: str
    triples: dict[ox.Triple, None] = field(default_factory=dict)
    incoming_truncated: bool = False
    mentions_truncated: bool = False

    def add(self, quads: Iterable[ox.Quad]) -> None:
        """Add the triples of some quads (their graph is dropped)."""
        for q in quads:
            self.triples[ox.Triple(q.subject, q.predicate, q.object)] = None


def exists(store: ox.Store, iri: str, graph: ox.DefaultGraph | None = None) -> bool:
    """Whether the IRI occurs as subject, object or graph name in the store."""
    node = ox.NamedNode(iri)
    for _ in store.quads_for_pattern(node, None, None, graph):
        return True
    for _ in store.quads_for_pattern(None, None, node, graph):
        return True
    return store.contains_named_graph(node)


def _closure(
    store: ox.Store,
    desc: Description,
    node: ox.NamedNode | ox.BlankNode,
    graph: ox.DefaultGraph | None,
) -> None:
    """Add a mention (or claim passage) with its target and selectors.

    Each look-up across all graphs costs a RocksDB seek (~0.1 ms): the target and selectors
    are read from the quads already fetched instead of being asked for separately.
    """
    quads = list(store.quads_for_pattern(node, None, None, graph))
    desc.add(quads)
    for tq in quads:
        target = tq.object
        if tq.predicate != _HAS_TARGET or not isinstance(target, ox.NamedNode | ox.BlankNode):
            continue
        target_quads = list(store.quads_for_pattern(target, None, None, graph))
        desc.add(target_quads)
        for sq in target_quads:
            if sq.predicate == _HAS_SELECTOR and isinstance(sq.object, ox.NamedNode | ox.BlankNode):
                desc.add(store.quads_for_pattern(sq.object, None, None, graph))


def describe(store: ox.Store, iri: str, graph: ox.DefaultGraph | None = None) -> Description:
    """Outgoing and incoming triples of ``iri`` plus its mentions with their passages.

    For a mention, the mention's target and selectors; for a document, the mentions in it;
    for an entity, the mentions of it and the passages of claims about it. ``graph``: read
    only the (materialized) default graph; None reads every graph.
    """
    node = ox.NamedNode(iri)
    desc = Description(iri)
    desc.add(store.quads_for_pattern(node, None, None, graph))
    incoming = 0
    mentions: dict[ox.NamedNode | ox.BlankNode, None] = {}
    for q in store.quads_for_pattern(None, None, node, graph):
        incoming += 1
        if incoming > MAX_INCOMING:
            desc.incoming_truncated = True
            break
        desc.triples[ox.Triple(q.subject, q.predicate, q.object)] = None
        subject = q.subject
        if not isinstance(subject, ox.NamedNode | ox.BlankNode):
            continue
        if q.predicate == _HAS_BODY:
            if len(mentions) < MAX_MENTIONS:
                mentions[subject] = None
            else:
                desc.mentions_truncated = True
        elif q.predicate in (_RDF_SUBJECT, _RDF_OBJECT):  # a claim about it: its passage
            for dq in store.quads_for_pattern(subject, _DERIVED, None, graph):
                passage = dq.object
                if isinstance(passage, ox.NamedNode | ox.BlankNode):
                    desc.triples[ox.Triple(dq.subject, dq.predicate, passage)] = None
                    mentions[passage] = None
        elif q.predicate == _HAS_SOURCE:
            # a document: the mentions in it (the target IRI is the mention's plus #target)
            for mq in store.quads_for_pattern(None, _HAS_TARGET, subject, graph):
                if isinstance(mq.subject, ox.NamedNode | ox.BlankNode):
                    mentions[mq.subject] = None
    for mention in mentions:
        _closure(store, desc, mention, graph)
    # A mention's own page: its target and selectors (fragment IRIs of the same document).
    _closure(store, desc, node, graph)
    return desc


@dataclass(frozen=True, slots=True)
class Passage:
    """A quoted span of a source document, for display.

    Attributes:
        mention: IRI of the mention (or claim passage).
        document: IRI of the source document.
        start: Offset of the span in the document text.
        end: End offset (exclusive).
        exact: The quoted text; ``prefix`` and ``suffix`` surround it.
        body: The entity the mention identifies, when it is one.
        motivation: ``identifying`` (a mention) or ``describing`` (a claim's sentence).
    """

    mention: str
    document: str
    start: int
    end: int
    exact: str
    prefix: str
    suffix: str
    body: str | None
    motivation: str


def passages(desc: Description) -> list[Passage]:
    """The passages (mentions and claim sentences) contained in a description."""
    by_subject: dict[str, dict[str, list[Term]]] = {}
    for t in desc.triples:
        subject = value_of(t.subject)
        by_subject.setdefault(subject, {}).setdefault(t.predicate.value, []).append(t.object)

    def first(subject: str, predicate: str) -> str | None:
        values = by_subject.get(subject, {}).get(predicate)
        return value_of(values[0]) if values else None

    out: list[Passage] = []
    for subject, props in by_subject.items():
        targets = props.get(OA + "hasTarget")
        if not targets:
            continue
        target = value_of(targets[0])
        document = first(target, OA + "hasSource")
        start = end = None
        exact = prefix = suffix = ""
        for selector in by_subject.get(target, {}).get(OA + "hasSelector", []):
            sel = value_of(selector)
            s, e = first(sel, OA + "start"), first(sel, OA + "end")
            if s is not None and e is not None:
                start, end = int(s), int(e)
            exact = first(sel, OA + "exact") or exact
            prefix = first(sel, OA + "prefix") or prefix
            suffix = first(sel, OA + "suffix") or suffix
        if document is None or start is None or end is None:
            continue
        motivation = (first(subject, OA + "motivatedBy") or "").rsplit("#", 1)[-1]
        out.append(
            Passage(
                subject,
                document,
                start,
                end,
                exact,
                prefix,
                suffix,
                first(subject, OA + "hasBody"),
                motivation or "identifying",
            )
        )
    out.sort(key=lambda p: (p.document, p.start))
    return out
