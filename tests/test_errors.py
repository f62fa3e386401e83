"""The error hierarchy and docs/errors.md stay in sync."""

from __future__ import annotations

import inspect
from pathlib import Path

import allygraph.errors as errors

DOC = Path(__file__).resolve().parents[1] / "docs" / "errors.md"


def _classes() -> list[type[errors.AllygraphError]]:
    return [
        obj
        for _, obj in inspect.getmembers(errors, inspect.isclass)
        if issubclass(obj, errors.AllygraphError)
    ]


def test_every_error_code_is_documented() -> None:
    """Each error class and its code appear in docs/errors.md."""
    text = DOC.read_text(encoding="utf-8")
    for cls in _classes():
        assert f"`{cls.code}`" in text, cls.__name__
        assert f"`{cls.__name__}`" in text, cls.__name__


def test_codes_are_unique() -> None:
    """No two error classes share a code."""
    codes = [cls.code for cls in _classes()]
    assert len(codes) == len(set(codes))


def test_errors_refine_builtins() -> None:
    """Errors can be caught as the built-in exceptions they refine."""
    assert issubclass(errors.CorpusError, ValueError)
    assert issubclass(errors.InputSyntaxError, SyntaxError)
    assert issubclass(errors.StoreError, OSError)
    assert issubclass(errors.QueryTimeoutError, TimeoutError)
    err = errors.InputSyntaxError("bad", filename="f.ttl", lineno=3, offset=7)
    assert str(err) == "f.ttl:3:7: bad"
    assert (err.filename, err.lineno, err.offset) == ("f.ttl", 3, 7)
