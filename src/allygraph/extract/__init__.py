"""The extract layer: gazetteer, patterns, citations and metadata -> candidate mentions.

The resolve layer turns candidates into entities: call
:func:`allygraph.resolve.extract_document` for a resolved :class:`~allygraph.records.Extraction`.
"""

from __future__ import annotations

from allygraph.extract.gazetteer import Gazetteer, load_gazetteer
from allygraph.extract.pipeline import ExtractedDocument, collect_candidates, extract_candidates

__all__ = [
    "ExtractedDocument",
    "Gazetteer",
    "collect_candidates",
    "extract_candidates",
    "load_gazetteer",
]
