"""The embedded store: a folder of immutable Oxigraph releases and a CURRENT pointer.

Layout (``root`` is ``ALLYGRAPH_STORE``)::

    root/CURRENT                      name of the published release, replaced atomically
    root/releases/<name>/db/          Oxigraph database holding every graph
    root/releases/<name>/release.json counts, documents and their hashes, conformance
    root/releases/<name>/validation.ttl  SHACL report of that release

A writer never touches a published release: it starts a new one (a hard-linked checkpoint
of the current one, or an empty one), changes it, and publishes it by replacing ``CURRENT``
with :func:`os.replace`. Readers therefore never see half a release, and a failed build
leaves the published graph as it was.

The default graph of a release is the RDF merge of its named graphs, materialized: every
triple of a named graph is also stored once in the default graph. Queries therefore see set
semantics (an entity described by a hundred documents has its label once, and ``COUNT``
counts triples, not copies), and need no union over graphs. The writer keeps the default
graph in step with every change: triples a new graph adds are added; triples a replaced or
dropped graph removes are removed unless another named graph still holds them.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import shutil
import threading
from collections.abc import Iterable
from pathlib import Path
from types import TracebackType
from typing import Any

import pyoxigraph as ox

from allygraph.errors import StoreError

__all__ = ["KEEP_RELEASES", "PublishedStore", "ReleaseWriter", "current_release", "open_published"]

KEEP_RELEASES = 3
"""How many releases stay on disk (the published one and the ones before it)."""


def current_release(root: Path) -> Path | None:
    """Return the folder of the published release, or None when nothing was published."""
    pointer = root / "CURRENT"
    try:
        name = pointer.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    except OSError as err:
        msg = f"{pointer}: cannot read the release pointer ({err.strerror})"
        raise StoreError(msg) from err
    folder = root / "releases" / name
    if not name or not (folder / "db").is_dir():
        msg = f"{pointer}: names release {name!r}, which is missing; rebuild with `allygraph build`"
        raise StoreError(msg)
    return folder


class PublishedStore:
    """Read access to the published release, reopened when a newer one is published.

    Attributes:
        root: The store folder.
        store: A read-only :class:`pyoxigraph.Store` of the current release.
        release: The release's ``release.json`` content.
        release_dir: The folder of the current release.
    """

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        folder = current_release(self.root)
        if folder is None:
            msg = f"{self.root}: no graph has been published yet; run `allygraph build` first"
            raise StoreError(msg)
        self._open(folder)

    def _open(self, folder: Path) -> None:
        try:
            self.store = ox.Store.read_only(str(folder / "db"))
        except OSError as err:
            msg = f"{folder / 'db'}: cannot open the store ({err})"
            raise StoreError(msg) from err
        self.release_dir = folder
        self.release = _read_release_info(folder)
        self.default_graph_materialized = self.release.get("default_graph") == "materialized"
        self._stamp = _pointer_stamp(self.root)

    def refresh(self) -> bool:
        """Reopen the store if another release was published since; return whether it was."""
        stamp = _pointer_stamp(self.root)
        if stamp == self._stamp:
            return False
        folder = current_release(self.root)
        if folder is None or folder == self.release_dir:
            self._stamp = stamp
            return False
        self._open(folder)
        return True


def open_published(root: Path | str) -> PublishedStore:
    """Open the published release of a store folder for reading.

    Raises:
        StoreError: Nothing was published yet, or the store cannot be opened.
    """
    return PublishedStore(Path(root))


def _pointer_stamp(root: Path) -> tuple[int, int]:
    try:
        st = (root / "CURRENT").stat()
    except OSError:
        return (0, 0)
    return (st.st_mtime_ns, st.st_ino)


def _read_release_info(folder: Path) -> dict[str, Any]:
    try:
        data: dict[str, Any] = json.loads((folder / "release.json").read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {"name": folder.name}
    except (OSError, ValueError) as err:
        msg = f"{folder / 'release.json'}: cannot read release information ({err})"
        raise StoreError(msg) from err
    return data


class ReleaseWriter:
    """Write a new release and publish it atomically; abandon it on any error.

    Use as a context manager::

        with ReleaseWriter(root, incremental=True) as release:
            release.replace_graph(graph_iri, ntriples_bytes)
            release.publish({"triples": ...})

    Leaving the block without :meth:`publish` (or with an exception) deletes the new
    release; the published one is untouched.
    """

    def __init__(self, root: Path | str, *, incremental: bool = False) -> None:
        self.root = Path(root)
        self.incremental = incremental
        self.published = False
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
        self.name = f"r{stamp}-{os.getpid()}"
        self.folder = self.root / "releases" / self.name
        self.previous = current_release(self.root)
        self.previous_info = _read_release_info(self.previous) if self.previous else {}

    def __enter__(self) -> ReleaseWriter:
        self._removed: set[ox.Triple] = set()  # may leave the default graph at publish
        self._pending: dict[str, bytes] = {}  # graphs replace_graph holds back (flush)
        self._pending_bytes = 0
        self._bulk_bytes = 0  # written with the bulk loader: compacted at publish (OPTIMIZE_BYTES)
        try:
            self.folder.mkdir(parents=True, exist_ok=False)
            copy = self.incremental and self.previous is not None
            if copy:
                assert self.previous is not None
                ox.Store.read_only(str(self.previous / "db")).backup(str(self.folder / "db"))
            self._db = ox.Store(str(self.folder / "db"))
            if copy and self.previous_info.get("default_graph") != "materialized":
                self._materialize_all()  # a release from before the default graph was kept
        except OSError as err:
            shutil.rmtree(self.folder, ignore_errors=True)
            msg = f"{self.folder}: cannot create a new release ({err})"
            raise StoreError(msg) from err
        return self

    @property
    def store(self) -> ox.Store:
        """The database of the release being written, with every graph handed over written."""
        self.flush()
        return self._db

    def _materialize_all(self) -> None:
        self._db.update("INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")

    def _graph_triples(self, node: ox.NamedNode) -> set[ox.Triple]:
        return {q.triple for q in self._db.quads_for_pattern(None, None, None, node)}

    def clear(self) -> None:
        """Empty the release being written (every graph, the default graph too)."""
        self._pending, self._pending_bytes = {}, 0
        self._db.clear()
        self._removed.clear()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if not self.published:
            with contextlib.suppress(AttributeError):
                del self._db
            shutil.rmtree(self.folder, ignore_errors=True)

    def graphs(self) -> set[str]:
        """IRIs of the named graphs in the release being written."""
        self.flush()
        return {g.value for g in self._db.named_graphs() if isinstance(g, ox.NamedNode)}

    def replace_graph(self, graph: str, data: bytes, fmt: ox.RdfFormat | None = None) -> None:
        """Replace one named graph by the triples in ``data`` (N-Triples unless ``fmt``).

        N-Triples as serializers write it (one statement a line) is written in batches (see
        :meth:`flush`): a build hands over one document graph at a time, and writing each
        with its own transaction cost more than extracting it. Everything is written before
        the release is counted or published. Other data is parsed and written at once.

        Raises:
            StoreError: The data does not parse (at once, or when its batch is written) or
                cannot be written.
        """
        if fmt not in (None, _NT) or not _plain_ntriples(data):
            try:
                parsed = ox.parse(data, format=fmt or _NT)
                plain = ox.serialize((q.triple for q in parsed), format=_NT) or b""
            except (SyntaxError, ValueError) as err:
                msg = f"{graph}: cannot write the graph ({err})"
                raise StoreError(msg) from err
            self.flush()
            self._write_batch({graph: plain})
            return
        self._pending.pop(graph, None)
        self._pending[graph] = data
        self._pending_bytes += len(data)
        if self._pending_bytes >= BATCH_BYTES:
            self.flush()

    def flush(self) -> None:
        """Write the graphs :meth:`replace_graph` holds back.

        Raises:
            StoreError: A graph does not parse or the store cannot be written.
        """
        pending, self._pending, self._pending_bytes = self._pending, {}, 0
        if pending:
            self._write_batch(pending)

    def _write_batch(self, batch: dict[str, bytes]) -> None:
        """Replace the graphs of ``batch`` with two bulk loads: named graphs, default graph."""
        old: dict[str, set[ox.Triple]] = {}
        for graph in batch:
            node = ox.NamedNode(graph)
            if self._db.contains_named_graph(node):
                old[graph] = self._graph_triples(node)
                self._db.remove_graph(node)
        # Every graph of a batch is plain N-Triples (replace_graph re-serializes the rest):
        # each line ends with " .\n" (a raw line break cannot occur in a term), so naming the
        # graph before it makes N-Quads, parsed in Rust. An empty graph is only removed.
        filled = {graph: data for graph, data in batch.items() if data}
        try:
            if filled:
                quads = b"".join(
                    data.replace(b" .\n", b" <" + graph.encode() + b"> .\n")
                    for graph, data in filled.items()
                )
                self._db.bulk_load(quads, format=ox.RdfFormat.N_QUADS)
                self._bulk_bytes += len(quads)
                self._db.bulk_load(
                    b"".join(filled.values()), format=_NT, to_graph=ox.DefaultGraph()
                )
        except (OSError, SyntaxError, ValueError) as err:
            culprit = _first_unparsable(batch) or ", ".join(batch)
            msg = f"{culprit}: cannot write the graph ({err})"
            raise StoreError(msg) from err
        for graph, triples in old.items():
            self._removed |= triples - self._graph_triples(ox.NamedNode(graph))

    def load_file(
        self,
        source: bytes | Path,
        fmt: ox.RdfFormat,
        graph: str,
        *,
        base_iri: str | None = None,
    ) -> None:
        """Load a user's file with the bulk loader: triples into ``graph``, quads into theirs.

        Graphs the file fills are replaced, not extended; the default graph gets the triples.
        ``source`` is the file's content or its path (a path is read by the loader itself,
        without holding the file in memory).

        The two writes run side by side: the bulk loader fills the named graphs (six indexes,
        native code, no Python lock held) while a thread copies the file's triples into the
        default graph (three indexes); on two cores the load then takes about as long as the
        named graphs alone. Both are part of this unpublished release, so a parse error in
        either abandons it with nothing published.

        Raises:
            SyntaxError: The file does not parse (pyoxigraph's error, with its position).
        """
        target = ox.NamedNode(graph)
        where: dict[str, Any] = (
            {"path": str(source)} if isinstance(source, Path) else {"input": source}
        )
        graphs = {target.value}
        others = {g for g in self._db.named_graphs() if isinstance(g, ox.NamedNode)} - {target}
        if others and fmt in (ox.RdfFormat.N_QUADS, ox.RdfFormat.TRIG, ox.RdfFormat.JSON_LD):
            graphs |= {
                q.graph_name.value
                for q in ox.parse(**where, format=fmt, base_iri=base_iri)
                if isinstance(q.graph_name, ox.NamedNode)
            }
        self.drop_graphs(graphs)
        failures: list[BaseException] = []

        def copy_to_default() -> None:
            try:
                self._db.bulk_extend(
                    ox.Quad(q.subject, q.predicate, q.object)
                    for q in ox.parse(**where, format=fmt, base_iri=base_iri)
                )
            except BaseException as err:  # re-raised in the calling thread
                failures.append(err)

        self._bulk_bytes += source.stat().st_size if isinstance(source, Path) else len(source)
        copier = threading.Thread(target=copy_to_default, name="allygraph-default-graph")
        copier.start()
        try:
            self._db.bulk_load(**where, format=fmt, base_iri=base_iri, to_graph=target)
        finally:
            copier.join()
        if failures:
            raise failures[0]

    def drop_graphs(self, graphs: Iterable[str]) -> None:
        """Remove named graphs from the release being written."""
        self.flush()
        for graph in graphs:
            node = ox.NamedNode(graph)
            if self._db.contains_named_graph(node):
                self._removed |= self._graph_triples(node)
                self._db.remove_graph(node)

    def _prune_default(self) -> None:
        """Remove from the default graph the triples no named graph holds any more."""
        default = ox.DefaultGraph()
        for triple in self._removed:
            held = any(
                not isinstance(q.graph_name, ox.DefaultGraph)
                for q in self._db.quads_for_pattern(triple.subject, triple.predicate, triple.object)
            )
            if not held:
                self._db.remove(ox.Quad(triple.subject, triple.predicate, triple.object, default))
        self._removed.clear()

    def count(self) -> tuple[int, dict[str, int]]:
        """Return the number of quads and the number of triples per named graph."""
        self.flush()
        per_graph: dict[str, int] = {}
        total = 0
        rows = self._db.query(
            "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
        )
        assert isinstance(rows, ox.QuerySolutions)
        for row in rows:
            graph, n = row["g"], row["n"]
            assert graph is not None
            assert n is not None
            per_graph[graph.value] = int(n.value)
            total += int(n.value)
        return total, per_graph

    def write_file(self, name: str, content: bytes) -> Path:
        """Write an artifact (validation report, dump) beside the release's database."""
        path = self.folder / name
        path.write_bytes(content)
        return path

    def publish(self, info: dict[str, Any]) -> Path:
        """Make this release the published one; return its folder.

        ``info`` is stored as ``release.json`` together with the release name and time.
        """
        self.flush()
        self._prune_default()
        self._db.flush()
        optimized = self._bulk_bytes >= OPTIMIZE_BYTES
        if optimized:
            # Each bulk load adds sorted files that overlap earlier ones; without a compaction
            # every lookup of the published (read-only) release probes them all: at 10M
            # triples a point query took 0.65 ms instead of 0.08 ms (benchmarks/scale).
            self._db.optimize()
        info = {
            **info,
            "name": self.name,
            "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "default_graph": "materialized",
            "optimized": optimized,
        }
        self.write_file("release.json", json.dumps(info, indent=2, sort_keys=True).encode())
        del self._db  # close the database before readers open it
        pointer = self.root / "CURRENT"
        tmp = self.root / f".CURRENT.{self.name}.tmp"
        with open(tmp, "w", encoding="utf-8") as handle:
            handle.write(self.name + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, pointer)
        self.published = True
        _prune(self.root, keep=self.name)
        return self.folder


def _prune(root: Path, *, keep: str) -> None:
    """Remove the oldest releases, keeping the newest :data:`KEEP_RELEASES` (and ``keep``)."""
    releases = sorted((root / "releases").iterdir(), key=lambda p: p.name)
    for old in releases[:-KEEP_RELEASES]:
        if old.name != keep:
            shutil.rmtree(old, ignore_errors=True)


_NT = ox.RdfFormat.N_TRIPLES

OPTIMIZE_BYTES = 512 << 20
"""Bulk-loaded data (bytes of RDF) from which :meth:`ReleaseWriter.publish` compacts the store."""

BATCH_BYTES = 16 << 20
"""How much N-Triples :meth:`ReleaseWriter.replace_graph` holds back before writing."""


def _plain_ntriples(data: bytes) -> bool:
    """Whether every line of ``data`` ends with a space, a full stop and a line break."""
    return data.endswith(b" .\n") and data.count(b"\n") == data.count(b" .\n")


def _first_unparsable(batch: dict[str, bytes]) -> str | None:
    """The first graph of ``batch`` whose data does not parse as N-Triples."""
    for graph, data in batch.items():
        try:
            for _ in ox.parse(data, format=_NT):
                pass
        except SyntaxError:
            return graph
    return None
