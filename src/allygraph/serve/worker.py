"""Query worker: a child process that owns a read-only Store and answers one query at a time.

Run as a script (``python worker.py DB_PATH FD``), it imports only the standard library and
pyoxigraph so that a replacement starts in a fraction of a second. The parent kills it when a
query runs out of time: pyoxigraph has no cancellation, and killing the process is the only way
to really stop the work.

Frames on the socket: 8 bytes (header length, payload length, big-endian), a JSON header, the
payload. Request header: ``query``, ``format``, ``max_rows``, ``base_iri``, ``union``,
``default_graphs``, ``named_graphs``. Response header: ``ok``, ``rows`` (or ``error``,
``message``), payload the serialized result.

The server also calls :func:`execute` in its own threads for queries of the bounded class
(:func:`allygraph.serve.query.is_bounded`), with a ``deadline``: the work then stops at the
next chunk of output written after it (a thread cannot be killed).
"""

from __future__ import annotations

import itertools
import json
import socket
import struct
import sys
import time
from collections.abc import Callable
from typing import Any

import pyoxigraph as ox

_HEAD = struct.Struct(">II")

RESULT_FORMATS = {
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
}
GRAPH_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "jsonld": ox.RdfFormat.JSON_LD,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "rdfxml": ox.RdfFormat.RDF_XML,
    "trig": ox.RdfFormat.TRIG,
    "nquads": ox.RdfFormat.N_QUADS,
}
# Row boundaries. XML escapes "<" in content, so its marks are exact. In JSON every boundary
# is "},{"; a literal may contain that too, but never '},{"' (JSON escapes the quote): when the
# two counts differ (empty solutions, or such a literal) the count is checked on TSV.
_ROW_MARKS = {"xml": (b"<result>", b"<result/>"), "json": (b"},{", b'},{"')}


class RowCapExceeded(Exception):
    """Raised inside a serializer's write() to stop it at the row cap."""


class DeadlineExceeded(Exception):
    """Raised inside a serializer's write() (or between triples) to stop at the deadline."""


class _CountingSink:
    """A write() target that counts result rows as the serializer produces them.

    Each row-boundary mark is counted in the previous chunk's last ``len(mark) - 1`` bytes
    plus the new chunk, so a mark split across two writes is counted exactly once.
    """

    def __init__(self, fmt: str, cap: int, deadline: float | None = None) -> None:
        self.fmt = fmt
        self.cap = cap
        self.deadline = deadline
        self.parts: list[bytes] = []
        self.marks = (b"\n",) if fmt == "tsv" else _ROW_MARKS[fmt]
        self.tails = dict.fromkeys(self.marks, b"")
        self.seen = 0
        self.seen_quoted = 0

    def write(self, data: bytes) -> int:
        chunk = bytes(data)
        self.parts.append(chunk)
        for mark in self.marks:
            window = self.tails[mark] + chunk
            found = window.count(mark)
            if mark == b'},{"':
                self.seen_quoted += found
            else:
                self.seen += found
            self.tails[mark] = window[-(len(mark) - 1) :] if len(mark) > 1 else b""
        if self.rows(partial=True) > self.cap:
            raise RowCapExceeded
        if self.deadline is not None and time.monotonic() > self.deadline:
            raise DeadlineExceeded
        return len(chunk)

    def flush(self) -> None:
        """Nothing to flush: the parts are kept in memory."""

    def rows(self, *, partial: bool = False) -> int:
        """Rows seen so far (a lower bound while ``partial``)."""
        if self.fmt == "tsv":
            return max(self.seen - 1, 0)  # the header line
        if self.fmt == "json":
            if partial:
                return self.seen + 1 if self.seen else 0
            empty = b'"bindings":[]' in b"".join(self.parts)
            return 0 if empty else self.seen + 1
        return self.seen

    def ambiguous(self) -> bool:
        """Whether a JSON count may include ``},{}`` found inside a literal."""
        return self.fmt == "json" and self.seen_quoted != self.seen


def _solutions(
    run: Callable[[], Any], fmt: str, cap: int, deadline: float | None = None
) -> tuple[bytes, int]:
    """Serialize SELECT results natively, stopping (and saying so) past ``cap`` rows.

    ``run`` evaluates the query again; it is needed only in the rare case where a JSON
    literal contains the empty-solution mark ``},{}`` and the count may be too high.
    """
    route = "tsv" if fmt == "csv" else fmt  # CSV quotes raw newlines: count on TSV
    sink = _CountingSink(route, cap, deadline)
    try:
        run().serialize(sink, format=RESULT_FORMATS[route])
    except RowCapExceeded:
        if route != "json" or not sink.ambiguous():
            raise
        body, rows = _solutions(run, "csv", cap, deadline)  # exact count on TSV, or the cap
        sink = _CountingSink("json", 2**62, deadline)
        run().serialize(sink, format=RESULT_FORMATS["json"])
        return b"".join(sink.parts), rows
    body = b"".join(sink.parts)
    rows = sink.rows()
    if route != fmt:
        parsed = ox.parse_query_results(body, format=ox.QueryResultsFormat.TSV)
        body = parsed.serialize(format=RESULT_FORMATS[fmt]) or b""
    return body, rows


def _triples(
    result: ox.QueryTriples,
    fmt: str,
    cap: int,
    prefixes: dict[str, str],
    deadline: float | None = None,
) -> tuple[bytes, int]:
    """Serialize CONSTRUCT/DESCRIBE triples, deduplicated, refusing past ``cap`` triples."""
    seen: dict[ox.Triple, None] = {}
    if deadline is None:
        for triple in itertools.islice(result, cap + 1):
            seen[triple] = None
    else:
        for n, triple in enumerate(itertools.islice(result, cap + 1)):
            seen[triple] = None
            if n % 256 == 255 and time.monotonic() > deadline:
                raise DeadlineExceeded
    if len(seen) > cap:
        raise RowCapExceeded
    rdf_format = GRAPH_FORMATS[fmt]
    if rdf_format in (ox.RdfFormat.TRIG, ox.RdfFormat.N_QUADS):
        quads = [ox.Quad(t.subject, t.predicate, t.object) for t in seen]
        return ox.serialize(quads, format=rdf_format, prefixes=prefixes) or b"", len(quads)
    return ox.serialize(list(seen), format=rdf_format, prefixes=prefixes) or b"", len(seen)


def _boolean(value: bool, fmt: str) -> bytes:
    if fmt == "json":
        return b'{"head":{},"boolean":' + (b"true" if value else b"false") + b"}"
    if fmt == "xml":
        return (
            b'<?xml version="1.0"?><sparql xmlns="http://www.w3.org/2005/sparql-results#">'
            b"<head/><boolean>" + (b"true" if value else b"false") + b"</boolean></sparql>"
        )
    return b"true\n" if value else b"false\n"  # CSV/TSV do not define booleans: a bare value


def execute(
    store: Any, job: dict[str, Any], deadline: float | None = None
) -> tuple[dict[str, Any], bytes]:
    """Run one query job against ``store``; return the response header and payload.

    Args:
        store: A :class:`pyoxigraph.Store` (or a remote store with the same ``query``).
        job: The request header (see the module's docstring).
        deadline: A :func:`time.monotonic` time after which the work stops at the next
            chunk of output (``error: timeout``); None in worker processes, which are killed.
    """
    kwargs: dict[str, Any] = {"base_iri": job.get("base_iri")}
    defaults = job.get("default_graphs") or []
    named = job.get("named_graphs") or []
    if defaults or named:
        kwargs["default_graph"] = [ox.NamedNode(g) for g in defaults]
        kwargs["named_graphs"] = [ox.NamedNode(g) for g in named]
    else:
        kwargs["use_default_graph_as_union"] = bool(job.get("union", True))
    fmt = str(job["format"])
    cap = int(job.get("max_rows", 100_000))
    try:
        result = store.query(job["query"], **kwargs)
        if isinstance(result, ox.QuerySolutions):
            unused = [result]  # the first run serializes these; a recount evaluates again

            def run() -> Any:
                return unused.pop() if unused else store.query(job["query"], **kwargs)

            body, rows = _solutions(run, fmt, cap, deadline)
        elif isinstance(result, ox.QueryTriples):
            body, rows = _triples(result, fmt, cap, job.get("prefixes") or {}, deadline)
        else:
            body, rows = _boolean(bool(result), fmt), 1
    except SyntaxError as err:
        return {"ok": False, "error": "syntax", "message": str(err)}, b""
    except RowCapExceeded:
        return {"ok": False, "error": "row-cap", "message": str(cap)}, b""
    except DeadlineExceeded:
        return {"ok": False, "error": "timeout", "message": "deadline"}, b""
    except TimeoutError as err:  # a remote store ran out of time (before OSError: a subclass)
        return {"ok": False, "error": "timeout", "message": str(err)}, b""
    except OSError as err:
        return {"ok": False, "error": "store", "message": str(err)}, b""
    except (ValueError, TypeError, RuntimeError) as err:
        return {"ok": False, "error": "evaluation", "message": str(err)}, b""
    return {"ok": True, "rows": rows}, body


def _recv_exact(sock: socket.socket, n: int) -> bytes:
    buf = bytearray()
    while len(buf) < n:
        chunk = sock.recv(n - len(buf))
        if not chunk:
            raise EOFError
        buf += chunk
    return bytes(buf)


def send_frame(sock: socket.socket, header: dict[str, Any], payload: bytes) -> None:
    """Send one frame: lengths, JSON header, payload."""
    head = json.dumps(header).encode()
    sock.sendall(_HEAD.pack(len(head), len(payload)) + head + payload)


def recv_frame(sock: socket.socket) -> tuple[dict[str, Any], bytes]:
    """Receive one frame sent by :func:`send_frame`."""
    hlen, plen = _HEAD.unpack(_recv_exact(sock, _HEAD.size))
    body = _recv_exact(sock, hlen + plen)
    header: dict[str, Any] = json.loads(body[:hlen])
    return header, body[hlen:]


def main(argv: list[str]) -> int:
    """Serve query jobs on the inherited socket until the parent closes it."""
    db_path, fd = argv[1], int(argv[2])
    sock = socket.socket(fileno=fd)
    try:
        store = ox.Store.read_only(db_path)
    except OSError as err:
        send_frame(sock, {"ok": False, "error": "store", "message": str(err)}, b"")
        return 1
    send_frame(sock, {"ok": True, "ready": True}, b"")
    while True:
        try:
            job, _ = recv_frame(sock)
        except (EOFError, OSError):
            return 0
        header, payload = execute(store, job)
        try:
            send_frame(sock, header, payload)
        except OSError:
            return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
