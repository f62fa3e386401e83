"""Tests for entity resolution: short forms, name order, acronyms, ambiguity."""

from __future__ import annotations

from pathlib import Path

import pytest

from allygraph.extract.gazetteer import load_gazetteer
from allygraph.records import Document, DocumentMeta, Note, Zone, ZoneKind
from allygraph.resolve import extract_document

FIXTURES = Path(__file__).resolve().parents[1] / "extract" / "fixtures" / "gazetteer"


@pytest.fixture(scope="module")
def gaz():
    return load_gazetteer(FIXTURES)


def _doc(text: str, date: str | None = None, notes: tuple[Note, ...] = ()) -> Document:
    return Document("t", "t.txt", text, "0", DocumentMeta(date=date), (), notes)


def _keys(extraction, surface: str) -> list[str]:
    return [m.key for m in extraction.mentions if m.text == surface]


def test_family_name_goes_to_full_name_in_document(gaz) -> None:
    """ "Kan" after "Naoto Kan" is Naoto Kan; a non-gazetteer surname goes to its full name."""
    text = "Naoto Kan met Kurt Campbell said nothing. Later Kan spoke. Campbell said no."
    x = extract_document(_doc(text), gaz)
    assert _keys(x, "Kan") == ["person/naoto-kan"]
    assert _keys(x, "Campbell") in ([], ["person/kurt-campbell"])


def test_shared_surname_resolved_by_years_of_its_note(gaz) -> None:
    """ "Koizumi" in a 2003 note is Junichiro Koizumi (Prime Minister 2001-2006)."""
    text = "Body.\n\n1. Koizumi noted in a Diet session in March 2003 that it mattered.\n"
    note = Note(1, text.index("Koizumi"), len(text) - 1)
    x = extract_document(_doc(text, "2011", (note,)), gaz)
    assert _keys(x, "Koizumi") == ["person/junichiro-koizumi"]


def test_shared_surname_without_context_is_not_linked(gaz) -> None:
    """With nothing to decide between two Koizumis, no link is made (precision first)."""
    x = extract_document(_doc("Koizumi was there."), gaz)
    assert all(k.startswith("person/koizumi-in-") for k in _keys(x, "Koizumi")) or not _keys(
        x, "Koizumi"
    )
    assert "person/junichiro-koizumi" not in {e.key for e in x.entities}


def test_title_with_surname_links_by_post(gaz) -> None:
    """ "Prime Minister Koizumi" in a 2002 text: only Junichiro held that post."""
    x = extract_document(_doc("In 2002 Prime Minister Koizumi went to Pyongyang."), gaz)
    assert _keys(x, "Koizumi") == ["person/junichiro-koizumi"]


def test_acronym_and_name_order(gaz) -> None:
    """ "KDJ" is Kim Dae-jung; "Yokota Megumi" and "Megumi Yokota" are one person."""
    x = extract_document(_doc("The KDJ administration. Yokota Megumi, or Megumi Yokota."), gaz)
    assert _keys(x, "KDJ") == ["person/kim-dae-jung"]
    assert _keys(x, "Yokota Megumi") == _keys(x, "Megumi Yokota") == ["person/megumi-yokota"]
    kim = next(e for e in x.entities if e.key == "person/kim-dae-jung")
    assert kim.qid == "Q127989"
    assert kim.qid_source == "gazetteer"


def test_defined_acronym_is_one_entity(gaz) -> None:
    """A document-defined acronym and its expansion share one key, also on later uses."""
    text = "The New Asia Research Institute (NARI) held a game. Later NARI said so."
    x = extract_document(_doc(text), gaz)
    keys = set(_keys(x, "NARI")) | set(_keys(x, "New Asia Research Institute"))
    assert keys == {"organization/new-asia-research-institute"}
    assert len(_keys(x, "NARI")) == 2


def test_ambiguous_guidelines_resolved_by_cooccurrence(gaz) -> None:
    """ "the Guidelines" goes to the 1997 Guidelines the document names; else stays unlinked."""
    x = extract_document(
        _doc("The 1997 Guidelines were revised. The Guidelines review began."), gaz
    )
    assert set(_keys(x, "Guidelines")) == {"treaty/guidelines-1997"}
    y = extract_document(_doc("The Guidelines review began."), gaz)
    assert "treaty/guidelines-1997" not in {m.key for m in y.mentions}
    assert "treaty/guidelines-1978" not in {m.key for m in y.mentions}


def test_initials_citation_form_merges_with_full_name(gaz) -> None:
    """ "Sakata, Y." in a page's citation block is the "Yasuyo Sakata" of its sidecar."""
    text = "Body text.\n\nSakata, Y. (2011). A chapter.\n"
    meta = DocumentMeta(title="A chapter", authors=("Yasuyo Sakata",), date="2011")
    zones = (Zone(ZoneKind.BODY, 0, 12), Zone(ZoneKind.METADATA, 12, len(text)))
    x = extract_document(Document("t", "t.txt", text, "0", meta, zones), gaz)
    assert _keys(x, "Sakata, Y.") == ["person/yasuyo-sakata"]
    sakata = next(e for e in x.entities if e.key == "person/yasuyo-sakata")
    assert sakata.label == "Yasuyo Sakata"


def test_same_input_same_keys(gaz) -> None:
    """Keys are stable: the same document gives the same entities twice."""
    doc = _doc("Naoto Kan and the JDA met at Hanamatsu Airbase on Okinawa.")
    assert extract_document(doc, gaz) == extract_document(doc, gaz)
