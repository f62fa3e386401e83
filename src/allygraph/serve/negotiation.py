"""Content negotiation: parse ``Accept`` (q-values, wildcards) and pick an offered format.

The server lists what it offers in its own order of preference; the client's ``Accept``
header ranks media ranges by q-value and specificity (RFC 9110, section 12.5.1). A ``format=``
parameter or a file extension overrides the header for people who cannot set headers.
"""

from __future__ import annotations

from dataclasses import dataclass

from allygraph.errors import AllygraphError

__all__ = [
    "ASK_FORMATS",
    "GRAPH_FORMATS",
    "PAGE_FORMATS",
    "SELECT_FORMATS",
    "Format",
    "NotAcceptableError",
    "choose",
    "format_by_name",
    "parse_accept",
]


@dataclass(frozen=True, slots=True)
class Format:
    """One representation the server can produce.

    Attributes:
        key: Short name, used by ``format=`` and in logs (``json``, ``turtle``).
        media_type: The media type sent in ``Content-Type``.
        extension: File extension for extension URLs and dumps.
        aliases: Other names and media types that select this format.
    """

    key: str
    media_type: str
    extension: str
    aliases: tuple[str, ...] = ()

    @property
    def content_type(self) -> str:
        """``Content-Type`` header value (UTF-8 for textual formats)."""
        return f"{self.media_type}; charset=utf-8"


class NotAcceptableError(AllygraphError, ValueError):
    """No offered format is acceptable to the client (HTTP 406); lists what is offered."""

    code = "not-acceptable"

    def __init__(self, wanted: str, offered: tuple[Format, ...]) -> None:
        self.offered = offered
        names = ", ".join(f.media_type for f in offered)
        super().__init__(
            f"Accept: no offered format is acceptable (got {wanted!r}; offered: {names})"
        )


JSON = Format("json", "application/sparql-results+json", "srj", ("application/json",))
XML = Format("xml", "application/sparql-results+xml", "srx", ("application/xml", "text/xml"))
CSV = Format("csv", "text/csv", "csv")
TSV = Format("tsv", "text/tab-separated-values", "tsv")
HTML = Format("html", "text/html", "html", ("application/xhtml+xml",))
TURTLE = Format("turtle", "text/turtle", "ttl", ("ttl", "application/x-turtle"))
JSONLD = Format("jsonld", "application/ld+json", "jsonld", ("json-ld",))
NTRIPLES = Format("ntriples", "application/n-triples", "nt", ("nt", "n-triples"))
RDFXML = Format("rdfxml", "application/rdf+xml", "rdf", ("rdf", "owl"))
TRIG = Format("trig", "application/trig", "trig")
NQUADS = Format("nquads", "application/n-quads", "nq", ("nq", "n-quads"))

SELECT_FORMATS: tuple[Format, ...] = (JSON, XML, CSV, TSV, HTML)
ASK_FORMATS: tuple[Format, ...] = (JSON, XML, CSV, TSV, HTML)
GRAPH_FORMATS: tuple[Format, ...] = (TURTLE, JSONLD, NTRIPLES, RDFXML, TRIG, NQUADS, HTML)
PAGE_FORMATS: tuple[Format, ...] = (HTML, TURTLE, JSONLD, NTRIPLES, RDFXML)
ALL_FORMATS: tuple[Format, ...] = (
    JSON,
    XML,
    CSV,
    TSV,
    HTML,
    TURTLE,
    JSONLD,
    NTRIPLES,
    RDFXML,
    TRIG,
    NQUADS,
)


def parse_accept(header: str | None) -> list[tuple[str, str, float, int]]:
    """Parse an ``Accept`` header into ``(type, subtype, q, order)``, best first.

    Malformed ranges are skipped, never raised on; a missing or empty header is ``*/*``.

    >>> parse_accept("text/html;q=0.5, application/json")[0][:3]
    ('application', 'json', 1.0)
    >>> parse_accept("")
    [('*', '*', 1.0, 0)]
    """
    if not header or not header.strip():
        return [("*", "*", 1.0, 0)]
    ranges: list[tuple[str, str, float, int]] = []
    for order, part in enumerate(header.split(",")):
        pieces = [p.strip() for p in part.split(";")]
        media = pieces[0].lower()
        if media == "*":
            media = "*/*"
        kind, slash, sub = media.partition("/")
        if not slash or not kind or not sub:
            continue
        q = 1.0
        for param in pieces[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(value.strip())
                except ValueError:
                    q = 0.0
                q = min(max(q, 0.0), 1.0) if q == q else 0.0  # NaN is not acceptable
        ranges.append((kind, sub, q, order))
    ranges.sort(key=lambda r: (-r[2], r[3]))
    return ranges


def _quality(fmt: Format, ranges: list[tuple[str, str, float, int]]) -> tuple[float, int]:
    """The q-value the client gives a format: the most specific matching range wins."""
    best: tuple[int, float] | None = None
    for name in (fmt.media_type, *(a for a in fmt.aliases if "/" in a)):
        kind, _, sub = name.partition("/")
        primary = name == fmt.media_type
        for rkind, rsub, q, _order in ranges:
            if rkind == kind and rsub == sub:
                spec = 2
            elif primary and rkind == kind and rsub == "*":
                spec = 1  # wildcards match the primary media type only, not aliases
            elif primary and rkind == "*" and rsub == "*":
                spec = 0
            else:
                continue
            if best is None or spec > best[0] or (spec == best[0] and q > best[1]):
                best = (spec, q)
    if best is None:
        return (0.0, -1)
    return (best[1], best[0])


def choose(accept: str | None, offered: tuple[Format, ...]) -> Format:
    """Choose the format the client prefers among ``offered`` (server order breaks ties).

    A wildcard match ranks below an exact match with the same q-value, so
    ``text/html, */*`` picks HTML even when the server would rather send JSON.

    Raises:
        NotAcceptableError: No offered format has a positive q-value.

    >>> choose("application/sparql-results+xml", SELECT_FORMATS).key
    'xml'
    >>> choose("*/*", GRAPH_FORMATS).key
    'turtle'
    >>> choose("text/*;q=0.9, */*;q=0.1", SELECT_FORMATS).key
    'csv'
    """
    key = (accept, offered)
    hit = _CHOSEN.get(key)
    if hit is not None:
        return hit
    best = _choose(accept, offered)
    if len(_CHOSEN) >= 512:  # clients send few distinct Accept headers; bound it anyway
        _CHOSEN.clear()
    _CHOSEN[key] = best
    return best


_CHOSEN: dict[tuple[str | None, tuple[Format, ...]], Format] = {}


def _choose(accept: str | None, offered: tuple[Format, ...]) -> Format:
    ranges = parse_accept(accept)
    best: Format | None = None
    best_key: tuple[float, int, int] = (0.0, -1, 0)
    for rank, fmt in enumerate(offered):
        q, spec = _quality(fmt, ranges)
        if q <= 0.0:
            continue
        # HTML is offered to browsers that ask for it by name, not to */* clients.
        if fmt.key == "html" and spec == 0:
            continue
        key = (q, spec, -rank)
        if best is None or key > best_key:
            best, best_key = fmt, key
    if best is None:
        raise NotAcceptableError(accept or "", offered)
    return best


def format_by_name(name: str, offered: tuple[Format, ...]) -> Format:
    """Look a ``format=`` value (key, extension, alias or media type) up among ``offered``.

    Raises:
        NotAcceptableError: The name is not one of the offered formats.

    >>> format_by_name("text/turtle", GRAPH_FORMATS).key
    'turtle'
    >>> format_by_name("ttl", GRAPH_FORMATS).key
    'turtle'
    """
    wanted = name.strip().lower()
    for fmt in offered:
        if wanted in (fmt.key, fmt.media_type, fmt.extension, *fmt.aliases):
            return fmt
    raise NotAcceptableError(f"format={name}", offered)
