"""allygraph: a knowledge graph and linked-data publisher for texts on the US-Japan alliance."""

from __future__ import annotations

from allygraph.errors import (
    AllygraphError,
    ConfigError,
    CorpusError,
    InputSyntaxError,
    LinkError,
    QueryRefusedError,
    QuerySyntaxError,
    QueryTimeoutError,
    StoreError,
    ValidationFailedError,
)
from allygraph.settings import Settings

__version__ = "0.1.0"

__all__ = [
    "AllygraphError",
    "ConfigError",
    "CorpusError",
    "InputSyntaxError",
    "LinkError",
    "QueryRefusedError",
    "QuerySyntaxError",
    "QueryTimeoutError",
    "Settings",
    "StoreError",
    "ValidationFailedError",
    "__version__",
]
