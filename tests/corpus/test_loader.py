"""Tests of the corpus loader: exact text, sidecars, and clear errors for bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from allygraph.corpus import corpus_files, load_corpus, load_document, load_meta
from allygraph.errors import CorpusError, InputSyntaxError
from allygraph.records import ZoneKind

CORPUS = Path(__file__).resolve().parents[2] / "data" / "corpus"


def test_corpus_documents_load_with_metadata() -> None:
    """Both shipped documents load, with ids from file names and sidecar metadata."""
    docs = {d.doc_id: d for d in load_corpus(CORPUS)}
    assert set(docs) == {
        "feng-2010-north-korea-convenient-threat",
        "sakata-2011-korea-and-the-japan-us-alliance",
    }
    sakata = docs["sakata-2011-korea-and-the-japan-us-alliance"]
    assert sakata.meta.doi == "10.1057/9780230120150_6"
    assert sakata.meta.container_editors == (
        "Takashi Inoguchi",
        "G. John Ikenberry",
        "Yoichiro Sato",
    )
    assert len(sakata.notes) == 42
    assert [n.number for n in sakata.notes] == list(range(1, 43))


def test_text_is_kept_exactly(tmp_path: Path) -> None:
    """The text is the file's text (BOM dropped), so offsets point into the file."""
    path = tmp_path / "x.txt"
    path.write_bytes(b"\xef\xbb\xbfTitle\r\n\r\nBody \xe2\x80\x9cquoted\xe2\x80\x9d.\r\n")
    doc = load_document(path)
    assert doc.text == "Title\r\n\r\nBody “quoted”.\r\n"
    assert doc.meta.title == "Title"


def test_notes_cover_note_text_only() -> None:
    """Each endnote span starts at its text, after the number."""
    doc = load_document(CORPUS / "sakata-2011-korea-and-the-japan-us-alliance.txt")
    first = doc.notes[0]
    assert doc.text[first.start :].startswith("Munemitsu Mutsu, Kenkenroku")
    assert doc.text[first.start : first.end].endswith("M.E. Sharpe, 2006).")
    assert "Google Scholar" not in doc.text[first.start : first.end]


def test_furniture_is_zoned_out() -> None:
    """Prices, buttons and 'Google Scholar' lie in FURNITURE zones, never in BODY or NOTES."""
    doc = load_document(CORPUS / "sakata-2011-korea-and-the-japan-us-alliance.txt")
    for needle in ("USD 29.95", "Google Scholar", "Download references", "Buy", "Own it forever"):
        start = doc.text.find(needle)
        if start >= 0:
            assert doc.zone_at(start) is ZoneKind.FURNITURE, needle
    assert doc.zone_at(doc.text.find("Due to the geographical")) is ZoneKind.BODY
    assert doc.zone_at(doc.text.find("© 2011")) is ZoneKind.METADATA
    assert doc.zone_at(doc.text.find("Sakata, Y. (2011)")) is ZoneKind.METADATA


def test_web_page_byline_is_metadata() -> None:
    """The byline and disclaimer of the news page are metadata, its paragraphs body."""
    doc = load_document(CORPUS / "feng-2010-north-korea-convenient-threat.txt")
    assert doc.zone_at(doc.text.find("Articles by: Feng Zhaokui")) is ZoneKind.METADATA
    assert doc.zone_at(doc.text.find("Naoto Kan")) is ZoneKind.BODY
    assert doc.zone_at(doc.text.find("Region:")) is ZoneKind.FURNITURE


def test_missing_file_is_named(tmp_path: Path) -> None:
    """A missing file gives an error naming it."""
    with pytest.raises(CorpusError, match=r"nope\.txt: file does not exist"):
        load_document(tmp_path / "nope.txt")


def test_empty_file(tmp_path: Path) -> None:
    """An empty (or blank) document is refused."""
    (tmp_path / "e.txt").write_text("  \n\n")
    with pytest.raises(CorpusError, match=r"e\.txt: document is empty"):
        load_document(tmp_path / "e.txt")


def test_non_utf8_gives_line_and_column(tmp_path: Path) -> None:
    """A non-UTF-8 byte is reported with its line, column and byte offset."""
    (tmp_path / "latin.txt").write_bytes(b"Title\nCaf\xe9 society\n")
    with pytest.raises(InputSyntaxError) as info:
        load_document(tmp_path / "latin.txt")
    err = info.value
    assert (err.lineno, err.offset) == (2, 4)
    assert err.filename is not None
    assert err.filename.endswith("latin.txt")
    assert "0xe9" in str(err)
    assert "byte offset 9" in str(err)


def test_binary_file(tmp_path: Path) -> None:
    """A binary file (NUL bytes) is refused with the offset of the first NUL."""
    (tmp_path / "b.txt").write_bytes(b"PK\x03\x04\x00\x00binary")
    with pytest.raises(InputSyntaxError, match=r"binary file.*byte offset 4"):
        load_document(tmp_path / "b.txt")


def test_too_large_file(tmp_path: Path) -> None:
    """A file above the size limit is refused before it is read."""
    (tmp_path / "big.txt").write_text("x" * 2048)
    with pytest.raises(CorpusError, match=r"big\.txt: document must be at most"):
        load_document(tmp_path / "big.txt", max_bytes=1024)


def test_malformed_sidecar_json(tmp_path: Path) -> None:
    """Malformed sidecar JSON is reported with file, line and column."""
    (tmp_path / "d.txt").write_text("Title\n\nText.\n")
    (tmp_path / "d.meta.json").write_text('{\n  "title": "x",\n  "date": 2011,,\n}')
    with pytest.raises(InputSyntaxError) as info:
        load_document(tmp_path / "d.txt")
    assert info.value.lineno == 3
    assert str(info.value).startswith(str(tmp_path / "d.meta.json") + ":3:")


def test_sidecar_field_errors_point_at_the_field(tmp_path: Path) -> None:
    """A wrongly formed field names the key and its line."""
    path = tmp_path / "m.meta.json"
    path.write_text(json.dumps({"title": "T", "date": "2011/13/01"}, indent=2))
    with pytest.raises(InputSyntaxError, match=r"m\.meta\.json:3:3: 'date' must be an ISO 8601"):
        load_meta(path)
    path.write_text(json.dumps({"authors": "Feng"}))
    with pytest.raises(InputSyntaxError, match="'authors' must be a list of names"):
        load_meta(path)
    path.write_text(json.dumps({"doi": "doi:10.1/x"}))
    with pytest.raises(InputSyntaxError, match="'doi' must be a DOI"):
        load_meta(path)


def test_corpus_folder_errors(tmp_path: Path) -> None:
    """A missing or empty corpus folder is a clear error."""
    with pytest.raises(CorpusError, match="does not exist"):
        corpus_files(tmp_path / "missing")
    with pytest.raises(CorpusError, match=r"holds no \.txt document"):
        corpus_files(tmp_path)


@settings(max_examples=60, deadline=None)
@given(st.text(min_size=1, max_size=400).filter(lambda t: t.strip() and "\x00" not in t))
def test_zones_partition_any_text(text: str) -> None:
    """Zones never overlap, stay inside the text, and notes lie inside the text."""
    from allygraph.corpus import split_zones

    zones, notes = split_zones(text)
    last = 0
    for zone in zones:
        assert last <= zone.start <= zone.end <= len(text)
        last = zone.end
    for note in notes:
        assert 0 <= note.start <= note.end <= len(text)
