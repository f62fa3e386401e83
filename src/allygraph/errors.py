"""Errors raised by allygraph.

Every error the library raises on purpose derives from :class:`AllygraphError`. Subclasses
also inherit the built-in exception they refine, so callers may catch either::

    AllygraphError
    ├── ConfigError(ValueError)          a setting is missing or malformed
    ├── CorpusError(ValueError)          an input document or sidecar cannot be used
    │   └── InputSyntaxError(SyntaxError) ... with file, line and column (sidecar JSON, RDF)
    ├── QuerySyntaxError(ValueError)     a SPARQL query does not parse (line, column)
    ├── QueryRefusedError(PermissionError) a query is not allowed (update, SERVICE, ...)
    ├── QueryTimeoutError(TimeoutError)  a query ran out of time and was stopped
    ├── StoreError(OSError)              the store cannot be opened, read or written
    ├── ValidationFailedError(ValueError) a graph does not conform to the SHACL shapes
    └── LinkError                        an entity cannot be linked to Wikidata

Messages follow the pattern ``where: what must hold (got what)``. Each class carries a short
``code`` that ``docs/errors.md`` explains.
"""

from __future__ import annotations

__all__ = [
    "AllygraphError",
    "ConfigError",
    "CorpusError",
    "InputSyntaxError",
    "LinkError",
    "QueryRefusedError",
    "QuerySyntaxError",
    "QueryTimeoutError",
    "StoreError",
    "ValidationFailedError",
]


class AllygraphError(Exception):
    """Root of every error allygraph raises on purpose."""

    code = "allygraph-error"


class ConfigError(AllygraphError, ValueError):
    """A setting is missing or has a value outside what it allows."""

    code = "config"


class CorpusError(AllygraphError, ValueError):
    """An input document or its sidecar cannot be used.

    Attributes:
        filename: The file at fault, when known.
    """

    code = "corpus"

    def __init__(self, message: str, *, filename: str | None = None) -> None:
        super().__init__(message)
        self.filename = filename


class InputSyntaxError(AllygraphError, SyntaxError):
    """A file does not parse; carries ``filename``, ``lineno`` (1-based) and ``offset`` (1-based).

    The message starts with ``file:line:column:`` so that editors can jump to the place.
    """

    code = "input-syntax"

    def __init__(
        self,
        message: str,
        *,
        filename: str | None = None,
        lineno: int | None = None,
        offset: int | None = None,
    ) -> None:
        where = ":".join(str(p) for p in (filename, lineno, offset) if p is not None)
        full = f"{where}: {message}" if where else message
        super().__init__(full)
        self.msg = full
        self.filename = filename
        self.lineno = lineno
        self.offset = offset

    def __str__(self) -> str:
        return self.msg


class QuerySyntaxError(AllygraphError, ValueError):
    """A SPARQL query does not parse.

    Attributes:
        line: 1-based line of the error in the query, when the parser tells.
        column: 1-based column of the error in the query, when the parser tells.
    """

    code = "query-syntax"

    def __init__(self, message: str, *, line: int | None = None, column: int | None = None):
        super().__init__(message)
        self.line = line
        self.column = column


class QueryRefusedError(AllygraphError, PermissionError):
    """A query is well formed but not allowed here (update, SERVICE to a refused endpoint)."""

    code = "query-refused"


class QueryTimeoutError(AllygraphError, TimeoutError):
    """A query exceeded its time limit and its evaluation was stopped."""

    code = "query-timeout"


class StoreError(AllygraphError, OSError):
    """The store cannot be opened, read or written."""

    code = "store"


class ValidationFailedError(AllygraphError, ValueError):
    """A graph does not conform to the SHACL shapes; ``report`` holds the results."""

    code = "validation"

    def __init__(self, message: str, report: object | None = None) -> None:
        super().__init__(message)
        self.report = report


class LinkError(AllygraphError):
    """An entity cannot be linked, or the link service failed."""

    code = "link"
