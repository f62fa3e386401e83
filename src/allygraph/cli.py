"""The ``allygraph`` command line: a thin shell over :mod:`allygraph.pipeline` and the server.

Exit codes (the only place that sets them):

====  =====================================================================
0     success
1     the graph does not conform to the SHACL shapes (``build``, ``validate``)
2     bad input or usage: missing/unreadable/binary/non-UTF-8 file, malformed sidecar,
      RDF or SPARQL syntax error, unknown option value
3     the store cannot be read or written, or nothing has been published yet
130   interrupted
====  =====================================================================
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NoReturn

import click

from allygraph import __version__
from allygraph.errors import (
    AllygraphError,
    ConfigError,
    CorpusError,
    InputSyntaxError,
    QuerySyntaxError,
    StoreError,
    ValidationFailedError,
)
from allygraph.settings import Settings

__all__ = ["EXIT_BAD_INPUT", "EXIT_NONCONFORMANT", "EXIT_OK", "EXIT_STORE", "main"]

EXIT_OK = 0
EXIT_NONCONFORMANT = 1
EXIT_BAD_INPUT = 2
EXIT_STORE = 3

_RDF_FORMATS = ["turtle", "jsonld", "ntriples", "nquads", "trig", "rdfxml"]
_RESULT_FORMATS = ["table", "json", "xml", "csv", "tsv", *_RDF_FORMATS]


def _fail(message: str, code: int) -> NoReturn:
    click.echo(f"allygraph: error: {message}", err=True)
    sys.exit(code)


@contextmanager
def _errors() -> Iterator[None]:
    """Turn library errors into one-line messages and documented exit codes."""
    try:
        yield
    except ValidationFailedError as err:
        click.echo(str(err), err=True)
        sys.exit(EXIT_NONCONFORMANT)
    except (CorpusError, InputSyntaxError, QuerySyntaxError, ConfigError) as err:
        _fail(str(err), EXIT_BAD_INPUT)
    except StoreError as err:
        _fail(str(err), EXIT_STORE)
    except AllygraphError as err:
        _fail(str(err), EXIT_BAD_INPUT)
    except KeyboardInterrupt:
        _fail("interrupted", 130)


def _settings(ctx: click.Context) -> Settings:
    obj: dict[str, Any] = ctx.ensure_object(dict)
    if "settings" not in obj:
        overrides = {k: v for k, v in obj.get("overrides", {}).items() if v is not None}
        try:
            obj["settings"] = Settings(**overrides)
        except ValueError as err:
            _fail(f"invalid setting: {err}", EXIT_BAD_INPUT)
    settings: Settings = obj["settings"]
    return settings


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="allygraph")
@click.option(
    "--store",
    envvar="ALLYGRAPH_STORE",
    metavar="PATH",
    help="Store folder [env ALLYGRAPH_STORE; default var/store].",
)
@click.option(
    "--base-uri",
    envvar="ALLYGRAPH_BASE_URI",
    metavar="URL",
    help="Base under which IRIs are minted [env ALLYGRAPH_BASE_URI; default http://127.0.0.1:8000/].",
)
@click.pass_context
def cli(ctx: click.Context, store: str | None, base_uri: str | None) -> None:
    """Build, validate, query and publish the allygraph knowledge graph.

    Exit codes: 0 ok, 1 graph does not conform to the shapes, 2 bad input or usage,
    3 store error.
    """
    ctx.ensure_object(dict)["overrides"] = {"store": store, "base_uri": base_uri}


def _bar(label: str) -> tuple[Callable[[str, int, int], None], Callable[[], None]]:
    """A rich progress bar on stderr (silent when stderr is not a terminal)."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    console = Console(stderr=True)
    bar = Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
        disable=not console.is_terminal,
    )
    task = bar.add_task(label, total=None)
    bar.start()

    def update(step: str, done: int, total: int) -> None:
        bar.update(task, description=f"{label}: {step}", completed=done, total=total)

    return update, bar.stop


@cli.command()
@click.option(
    "--corpus",
    type=click.Path(path_type=Path),
    help="Folder of .txt documents (default data/corpus/).",
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(1, 64),
    default=1,
    show_default=True,
    help="Worker processes for extraction.",
)
@click.option("--full", is_flag=True, help="Rebuild every document, not only the changed ones.")
@click.pass_context
def build(ctx: click.Context, corpus: Path | None, jobs: int, full: bool) -> None:
    """Build the graph from the corpus, validate it and publish it in the store.

    Only new or changed documents are re-extracted; a graph that does not conform to the
    shapes is not published and the previous release stays in place.
    """
    from allygraph.pipeline import build as run_build

    settings = _settings(ctx)
    update, stop = _bar("build")
    with _errors():
        try:
            result = run_build(settings, corpus=corpus, jobs=jobs, full=full, progress=update)
        finally:
            stop()
    changed = sum(1 for d in result.documents if not d.reused)
    click.echo(
        f"published {result.triples} triples from {len(result.documents)} documents "
        f"({changed} extracted, {len(result.documents) - changed} unchanged, "
        f"{len(result.removed)} removed) in {result.seconds:.2f} s -> {result.release_dir}"
    )


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "-f",
    "fmt",
    type=click.Choice(_RDF_FORMATS),
    default="turtle",
    show_default=True,
    help="Output format.",
)
@click.option("--output", "-o", type=click.Path(path_type=Path), help="Write to a file.")
@click.pass_context
def extract(ctx: click.Context, files: tuple[Path, ...], fmt: str, output: Path | None) -> None:
    """Print the graph of the given texts without touching the store."""
    from allygraph.pipeline import extract_files
    from allygraph.vocab import RdfFormat

    settings = _settings(ctx)
    with _errors():
        dataset = extract_files(list(files), settings)
        rdf_format = RdfFormat.from_name(fmt)
        graph: Any = dataset if rdf_format.supports_datasets else _union(dataset)
        data = graph.serialize(format=_rdflib_format(rdf_format), encoding="utf-8")
    _write(data, output)


def _union(dataset: Any) -> Any:
    from rdflib import Graph

    graph = Graph()
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        graph.add((s, p, o))
    return graph


def _rdflib_format(fmt: Any) -> str:
    return {
        "turtle": "turtle",
        "ntriples": "nt",
        "nquads": "nquads",
        "trig": "trig",
        "jsonld": "json-ld",
        "rdfxml": "xml",
    }[fmt.key]


def _write(data: bytes, output: Path | None) -> None:
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    tmp = output.with_name(output.name + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(output)


@cli.command()
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@click.pass_context
def validate(ctx: click.Context, files: tuple[Path, ...]) -> None:
    """Validate the published graph (or the given RDF files) against the SHACL shapes.

    Prints a report (focus node, path, message) and exits 1 when there are violations.
    """
    from allygraph.commands import validate_files, validate_published

    settings = _settings(ctx)
    with _errors():
        report = validate_files(list(files)) if files else validate_published(settings)
    click.echo(report.to_text())
    if not report.conforms:
        sys.exit(EXIT_NONCONFORMANT)


@cli.command()
@click.argument("sparql")
@click.option(
    "--format",
    "-f",
    "fmt",
    type=click.Choice(_RESULT_FORMATS),
    default="table",
    show_default=True,
    help="Result format.",
)
@click.option("--output", "-o", type=click.Path(path_type=Path), help="Write to a file.")
@click.pass_context
def query(ctx: click.Context, sparql: str, fmt: str, output: Path | None) -> None:
    """Run a SPARQL query on the published graph (default graph = union of all graphs).

    SPARQL may be the query text, @FILE to read it from a file, or - for standard input.
    """
    from allygraph.commands import run_query

    settings = _settings(ctx)
    if sparql == "-":
        sparql = sys.stdin.read()
    elif sparql.startswith("@"):
        try:
            sparql = Path(sparql[1:]).read_text(encoding="utf-8")
        except OSError as err:
            _fail(f"{sparql[1:]}: cannot read query file ({err.strerror})", EXIT_BAD_INPUT)
    with _errors():
        data = run_query(settings, sparql, fmt)
    _write(data, output)


@cli.command()
@click.option(
    "--format",
    "-f",
    "fmt",
    type=click.Choice(_RDF_FORMATS),
    default="turtle",
    show_default=True,
    help="Output format (nquads, trig and jsonld keep the graphs).",
)
@click.option("--output", "-o", type=click.Path(path_type=Path), help="Write to a file.")
@click.pass_context
def export(ctx: click.Context, fmt: str, output: Path | None) -> None:
    """Export the published graph as a file."""
    from allygraph.commands import export_published

    settings = _settings(ctx)
    with _errors():
        data = export_published(settings, fmt)
    _write(data, output)


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.pass_context
def load(ctx: click.Context, files: tuple[Path, ...]) -> None:
    """Publish RDF files (Turtle, N-Triples, N-Quads, TriG, JSON-LD, RDF/XML) in the store.

    Each file becomes the graph {base}graph/load/{file-stem}; nothing is published unless
    every file parses.
    """
    from allygraph.pipeline import load_rdf_files

    settings = _settings(ctx)
    with _errors():
        result = load_rdf_files(settings, list(files))
    click.echo(f"published {result.triples} triples -> {result.release_dir}")


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@click.pass_context
def stats(ctx: click.Context, as_json: bool) -> None:
    """Count entities by class, with how many are linked to Wikidata."""
    from allygraph.commands import collect_stats

    settings = _settings(ctx)
    with _errors():
        rows = collect_stats(settings)
    if as_json:
        import json

        click.echo(json.dumps(rows, indent=2))
        return
    click.echo(f"{'class':<28} {'entities':>9} {'linked':>8} {'unlinked':>9}")
    for row in rows["classes"]:
        click.echo(
            f"{row['class']:<28} {row['entities']:>9} {row['linked']:>8} {row['unlinked']:>9}"
        )
    click.echo(f"triples: {rows['triples']}  documents: {rows['documents']}")


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", default=8000, show_default=True, type=int, help="Port to listen on.")
@click.pass_context
def serve(ctx: click.Context, host: str, port: int) -> None:
    """Serve the published graph: SPARQL endpoint, linked-data pages, VoID and dumps."""
    from allygraph.serve.app import serve as run_server

    settings = _settings(ctx)
    with _errors():
        from allygraph.store import open_published

        open_published(settings.store)  # fail early, with a clear message
        run_server(settings, host=host, port=port)


@cli.command()
@click.option("--corpus", type=click.Path(path_type=Path), help="Folder of .txt documents.")
@click.option("--online", is_flag=True, help="Look unlinked entities up on Wikidata (network).")
@click.option(
    "--accept",
    "review",
    type=click.Path(path_type=Path),
    help="Merge the entries marked 'accept: true' in this review file into the accepted links.",
)
@click.option("--checked-by", metavar="NAME", help="Reviewer recorded with --accept.")
@click.option(
    "--proposals",
    type=click.Path(path_type=Path),
    default=Path("data/links/proposals.yaml"),
    show_default=True,
    help="Review file --online writes.",
)
@click.option(
    "--accepted",
    type=click.Path(path_type=Path),
    default=Path("data/links/accepted.yaml"),
    show_default=True,
    help="Accepted links (read by the build).",
)
@click.option(
    "--cache",
    type=click.Path(path_type=Path),
    default=Path("var/cache/wikidata"),
    show_default=True,
    help="Cache of Wikidata answers (a rerun sends no request).",
)
@click.option("--rate", type=click.FloatRange(0.05, 10), default=1.0, show_default=True,
              help="Requests per second to Wikidata.")  # fmt: skip
@click.pass_context
def link(
    ctx: click.Context,
    corpus: Path | None,
    online: bool,
    review: Path | None,
    checked_by: str | None,
    proposals: Path,
    accepted: Path,
    cache: Path,
    rate: float,
) -> None:
    """Report Wikidata links; look unlinked entities up (--online); accept reviewed ones.

    Without options: count the corpus entities linked by the gazetteer, by accepted
    look-ups, and left unlinked or ambiguous. --online writes proposals for a person to
    review (nothing enters the graph); --accept FILE merges the entries marked there.
    """
    import datetime as dt

    from allygraph.link import (
        accept_proposals,
        collect_targets,
        extract_corpus,
        is_ambiguous,
        link_entities,
        load_links,
    )
    from allygraph.pipeline import default_gazetteer_dir

    settings = _settings(ctx)
    with _errors():
        if review is not None:
            result = accept_proposals(review, accepted, checked_by=checked_by)
            click.echo(
                f"accepted {len(result.accepted)} new and {len(result.replaced)} changed links "
                f"({result.skipped} entries not marked) -> {accepted}"
            )
            return
        gazetteer = Path(settings.gazetteer or default_gazetteer_dir())
        extractions = extract_corpus(Path(corpus or settings.corpus), gazetteer)
        links = load_links(accepted)
        counts: dict[str, dict[str, int]] = {}
        seen: set[str] = set()
        for extraction in extractions:
            for entity in link_entities(extraction.entities, links):
                if entity.key in seen:
                    continue
                seen.add(entity.key)
                state = (
                    "ambiguous"
                    if is_ambiguous(entity)
                    else (entity.qid_source or "unlinked").split(":", 1)[0]
                )
                row = counts.setdefault(entity.kind.value, {})
                row[state] = row.get(state, 0) + 1
        click.echo(f"{'kind':<14} {'gazetteer':>9} {'lookup':>7} {'unlinked':>9} {'ambiguous':>9}")
        for kind in sorted(counts):
            row = counts[kind]
            click.echo(
                f"{kind:<14} {row.get('gazetteer', 0):>9} {row.get('lookup', 0):>7} "
                f"{row.get('unlinked', 0):>9} {row.get('ambiguous', 0):>9}"
            )
        if not online:
            return
        import httpx

        from allygraph.link import WikidataClient, propose_links, write_proposals

        targets = collect_targets(extractions)
        targets = [t for t in targets if t.key not in links]
        with httpx.Client(timeout=30.0, follow_redirects=True) as http:
            client = WikidataClient(http, cache_dir=cache, rate=rate)
            found = propose_links(client, targets, today=dt.date.today().isoformat())
        write_proposals(proposals, found)
        by_status: dict[str, int] = {}
        for proposal in found:
            by_status[proposal.status] = by_status.get(proposal.status, 0) + 1
        summary = ", ".join(f"{n} {s}" for s, n in sorted(by_status.items())) or "nothing to do"
        click.echo(
            f"looked up {len(found)} entities ({summary}; {client.requests} requests) -> "
            f"{proposals}; review it, then: allygraph link --accept {proposals}"
        )


def main() -> None:
    """Run the command line."""
    cli(prog_name="allygraph")
