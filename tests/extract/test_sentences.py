"""Tests for the sentence splitter."""

from __future__ import annotations

from allygraph.extract.sentences import sentence_at, split_sentences


def test_abbreviations_do_not_end_sentences() -> None:
    """ "U.S.", "Dr.", "pp." and initials stay inside their sentence."""
    text = "The U.S. side met Dr. Kim. See pp. 4–8 and G. John Ikenberry. Next one."
    spans = split_sentences(text)
    assert [text[s:e] for s, e in spans] == [
        "The U.S. side met Dr. Kim.",
        "See pp. 4–8 and G. John Ikenberry.",
        "Next one.",
    ]


def test_line_breaks_end_sentences_and_offsets_are_exact() -> None:
    """A newline ends a sentence; spans are offsets into the text, trimmed."""
    text = "Title line\n\n  First sentence here. Second?\n"
    spans = split_sentences(text)
    assert [text[s:e] for s, e in spans] == ["Title line", "First sentence here.", "Second?"]
    assert sentence_at(spans, text.index("Second")) == spans[2]
    assert sentence_at(spans, 11) is None
