"""Token-based checks of a query: form, update, SERVICE targets, syntax errors, targets."""

from __future__ import annotations

import pytest

from allygraph.errors import QueryRefusedError, QuerySyntaxError
from allygraph.serve.query import analyze_query, check_service_target, check_syntax

WIKIDATA = "https://query.wikidata.org/sparql"


@pytest.mark.parametrize(
    ("text", "services"),
    [
        ("SELECT * { ?s ?p 'SERVICE <http://x/>' }", ()),
        ("SELECT * { ?s <http://x/SERVICE> ?service }", ()),
        ("PREFIX ex: <http://x/> SELECT * { ?s ex:service ?o }", ()),
        ("SELECT * { # SERVICE <http://127.0.0.1/>\n ?s ?p ?o }", ()),
        ('SELECT * { ?s ?p """\nSERVICE <http://a/>\n""" }', ()),
        ("select * { SeRvIcE <http://127.0.0.1:1/> { ?s ?p ?o } }", ("http://127.0.0.1:1/",)),
        ("SELECT * { SERVICE SILENT <http://10.0.0.1/> {} }", ("http://10.0.0.1/",)),
        ("PREFIX w: <https://query.wikidata.org/> SELECT * { SERVICE w:sparql {} }", (WIKIDATA,)),
        ("SELECT * { SERVICE ?endpoint { ?s ?p ?o } }", ("?endpoint",)),
    ],
)
def test_service_detection(text: str, services: tuple[str, ...]) -> None:
    """SERVICE is found as a keyword only, never in literals, IRIs, names or comments."""
    assert analyze_query(text).services == services


def test_forms_and_updates() -> None:
    """The form follows the prologue; update keywords mark an update."""
    assert analyze_query("PREFIX a: <http://a/> BASE <http://b/> ASK { ?s ?p ?o }").form == "ASK"
    assert analyze_query("construct where { ?s ?p ?o }").form == "CONSTRUCT"
    assert analyze_query("PREFIX a: <http://a/> INSERT DATA { a:s a:p a:o }").is_update
    assert analyze_query("DROP ALL").is_update
    assert not analyze_query("SELECT * { ?s ?p ?o }").is_update
    assert analyze_query("ASK {}").trivial
    assert not analyze_query("ASK { ?s ?p ?o }").trivial


def test_syntax_error_has_position() -> None:
    """A syntax error carries line and column and starts with them."""
    with pytest.raises(QuerySyntaxError) as info:
        check_syntax("SELECT ?x\nWHERE {\n  ?x ?y \n}")
    assert (info.value.line, info.value.column) == (4, 2)
    assert str(info.value).startswith("query:4:2:")


@pytest.mark.parametrize(
    "target",
    [
        "http://127.0.0.1:8000/sparql",
        "http://localhost/sparql",
        "http://[::1]/sparql",
        "http://10.1.2.3/sparql",
        "http://192.168.1.1/sparql",
        "http://172.16.0.5/sparql",
        "http://169.254.169.254/latest/meta-data",
        "http://[fe80::1]/sparql",
        "http://0.0.0.0/sparql",
        "file:///etc/passwd",
        "ftp://query.wikidata.org/sparql",
        "?endpoint",
        "https://example.org/sparql",
    ],
)
def test_service_targets_refused(target: str) -> None:
    """Loopback, private, link-local, other schemes, variables and unlisted hosts are refused."""
    allow = [WIKIDATA, "http://127.0.0.1:8000/sparql", "http://10.1.2.3/sparql"]
    with pytest.raises(QueryRefusedError):
        check_service_target(target, allow)


def test_public_literal_address_allowed() -> None:
    """A listed endpoint on a public address passes (no DNS look-up for literals)."""
    check_service_target("http://8.8.8.8/sparql", ["http://8.8.8.8/sparql"])


@pytest.mark.parametrize(
    "text",
    [
        "SELECT ?p ?o WHERE { <http://x/e> ?p ?o }",
        "DESCRIBE <http://x/e>",
        "ASK { <http://x/a> a <http://x/C> }",
        "CONSTRUCT { <x:e> ?p ?o } WHERE { { <x:e> ?p ?o } UNION { ?o ?p <x:e> } }",
        "PREFIX ag: <http://x/ag#> SELECT ?x { ?x a ag:Person. ?x ag:label 'Kan'@en-US }",
        "SELECT ?s ?l { ?s <http://x/label> ?l FILTER(STRSTARTS(LCASE(STR(?l)), 'ab')) } LIMIT 20",
        "SELECT DISTINCT ?place { <http://x/b> <http://x/locatedIn>+ ?place }",
        "SELECT * { GRAPH ?g { <http://x/e> ?p ?o } }",
        "SELECT * { ?s ?p ?o } LIMIT 10",
    ],
)
def test_bounded_queries(text: str) -> None:
    """Stars around constants, lone patterns and walks from a constant are bounded."""
    assert analyze_query(text).bounded


@pytest.mark.parametrize(
    "text",
    [
        "SELECT * { ?s ?p ?s }",
        "SELECT * { ?a ?b ?c . ?c ?d ?e }",
        "SELECT * { <http://x/e> ?p ?o . ?y ?q <http://x/f> }",
        "SELECT * { <http://x/e> ?p ?o . ?o ?p <http://x/f> }",
        "SELECT ?s (COUNT(?o) AS ?n) { <http://x/e> ?p ?o } GROUP BY ?s",
        "SELECT * { <http://x/e> ?p ?o } ORDER BY ?o",
        "SELECT * { <http://x/e> ?p ?o OPTIONAL { ?o ?q ?r } }",
        "SELECT * { <http://x/e> ?p ?o FILTER NOT EXISTS { ?o ?q ?r } }",
        "SELECT * { ?x <http://x/p>+ ?y }",
        "SELECT * { <http://x/e> <http://x/p>/<http://x/q> ?y }",
        "SELECT * { <http://x/e> ?p ?o } OFFSET 1000000",
        "SELECT ?s { ?s ?p ?o FILTER(REGEX(STR(?o), 'x')) }",
        "SELECT * { { SELECT * { ?s ?p ?o } } }",
        "SELECT * { SERVICE <https://query.wikidata.org/sparql> { ?s ?p ?o } }",
    ],
)
def test_unbounded_queries(text: str) -> None:
    """Joins of free patterns, sorting, grouping, optional parts and open paths go to a process."""
    assert not analyze_query(text).bounded
