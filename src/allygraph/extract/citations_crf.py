"""A linear-chain CRF (python-crfsuite) that labels the tokens of a reference string.

The model ``models/citations.crfsuite`` is trained by ``scripts/train_citations.py`` on
AnyStyle's labelled references (BSD-2-Clause, see ``models/LICENSE-anystyle``); the training
data is not part of the package. Labels are AnyStyle's: author, editor, translator, title,
container-title, journal, collection-title, date, publisher, location, volume, pages, url,
doi, note, genre, edition, citation-number, ...
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from importlib.resources import as_file, files
from typing import Any

from allygraph.extract.citations_rules import (
    ParsedCitation,
    decide_kind,
    split_names,
    trim_span,
)

__all__ = [
    "MODEL_NAME",
    "crf_available",
    "parse_citation_crf",
    "tag_tokens",
    "token_features",
    "tokenize",
]

MODEL_NAME = "citations.crfsuite"

_TOKEN = re.compile(r"\S+")
_YEAR = re.compile(r"^\(?(?:1[5-9]|20)\d\d[a-z]?\)?[.,;:)]*$")
_MONTH = re.compile(
    r"^\(?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?[,;]?$", re.IGNORECASE
)
_STRIP = "“”\"‘’'()[]{}.,;:!?"


def tokenize(text: str, lo: int = 0, hi: int | None = None) -> list[tuple[int, int]]:
    """Return the whitespace-separated tokens of ``text[lo:hi]`` as spans.

    >>> tokenize("Cha, V. D. (1999).")
    [(0, 4), (5, 7), (8, 10), (11, 18)]
    """
    hi = len(text) if hi is None else hi
    return [(m.start(), m.end()) for m in _TOKEN.finditer(text, lo, hi)]


def _shape(word: str) -> str:
    shape = re.sub(r"[A-Z]", "X", word)
    shape = re.sub(r"[a-z]", "x", shape)
    shape = re.sub(r"\d", "d", shape)
    return re.sub(r"(.)\1+", r"\1\1", shape)[:8]


def _word_features(tok: str) -> dict[str, str]:
    core = tok.strip(_STRIP)
    low = core.lower()
    f = {
        "w": low if len(low) < 15 else low[:6] + "~",
        "shape": _shape(tok),
        "p2": tok[:2],
        "s3": low[-3:],
        "last": tok[-1:] if not tok[-1:].isalnum() else "a",
        "first": tok[:1] if not tok[:1].isalnum() else ("A" if tok[:1].isupper() else "a"),
    }
    if _YEAR.match(tok):
        f["year"] = "1"
    if core.isdigit():
        f["num"] = str(min(len(core), 5))
    if re.search(r"\d[–—-]\d", tok):
        f["range"] = "1"
    if _MONTH.match(tok):
        f["month"] = "1"
    if re.fullmatch(r"(?:[A-Z]\.-?)+,?", tok):
        f["initials"] = "1"
    if low in {"ed", "eds", "editor", "editors", "(ed.)", "(eds.)", "hrsg", "dir", "éd"}:
        f["ed"] = "1"
    if low in {"pp", "p", "pages", "s", "pg"}:
        f["pp"] = "1"
    if low in {"in", "in:"}:
        f["in"] = "1"
    if low in {"and", "&", "und", "et"}:
        f["and"] = "1"
    if re.search(r"https?:|www\.|\.html?$|\.org|\.com", tok):
        f["url"] = "1"
    if re.search(r"10\.\d{4,}/|doi", tok, re.IGNORECASE):
        f["doi"] = "1"
    if re.search(r"press|university|verlag|publish|books|institute|center|centre", low):
        f["pub"] = "1"
    if re.search(r"journal|review|quarterly|studies|bulletin|proceedings|survey|affairs", low):
        f["jour"] = "1"
    if low in {"vol", "volume", "no", "nr", "issue", "iss", "#"}:
        f["vol"] = "1"
    return f


def token_features(text: str, tokens: Sequence[tuple[int, int]]) -> list[list[str]]:
    """Return the CRF feature strings of each token (its own and its neighbours' features).

    >>> token_features("Sakata, Y.", [(0, 7), (8, 10)])[1][:2]
    ['w=y', 'shape=X.']
    """
    words = [_word_features(text[s:e]) for s, e in tokens]
    n = len(tokens)
    out: list[list[str]] = []
    seen_quote = False
    seen_paren = False
    for i, f in enumerate(words):
        feats = [f"{k}={v}" for k, v in f.items()]
        feats.append(f"pos={min(10, (10 * i) // max(n, 1))}")
        if i < 3:
            feats.append(f"abs={i}")
        tok = text[tokens[i][0] : tokens[i][1]]
        if any(q in tok for q in '“"‘'):
            seen_quote = True
        if "(" in tok:
            seen_paren = True
        feats.append(f"after_quote={int(seen_quote)}")
        feats.append(f"after_paren={int(seen_paren)}")
        for off in (-2, -1, 1, 2):
            j = i + off
            if 0 <= j < n:
                g = words[j]
                feats.append(f"{off}:w={g['w']}")
                feats.append(f"{off}:shape={g['shape']}")
                feats.append(f"{off}:last={g['last']}")
                for flag in ("year", "initials", "ed", "pp", "in", "month", "pub", "jour"):
                    if flag in g:
                        feats.append(f"{off}:{flag}")
            else:
                feats.append(f"{off}:BOUND")
        out.append(feats)
    return out


@cache
def _tagger() -> Any:
    import pycrfsuite

    resource = files("allygraph.extract") / "models" / MODEL_NAME
    tagger = pycrfsuite.Tagger()
    with as_file(resource) as path:
        tagger.open(str(path))
    return tagger


def crf_available() -> bool:
    """Tell whether the trained model ships with the package."""
    return (files("allygraph.extract") / "models" / MODEL_NAME).is_file()


def tag_tokens(text: str, lo: int = 0, hi: int | None = None) -> list[tuple[str, int, int]]:
    """Label the tokens of ``text[lo:hi]``; return ``(label, start, end)`` per token."""
    tokens = tokenize(text, lo, hi)
    if not tokens:
        return []
    labels = _tagger().tag(token_features(text, tokens))
    return [(lab, s, e) for lab, (s, e) in zip(labels, tokens, strict=True)]


_ROLE = {
    "author": "author",
    "editor": "editor",
    "translator": "translator",
    "title": "title",
    "container-title": "container",
    "journal": "container",
    "collection-title": "series",
    "publisher": "publisher",
    "location": "place",
    "date": "date",
    "pages": "pages",
    "url": "url",
    "doi": "doi",
}


def parse_citation_crf(text: str, lo: int, hi: int) -> ParsedCitation | None:
    """Parse ``text[lo:hi]`` with the CRF model into the same spans as the rules give."""
    tagged = tag_tokens(text, lo, hi)
    if not tagged:
        return None
    lo, hi = trim_span(text, lo, hi)
    p = ParsedCitation(lo, hi)
    segments: list[tuple[str, int, int]] = []
    for lab, s, e in tagged:
        if segments and segments[-1][0] == lab:
            segments[-1] = (lab, segments[-1][1], e)
        else:
            segments.append((lab, s, e))
    quoted = False
    for lab, s, e in segments:
        seg = text[s:e]
        if lab in {"author", "editor", "translator"}:
            for ns, ne, _ in split_names(text, s, e):
                p.add(lab, ns, ne, text)
        elif lab == "title":
            quoted = quoted or seg.lstrip()[:1] in '“"‘'
            br = re.search(r"\[([^\]]+)\]", seg)
            if br:
                p.add("title-translation", s + br.start(1), s + br.end(1), text)
                p.add("title", s, s + br.start(), text)
            else:
                p.add("title", s, e, text)
            if re.search(r"dissertation|thesis", seg, re.I):
                p.genre = "dissertation"
        elif lab == "volume":
            _volume(p, text, s, e)
        elif lab == "date":
            ds, de = trim_span(text, s, e)
            p.add("date", ds, de, text)
        elif lab == "pages":
            m = re.match(r"\(?(?:pp?\.|pages?|s\.)\s*", seg, re.IGNORECASE)
            p.add("pages", s + (m.end() if m else 0), e, text)
        elif lab in _ROLE:
            p.add(_ROLE[lab], s, e, text)
        elif lab in {"genre", "note"}:
            if re.search(r"dissertation|thesis", seg, re.IGNORECASE):
                p.genre = "dissertation"
            elif re.search(r"report|working paper|brief", seg, re.IGNORECASE):
                p.genre = "report"
    p.spans.sort(key=lambda x: x[1])
    p.kind = decide_kind(p, text, quoted)
    return p


def _volume(p: ParsedCitation, text: str, s: int, e: int) -> None:
    """Split a volume segment ("26(5)", "Vol. 3, no. 2", "14, no. 1") into volume and issue."""
    seg = text[s:e]
    m = re.search(
        r"(?:vol(?:ume)?\.?\s*)?(\d+)\s*(?:\((\w+)\)|,?\s*(?:no\.|issue)\s*(\w+))?", seg, re.I
    )
    if not m:
        p.add("volume", s, e, text)
        return
    p.add("volume", s + m.start(1), s + m.end(1), text)
    for g in (2, 3):
        if m.group(g):
            p.add("issue", s + m.start(g), s + m.end(g), text)
