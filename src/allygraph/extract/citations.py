"""Parse the citations of a document's endnotes and reference list into :class:`Reference` values.

A note may hold prose and several citations: the note is cut into sentences and at
semicolons, lead-ins ("For a historical overview, see") are dropped, and each remaining
segment is parsed (:mod:`allygraph.extract.citations_rules`) and kept when it reads as a
citation rather than prose. Reference-list lines (APA, MLA, Chicago bibliography) are parsed
by the CRF model (:mod:`allygraph.extract.citations_crf`) when it is more sure than the rules.

Keys: ``publication/{slug}`` with the slug of the first author's family name, the year and the
first six title words; works without a personal author (edited volumes, documents of an
agency) use title and year. A short form ("Funabashi, Alliance Adrift, p. 91") or ``Ibid.``
carries the key of the earlier full citation it repeats, found by family name and title-word
overlap.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from typing import Literal

from allygraph.extract.citations_crf import crf_available, parse_citation_crf
from allygraph.extract.citations_rules import (
    ParsedCitation,
    parse_citation_rules,
    trim_span,
)
from allygraph.records import Document, Reference, ZoneKind
from allygraph.vocab import slugify

__all__ = ["Method", "parse_citation", "parse_references", "reference_key"]

Method = Literal["auto", "rules", "crf"]

_ABBREV = frozenset(
    [
        "ed",
        "eds",
        "trans",
        "pp",
        "p",
        "no",
        "nos",
        "vol",
        "vols",
        "dr",
        "mr",
        "mrs",
        "ms",
        "jr",
        "sr",
        "st",
        "inc",
        "co",
        "corp",
        "ltd",
        "al",
        "vs",
        "cf",
        "gen",
        "adm",
        "lt",
        "col",
        "maj",
        "capt",
        "sgt",
        "rep",
        "sen",
        "gov",
        "prof",
        "univ",
        "dept",
        "mt",
        "ft",
        "ca",
        "c",
        "n",
        "nn",
        "chap",
        "fig",
        "op",
        "cit",
        "repr",
        "rev",
        "comp",
        "comps",
        "esp",
        "approx",
        "viz",
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
    ]
)
_LEAD_IN = re.compile(
    r"(?:^|(?<=[\s,(]))(?:[Ss]ee,?\s+(?:also|e\.g\.,?|for example,?)?|[Cc]f\.|"
    r"(?:[Qq]uoted|[Cc]ited|[Rr]eprinted)\s+in|[Ss]ee)\s*(?=[A-Z“\"‘]|www|http)"
)
_PAGES_BEFORE = re.compile(r"\bpp?\.\s*[\dxivlc]+(?:\s*[–—-]\s*[\dxivlc]+)?$")
_NEXT_CITATION = re.compile(r"[A-Z][\w’'\-]+(?:\s+[A-Z][\w’'\-]+){0,3},\s")
_PUB_FRAGMENT = re.compile(
    r"^[A-Z][A-Za-z .'-]{1,40}(?:,\s*[A-Z]{2})?\s*:\s*[^:]{2,80},\s*(?:1[5-9]|20)\d\d\)?\.?$"
)
_REFLIST_HEADING = re.compile(
    r"^\s*(?:references|bibliography|works cited|sources|literature cited|select bibliography"
    r"|selected bibliography|further reading|suggested readings?|recommended readings?"
    r"|sources and further reading|reading list)\s*:?\s*$",
    re.IGNORECASE | re.MULTILINE,
)
_LIST_NUMBER = re.compile(r"^\s*(?:\[\d{1,3}\]|\d{1,3}[.)])\s+")
_TITLE_STOP = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "and",
        "in",
        "on",
        "for",
        "to",
        "at",
        "by",
        "with",
        "from",
        "toward",
        "towards",
        "into",
        "over",
        "under",
        "between",
        "among",
        "after",
        "before",
        "beyond",
        "through",
        "without",
        "within",
        "against",
        "as",
        "or",
        "vs",
        "no",
        "ga",
        "wo",
        "ni",
        "de",
        "e",
        "wa",
        "ed",
        "eds",
        "trans",
        "pp",
        "p",
        "vol",
        "et",
        "al",
        "its",
        "their",
        "his",
        "her",
        "our",
        "new",
    ]
)
_MONTHS = {
    m: i + 1
    for i, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ]
    )
    for m in names
}


def parse_references(doc: Document, *, method: Method = "auto") -> tuple[Reference, ...]:
    """Return the references cited in the endnotes and reference list of ``doc``, in order.

    Each :class:`Reference` has exact offsets (``doc.text[r.start:r.end] == r.raw``) and
    ``spans`` for its names, title, container, publisher and place. Short forms and ``Ibid.``
    carry the key of the full citation they repeat (``is_short_form=True``).

    Args:
        doc: A loaded document; ``doc.notes`` gives the endnote spans.
        method: ``"auto"`` (rules for notes, the CRF for inverted-name reference-list lines),
            or ``"rules"`` / ``"crf"`` alone for every citation (to measure each).

    Returns:
        The parsed references, in document order.
    """
    found: list[tuple[ParsedCitation, int | None]] = []
    for note in doc.notes:
        for p in _note_citations(doc.text, note.start, note.end, method):
            found.append((p, note.number))
    for lo, hi in _reference_list_lines(doc):
        entry = _parse_entry(doc.text, lo, hi, method)
        if entry is not None:
            found.append((entry, None))
    return tuple(_resolve(doc, found))


def parse_citation(text: str, doc_id: str = "", *, method: Method = "auto") -> Reference | None:
    """Parse one citation string (a reference-list line or a single note citation).

    >>> r = parse_citation("Yoichi Funabashi, Alliance Adrift (Washington, DC: Council on "
    ...                    "Foreign Relations, 1999)")
    >>> r.key, r.kind, r.publisher
    ('publication/funabashi-1999-alliance-adrift', 'book', 'Council on Foreign Relations')
    """
    p = _parse_entry(text, 0, len(text), method)
    if p is None:
        return None
    refs = list(_resolve(Document(doc_id, "", text, ""), [(p, None)]))
    return refs[0] if refs else None


def reference_key(
    authors: Iterable[str], year: str | None, title: str | None, fallback: str = ""
) -> str:
    """Return the publication key of a work.

    With a personal author: ``publication/{family}-{year}-{first six title words}``. Without
    one (edited volumes, journals, documents of an agency): ``publication/{title}-{year}``,
    the same key a chapter gives its volume as ``container_key``.

    >>> reference_key(["Yoichi Funabashi"], "1999", "Alliance Adrift")
    'publication/funabashi-1999-alliance-adrift'
    >>> reference_key([], "2006", "Korea at the Center")
    'publication/korea-at-the-center-2006'
    """
    names = list(authors)
    if names:
        parts = [_family(names[0])]
        if year:
            parts.append(year)
        if title:
            parts.extend(title.split()[:6])
    else:
        parts = [title or fallback]
        if year:
            parts.append(year)
        if not title and fallback and fallback != parts[0]:
            parts.append(fallback)
    return "publication/" + slugify(" ".join(p for p in parts if p) or "untitled")


# --- segmentation -------------------------------------------------------------------------


_SENTENCE_MARKS = re.compile(r"[()\[\];]|\.(?=\s)|,(?=\s?[A-Z])")


def _sentences(text: str, lo: int, hi: int) -> list[tuple[int, int]]:
    """Cut ``text[lo:hi]`` at sentence ends and semicolons outside parentheses."""
    cuts: list[tuple[int, int]] = []
    depth = 0
    begin = lo
    for mark in _SENTENCE_MARKS.finditer(text, lo, hi):
        i = mark.start()
        ch = text[i]
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth = max(0, depth - 1)
        elif ch == ";" and depth == 0:
            cuts.append((begin, i))
            begin = i + 1
        elif ch == "." and i + 2 < hi:
            j = i + 1
            while j < hi and text[j].isspace():
                j += 1
            if j < hi and (text[j].isupper() or text[j] in '“"‘') and not _abbreviation(text, i):
                cuts.append((begin, i + 1))
                begin = j
        elif ch == "," and depth == 0 and _PAGES_BEFORE.search(text, max(lo, i - 30), i):
            m = _NEXT_CITATION.match(text, i + 1 + (text[i + 1 : i + 2] == " "))
            if m:
                cuts.append((begin, i))
                begin = i + 1
    cuts.append((begin, hi))
    out: list[tuple[int, int]] = []
    for s, e in cuts:
        s, e = _strip(text, s, e)
        if e <= s:
            continue
        if out and _PUB_FRAGMENT.match(text[s:e]):
            out[-1] = (out[-1][0], e)  # "… Northeast Asia. Armonk, NY: M.E. Sharpe, 2006)."
            continue
        out.append((s, e))
    return out


def _abbreviation(text: str, dot: int) -> bool:
    """Tell whether the period at ``dot`` ends an abbreviation or an initial."""
    k = dot
    while k > 0 and not text[k - 1].isspace() and text[k - 1] not in '(“"':
        k -= 1
    word = text[k:dot]
    if not word:
        return False
    if len(word) == 1 and word.isupper():
        return True  # an initial: "Charles K. Armstrong"
    if "." in word and word.lower() not in {"ibid", "id"}:
        return True  # "U.S.", "M.E.", "Ph.D."
    return word.lower().rstrip(",") in _ABBREV


def _strip(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s] in " \t\r\n":
        s += 1
    while e > s and text[e - 1] in " \t\r\n":
        e -= 1
    return s, e


def _note_citations(text: str, lo: int, hi: int, method: Method) -> Iterator[ParsedCitation]:
    """Yield the citations of one note; prose sentences are dropped."""
    for s, e in _sentences(text, lo, hi):
        m = _LEAD_IN.search(text, s, e)
        if m and m.end() < e:
            s = m.end()
        if e - s > 80 and "“" not in text[s:e] and '"' not in text[s:e]:
            total, lower = _content_words(text, s, e, [])
            if lower > 0.4 * total:
                continue  # plainly prose: most words are lowercase content words
        p = parse_citation_rules(text, s, e)
        if _is_citation(text, p):
            crf = method == "crf" or (method == "auto" and _inverted_start(text, p.start, p.end))
            yield _with_crf(text, p) if crf and not p.is_ibid else p


def _content_words(text: str, s: int, e: int, skip: list[tuple[int, int]]) -> tuple[int, int]:
    """Count words and lowercase non-title words of ``text[s:e]`` outside the ``skip`` spans."""
    total = lower = 0
    for m in re.finditer(r"[^\W\d_][\w’'\-]*", text[s:e]):
        pos = s + m.start()
        total += 1
        if any(a <= pos < b for a, b in skip):
            continue
        w = m.group()
        if w[0].islower() and w.lower() not in _TITLE_STOP:
            lower += 1
    return total, lower


def _is_citation(text: str, p: ParsedCitation) -> bool:
    """Tell a citation from a prose sentence by its fields and its share of lowercase words."""
    if p.is_ibid:
        return True
    title = p.first("title")
    quoted = [
        (m.start(), m.end()) for m in re.finditer(r"[“\"][^”\"]*[”\"]", text[p.start : p.end])
    ]
    skip = [(p.start + a, p.start + b) for a, b in quoted]
    skip += [(s, e) for r, s, e in p.spans if r in {"title-translation", "container"}]
    skip += [
        (m.start(), m.end()) for m in re.finditer(r"\[[^\]]*\]|\([^)]*\)", text[p.start : p.end])
    ]
    skip = [
        (a if a >= p.start else p.start + a, b if b > p.start else p.start + b) for a, b in skip
    ]
    total, lower = _content_words(text, p.start, p.end, skip)
    ratio = lower / max(total, 1)
    strong = sum(
        (
            p.has("publisher") and p.has("date"),
            p.has("url") or p.has("doi"),
            p.has("editor"),
            p.has("volume") or p.has("issue"),
            p.has("pages"),
            p.has("container"),
            p.has("author") and not p.is_short,
        )
    )
    if title is None:
        # A newspaper cited by name and date: "Asahi Shimbun, April 17, 2007, 5."
        return p.has("container") and p.has("date") and total <= 8 and ratio == 0
    t = text[title[0] : title[1]]
    if not (t[:1].isupper() or t[:1].isdigit()):
        return False
    if p.is_short:
        return (p.has("author") and total <= 14 and ratio <= 0.1) or (
            p.has("pages") and ratio < 0.1
        )
    if ratio > 0.3:
        return False
    return strong >= 2 or (strong >= 1 and ratio <= 0.12)


def _reference_list_lines(doc: Document) -> Iterator[tuple[int, int]]:
    """Yield the lines of a reference list (after a "References"/"Bibliography" heading)."""
    text = doc.text
    covered = [(n.start, n.end) for n in doc.notes]
    for heading in _REFLIST_HEADING.finditer(text):
        pos = heading.end()
        blank_run = 0
        for line in text[pos:].splitlines(keepends=True):
            s, e = _strip(text, pos, pos + len(line))
            pos += len(line)
            if e <= s:
                blank_run += 1
                if blank_run > 2:
                    break
                continue
            blank_run = 0
            if any(a <= s < b for a, b in covered):
                continue
            if doc.zone_at(s) in (ZoneKind.FURNITURE, ZoneKind.METADATA):
                continue
            if len(text[s:e].split()) < 4 or not re.search(r"\d{4}", text[s:e]):
                if len(text[s:e]) < 40:
                    continue
                break
            m = _LIST_NUMBER.match(text, s, e)
            yield (s + m.end() - m.start() if m else s), e


def _with_crf(text: str, p: ParsedCitation) -> ParsedCitation:
    """Re-label a citation the rules found with the CRF, keeping the short-form flags."""
    q = parse_citation_crf(text, p.start, p.end) if crf_available() else None
    if q is None:
        return p
    q.is_short, q.is_ibid = p.is_short, p.is_ibid
    return q


def _parse_entry(text: str, lo: int, hi: int, method: Method = "auto") -> ParsedCitation | None:
    """Parse a reference-list entry: the CRF for "Family, I." entries, the rules otherwise."""
    lo, hi = trim_span(text, lo, hi)
    if hi <= lo:
        return None
    p = parse_citation_rules(text, lo, hi)
    if (
        not p.is_ibid
        and crf_available()
        and (method == "crf" or (method == "auto" and _inverted_start(text, lo, hi)))
    ):
        q = _fix_inverted_author(text, _with_crf(text, p))
        if q.has("title") or method == "crf":
            return q
    p = _fix_inverted_author(text, p)
    return p if p.has("title") or p.is_ibid or p.has("container") else None


# An inverted name in a bibliography entry ends at the first period after its given names
# and initials: "Cha, Victor D.", "Lee, Chong-Sik.", "Smith, J. A." The title follows.
_INVERTED_NAME = re.compile(
    r"[A-Z][\w’'\-]+(?:\s[A-Z][\w’'\-]+)?,\s+(?:[A-Z][\w’'\-]*\s){0,3}?[A-Z][\w’'\-]*\."
    r"(?:\s?[A-Z]\.)*(?=\s)"
)


def _fix_inverted_author(text: str, p: ParsedCitation) -> ParsedCitation:
    """Set an inverted name's bounds where a parser cut it short or let it run into the title.

    "Cha, Victor D. Alignment Despite ..." and "Lee, Chong-Sik. Japan and Korea ..." are a
    name, a period and a title; only the first author and the title beside it are moved.
    """
    first = p.first("author")
    m = _INVERTED_NAME.match(text, p.start, p.end)
    if first is None or m is None or first[0] != p.start or first[1] == m.end():
        return p
    lo, hi, cut = first[0], first[1], m.end()
    near = range(min(hi, cut), max(hi, cut) + 3)
    title = next(((s, e) for r, s, e in p.spans if r == "title" and s in near), None)
    if title is None or title[1] <= cut + 1:
        return p  # no title beside the name to take from or give back to: leave it alone
    spans = []
    for role, s, e in p.spans:
        if (role, s, e) == ("author", lo, hi):
            s, e = lo, cut
        elif (s, e) == title and role == "title":
            s = cut
        spans.append((role, *trim_span(text, s, e)))
    p.spans = spans
    return p


def _inverted_start(text: str, lo: int, hi: int) -> bool:
    """Tell whether an entry starts "Family, I." or "Family, Given." (APA, MLA, bibliography)."""
    return bool(
        re.match(
            r"[A-Z][\w’'\-]+(?:\s[A-Z][\w’'\-]+)?,\s+"
            r"(?:(?:[A-Z]\.\s?-?)+|[A-Z][a-z]+(?:\s[A-Z]\.)+|[A-Z][a-z]+(?:\s[A-Z][a-z]+)?\.)",
            text[lo:hi],
        )
    )


# --- references and keys ----------------------------------------------------------------


def _fold(s: str) -> str:
    return unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode().lower()


def _family(name: str) -> str:
    tokens = [t for t in name.replace(",", " ").split() if t.rstrip(".") not in {"Jr", "Sr", "II"}]
    return tokens[-1] if tokens else name


def _display_name(raw: str) -> str:
    raw = " ".join(raw.split())
    if "," in raw:
        family, given = raw.split(",", 1)
        return f"{given.strip()} {family.strip()}".strip()
    return raw


def _iso_date(raw: str) -> tuple[str | None, str | None]:
    """Return ``(year, iso_date)`` of a date string; the ISO date is None for a bare year."""
    years = re.findall(r"(?:1[5-9]|20)\d\d", raw)
    if not years:
        return None, None
    year = years[-1]
    month = None
    for w in re.findall(r"[A-Za-z]+", raw):
        if w.lower() in _MONTHS:
            month = _MONTHS[w.lower()]
            break
    if month is None:
        return year, None
    day_m = re.search(r"(?<![\d])(\d{1,2})(?![\d])", raw)
    if day_m and 1 <= int(day_m.group(1)) <= 31:
        return year, f"{year}-{month:02d}-{int(day_m.group(1)):02d}"
    return year, f"{year}-{month:02d}"


def _words(title: str) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9]+", _fold(title)) if w not in _TITLE_STOP}


def _build(doc: Document, p: ParsedCitation, note: int | None) -> Reference:
    text = doc.text

    def val(role: str) -> str | None:
        span = p.first(role)
        return " ".join(text[span[0] : span[1]].split()) if span else None

    def names(role: str) -> tuple[str, ...]:
        return tuple(_display_name(text[s:e]) for r, s, e in p.spans if r == role)

    year, date = _iso_date(val("date") or "")
    authors = names("author")
    editors = names("editor")
    title = val("title")
    container = val("container")
    kind = p.kind
    if authors:
        key = reference_key(authors, year, title)
    elif title:
        key = reference_key([], year, title)
    else:
        key = reference_key([], date or year, container or val("publisher"))
    container_key = None
    if container:
        book_like = kind in {"chapter", "edited-volume", "book"}
        container_key = reference_key([], year if book_like else None, container)
    span_roles = {
        "author",
        "editor",
        "translator",
        "title",
        "title-translation",
        "container",
        "publisher",
        "place",
        "series",
    }
    return Reference(
        doc_id=doc.doc_id,
        key=key,
        start=p.start,
        end=p.end,
        raw=text[p.start : p.end],
        kind=kind,
        title=title,
        authors=authors,
        editors=editors,
        translators=names("translator"),
        year=year,
        date=date,
        container_title=container,
        container_key=container_key,
        series=val("series"),
        volume=val("volume"),
        issue=val("issue"),
        pages=val("pages"),
        publisher=val("publisher"),
        place=val("place"),
        doi=val("doi"),
        url=val("url"),
        note=note,
        is_short_form=p.is_short,
        spans=tuple((r, s, e) for r, s, e in p.spans if r in span_roles),
    )


def _resolve(doc: Document, found: list[tuple[ParsedCitation, int | None]]) -> Iterator[Reference]:
    """Build references and give short forms and Ibid. the key of their full citation."""
    index: dict[str, list[tuple[int, Reference, set[str]]]] = {}
    every: list[tuple[int, Reference, set[str]]] = []
    previous: Reference | None = None
    for p, note in found:
        ref = _build(doc, p, note)
        if p.is_ibid:
            if previous is None:
                continue
            ref = _copy_from(ref, previous)
        elif p.is_short or (not ref.year and not ref.publisher and not ref.container_title):
            target = _antecedent(ref, index, every)
            if target is not None:
                ref = _copy_from(ref, target)
            elif p.is_short:
                ref = _replace(ref, is_short_form=False)
        if not ref.is_short_form:
            entry = (len(every), ref, _words(ref.title or ""))
            every.append(entry)
            for name in {_fold(_family(n)) for n in ref.authors or ref.editors}:
                index.setdefault(name, []).append(entry)
        previous = ref
        yield ref


def _antecedent(
    ref: Reference,
    index: dict[str, list[tuple[int, Reference, set[str]]]],
    every: list[tuple[int, Reference, set[str]]],
) -> Reference | None:
    """Find the earlier full reference a short form repeats (family name + title words)."""
    family = _fold(_family(ref.authors[0])) if ref.authors else None
    candidates = index.get(family, []) if family is not None else every
    short_words = _words(ref.title or "")
    best: tuple[float, int, Reference] | None = None
    for idx, cand, cand_words in candidates:
        overlap = len(short_words & cand_words) / len(short_words) if short_words else 0.5
        if overlap < (0.5 if family else 0.75):
            continue
        if best is None or (overlap, idx) > best[:2]:
            best = (overlap, idx, cand)
    return best[2] if best else None


def _copy_from(ref: Reference, target: Reference) -> Reference:
    """Give a short form the key and bibliographic facts of the full reference it repeats."""
    return _replace(
        ref,
        key=target.key,
        kind=target.kind,
        container_key=ref.container_key or target.container_key,
        is_short_form=True,
    )


def _replace(ref: Reference, **changes: object) -> Reference:
    from dataclasses import replace

    return replace(ref, **changes)  # type: ignore[arg-type]
