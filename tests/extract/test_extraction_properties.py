"""Property tests: every mention quotes the text exactly and none lies in page furniture."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from allygraph.corpus.loader import load_document
from allygraph.extract.gazetteer import load_gazetteer
from allygraph.records import Document, DocumentMeta, Zone, ZoneKind
from allygraph.resolve import extract_document

ROOT = Path(__file__).resolve().parents[2]
GAZ = load_gazetteer(ROOT / "data" / "gazetteer")
PIECES = [
    "Japanese Prime Minister Naoto Kan", " said ", "Google Scholar", " USD 29.95 ",
    "the Japan Defense Agency (JDA)", " at Hanamatsu Airbase", "Koizumi", "\n\n",
    " Yokota air base", "Camp Zama", " Sakata, Y. ", "“the Guidelines”", "Treaty of 1961",
    "  1. Victor Cha, Alignment (Stanford, CA: Stanford University Press, 1999)\n",
    "ROK-Japan", "é", " Korean War ", "Download references", ".", ",",
]  # fmt: skip


def _check(doc: Document) -> None:
    extraction = extract_document(doc, GAZ)
    furniture = [(z.start, z.end) for z in doc.zones if z.kind is ZoneKind.FURNITURE]
    for m in extraction.mentions:
        assert doc.text[m.start : m.end] == m.text
        assert not any(lo < m.end and m.start < hi for lo, hi in furniture), m
    keys = {e.key for e in extraction.entities}
    assert {m.key for m in extraction.mentions} <= keys


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    parts=st.lists(st.sampled_from(PIECES), min_size=1, max_size=30),
    cuts=st.lists(st.integers(min_value=0, max_value=400), max_size=4),
)
def test_mentions_quote_exactly_and_skip_furniture(parts, cuts) -> None:
    """Random texts with random FURNITURE zones: exact quotes, nothing from furniture."""
    text = "".join(parts)
    bounds = sorted({min(c, len(text)) for c in cuts} | {0, len(text)})
    zones = tuple(
        Zone(ZoneKind.FURNITURE if i % 2 else ZoneKind.BODY, a, b)
        for i, (a, b) in enumerate(itertools.pairwise(bounds))
        if b > a
    )
    _check(Document("h", "h.txt", text, "0", DocumentMeta(), zones))


@pytest.mark.parametrize("path", sorted((ROOT / "data" / "corpus").glob("*.txt")), ids=str)
def test_corpus_mentions_quote_exactly(path) -> None:
    """The corpus texts: exact quotes; "Google Scholar" and prices give no entity."""
    doc = load_document(path)
    _check(doc)
    texts = {m.text for m in extract_document(doc, GAZ).mentions}
    assert not texts & {"Google Scholar", "Download references", "USD"}
