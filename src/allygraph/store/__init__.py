"""The store layer: where published graphs live and how they are read and replaced."""

from __future__ import annotations

from allygraph.store.release import (
    KEEP_RELEASES,
    PublishedStore,
    ReleaseWriter,
    current_release,
    open_published,
)

__all__ = ["KEEP_RELEASES", "PublishedStore", "ReleaseWriter", "current_release", "open_published"]
