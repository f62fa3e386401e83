"""A regex sentence splitter that respects abbreviations ("U.S.", "Dr.", "p.", initials).

Claims cite the sentence that supports them, so a sentence must not end inside "U.S." or
"G. John Ikenberry". Line breaks always end a sentence (paragraphs, endnotes, list items).
"""

from __future__ import annotations

import re

__all__ = ["sentence_at", "split_sentences"]

_ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "gen",
        "adm",
        "col",
        "capt",
        "lt",
        "sgt",
        "sen",
        "rep",
        "gov",
        "amb",
        "st",
        "jr",
        "sr",
        "vs",
        "etc",
        "al",
        "cf",
        "ed",
        "eds",
        "trans",
        "vol",
        "no",
        "nos",
        "pp",
        "p",
        "ch",
        "chap",
        "fig",
        "inc",
        "ltd",
        "co",
        "corp",
        "dept",
        "univ",
        "est",
        "approx",
        "ca",
        "op",
        "cit",
        "ibid",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "rev",
        "maj",
        "cmdr",
        "hon",
    ]
)
_CANDIDATE = re.compile(r"[.!?][\"”’')\]]*(?=\s+[\"“‘(\[]?[A-Z0-9])|\n+")


def split_sentences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Split ``text[start:end]`` into sentence spans (offsets into ``text``), trimmed.

    >>> t = "The U.S. and Dr. Kim met. G. John Ikenberry left."
    >>> [t[s:e] for s, e in split_sentences(t)]
    ['The U.S. and Dr. Kim met.', 'G. John Ikenberry left.']
    """
    stop = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    begin = start
    for match in _CANDIDATE.finditer(text, start, stop):
        if match.group(0)[0] == ".":
            token = _last_word(text[max(start, match.start() - 20) : match.start()])
            last = token.rsplit(".", 1)[-1]
            if last.lower() in _ABBREVIATIONS or (len(last) == 1 and last.isalpha()):
                continue  # "Dr." or an initial ("G.", "U.S.")
            if "." in token and len(last) <= 2 and last.isupper():
                continue
        _add(text, begin, match.end() if match.group(0)[0] != "\n" else match.start(), spans)
        begin = match.end()
    _add(text, begin, stop, spans)
    return spans


def _last_word(chunk: str) -> str:
    """The run of word characters and dots at the end of ``chunk`` (before one final newline).

    What a regex search for word characters and dots anchored at the end finds ("" for no
    match), without trying the pattern at every offset.
    """
    end = len(chunk) - 1 if chunk.endswith("\n") else len(chunk)
    start = end
    while start > 0 and (chunk[start - 1].isalnum() or chunk[start - 1] in "._"):
        start -= 1
    return chunk[start:end]


def _add(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append((start, end))


def sentence_at(spans: list[tuple[int, int]], offset: int) -> tuple[int, int] | None:
    """Return the sentence span that contains ``offset`` (spans sorted), if any."""
    low, high = 0, len(spans) - 1
    while low <= high:
        mid = (low + high) // 2
        s, e = spans[mid]
        if offset < s:
            high = mid - 1
        elif offset >= e:
            low = mid + 1
        else:
            return s, e
    return None
