"""Accept parsing and format choice: a table of headers, 406 cases, and a property test."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from allygraph.serve.negotiation import (
    GRAPH_FORMATS,
    PAGE_FORMATS,
    SELECT_FORMATS,
    NotAcceptableError,
    choose,
    format_by_name,
    parse_accept,
)

TABLE = [
    (None, SELECT_FORMATS, "json"),
    ("", SELECT_FORMATS, "json"),
    ("*/*", SELECT_FORMATS, "json"),
    ("application/sparql-results+json", SELECT_FORMATS, "json"),
    ("application/json", SELECT_FORMATS, "json"),
    ("application/sparql-results+xml", SELECT_FORMATS, "xml"),
    ("application/xml", SELECT_FORMATS, "xml"),
    ("text/csv", SELECT_FORMATS, "csv"),
    ("text/tab-separated-values", SELECT_FORMATS, "tsv"),
    ("text/csv;q=0.5, text/tab-separated-values", SELECT_FORMATS, "tsv"),
    ("text/*", SELECT_FORMATS, "csv"),
    ("application/sparql-results+json;q=0.9, */*", SELECT_FORMATS, "xml"),  # RFC 9110: q wins
    ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", SELECT_FORMATS, "html"),
    ("image/png", SELECT_FORMATS, None),
    ("text/turtle", SELECT_FORMATS, None),
    ("application/sparql-results+json;q=0", SELECT_FORMATS, None),
    ("*/*", GRAPH_FORMATS, "turtle"),
    ("application/ld+json", GRAPH_FORMATS, "jsonld"),
    ("application/n-triples", GRAPH_FORMATS, "ntriples"),
    ("application/rdf+xml", GRAPH_FORMATS, "rdfxml"),
    ("application/trig", GRAPH_FORMATS, "trig"),
    ("application/n-quads", GRAPH_FORMATS, "nquads"),
    ("application/sparql-results+json", GRAPH_FORMATS, None),
    ("text/html", PAGE_FORMATS, "html"),
    ("*/*", PAGE_FORMATS, "turtle"),
    ("application/rdf+xml;q=0.5, text/turtle;q=0.4", PAGE_FORMATS, "rdfxml"),
    ("garbage", PAGE_FORMATS, None),
]


@pytest.mark.parametrize(("accept", "offered", "expected"), TABLE)
def test_accept_table(accept: str | None, offered: tuple, expected: str | None) -> None:
    """Each Accept header picks the expected format, or 406 with the offered list."""
    if expected is None:
        with pytest.raises(NotAcceptableError) as info:
            choose(accept, offered)
        assert info.value.offered == offered
        assert offered[0].media_type in str(info.value)
    else:
        assert choose(accept, offered).key == expected


def test_format_parameter_names() -> None:
    """format= takes keys, extensions and media types; unknown names are 406."""
    assert format_by_name("tsv", SELECT_FORMATS).key == "tsv"
    assert format_by_name("text/csv", SELECT_FORMATS).key == "csv"
    assert format_by_name("nt", GRAPH_FORMATS).key == "ntriples"
    with pytest.raises(NotAcceptableError):
        format_by_name("turtle", SELECT_FORMATS)


@given(st.text(max_size=200))
def test_accept_parsing_never_raises(header: str) -> None:
    """Any Accept header parses, and choosing yields a format or NotAcceptableError."""
    parse_accept(header)
    try:
        fmt = choose(header, SELECT_FORMATS)
    except NotAcceptableError:
        return
    assert fmt in SELECT_FORMATS
