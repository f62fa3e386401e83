"""The export layer: dumps of the published graph in every supported RDF format."""

from __future__ import annotations

from .dump import PREFIXES, export_dataset, from_oxigraph, to_oxigraph

__all__ = ["PREFIXES", "export_dataset", "from_oxigraph", "to_oxigraph"]
