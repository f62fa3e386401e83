"""Validate RDF against the allygraph SHACL shapes and report the results as plain values."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache
from typing import Any

from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH, NamespaceManager
from rdflib.term import Node

from allygraph.errors import ValidationFailedError
from allygraph.vocab import AG, OA, PROV, SCHEMA

__all__ = ["Severity", "ValidationReport", "ValidationResult", "validate_graph"]

_PREFIXES = {"ag": AG, "oa": OA, "prov": PROV, "schema": SCHEMA}


class Severity(Enum):
    """SHACL severities; only violations make a graph non-conforming."""

    VIOLATION = "Violation"
    WARNING = "Warning"
    INFO = "Info"


@dataclass(frozen=True, slots=True)
class ValidationResult:
    """One ``sh:ValidationResult``, with terms written in N-Triples / Turtle-like form."""

    severity: Severity
    focus_node: str
    path: str | None
    message: str
    source_shape: str | None
    value: str | None

    def to_text(self) -> str:
        """Return the result as a few readable lines."""
        lines = [f"{self.severity.value}: {self.focus_node}"]
        if self.path:
            lines.append(f"  path:    {self.path}")
        if self.value is not None:
            lines.append(f"  value:   {_shorten(self.value)}")
        lines.append(f"  message: {self.message}")
        if self.source_shape:
            lines.append(f"  shape:   {self.source_shape}")
        return "\n".join(lines)


@dataclass(frozen=True, slots=True)
class ValidationReport:
    """The outcome of a validation: whether the data conforms, and every result."""

    conforms: bool
    results: tuple[ValidationResult, ...]

    @property
    def violations(self) -> tuple[ValidationResult, ...]:
        """Results of severity Violation."""
        return tuple(r for r in self.results if r.severity is Severity.VIOLATION)

    def to_text(self) -> str:
        """Return a readable report: a summary line, then each result (violations first)."""
        counts = dict.fromkeys(Severity, 0)
        for result in self.results:
            counts[result.severity] += 1
        head = "Conforms" if self.conforms else "Does not conform"
        summary = (
            f"{head}: {counts[Severity.VIOLATION]} violation(s), "
            f"{counts[Severity.WARNING]} warning(s), {counts[Severity.INFO]} info(s)"
        )
        order = list(Severity)
        ranked = sorted(
            self.results, key=lambda r: (order.index(r.severity), r.focus_node, r.path or "")
        )
        return "\n".join([summary, *(result.to_text() for result in ranked)])

    def raise_for_violations(self) -> None:
        """Raise when the data does not conform.

        Raises:
            ValidationFailedError: There is at least one violation; ``report`` is this report.
        """
        if self.conforms:
            return
        first = self.violations[0] if self.violations else None
        detail = f" (first: {first.focus_node}: {first.message})" if first else ""
        msg = (
            f"validate: the graph must conform to the SHACL shapes "
            f"(got {len(self.violations)} violation(s){detail})"
        )
        raise ValidationFailedError(msg, report=self)

    @classmethod
    def merge(cls, reports: Iterable[ValidationReport]) -> ValidationReport:
        """Combine the reports of several graphs into one."""
        reports = list(reports)
        results = tuple(r for report in reports for r in report.results)
        return cls(conforms=all(report.conforms for report in reports), results=results)


def validate_graph(data: Graph, *, shapes: Graph | None = None) -> ValidationReport:
    """Validate a graph (or every named graph of a dataset) against the SHACL shapes.

    No inference is done (``inference="none"``): the model states every class it relies on.
    The named graphs of a :class:`~rdflib.Dataset` are validated one by one, since each
    document graph is self-contained.

    Args:
        data: The data graph, or a dataset whose named graphs are validated separately.
        shapes: The shapes graph; the shipped ``ontology/shapes.ttl`` when None.

    Returns:
        The report; warnings and infos do not make the data non-conforming.
    """
    import pyshacl  # lazily: pyshacl pulls in owlrl and more at import time

    _fast_constraint_lookup()
    if shapes is None:
        shapes = _default_shapes()
    graphs = [g for g in data.graphs() if len(g)] if isinstance(data, Dataset) else [data]
    reports = []
    for graph in graphs:
        plain = graph if type(graph) is Graph else _as_graph(graph)
        conforms, report_graph, _ = pyshacl.validate(
            plain,
            shacl_graph=shapes,
            inference="none",
            abort_on_first=False,
            allow_infos=True,
            allow_warnings=True,
            advanced=False,
            do_owl_imports=False,
        )
        reports.append(_report(bool(conforms), report_graph))
    return ValidationReport.merge(reports) if reports else ValidationReport(True, ())


@lru_cache(maxsize=1)
def _default_shapes() -> Graph:
    """The shipped shapes, parsed once per process, in a store without named graphs.

    pySHACL looks the shapes up for every focus node it validates; the ``SimpleMemory`` store
    answers those look-ups faster than the default context-aware one. pySHACL only adds its
    own (always the same) system triples to the shapes graph, so one copy serves every call.
    """
    from allygraph.model import shapes_graph

    parsed = shapes_graph()
    shapes = Graph(store="SimpleMemory")
    for prefix, namespace in parsed.namespaces():
        shapes.bind(prefix, namespace, override=True)
    for triple in parsed:
        shapes.add(triple)
    return shapes


class _Members(list[Any]):
    """A list that answers ``in`` from a set (the same answer: terms hash as they compare)."""

    def __init__(self, items: list[Any]) -> None:
        super().__init__(items)
        self._members = frozenset(items)

    def __contains__(self, item: object) -> bool:
        return item in self._members


def _fast_constraint_lookup() -> None:
    """Let pySHACL find constraint parameters with a set lookup instead of a list scan.

    For every shape it visits (once per focus node of nested shapes), pySHACL tests each
    predicate of the shape with ``p in ALL_CONSTRAINT_PARAMETERS``, a list of 30 terms whose
    comparisons run in Python: a tenth of the validation time. It keeps that list in the
    module attribute ``pyshacl.shape.CONSTRAINT_PARAMS``; this puts an equal list with a set
    lookup there. Versions that keep it elsewhere are left alone.
    """
    try:
        from pyshacl import shape
        from pyshacl.constraints import ALL_CONSTRAINT_PARAMETERS, CONSTRAINT_PARAMETERS_MAP
    except ImportError:  # pragma: no cover - another pySHACL layout: nothing to speed up
        return
    current = getattr(shape, "CONSTRAINT_PARAMS", None)
    if current is None or (isinstance(current, tuple) and current[0] is ALL_CONSTRAINT_PARAMETERS):
        members = _Members(list(ALL_CONSTRAINT_PARAMETERS))
        shape.CONSTRAINT_PARAMS = (members, CONSTRAINT_PARAMETERS_MAP)  # type: ignore[attr-defined]


def _as_graph(graph: Graph) -> Graph:
    plain = Graph()
    plain += graph
    return plain


def _report(conforms: bool, report: Graph) -> ValidationReport:
    names = NamespaceManager(Graph(), bind_namespaces="core")
    for prefix, namespace in _PREFIXES.items():
        names.bind(prefix, namespace, override=True)
    results = []
    for node in report.subjects(RDF.type, SH.ValidationResult):
        severity = Severity(str(report.value(node, SH.resultSeverity)).rsplit("#", 1)[-1])
        focus = report.value(node, SH.focusNode)
        path = report.value(node, SH.resultPath)
        value = report.value(node, SH.value)
        shape = report.value(node, SH.sourceShape)
        messages = sorted(str(m) for m in report.objects(node, SH.resultMessage))
        results.append(
            ValidationResult(
                severity=severity,
                focus_node=_term(focus, names) or "",
                path=_term(path, names),
                message="; ".join(messages) or "constraint not met",
                source_shape=_term(shape, names),
                value=None if value is None else _term(value, names),
            )
        )
    results.sort(key=lambda r: (r.focus_node, r.path or "", r.message))
    return ValidationReport(conforms=conforms, results=tuple(results))


def _term(term: Node | None, names: NamespaceManager) -> str | None:
    if term is None or isinstance(term, BNode):
        return None
    if isinstance(term, URIRef):
        try:
            prefix, _, local = names.compute_qname(term, generate=False)
        except (KeyError, ValueError):
            return f"<{term}>"
        return f"{prefix}:{local}"
    if isinstance(term, Literal):
        return str(term.n3(names))
    return str(term)


def _shorten(text: str, limit: int = 120) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
