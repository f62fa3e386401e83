"""Tests of the citation CRF: packaged model, tokens, labels, and accuracy on AnyStyle's gold."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from allygraph.extract.citations_crf import (
    crf_available,
    parse_citation_crf,
    tag_tokens,
    tokenize,
)

GOLD = (
    Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "anystyle-parser" / "gold.xml"
)


def test_model_ships_with_package() -> None:
    """The trained model is a package resource, loaded without any download."""
    assert crf_available()


def test_tokens_are_spans_of_the_text() -> None:
    """Tokens are whitespace-separated spans with exact offsets."""
    text = "  Cha, V. D. (1999).\n"
    assert [text[s:e] for s, e in tokenize(text)] == ["Cha,", "V.", "D.", "(1999)."]


def test_apa_line_labels() -> None:
    """An APA line is labelled author, date, title, publisher."""
    text = "Cha, V. D. (1999). Alignment despite antagonism. Stanford University Press."
    labels = [lab for lab, _, _ in tag_tokens(text)]
    assert labels[:4] == ["author", "author", "author", "date"]
    assert labels[-3:] == ["publisher"] * 3
    p = parse_citation_crf(text, 0, len(text))
    assert p is not None
    assert [(r, text[s:e]) for r, s, e in p.spans if r in {"title", "publisher"}] == [
        ("title", "Alignment despite antagonism"),
        ("publisher", "Stanford University Press"),
    ]


@pytest.mark.shared
@pytest.mark.skipif(
    not GOLD.is_file(), reason="../shared/data/anystyle-parser/gold.xml not present"
)
def test_token_accuracy_on_anystyle_gold() -> None:
    """On 300 references of AnyStyle's gold.xml the CRF labels >= 95% of tokens right."""
    correct = total = 0
    for seq in list(ET.parse(GOLD).getroot())[:300]:
        text, fields = "", []
        for el in seq:
            value = " ".join((el.text or "").split())
            if value:
                text += (" " if text else "") + value
                fields.append((el.tag, len(text) - len(value), len(text)))
        for lab, s, _ in tag_tokens(text):
            gold = next((f for f, a, b in fields if a <= s < b), "note")
            correct += lab == gold
            total += 1
    assert correct / total >= 0.95
