"""Build the knowledge graph: corpus -> extract -> resolve -> model -> validate -> store.

This is the only module that knows the order of the layers. :func:`build` publishes a new
release only when every document graph conforms to the shapes; otherwise it raises and the
published release stays as it was.

Builds are incremental: ``release.json`` records each document's SHA-256 and a fingerprint
of everything else the graph depends on (package version, gazetteer, ontology, shapes, base
IRI). When the fingerprint is unchanged, only new or changed documents are re-extracted and
re-validated; their graphs are replaced in a hard-linked copy of the current release and the
graphs of removed documents are dropped. Each document graph is self-contained (it describes
every entity it mentions), so validating the changed graphs is equivalent to validating all.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from allygraph import __version__
from allygraph.corpus import DEFAULT_MAX_BYTES, corpus_files, load_document
from allygraph.errors import ValidationFailedError
from allygraph.records import Document, Extraction
from allygraph.settings import Settings
from allygraph.store import AnyReleaseWriter, ReleaseWriter, open_writer
from allygraph.vocab import Minter

if TYPE_CHECKING:
    from rdflib import Graph

    from allygraph.validate import ValidationReport

__all__ = [
    "BuildResult",
    "DocumentResult",
    "Progress",
    "build",
    "default_gazetteer_dir",
    "extract_files",
    "load_rdf_files",
]

Progress = Callable[[str, int, int], None]
"""Callback ``(step, done, total)`` the CLI turns into progress bars."""

PACKAGE_ROOT = Path(__file__).resolve().parent
REPO_ROOT = PACKAGE_ROOT.parent.parent


def default_gazetteer_dir() -> Path:
    """Return the gazetteer folder: ``data/gazetteer`` of the checkout or of the package."""
    for candidate in (REPO_ROOT / "data" / "gazetteer", PACKAGE_ROOT / "data" / "gazetteer"):
        if candidate.is_dir():
            return candidate
    return REPO_ROOT / "data" / "gazetteer"


@dataclass(frozen=True, slots=True)
class DocumentResult:
    """What one document contributed to a build."""

    doc_id: str
    path: str
    sha256: str
    triples: int
    entities: int
    mentions: int
    claims: int
    references: int
    reused: bool = False


@dataclass(frozen=True, slots=True)
class BuildResult:
    """The outcome of a build: the published release and what went into it."""

    release_dir: Path | str  # a folder, or the URL#name of a release on a remote store
    documents: tuple[DocumentResult, ...]
    removed: tuple[str, ...]
    triples: int
    incremental: bool
    seconds: float
    report: ValidationReport | None = field(default=None)


def _fingerprint(settings: Settings, gazetteer_dir: Path) -> str:
    """Hash everything besides the documents that the graph depends on."""
    digest = hashlib.sha256()
    digest.update(__version__.encode())
    digest.update(settings.base_uri.encode())
    files: list[Path] = sorted(gazetteer_dir.glob("*.y*ml")) if gazetteer_dir.is_dir() else []
    if default_links_file().is_file():
        files.append(default_links_file())
    ontology_dir = REPO_ROOT / "ontology"
    if ontology_dir.is_dir():
        files += sorted(ontology_dir.iterdir())
    for path in files:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    for module in ("extract", "resolve", "model", "link"):
        for source in sorted((PACKAGE_ROOT / module).rglob("*.py")):
            digest.update(source.read_bytes())
    return digest.hexdigest()


# Worker state: each extraction process loads the gazetteer once.
_WORKER: dict[str, Any] = {}


def default_links_file() -> Path:
    """Return the accepted Wikidata links file (``data/links/accepted.yaml``)."""
    return REPO_ROOT / "data" / "links" / "accepted.yaml"


def _worker_init(gazetteer_dir: str, base_uri: str, build_iri: str) -> None:
    from allygraph.extract.gazetteer import load_gazetteer
    from allygraph.link import load_links

    _WORKER["gazetteer"] = load_gazetteer(Path(gazetteer_dir))
    _WORKER["links"] = load_links(default_links_file())
    _WORKER["minter"] = Minter(base_uri)
    _WORKER["build_iri"] = build_iri


def _process(path: str, max_bytes: int) -> tuple[DocumentResult, bytes]:
    """Extract, model and validate one document; return its result and N-Triples."""
    doc = load_document(Path(path), max_bytes=max_bytes)
    return _process_document(doc)


def _process_document(doc: Document) -> tuple[DocumentResult, bytes]:
    from rdflib import URIRef

    from allygraph.link import link_extraction
    from allygraph.model import to_rdf
    from allygraph.resolve import extract_document
    from allygraph.validate import validate_graph

    extraction: Extraction = extract_document(doc, _WORKER["gazetteer"])
    extraction = link_extraction(extraction, _WORKER["links"])
    graph: Graph = to_rdf(extraction, _WORKER["minter"], build_iri=URIRef(_WORKER["build_iri"]))
    report = validate_graph(graph)
    if not report.conforms:
        msg = f"{doc.path}: the graph of this document does not conform to the shapes"
        raise ValidationFailedError(msg + "\n" + report.to_text(), report)
    data = graph.serialize(format="nt", encoding="utf-8")
    result = DocumentResult(
        doc_id=doc.doc_id,
        path=doc.path,
        sha256=doc.sha256,
        triples=len(graph),
        entities=len(extraction.entities),
        mentions=len(extraction.mentions),
        claims=len(extraction.claims),
        references=len(extraction.references),
    )
    return result, data


def _run(
    paths: list[Path], jobs: int, max_bytes: int, init_args: tuple[str, str, str]
) -> Iterator[tuple[DocumentResult, bytes]]:
    if jobs <= 1 or len(paths) <= 1:
        _worker_init(*init_args)
        for path in paths:
            yield _process(str(path), max_bytes)
        return
    from concurrent.futures import ProcessPoolExecutor  # lazily: only builds with --jobs > 1

    with ProcessPoolExecutor(
        max_workers=jobs, initializer=_worker_init, initargs=init_args
    ) as pool:
        yield from pool.map(_process, [str(p) for p in paths], [max_bytes] * len(paths))


def build(
    settings: Settings,
    *,
    corpus: Path | None = None,
    jobs: int = 1,
    full: bool = False,
    max_bytes: int = DEFAULT_MAX_BYTES,
    progress: Progress | None = None,
) -> BuildResult:
    """Build the graph of a corpus folder and publish it in the store.

    Args:
        settings: Store location, base IRI, gazetteer folder.
        corpus: The folder of ``.txt`` documents (default: ``settings.corpus``).
        jobs: Worker processes for extraction (1: in this process).
        full: Rebuild every document even when an incremental build is possible.
        max_bytes: Largest document accepted.
        progress: Called as ``(step, done, total)`` while documents are processed.

    Returns:
        What was built and where it was published.

    Raises:
        CorpusError: A document or sidecar cannot be used (nothing is published).
        ValidationFailedError: A document graph does not conform (nothing is published).
        StoreError: The store cannot be written.
    """
    started = dt.datetime.now(dt.UTC)
    folder = Path(corpus or settings.corpus)
    gazetteer_dir = Path(settings.gazetteer or default_gazetteer_dir())
    paths = corpus_files(folder)
    fingerprint = _fingerprint(settings, gazetteer_dir)
    minter = Minter(settings.base_uri)

    with open_writer(settings.store, incremental=not full, base_uri=settings.base_uri) as release:
        previous = release.previous
        prev_info = release.previous_info
        incremental = (
            not full and previous is not None and prev_info.get("fingerprint") == fingerprint
        )
        if not incremental and previous is not None and not full:
            # Something besides the documents changed: start from an empty release.
            if isinstance(release, ReleaseWriter):
                release.clear()
            else:
                release.drop_graphs(release.graphs())
        old_docs: dict[str, dict[str, Any]] = prev_info.get("documents", {}) if incremental else {}

        todo: list[Path] = []
        kept: list[DocumentResult] = []
        for path in paths:
            doc_id = load_document_id(path)
            old = old_docs.get(doc_id)
            if old and old.get("sha256") == _sha256_of_text(path, max_bytes):
                kept.append(DocumentResult(**{**old, "reused": True}))
            else:
                todo.append(path)
        current_ids = {load_document_id(p) for p in paths}
        removed = tuple(sorted(set(old_docs) - current_ids))
        release.drop_graphs(minter.document_graph(d) for d in removed)

        build_iri = minter.entity("build", started.strftime("%Y%m%dT%H%M%S"))
        init_args = (str(gazetteer_dir), settings.base_uri, str(build_iri))
        done: list[DocumentResult] = []
        if progress:
            progress("extract", 0, len(todo))
        for result, data in _run(todo, jobs, max_bytes, init_args):
            release.replace_graph(str(minter.document_graph(result.doc_id)), data)
            done.append(result)
            if progress:
                progress("extract", len(done), len(todo))

        _write_service_graphs(release, minter, build_iri, started, kept + done)
        total, per_graph = release.count()
        documents = sorted(kept + done, key=lambda r: r.doc_id)
        release.publish(
            {
                "base_uri": settings.base_uri,
                "fingerprint": fingerprint,
                "conforms": True,
                "triples": total,
                "graphs": per_graph,
                "documents": {
                    r.doc_id: {k: getattr(r, k) for k in DocumentResult.__slots__ if k != "reused"}
                    for r in documents
                },
                "version": __version__,
            }
        )
    seconds = (dt.datetime.now(dt.UTC) - started).total_seconds()
    return BuildResult(
        release_dir=release.folder,
        documents=tuple(documents),
        removed=removed,
        triples=total,
        incremental=incremental,
        seconds=seconds,
    )


def load_document_id(path: Path) -> str:
    """Return the document id a file gets (its slugified stem)."""
    from allygraph.vocab import slugify

    return slugify(path.stem)


def _sha256_of_text(path: Path, max_bytes: int) -> str:
    """SHA-256 of the document text as the loader computes it (BOM removed)."""
    data = path.read_bytes()[: max_bytes + 1]
    return hashlib.sha256(data.removeprefix(b"\xef\xbb\xbf")).hexdigest()


def _write_service_graphs(
    release: AnyReleaseWriter,
    minter: Minter,
    build_iri: Any,
    started: dt.datetime,
    documents: Iterable[DocumentResult],
) -> None:
    """Write the ontology graph and the dataset-metadata (PROV-O) graph."""
    from allygraph.model import dataset_metadata, ontology_graph

    release.replace_graph(
        str(minter.graph("ontology")), ontology_graph().serialize(format="nt", encoding="utf-8")
    )
    meta = dataset_metadata(
        minter,
        build_iri=build_iri,
        started=started,
        ended=dt.datetime.now(dt.UTC),
        documents=[d.doc_id for d in documents],
    )
    release.replace_graph(str(minter.graph("meta")), meta.serialize(format="nt", encoding="utf-8"))


def extract_files(
    paths: list[Path], settings: Settings, *, max_bytes: int = DEFAULT_MAX_BYTES
) -> Graph:
    """Extract the given texts into one graph without touching the store (``allygraph extract``)."""
    from rdflib import Dataset

    gazetteer_dir = Path(settings.gazetteer or default_gazetteer_dir())
    _worker_init(
        str(gazetteer_dir),
        settings.base_uri,
        str(Minter(settings.base_uri).entity("build", "extract")),
    )
    dataset = Dataset()
    minter = Minter(settings.base_uri)
    for path in paths:
        doc = load_document(path, max_bytes=max_bytes)
        _, data = _process_document(doc)
        dataset.graph(minter.document_graph(doc.doc_id)).parse(data=data, format="nt")
    return dataset


def load_rdf_files(settings: Settings, paths: list[Path]) -> BuildResult:
    """Publish RDF files the user brings, each into a graph of its own (``allygraph load``).

    Triples go to ``{base}graph/load/{file-stem}``; quads keep their graph. A file that
    does not parse leaves the published graph as it was.

    Raises:
        InputSyntaxError: A file does not parse (with its line and column).
        CorpusError: A file is missing or of an unknown format.
    """
    from allygraph.errors import CorpusError, InputSyntaxError
    from allygraph.vocab import RdfFormat, slugify

    started = dt.datetime.now(dt.UTC)
    minter = Minter(settings.base_uri)
    files: list[tuple[Path, ox.RdfFormat, str]] = []
    for path in paths:
        if not path.is_file():
            raise CorpusError(f"{path}: file does not exist", filename=str(path))
        try:
            fmt = RdfFormat.from_name(path.suffix or "?")
        except ValueError as err:
            raise CorpusError(f"{path}: {err}", filename=str(path)) from None
        graph = str(minter.graph("load/" + slugify(path.stem)))
        files.append((path, _OX_FORMATS[fmt.key], graph))
    # The files are parsed while they load into a release nobody reads yet: a syntax error
    # abandons that release, so nothing of any file is published.
    with open_writer(settings.store, incremental=True, base_uri=settings.base_uri) as release:
        for path, oxfmt, graph in files:
            try:
                release.load_file(path, oxfmt, graph, base_iri=path.resolve().as_uri())
            except SyntaxError as err:
                line, column = _syntax_position(err)
                raise InputSyntaxError(
                    str(getattr(err, "msg", err)), filename=str(path), lineno=line, offset=column
                ) from None
        total, per_graph = release.count()
        info = dict(release.previous_info)
        info.pop("name", None)
        info.pop("created", None)
        info.update(
            {
                "triples": total,
                "graphs": per_graph,
                "loaded": sorted({*info.get("loaded", []), *(p.name for p in paths)}),
            }
        )
        release.publish(info)
    return BuildResult(
        release_dir=release.folder,
        documents=(),
        removed=(),
        triples=total,
        incremental=True,
        seconds=(dt.datetime.now(dt.UTC) - started).total_seconds(),
    )


_OX_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "nquads": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
}


def _syntax_position(err: SyntaxError) -> tuple[int | None, int | None]:
    """Line and column (1-based) of a pyoxigraph parse error, when it tells them."""
    if err.lineno is not None:
        return err.lineno, err.offset
    import re

    found = re.search(r"line (\d+) (?:at |column )?(\d+)?", str(err))
    if found:
        return int(found.group(1)), int(found.group(2)) if found.group(2) else None
    return None, None


def cpu_count() -> int:
    """Cores available to this process."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
