"""Operations on the published graph shared by the CLI: query, export, stats, validate.

They read through :mod:`allygraph.store` and return bytes or plain data; the CLI decides
where the output goes and which exit code it means.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from allygraph.errors import InputSyntaxError, QuerySyntaxError
from allygraph.settings import Settings
from allygraph.store import open_published
from allygraph.vocab import AG, WD, RdfFormat

if TYPE_CHECKING:
    from allygraph.validate import ValidationReport

__all__ = [
    "collect_stats",
    "export_published",
    "parse_query_error",
    "run_query",
    "validate_files",
    "validate_published",
]

_RESULT_FORMATS = {
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
}
_GRAPH_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "nquads": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
}
_POSITION = re.compile(r"(?:error )?at (\d+):(\d+)")


def parse_query_error(err: SyntaxError, query: str) -> QuerySyntaxError:
    """Turn pyoxigraph's parse error into a :class:`QuerySyntaxError` with line and column.

    >>> e = parse_query_error(SyntaxError("error at 1:25: expected one of ..."), "q")
    >>> (e.line, e.column)
    (1, 25)
    """
    text = str(err)
    found = _POSITION.search(text)
    line, column = (int(found.group(1)), int(found.group(2))) if found else (None, None)
    where = f"query line {line}, column {column}: " if found else "query: "
    message = _POSITION.sub("", text).lstrip(": ").strip() or text
    return QuerySyntaxError(f"{where}{message}", line=line, column=column)


def _table(solutions: ox.QuerySolutions) -> bytes:
    names = [v.value for v in solutions.variables]
    rows = [[_cell(solution[name]) for name in names] for solution in solutions]
    widths = [max([len(n), *(len(r[i]) for r in rows)]) for i, n in enumerate(names)]
    out = io.StringIO()
    out.write("  ".join(n.ljust(w) for n, w in zip(names, widths, strict=True)).rstrip() + "\n")
    for row in rows:
        out.write("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() + "\n")
    out.write(f"({len(rows)} row{'s' if len(rows) != 1 else ''})\n")
    return out.getvalue().encode("utf-8")


def _cell(term: Any) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.Literal):
        return term.value
    return str(term)


def run_query(settings: Settings, sparql: str, fmt: str = "table") -> bytes:
    """Run a read-only SPARQL query on the published graph and serialize its results.

    The default graph is the union of all named graphs.

    Raises:
        QuerySyntaxError: The query does not parse (with line and column).
        StoreError: Nothing is published.
    """
    published = open_published(settings.store)
    try:
        union = not getattr(published, "default_graph_materialized", False)
        result = published.store.query(sparql, use_default_graph_as_union=union)
    except SyntaxError as err:
        raise parse_query_error(err, sparql) from None
    if isinstance(result, ox.QueryBoolean):
        if fmt == "table":
            return b"true\n" if bool(result) else b"false\n"
        return result.serialize(format=_RESULT_FORMATS.get(fmt, _RESULT_FORMATS["json"])) or b""
    if isinstance(result, ox.QuerySolutions):
        if fmt == "table":
            return _table(result)
        if fmt not in _RESULT_FORMATS:
            msg = f"--format {fmt} is for graphs; a SELECT query gives json, xml, csv, tsv or table"
            raise QuerySyntaxError(msg)
        return result.serialize(format=_RESULT_FORMATS[fmt]) or b""
    graph_fmt = _GRAPH_FORMATS.get(fmt, ox.RdfFormat.TURTLE)
    return result.serialize(format=graph_fmt) or b""


def export_published(settings: Settings, fmt: str) -> bytes:
    """Serialize the published graph (all graphs; N-Quads, TriG and JSON-LD keep them)."""
    from allygraph.export import export_dataset

    published = open_published(settings.store)
    store = published.store
    if not isinstance(store, ox.Store):  # a remote store: export reads a pyoxigraph Store
        store = ox.Store()
        store.extend(published.store.quads_for_pattern(None, None, None))
    out = io.BytesIO()
    export_dataset(store, RdfFormat.from_name(fmt), out)
    return out.getvalue()


def collect_stats(settings: Settings) -> dict[str, Any]:
    """Count entities per ontology class, linked to Wikidata or not, plus totals."""
    published = open_published(settings.store)
    query = f"""
        SELECT ?class (COUNT(DISTINCT ?e) AS ?n) (COUNT(DISTINCT ?linked) AS ?l) WHERE {{
          ?e a ?class . FILTER(STRSTARTS(STR(?class), "{AG}"))
          FILTER(?class NOT IN (<{AG}Mention>, <{AG}Claim>, <{AG}Tenure>, <{AG}Build>))
          OPTIONAL {{ ?e <http://www.w3.org/2002/07/owl#sameAs> ?q .
                     FILTER(STRSTARTS(STR(?q), "{WD}")) BIND(?e AS ?linked) }}
        }} GROUP BY ?class ORDER BY DESC(?n) ?class"""
    union = not getattr(published, "default_graph_materialized", False)
    rows = published.store.query(query, use_default_graph_as_union=union)
    assert isinstance(rows, ox.QuerySolutions)
    classes = []
    for row in rows:
        cls, n, linked = row["class"], row["n"], row["l"]
        assert cls is not None
        assert n is not None
        assert linked is not None
        classes.append(
            {
                "class": "ag:" + cls.value.removeprefix(str(AG)),
                "entities": int(n.value),
                "linked": int(linked.value),
                "unlinked": int(n.value) - int(linked.value),
            }
        )
    release = published.release
    return {
        "release": release.get("name"),
        "triples": release.get("triples"),
        "documents": len(release.get("documents", {})),
        "classes": classes,
    }


def validate_published(settings: Settings) -> ValidationReport:
    """Validate the document graphs of the published release against the shapes."""
    from rdflib import Graph

    from allygraph.validate import validate_graph

    published = open_published(settings.store)
    graph = Graph()
    for graph_name in published.store.named_graphs():
        if isinstance(graph_name, ox.NamedNode) and "/graph/document/" in graph_name.value:
            data = published.store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=graph_name)
            graph.parse(data=data, format="nt")
    return validate_graph(graph)


def validate_files(paths: list[Path]) -> ValidationReport:
    """Validate RDF files (any supported format; graphs merged) against the shapes.

    Raises:
        InputSyntaxError: A file is missing or does not parse (with line and column).
    """
    from rdflib import Graph

    from allygraph.validate import validate_graph

    graph = Graph()
    for path in paths:
        if not path.is_file():
            msg = "file does not exist"
            raise InputSyntaxError(msg, filename=str(path))
        fmt = RdfFormat.from_name(path.suffix or "ttl")
        try:
            triples = [q.triple for q in ox.parse(path=str(path), format=_GRAPH_FORMATS[fmt.key])]
        except SyntaxError as err:
            raise InputSyntaxError(
                str(getattr(err, "msg", err)),
                filename=str(path),
                lineno=err.lineno,
                offset=err.offset,
            ) from None
        graph.parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES), format="nt")
    return validate_graph(graph)
