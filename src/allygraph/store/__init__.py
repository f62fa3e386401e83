"""The store layer: where published graphs live and how they are read and replaced.

``ALLYGRAPH_STORE`` is a folder (the embedded Oxigraph store, :mod:`.release`) or an
``http(s)://`` URL (a remote SPARQL 1.1 store, :mod:`.sparql`). :func:`open_published` and
:func:`open_writer` pick the implementation from the location; both kinds offer the same
methods, so the pipeline, the commands and the server do not care which it is.
"""

from __future__ import annotations

from pathlib import Path

from allygraph.store.release import (
    KEEP_RELEASES,
    PublishedStore,
    ReleaseWriter,
    current_release,
)
from allygraph.store.release import open_published as _open_embedded
from allygraph.store.sparql import (
    RemotePublished,
    RemoteReleaseWriter,
    RemoteStore,
    endpoints_for,
    is_remote,
)

__all__ = [
    "KEEP_RELEASES",
    "AnyPublished",
    "AnyReleaseWriter",
    "PublishedStore",
    "ReleaseWriter",
    "RemotePublished",
    "RemoteReleaseWriter",
    "RemoteStore",
    "current_release",
    "endpoints_for",
    "is_remote",
    "open_published",
    "open_writer",
]

AnyPublished = PublishedStore | RemotePublished
"""What :func:`open_published` returns."""
AnyReleaseWriter = ReleaseWriter | RemoteReleaseWriter
"""What :func:`open_writer` returns."""


def open_published(location: Path | str) -> PublishedStore | RemotePublished:
    """Open what was published at a store folder or SPARQL endpoint URL, for reading.

    Raises:
        StoreError: Nothing was published yet, or the store cannot be opened or reached.
    """
    if is_remote(location):
        return RemotePublished(str(location))
    return _open_embedded(Path(location))


def open_writer(
    location: Path | str, *, incremental: bool = False, base_uri: str | None = None
) -> ReleaseWriter | RemoteReleaseWriter:
    """Start a release at a store folder or SPARQL endpoint URL (use it as a context manager).

    Args:
        location: ``ALLYGRAPH_STORE``.
        incremental: Start from the published release rather than from nothing (a remote
            store is always changed in place).
        base_uri: The base IRI, which names the release graph of a remote store.

    Raises:
        StoreError: The store cannot be written or reached.
    """
    if is_remote(location):
        return RemoteReleaseWriter(str(location), incremental=incremental, base_uri=base_uri)
    return ReleaseWriter(Path(location), incremental=incremental)
