"""Load source documents: exact text, sidecar metadata, zones and endnotes.

A document is a UTF-8 ``.txt`` file with an optional sidecar ``<stem>.meta.json``. The text
is kept exactly as written (a leading byte-order mark is dropped) so that every offset the
extractors report points into the file a reader can open.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from allygraph.corpus.zones import split_zones
from allygraph.errors import CorpusError, InputSyntaxError
from allygraph.records import Document, DocumentMeta
from allygraph.vocab import slugify

__all__ = ["DEFAULT_MAX_BYTES", "corpus_files", "load_corpus", "load_document", "load_meta"]

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
"""Largest document accepted (20 MiB): larger files are refused, not truncated."""

_ISO_DATE = re.compile(r"^\d{4}(?:-(0[1-9]|1[0-2])(?:-(0[1-9]|[12]\d|3[01]))?)?$")
_DOI = re.compile(r"^10\.\d{4,9}/\S+$")
_STRING_FIELDS = ("title", "publisher", "genre", "language", "rights", "url", "date_note")


def corpus_files(folder: Path) -> list[Path]:
    """Return the ``.txt`` files of a corpus folder, sorted by name.

    Raises:
        CorpusError: The folder does not exist, is not a folder, or holds no ``.txt`` file.
    """
    if not folder.exists():
        msg = f"{folder}: corpus folder does not exist"
        raise CorpusError(msg, filename=str(folder))
    if not folder.is_dir():
        msg = f"{folder}: corpus must be a folder of .txt files (got a file)"
        raise CorpusError(msg, filename=str(folder))
    files = sorted(p for p in folder.iterdir() if p.suffix == ".txt" and p.is_file())
    if not files:
        msg = f"{folder}: corpus folder holds no .txt document"
        raise CorpusError(msg, filename=str(folder))
    return files


def load_corpus(folder: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Document]:
    """Yield every document of a corpus folder, one at a time (memory stays flat)."""
    for path in corpus_files(folder):
        yield load_document(path, max_bytes=max_bytes)


def _read_text(path: Path, max_bytes: int) -> str:
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        msg = f"{path}: file does not exist"
        raise CorpusError(msg, filename=str(path)) from None
    except OSError as err:
        msg = f"{path}: cannot read file ({err.strerror})"
        raise CorpusError(msg, filename=str(path)) from err
    if path.is_dir():
        msg = f"{path}: expected a text file (got a folder)"
        raise CorpusError(msg, filename=str(path))
    if size > max_bytes:
        msg = (
            f"{path}: document must be at most {max_bytes / 1048576:.0f} MiB "
            f"(got {size / 1048576:.1f} MiB); split it into several documents"
        )
        raise CorpusError(msg, filename=str(path))
    try:
        data = path.read_bytes()
    except OSError as err:
        msg = f"{path}: cannot read file ({err.strerror})"
        raise CorpusError(msg, filename=str(path)) from err
    nul = data.find(b"\x00")
    if nul >= 0:
        line = data.count(b"\n", 0, nul) + 1
        column = nul - (data.rfind(b"\n", 0, nul) + 1) + 1
        msg = f"binary file: a text document has no NUL byte (got one at byte offset {nul})"
        raise InputSyntaxError(msg, filename=str(path), lineno=line, offset=column)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        column = err.start - (data.rfind(b"\n", 0, err.start) + 1) + 1
        bad = data[err.start : err.start + 1].hex()
        msg = f"document must be UTF-8 (got byte 0x{bad} at byte offset {err.start})"
        raise InputSyntaxError(msg, filename=str(path), lineno=line, offset=column) from None
    text = text.removeprefix("\ufeff")
    if not text.strip():
        msg = f"{path}: document is empty (got {size} bytes of white space)"
        raise CorpusError(msg, filename=str(path))
    return text


def _position(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def _field_error(path: Path, raw: str, key: str, message: str) -> InputSyntaxError:
    found = re.search(r'"' + re.escape(key) + r'"\s*:', raw)
    line, column = _position(raw, found.start()) if found else (None, None)
    return InputSyntaxError(f"{key!r} {message}", filename=str(path), lineno=line, offset=column)


def _names(path: Path, raw: str, key: str, value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise _field_error(path, raw, key, f"must be a list of names (got {value!r})")
    return tuple(v.strip() for v in value)


def load_meta(path: Path) -> DocumentMeta:
    """Read and check a sidecar ``.meta.json`` file.

    Raises:
        InputSyntaxError: The JSON does not parse, or a field has the wrong form; the error
            names the file, line and column.
    """
    try:
        raw = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as err:
        msg = f"sidecar must be UTF-8 (got byte 0x{err.object[err.start]:02x})"
        raise InputSyntaxError(msg, filename=str(path), offset=err.start + 1) from None
    except OSError as err:
        msg = f"{path}: cannot read sidecar ({err.strerror})"
        raise CorpusError(msg, filename=str(path)) from err
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as err:
        msg = f"sidecar is not valid JSON: {err.msg}"
        raise InputSyntaxError(
            msg, filename=str(path), lineno=err.lineno, offset=err.colno
        ) from None
    if not isinstance(data, dict):
        msg = f"sidecar must be a JSON object (got {type(data).__name__})"
        raise InputSyntaxError(msg, filename=str(path), lineno=1, offset=1)
    for key in _STRING_FIELDS:
        if data.get(key) is not None and not isinstance(data[key], str):
            raise _field_error(path, raw, key, f"must be a string (got {data[key]!r})")
    date = data.get("date")
    if date is not None and (not isinstance(date, str) or not _ISO_DATE.match(date)):
        raise _field_error(path, raw, "date", f"must be an ISO 8601 date or null (got {date!r})")
    doi = data.get("doi")
    if doi is not None and (not isinstance(doi, str) or not _DOI.match(doi)):
        raise _field_error(path, raw, "doi", f"must be a DOI like 10.1057/xyz (got {doi!r})")
    container = data.get("container") or {}
    if not isinstance(container, dict):
        raise _field_error(path, raw, "container", f"must be an object (got {container!r})")
    return DocumentMeta(
        title=data.get("title"),
        authors=_names(path, raw, "authors", data.get("authors")),
        date=date,
        publisher=data.get("publisher"),
        container_title=container.get("title"),
        container_editors=_names(path, raw, "editors", container.get("editors")),
        container_publisher=container.get("publisher"),
        container_place=container.get("place"),
        doi=doi,
        url=data.get("url"),
        genre=data.get("genre"),
        language=data.get("language"),
        rights=data.get("rights"),
    )


def load_document(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Document:
    r"""Load one document and its sidecar, and split it into zones and endnotes.

    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "Note One.txt").write_text("A title\n\nNaoto Kan spoke.\n")
    >>> doc = load_document(folder / "Note One.txt")
    >>> doc.doc_id, doc.text[doc.zones[1].start:].strip()
    ('note-one', 'Naoto Kan spoke.')

    Raises:
        CorpusError: The file is missing, unreadable, empty or too large.
        InputSyntaxError: The file is binary or not UTF-8, or its sidecar is malformed.
    """
    path = Path(path)
    text = _read_text(path, max_bytes)
    sidecar = path.with_name(path.stem + ".meta.json")
    meta = load_meta(sidecar) if sidecar.exists() else DocumentMeta()
    zones, notes = split_zones(text)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    if meta.title is None:
        title = next((text[z.start : z.end].strip() for z in zones if z.kind.value == "title"), "")
        meta = DocumentMeta(**{**_as_dict(meta), "title": title or path.stem})
    return Document(
        doc_id=slugify(path.stem),
        path=str(path),
        text=text,
        sha256=digest,
        meta=meta,
        zones=zones,
        notes=notes,
    )


def _as_dict(meta: DocumentMeta) -> dict[str, Any]:
    return {name: getattr(meta, name) for name in DocumentMeta.__slots__}
