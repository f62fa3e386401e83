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
    """

    form: QueryForm | None
    is_update: bool = False
    services: tuple[str, ...] = field(default=())
    trivial: bool = False


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
    return QueryInfo(form=form, is_update=is_update, services=tuple(services), trivial=trivial)


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
