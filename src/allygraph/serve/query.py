"""Look at a SPARQL request before running it: form, update, SERVICE targets, syntax.

The checks work on tokens, not substrings: comments, string literals and IRIs are consumed
whole, so ``"SERVICE"`` in a literal, ``ex:service`` or ``?service`` never count as the
keyword, and ``SeRvIcE`` does. Syntax is then checked by pyoxigraph's own parser, which gives
the line and column of the first error.
"""

from __future__ import annotations

import ipaddress
import re
import socket
from dataclasses import dataclass, field
from typing import Literal
from urllib.parse import urlsplit

import pyoxigraph as ox

from allygraph.errors import QueryRefusedError, QuerySyntaxError

__all__ = [
    "QueryForm",
    "QueryInfo",
    "analyze_query",
    "check_service_target",
    "check_syntax",
    "is_bounded",
]

QueryForm = Literal["SELECT", "ASK", "CONSTRUCT", "DESCRIBE"]

# One alternative per token class; the order matters (long strings before short ones).
_TOKEN = re.compile(
    r"""
      (?P<ws>\s+)
    | (?P<comment>\#[^\n\r]*)
    | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
                 |'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
    | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    | (?P<var>[?$][A-Za-z0-9_\u00b7\u00c0-\uffff]+)
    | (?P<pname>(?:[A-Za-z\u00c0-\uffff][\w.\-\u00b7\u00c0-\uffff]*)?:[\w.\-:%\u00b7\u00c0-\uffff]*)
    | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
    | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)

_FORMS = frozenset({"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"})
_UPDATES = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}
)
_ERROR_AT = re.compile(r"^error at (\d+):(\d+): ?(.*)$", re.DOTALL)
_PARSER = ox.Store()  # empty in-memory store: parsing a query against it is cheap and local


@dataclass(frozen=True, slots=True)
class QueryInfo:
    """What the tokens of a request say.

    Attributes:
        form: SELECT, ASK, CONSTRUCT or DESCRIBE; None when no query form was found.
        is_update: The request is a SPARQL Update (its first keyword is INSERT, DROP, ...).
        services: The SERVICE targets: absolute IRIs, or ``"?var"`` for a variable.
        trivial: The query has no graph pattern at all (``ASK {}``): safe to run inline.
        bounded: The query's work is bounded by the index ranges of its constants and the rows
            it returns (see :func:`is_bounded`): safe to run in a thread of the server.
    """

    form: QueryForm | None
    is_update: bool = False
    services: tuple[str, ...] = field(default=())
    trivial: bool = False
    bounded: bool = False


def _tokens(text: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "other"
        if kind in ("ws", "comment"):
            continue
        out.append((kind, match.group()))
    return out


def analyze_query(text: str) -> QueryInfo:
    """Find the query form, updates and SERVICE targets from the tokens of a request.

    >>> analyze_query("PREFIX s: <http://x/> SELECT * { ?s s:service 'SERVICE' }").services
    ()
    >>> analyze_query("select * { service <https://query.wikidata.org/sparql> {} }").services
    ('https://query.wikidata.org/sparql',)
    >>> analyze_query("DROP ALL").is_update
    True
    >>> analyze_query("ASK {}").trivial
    True
    """
    tokens = _tokens(text)
    prefixes: dict[str, str] = {}
    base = ""
    form: QueryForm | None = None
    is_update = False
    services: list[str] = []
    i = 0
    # Prologue: BASE and PREFIX declarations, kept to expand SERVICE targets.
    while i < len(tokens):
        kind, value = tokens[i]
        upper = value.upper()
        if kind == "word" and upper == "BASE" and i + 1 < len(tokens):
            base = tokens[i + 1][1][1:-1]
            i += 2
            continue
        if kind == "word" and upper == "PREFIX" and i + 2 < len(tokens):
            prefixes[tokens[i + 1][1].rstrip(":")] = tokens[i + 2][1][1:-1]
            i += 3
            continue
        break
    if i < len(tokens) and tokens[i][0] == "word":
        upper = tokens[i][1].upper()
        if upper in _FORMS:
            form = upper  # type: ignore[assignment]
        elif upper in _UPDATES:
            is_update = True
    for j, (kind, value) in enumerate(tokens):
        if kind != "word" or value.upper() != "SERVICE":
            continue
        k = j + 1
        if k < len(tokens) and tokens[k][1].upper() == "SILENT":
            k += 1
        if k >= len(tokens):
            continue
        tkind, target = tokens[k]
        if tkind == "iri":
            iri = target[1:-1]
            services.append(iri if ":" in iri or not base else base + iri)
        elif tkind == "pname":
            prefix, _, local = target.partition(":")
            services.append(prefixes.get(prefix, prefix + ":") + local)
        else:
            services.append(target)
    braces = [v for k, v in tokens if k == "other" and v in "{}"]
    trivial = form in ("ASK", "SELECT") and braces == ["{", "}"] and _adjacent_braces(tokens)
    bounded = form is not None and not services and _Bounded(tokens, i).check()
    return QueryInfo(
        form=form,
        is_update=is_update,
        services=tuple(services),
        trivial=trivial,
        bounded=bounded,
    )


def _adjacent_braces(tokens: list[tuple[str, str]]) -> bool:
    for n, (_, value) in enumerate(tokens[:-1]):
        if value == "{":
            return tokens[n + 1][1] == "}"
    return False


def check_syntax(text: str, base_iri: str | None = None) -> None:
    """Parse a query with pyoxigraph; raise :class:`QuerySyntaxError` with line and column.

    Only call it for queries without SERVICE: parsing an ASK evaluates it (on an empty store).

    >>> check_syntax("SELECT * WHERE { ?s ?p }")
    Traceback (most recent call last):
    ...
    allygraph.errors.QuerySyntaxError: query:1:25: expected one of LATERAL, SERVICE, [_]
    """
    try:
        _PARSER.query(text, base_iri=base_iri)
    except SyntaxError as err:
        raise syntax_error(str(err)) from None


def syntax_error(message: str) -> QuerySyntaxError:
    """Turn pyoxigraph's ``error at L:C: ...`` message into a :class:`QuerySyntaxError`."""
    match = _ERROR_AT.match(message)
    if match is None:
        return QuerySyntaxError(f"query: {message}")
    line, column, what = int(match.group(1)), int(match.group(2)), match.group(3)
    return QuerySyntaxError(f"query:{line}:{column}: {what}", line=line, column=column)


def check_service_target(target: str, allowlist: list[str]) -> None:
    """Refuse a SERVICE target that is not allowlisted or points into a private network.

    Allowed: an ``http``/``https`` IRI on the allowlist whose host resolves only to public
    addresses. Refused: variables, other schemes, loopback, private, link-local, reserved and
    multicast addresses (also when a listed name resolves to one). Redirects are not followed
    by pyoxigraph's HTTP client, so a listed endpoint cannot bounce the call elsewhere.

    Raises:
        QueryRefusedError: with the reason.
    """
    where = f"SERVICE <{target}>"
    if target.startswith(("?", "$")):
        msg = f"SERVICE {target}: the endpoint must be a constant IRI (got a variable)"
        raise QueryRefusedError(msg)
    parts = urlsplit(target)
    if parts.scheme not in ("http", "https"):
        msg = f"{where}: only http and https endpoints may be called (got {parts.scheme!r})"
        raise QueryRefusedError(msg)
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme == "https" else 80)
    # Literal addresses are refused before the allowlist; names are resolved only when listed,
    # so a refused query never triggers a DNS look-up.
    literal = _literal_address(host)
    if literal is not None:
        _check_public(where, [literal])
    if target not in allowlist:
        listed = ", ".join(allowlist) or "none"
        msg = f"{where}: the endpoint must be on the SERVICE allowlist (allowed: {listed})"
        raise QueryRefusedError(msg)
    if literal is None:
        _check_public(where, _resolve(host, port))


def _check_public(where: str, addresses: list[_Address]) -> None:
    for address in addresses:
        if not address.is_global or address.is_multicast:
            msg = f"{where}: the endpoint must be a public address (got {address})"
            raise QueryRefusedError(msg)


_Address = ipaddress.IPv4Address | ipaddress.IPv6Address


def _literal_address(host: str) -> _Address | None:
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        pass
    if host.lower() in ("localhost", "localhost.localdomain") or host.endswith(".localhost"):
        return ipaddress.ip_address("127.0.0.1")
    return None


def _resolve(host: str, port: int) -> list[_Address]:
    try:
        infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except OSError as err:
        msg = f"SERVICE host {host!r}: must resolve to an address (got {err})"
        raise QueryRefusedError(msg) from None
    return [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos]


MAX_BOUNDED_OFFSET = 10_000
"""The largest OFFSET a query may skip and still count as bounded (skipped rows are work)."""

_Term = tuple[str, str]  # (token kind, value); kind "var" or "const"


class _NotBounded(Exception):
    """The tokens leave the bounded class (raised anywhere in :class:`_Bounded`)."""


class _Bounded:
    """A recursive-descent reader of the bounded class of queries, over tokens.

    The class: SELECT [DISTINCT|REDUCED] (``*`` or variables), ASK, CONSTRUCT (any template)
    or DESCRIBE, with ``FROM``/``FROM NAMED``, a WHERE clause that is a basic graph pattern
    with FILTERs, ``GRAPH t { ... }`` or a UNION of such groups, then LIMIT and OFFSET (at most
    :data:`MAX_BOUNDED_OFFSET`). Every basic graph pattern must be a *star around constants*:
    each triple pattern has a constant subject or object, the patterns share at most one
    variable in subject/object position and predicate variables occur once (a lone triple
    pattern may be anything without a repeated variable). A FILTER is a per-row expression
    (``EXISTS`` is refused). Evaluating such a query is one pass over the index ranges of its
    constants (or of its lone pattern) with a few look-ups per candidate: its work grows at
    most linearly with the store, never with a product of two patterns. A lone pattern may be
    a walk along one predicate (``p+``, ``p*``, ``p?``) from a constant: each edge is visited
    once. Anything else (OPTIONAL, MINUS, BIND, VALUES, subqueries, other property paths,
    ORDER BY, GROUP BY, aggregates, projected expressions, blank-node syntax, numbers in
    patterns) is outside the class.
    """

    def __init__(self, tokens: list[tuple[str, str]], start: int) -> None:
        self.tokens: list[tuple[str, str]] = []
        for kind, value in tokens[start:]:
            # A prefixed name swallows a full stop that ends its triple pattern ("ex:o.").
            if kind == "pname" and value.endswith(".") and len(value) > 1:
                self.tokens += [(kind, value.rstrip(".")), ("other", ".")]
                self.tokens += [("other", ".")] * (len(value) - len(value.rstrip(".")) - 1)
            else:
                self.tokens.append((kind, value))
        self.i = 0

    # -- token helpers ------------------------------------------------------------------------

    def peek(self, ahead: int = 0) -> tuple[str, str]:
        j = self.i + ahead
        return self.tokens[j] if j < len(self.tokens) else ("eof", "")

    def word(self, *words: str) -> bool:
        kind, value = self.peek()
        if kind == "word" and value.upper() in words:
            self.i += 1
            return True
        return False

    def punct(self, char: str) -> bool:
        if self.peek() == ("other", char):
            self.i += 1
            return True
        return False

    def expect(self, char: str) -> None:
        if not self.punct(char):
            raise _NotBounded

    def number(self) -> int:
        digits = ""
        while self.peek()[0] == "other" and self.peek()[1].isdigit():
            digits += self.peek()[1]
            self.i += 1
        if not digits:
            raise _NotBounded
        return int(digits)

    # -- grammar ------------------------------------------------------------------------------

    def check(self) -> bool:
        try:
            self.query()
        except _NotBounded:
            return False
        return True

    def query(self) -> None:
        if self.word("SELECT"):
            self.word("DISTINCT", "REDUCED")
            if self.punct("*"):
                pass
            elif self.peek()[0] == "var":
                while self.peek()[0] == "var":
                    self.i += 1
            else:
                raise _NotBounded  # projected expressions, aggregates
        elif self.word("ASK"):
            pass
        elif self.word("CONSTRUCT"):
            if self.punct("{"):
                while not self.punct("}"):
                    if self.peek()[0] == "eof" or self.peek() == ("other", "{"):
                        raise _NotBounded
                    self.i += 1
            elif self.peek() != ("word", "WHERE") and self.peek()[1].upper() != "WHERE":
                raise _NotBounded
        elif self.word("DESCRIBE"):
            if not self.punct("*"):
                if self.peek()[0] not in ("var", "iri", "pname"):
                    raise _NotBounded
                while self.peek()[0] in ("var", "iri", "pname"):
                    self.i += 1
        else:
            raise _NotBounded
        while self.word("FROM"):
            self.word("NAMED")
            if self.peek()[0] not in ("iri", "pname"):
                raise _NotBounded
            self.i += 1
        has_where = self.word("WHERE")
        if self.punct("{"):
            self.group()
            self.expect("}")
        elif has_where or self.peek()[0] != "eof":
            raise _NotBounded
        while self.peek()[0] != "eof":
            if self.word("LIMIT"):
                self.number()
            elif self.word("OFFSET"):
                if self.number() > MAX_BOUNDED_OFFSET:
                    raise _NotBounded
            else:
                raise _NotBounded

    def group(self) -> None:
        """The inside of ``{ }``: a star, ``GRAPH t { star }``, or a UNION of groups."""
        if self.peek() == ("other", "{"):
            while True:
                self.expect("{")
                self.group()
                self.expect("}")
                if not self.word("UNION"):
                    break
            if self.peek() != ("other", "}"):
                raise _NotBounded
            return
        if self.word("GRAPH"):
            if self.peek()[0] not in ("var", "iri", "pname"):
                raise _NotBounded
            graph = self.peek()
            self.i += 1
            self.expect("{")
            self.star(graph[1] if graph[0] == "var" else None)
            self.expect("}")
            if self.peek() != ("other", "}"):
                raise _NotBounded
            return
        self.star(None)

    def star(self, graph_var: str | None) -> None:
        """A basic graph pattern that must be a star around constants."""
        patterns: list[tuple[_Term, _Term, _Term]] = []
        filtered = False
        while self.peek() != ("other", "}"):
            if self.word("FILTER"):
                self.filter()
                self.punct(".")
                filtered = True
                continue
            subject = self.node(subject=True)
            while True:
                verb = self.verb()
                while True:
                    patterns.append((subject, verb, self.node(subject=False)))
                    if not self.punct(","):
                        break
                if not self.punct(";") or self.peek() in (("other", "."), ("other", "}")):
                    break
            if not self.punct(".") and self.peek()[1].upper() != "FILTER":
                break
        # A walk along one predicate from a constant visits each edge once (breadth first with
        # a visited set): linear. From two variables it would start everywhere.
        walks = any(p[0] == "path" for _, p, _ in patterns)
        if walks and (
            len(patterns) != 1 or (patterns[0][0][0] == "var" and patterns[0][2][0] == "var")
        ):
            raise _NotBounded
        if len(patterns) == 1:
            if filtered and all(kind == "var" for kind, _ in patterns[0]):
                raise _NotBounded  # a filter over every triple of the store
            names = [v for kind, v in patterns[0] if kind == "var"]
            if graph_var is not None:
                names.append(graph_var)
            if len(names) != len(set(names)):
                raise _NotBounded  # ?x ?p ?x filters rows
            return
        centres: set[str] = set()
        predicates: list[str] = []
        for s, p, o in patterns:
            if s[0] == "var" and o[0] == "var":
                raise _NotBounded  # not anchored on a constant
            if s[0] == "var":
                centres.add(s[1])
            if o[0] == "var":
                centres.add(o[1])
            if p[0] == "var":
                predicates.append(p[1])
        others = [*predicates, *([graph_var] if graph_var else [])]
        if len(centres) > 1 or len(others) != len(set(others)) or centres & set(others):
            raise _NotBounded

    def filter(self) -> None:
        """Skip a FILTER's expression: ``( ... )`` or a function call, without EXISTS."""
        if self.peek()[0] in ("word", "pname", "iri"):
            self.i += 1  # FILTER regex(...), FILTER ex:fn(...)
        if self.peek() != ("other", "("):
            raise _NotBounded
        depth = 0
        while True:
            kind, value = self.peek()
            if kind == "eof" or (kind == "other" and value in "{}"):
                raise _NotBounded
            if kind == "word" and value.upper() == "EXISTS":
                raise _NotBounded  # a graph pattern per row
            self.i += 1
            if (kind, value) == ("other", "("):
                depth += 1
            elif (kind, value) == ("other", ")"):
                depth -= 1
                if depth == 0:
                    return

    def node(self, *, subject: bool) -> _Term:
        kind, value = self.peek()
        if kind == "var":
            self.i += 1
            return ("var", value)
        if kind in ("iri", "pname"):
            self.i += 1
            return ("const", value)
        if subject:
            raise _NotBounded
        if kind == "string":
            self.i += 1
            if self.punct("@"):
                if self.peek()[0] != "word":
                    raise _NotBounded
                self.i += 1
                while self.peek() == ("other", "-") and self.peek(1)[0] in ("word", "other"):
                    self.i += 2
            elif self.peek() == ("other", "^") and self.peek(1) == ("other", "^"):
                self.i += 2
                if self.peek()[0] not in ("iri", "pname"):
                    raise _NotBounded
                self.i += 1
            return ("const", value)
        if kind == "word" and value.lower() in ("true", "false"):
            self.i += 1
            return ("const", value)
        raise _NotBounded  # numbers, blank nodes, collections, quoted triples

    def verb(self) -> _Term:
        kind, value = self.peek()
        if kind in ("var", "iri", "pname") or (kind, value) == ("word", "a"):
            self.i += 1
            nxt = self.peek()
            if nxt[0] == "other" and nxt[1] in "+*?" and kind != "var":
                self.i += 1
                return ("path", value)  # p+, p*, p?: a walk along one predicate
            if nxt[0] == "other" and nxt[1] in "/|^*+?!()":
                raise _NotBounded  # any other property path
            return ("var" if kind == "var" else "const", value)
        raise _NotBounded


def is_bounded(text: str) -> bool:
    """Whether a query is in the bounded class (it may run in a thread of the server).

    >>> is_bounded("SELECT ?p ?o WHERE { <http://x/e> ?p ?o }")
    True
    >>> is_bounded("SELECT * { ?a ?b ?c . ?c ?d ?e }")
    False
    >>> is_bounded("SELECT ?x { ?x <http://x/p>+ ?y }")
    False
    """
    return analyze_query(text).bounded
