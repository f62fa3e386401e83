"""Tests for relation claims on the corpus texts (with the project gazetteer)."""

from __future__ import annotations

from pathlib import Path

import pytest

from allygraph.corpus.loader import load_document
from allygraph.extract.gazetteer import load_gazetteer
from allygraph.extract.relations import parse_date
from allygraph.resolve import extract_document

ROOT = Path(__file__).resolve().parents[2]
FENG = ROOT / "data" / "corpus" / "feng-2010-north-korea-convenient-threat.txt"
SAKATA = ROOT / "data" / "corpus" / "sakata-2011-korea-and-the-japan-us-alliance.txt"


@pytest.fixture(scope="module")
def claims():
    gaz = load_gazetteer(ROOT / "data" / "gazetteer")
    out = {}
    for path in (FENG, SAKATA):
        doc = load_document(path)
        x = extract_document(doc, gaz)
        out[path.stem.split("-")[0]] = (doc, x.claims)
    return out


def _find(claims, subject, predicate):
    return [c for c in claims if c.subject == subject and c.predicate == predicate]


def test_every_claim_cites_its_sentence(claims) -> None:
    """Each claim's passage lies inside the text and is not empty."""
    for doc, found in claims.values():
        assert found
        for c in found:
            assert 0 <= c.start < c.end <= len(doc.text)


def test_holds_post_from_title_and_office(claims) -> None:
    """ "Japanese Prime Minister Naoto Kan"; "took office as Japanese Prime Minister in 1993"."""
    doc, found = claims["feng"]
    kan = _find(found, "person/naoto-kan", "holdsPost")
    assert dict(kan[0].qualifiers)["post"] == "Prime Minister"
    assert dict(kan[0].qualifiers)["organization"] == "state/japan"
    hosokawa = _find(found, "person/morihiro-hosokawa", "holdsPost")
    assert dict(hosokawa[0].qualifiers)["start"] == "1993"
    assert "took office" in doc.text[hosokawa[0].start : hosokawa[0].end]


def test_author_affiliation(claims) -> None:
    """ "The author is a researcher with the Institute ..." is about the document's author."""
    _, found = claims["feng"]
    objects = {c.obj for c in _find(found, "person/feng-zhaokui", "affiliatedWith")}
    assert "organization/chinese-academy-of-social-sciences" in objects


def test_base_used_by_and_moves(claims) -> None:
    """The ASDF at Hanamatsu Airbase; the UNC (Rear) moved to Yokota Air Base in 2007-11."""
    _, feng = claims["feng"]
    assert _find(feng, "base/hamamatsu-air-base", "usedBy")
    _, sakata = claims["sakata"]
    moves = [c for c in sakata if c.predicate == "movedTo"]
    assert any(
        c.obj == "base/yokota-air-base" and ("date", "2007-11") in c.qualifiers for c in moves
    )
    located = [c for c in sakata if c.predicate == "locatedIn" and c.subject.startswith("base/")]
    assert located


def test_treaty_and_event_claims(claims) -> None:
    """Treaty signed in February 2000 with its parties; exercise participants."""
    _, sakata = claims["sakata"]
    signed = [c for c in sakata if c.predicate == "signedDate"]
    assert any(c.obj == "2000-02" for c in signed)
    _, feng = claims["feng"]
    parts = {c.obj for c in feng if c.predicate == "participant"}
    assert {"state/united-states", "state/south-korea"} <= parts


def test_parse_date() -> None:
    """Month-year, full dates and years become ISO strings."""
    assert parse_date("in March 1999") == "1999-03"
    assert parse_date("October 29, 2005") == "2005-10-29"
    assert parse_date("no date") is None
