"""Write a dataset as a dump file in any :class:`~allygraph.vocab.RdfFormat`.

Graph formats (Turtle, N-Triples, RDF/XML) get the union of all graphs, without duplicates;
dataset formats (N-Quads, TriG, JSON-LD) keep the named graphs. pyoxigraph writes everything
but JSON-LD, which rdflib writes compacted with the shipped ``ontology/context.jsonld``.
Turtle and N-Triples dumps are sorted, so the same data always gives the same bytes.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import BinaryIO

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import XSD
from rdflib.term import Node

from allygraph.model import jsonld_context
from allygraph.vocab import RdfFormat

__all__ = ["PREFIXES", "export_dataset", "from_oxigraph", "to_oxigraph"]

PREFIXES: dict[str, str] = {
    "ag": "https://w3id.org/allygraph/ontology#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "schema": "https://schema.org/",
    "prov": "http://www.w3.org/ns/prov#",
    "oa": "http://www.w3.org/ns/oa#",
    "wd": "http://www.wikidata.org/entity/",
}

_OX_FORMAT = {
    RdfFormat.TURTLE: ox.RdfFormat.TURTLE,
    RdfFormat.NTRIPLES: ox.RdfFormat.N_TRIPLES,
    RdfFormat.NQUADS: ox.RdfFormat.N_QUADS,
    RdfFormat.TRIG: ox.RdfFormat.TRIG,
    RdfFormat.RDFXML: ox.RdfFormat.RDF_XML,
}
_XSD_STRING = str(XSD.string)

Source = ox.Store | Dataset | Graph


def export_dataset(source: Source, fmt: RdfFormat, out: BinaryIO) -> None:
    """Write the data of a store, dataset or graph to ``out`` in the given format.

    Args:
        source: A pyoxigraph store, an rdflib dataset (named graphs kept) or a single graph.
        fmt: The serialization; graph formats receive the union of all graphs.
        out: A binary file or buffer.
    """
    if fmt is RdfFormat.JSONLD:
        _write_jsonld(source, out)
        return
    ox_format = _OX_FORMAT[fmt]
    prefixes = PREFIXES if fmt in (RdfFormat.TURTLE, RdfFormat.TRIG, RdfFormat.RDFXML) else None
    if fmt.supports_datasets:
        if isinstance(source, ox.Store):
            ox.serialize(_store_quads(source), out, ox_format, prefixes=prefixes)
        else:
            ox.serialize(_ox_quads(source), out, ox_format, prefixes=prefixes)
        return
    triples = sorted(_union(source), key=_triple_key)
    ox.serialize(triples, out, ox_format, prefixes=prefixes)


def _store_quads(store: ox.Store) -> Iterator[ox.Quad]:
    """The quads of a store's named graphs; the default graph only when it is all there is.

    A published release keeps its default graph as the merge of its named graphs (see
    :mod:`allygraph.store.release`): writing it beside them would repeat every triple.
    """
    if not any(True for _ in store.named_graphs()):
        yield from store
        return
    for quad in store:
        if not isinstance(quad.graph_name, ox.DefaultGraph):
            yield quad


def _union(source: Source) -> set[ox.Triple]:
    if isinstance(source, ox.Store):
        return {ox.Triple(q.subject, q.predicate, q.object) for q in source}
    return {ox.Triple(q.subject, q.predicate, q.object) for q in _ox_quads(source)}


def _triple_key(triple: ox.Triple) -> tuple[str, str, str]:
    return (str(triple.subject), str(triple.predicate), str(triple.object))


def _ox_quads(source: Dataset | Graph) -> Iterator[ox.Quad]:
    if isinstance(source, Dataset):
        for s, p, o, context in source.quads((None, None, None, None)):
            name = getattr(context, "identifier", context)
            graph: ox.NamedNode | ox.BlankNode | ox.DefaultGraph
            if name is None or name == DATASET_DEFAULT_GRAPH_ID:
                graph = ox.DefaultGraph()
            else:
                graph = to_oxigraph(name)  # type: ignore[assignment]
            yield ox.Quad(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o), graph)  # type: ignore[arg-type]
    else:
        for s, p, o in source:
            yield ox.Quad(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o))  # type: ignore[arg-type]


def to_oxigraph(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """Convert an rdflib term to the pyoxigraph term."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    msg = f"export: only IRIs, blank nodes and literals can be written (got {term!r})"
    raise TypeError(msg)


def from_oxigraph(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> URIRef | BNode | Literal:
    """Convert a pyoxigraph term to the rdflib term (xsd:string literals become plain)."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    datatype = term.datatype.value
    if datatype == _XSD_STRING:
        return Literal(term.value)
    return Literal(term.value, datatype=URIRef(datatype))


def _rdflib_dataset(source: Source) -> Dataset:
    if isinstance(source, Dataset):
        return source
    dataset = Dataset()
    if isinstance(source, Graph):
        dataset.default_context += source
        return dataset
    for quad in _store_quads(source):
        graph = quad.graph_name
        context = (
            dataset.default_context
            if isinstance(graph, ox.DefaultGraph)
            else dataset.graph(from_oxigraph(graph))
        )
        context.add(_rdflib_triple((quad.subject, quad.predicate, quad.object)))  # type: ignore[arg-type]
    return dataset


def _rdflib_triple(
    terms: Iterable[ox.NamedNode | ox.BlankNode | ox.Literal],
) -> tuple[Node, Node, Node]:
    s, p, o = (from_oxigraph(term) for term in terms)
    return s, p, o


def _write_jsonld(source: Source, out: BinaryIO) -> None:
    dataset = _rdflib_dataset(source)
    data = dataset.serialize(format="json-ld", context=jsonld_context(), encoding="utf-8")
    out.write(data)
