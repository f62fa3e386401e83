"""The meta graph: the build as a PROV-O activity, the documents it used, the software agent."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD

from allygraph.records import Document
from allygraph.vocab import AG, ONTOLOGY_IRI, PROV, SHAPES_IRI, Minter, short_hash

__all__ = ["build_iri", "dataset_metadata"]


def build_iri(minter: Minter, documents: Iterable[Document], software_version: str) -> URIRef:
    """Return the IRI of the build of these documents by this software version.

    The IRI depends only on the inputs (document ids and digests, version), so rebuilding the
    same corpus gives the same IRI and the same document graphs.

    >>> str(build_iri(Minter("http://x.org/"), [], "0.1.0")).startswith("http://x.org/id/build/")
    True
    """
    parts = sorted(f"{doc.doc_id}:{doc.sha256}" for doc in documents)
    return minter.entity("build", short_hash(software_version, *parts, length=16))


def dataset_metadata(
    minter: Minter,
    *,
    build_iri: URIRef,
    documents: Iterable[Document | str],
    started: dt.datetime,
    ended: dt.datetime,
    software_version: str | None = None,
) -> Graph:
    """Return the meta graph describing one build (``prov:Activity``) and what it used.

    Args:
        minter: Mints data IRIs under the dataset's base.
        build_iri: The build's IRI (see :func:`build_iri`).
        documents: The source documents the build read, or their ids.
        started: When the build started (timezone-aware preferred).
        ended: When the build ended.
        software_version: The allygraph version that ran the build (default: this one).
    """
    if software_version is None:
        from allygraph import __version__ as software_version
    graph = Graph()
    add = graph.add
    build = URIRef(build_iri)
    agent = minter.entity("agent", f"allygraph-{software_version}")
    add((build, RDF.type, AG.Build))
    add((build, RDF.type, PROV.Activity))
    add((build, RDFS.label, Literal(f"allygraph build {build.rsplit('/', 1)[-1]}", lang="en")))
    add((build, PROV.startedAtTime, Literal(started.isoformat(), datatype=XSD.dateTime)))
    add((build, PROV.endedAtTime, Literal(ended.isoformat(), datatype=XSD.dateTime)))
    add((build, PROV.wasAssociatedWith, agent))
    add((build, PROV.used, URIRef(ONTOLOGY_IRI)))
    add((build, PROV.used, URIRef(SHAPES_IRI)))
    add((agent, RDF.type, PROV.SoftwareAgent))
    add((agent, RDFS.label, Literal(f"allygraph {software_version}", lang="en")))
    for doc in documents:
        node = minter.document(doc if isinstance(doc, str) else doc.doc_id)
        add((build, PROV.used, node))
        add((node, RDF.type, PROV.Entity))
        if not isinstance(doc, str):
            add((node, AG.sha256, Literal(doc.sha256)))
    return graph
