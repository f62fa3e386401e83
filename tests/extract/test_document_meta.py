"""Tests for the document's own metadata: byline, editors, citation block, copyright."""

from __future__ import annotations

from pathlib import Path

from allygraph.corpus.loader import load_document
from allygraph.extract.document_meta import describe_document, name_variants
from allygraph.extract.gazetteer import load_gazetteer
from allygraph.records import ZoneKind

ROOT = Path(__file__).resolve().parents[2]
SAKATA = ROOT / "data" / "corpus" / "sakata-2011-korea-and-the-japan-us-alliance.txt"


def test_name_variants() -> None:
    """Citation-block forms of a name are derived from the full name."""
    assert "Sakata, Y." in name_variants("Yasuyo Sakata")


def test_metadata_names_in_metadata_zones_only() -> None:
    """Editors and publisher are found in METADATA zones, with editor claims on the volume."""
    doc = load_document(SAKATA)
    record = describe_document(doc, load_gazetteer(ROOT / "data" / "gazetteer"))
    texts = {c.text for c in record.candidates}
    assert {"Takashi Inoguchi", "Ikenberry, G.J.", "Sakata, Y.", "Palgrave Macmillan"} <= texts
    for c in record.candidates:
        assert doc.zone_at(c.start) in {ZoneKind.METADATA, ZoneKind.TITLE}
        assert doc.text[c.start : c.end] == c.text
    assert record.container_key == "publication/the-u-s-japan-security-alliance"
    editors = [c for c in record.claims if c.predicate == "editor"]
    assert len(editors) == 3
