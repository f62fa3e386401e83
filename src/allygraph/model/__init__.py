"""The model layer: resolved extractions -> RDF with the allygraph ontology.

- :func:`to_rdf` builds the self-contained graph of one document;
- :func:`dataset_metadata` and :func:`build_iri` describe a build (PROV-O) for the meta graph;
- :func:`ontology_graph`, :func:`shapes_graph` and :func:`jsonld_context` load the shipped
  ``ontology/`` files.
"""

from __future__ import annotations

from .document import CONTEXT_CHARS, to_rdf
from .metadata import build_iri, dataset_metadata
from .resources import jsonld_context, ontology_graph, ontology_path, shapes_graph
from .sample import sample_extraction

__all__ = [
    "CONTEXT_CHARS",
    "build_iri",
    "dataset_metadata",
    "jsonld_context",
    "ontology_graph",
    "ontology_path",
    "sample_extraction",
    "shapes_graph",
    "to_rdf",
]
