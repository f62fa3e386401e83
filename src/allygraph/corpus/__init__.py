"""The corpus layer: read documents and sidecars, split zones and endnotes."""

from __future__ import annotations

from allygraph.corpus.loader import (
    DEFAULT_MAX_BYTES,
    corpus_files,
    load_corpus,
    load_document,
    load_meta,
)
from allygraph.corpus.zones import find_notes, split_zones

__all__ = [
    "DEFAULT_MAX_BYTES",
    "corpus_files",
    "find_notes",
    "load_corpus",
    "load_document",
    "load_meta",
    "split_zones",
]
