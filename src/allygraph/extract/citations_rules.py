"""Rules that parse one citation string (Chicago notes first) into labelled character spans.

The parser splits a citation into comma-separated chunks (a quoted title, a parenthesised
publication block and bracketed translations stay whole), finds the publication block
``(Place: Publisher, Year)`` first, and then reads the chunks left to right with the grammar
of a Chicago note: authors, title, editors or translators, container, volume, issue, date,
pages, URL. Every field is a span ``(role, start, end)`` of the document text, so the caller
can give people and works exact mentions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

__all__ = [
    "ParsedCitation",
    "decide_kind",
    "is_name_like",
    "parse_citation_rules",
    "split_names",
    "trim_span",
]

_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_SEASON = r"(?:Spring|Summer|Fall|Autumn|Winter)"
_YEAR = r"(?:1[5-9]|20)\d\d[a-z]?"
_DATE_RE = re.compile(
    rf"^(?:(?:{_MONTH}(?:\s*/\s*{_MONTH})?|{_SEASON}(?:\s*/\s*{_SEASON})?)\s+)?"
    rf"(?:\d{{1,2}},?\s+)?{_YEAR}$|^\d{{1,2}}\s+{_MONTH}\s+{_YEAR}$|^{_YEAR},?\s+{_MONTH}(?:\s+\d{{1,2}})?$"
)
_MONTH_DAY_RE = re.compile(rf"^{_MONTH}\s+\d{{1,2}}$")
_PAGES_RE = re.compile(
    r"^(?:pp?\.|pages?|at)\s*([\dxivlc]+(?:\s*[–—-]\s*[\dxivlc]+)?(?:\s*,\s*\d+(?:\s*[–—-]\s*\d+)?)*)"
    r"|^(?:chap(?:ter)?\.?|ch\.)\s*\d+$",
    re.IGNORECASE,
)
_RANGE_RE = re.compile(r"^\d+(?:\s*[–—-]\s*\d+)?$")
_YEAR_RANGE_RE = re.compile(rf"^{_YEAR}\s*[–—-]\s*\d{{2,4}}$")
_VOLUME_RE = re.compile(r"^(?:vol(?:ume)?\.?\s*)?(\d{1,4}|[IVXLC]+)$", re.IGNORECASE)
_VOL_PAREN_RE = re.compile(r"^(\d{1,4})\s*\(([^()]*)\)(?::\s*(.+))?$")
_ISSUE_RE = re.compile(
    r"^(?:no\.|nos\.|number|issue|#)\s*([\w-]+)(?:\s*\(([^()]*)\))?(?:\s*:\s*(.+))?$",
    re.IGNORECASE,
)
_TRAILING_VOLUME_RE = re.compile(r"\s+(\d{1,4})$")
_ROLE_RE = re.compile(
    r"^(?:(?P<both>ed\.\s+and\s+trans\.|edited\s+and\s+translated\s+by)"
    r"|(?P<ed>eds?\.|edited\s+by)|(?P<tr>trans\.|translated\s+by))\s*(?P<names>.*)$",
    re.IGNORECASE,
)
_DISSERTATION_RE = re.compile(r"\b(?:dissertation|thesis|doctoral|ph\.\s?d\.|phd)\b", re.IGNORECASE)
_REPORT_RE = re.compile(
    r"\b(?:report|working paper|policy brief|commentary|issue brief|discussion paper|"
    r"occasional paper|backgrounder|research paper|policy paper|white paper)\b",
    re.IGNORECASE,
)
_REPORT_OF_RE = re.compile(
    r"^(?:an?\s+)?(?:[\w-]+\s+)?report\s+(?:of|by|for|from)\s+(?:the\s+)?(.+)$", re.IGNORECASE
)
_SERIES_NUMBER_RE = re.compile(r"^(.*?\S)\s*(?:#\s*|no\.\s*|number\s+)?([A-Z]{0,3}\d[\w-]*)$")
_URL_RE = re.compile(r"(?:https?://|www\.)[^\s<>\"”]+")
_DOI_RE = re.compile(r"\b(?:doi:\s*|https?://(?:dx\.)?doi\.org/)?(10\.\d{4,9}/[^\s\"”<>]+)", re.I)
_IBID_RE = re.compile(r"^(?:ibid|id)\b\.?\s*(?:,\s*(?:(?:pp?\.|at)\s*)?(?P<pages>.+))?$", re.I)
# "(Place: Publisher, [Month] Year)" and "(Publisher, Year)" publication blocks.
_PUB_PLACE_RE = re.compile(
    rf"\(\s*([^():]{{2,80}}?)\s*:\s*([^():]{{2,120}}?),\s*((?:{_MONTH}\s+)?(?:\d{{1,2}},\s*)?{_YEAR})\s*\)"
)
_PUB_NOPLACE_RE = re.compile(
    rf"\(\s*([^():]{{2,120}}?),\s*((?:{_MONTH}\s+)?(?:\d{{1,2}},\s*)?{_YEAR})\s*\)"
)
_PUB_NODATE_RE = re.compile(r"\(\s*([A-Z][^():]{1,60}?)\s*:\s*([A-Z][^():]{1,120}?)\s*\)")
# A block whose opening parenthesis was lost or that follows a period (bibliography style):
# ". Armonk, NY: M.E. Sharpe, 2006)" or ". New York: Columbia University Press, 2007."
_PUB_BARE_RE = re.compile(
    rf"(?:(?<=\.\s)|(?<=^))([A-Z][A-Za-z .'-]{{1,40}}?(?:,\s*[A-Z][A-Za-z.]{{1,12}})?)"
    rf"\s*:\s*([^:()]{{2,120}}?),\s*((?:{_MONTH}\s+)?{_YEAR})\)?(?=\.?\s*$|\.?\s*,|\.\s)"
)

_NAME_TOKEN = re.compile(
    r"^(?:[A-Z][A-Za-z’'\-]*\.?|[A-Z]\.(?:-?[A-Z]\.)*|(?:de|van|von|der|den|da|di|du|la|le|"
    r"bin|al|del|dos|ter|y)|[A-Z][a-z]+-[a-z]+|Jr\.?|Sr\.?|II|III)$"
)
_NOT_NAME = frozenset(
    [
        "The",
        "A",
        "An",
        "Of",
        "On",
        "In",
        "And",
        "For",
        "To",
        "With",
        "From",
        "Japan",
        "Japanese",
        "Korea",
        "Korean",
        "China",
        "Chinese",
        "U.S.",
        "US",
        "United",
        "States",
        "America",
        "American",
        "Asia",
        "Asian",
        "Alliance",
        "Security",
        "Defense",
        "Defence",
        "Policy",
        "War",
        "Peace",
        "Report",
        "Relations",
        "Politics",
        "Foreign",
        "Affairs",
        "International",
        "National",
        "Review",
        "Studies",
        "Journal",
        "Quarterly",
        "North",
        "South",
        "East",
        "West",
        "Northeast",
        "Pacific",
        "Global",
        "Strategic",
        "Military",
        "Nuclear",
        "History",
        "Diplomacy",
        "Government",
        "Ministry",
        "Press",
        "University",
        "Institute",
        "Ibid",
        "Id",
        "See",
        "Chapter",
        "New",
        "Century",
        "Age",
        "Era",
        "Crisis",
        "Question",
        "Problem",
        "Future",
        "Past",
    ]
)
_ORG_WORDS = re.compile(
    r"\b(?:Agency|Department|Ministry|Office|Committee|Council|Institute|Institution|"
    r"University|Universit[äy]|Cent(?:er|re)|Bureau|Headquarters|Government|Commission|"
    r"Association|Foundation|Press|Service|Administration|Congress|Senate|Cabinet|"
    r"Secretariat|Command|Forces|Embassy|Organi[sz]ation|Corporation|Party|Assembly|"
    r"Research|Library|Society|Academy|Board|Division|Staff|Fund|Bank|Programme|Group|"
    r"Consultative|Force|Navy|Army|Diet|Parliament|Kenkyujo|Shuppan(?:kai|sha)?|Shobou?|"
    r"Shoten|MOFA|JDA|MOD|Publishers?|Books|Routledge|Palgrave|Macmillan|Brookings|RAND)\b"
)
_NEWS_WORDS = re.compile(
    r"\b(?:Shimbun|Times|Post|Yomiuri|Herald|Ilbo|News|Daily|Tribune|Guardian|Nikkei|Asahi|"
    r"Mainichi|Sankei|Chosun|JoongAng|Hankyoreh|Xinhua|Reuters|Kyodo|Yonhap|Economist|Globe|"
    r"Telegraph|Chronicle|Gazette|Monitor|Dong-A|Street Journal|Bloomberg|Associated Press|"
    r"AFP|Straits|Hankook|Kyunghyang|Newsweek|Time)\b"
)
_GOV_WORDS = re.compile(
    r"\b(?:Ministry|Department|Agency|Government|Cabinet|Office|Committee|Congress|Senate|"
    r"Headquarters|Secretariat|Embassy|Bureau|Commission|White House|MOFA|Diet|Parliament|"
    r"Consultative|Forces|Command|Congressional|Prime Minister)\b"
)
_WEB_WORDS = re.compile(r"\b(?:accessed|retrieved|available at|online|website)\b", re.I)


@dataclass(slots=True)
class ParsedCitation:
    """Result of parsing one citation: its kind, labelled spans and short-form flags."""

    start: int
    end: int
    kind: str = "book"
    spans: list[tuple[str, int, int]] = field(default_factory=list)
    is_ibid: bool = False
    is_short: bool = False
    genre: str | None = None

    def add(self, role: str, start: int, end: int, text: str) -> None:
        """Add a span after trimming spaces, quotes and separators at both ends."""
        start, end = trim_span(text, start, end)
        if end > start:
            self.spans.append((role, start, end))

    def first(self, role: str) -> tuple[int, int] | None:
        """Return the first span of a role."""
        for r, s, e in self.spans:
            if r == role:
                return s, e
        return None

    def has(self, role: str) -> bool:
        """Tell whether any span has this role."""
        return any(r == role for r, _, _ in self.spans)


_TRIM_LEFT = " \t\r\n,;:.“”\"‘’'"
_TRIM_RIGHT = " \t\r\n,;:“”\"‘’'"


def trim_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink ``[start, end)`` past spaces, quotes and separators; keep abbreviation dots.

    >>> t = ' “Alliance Adrift,” '
    >>> s, e = trim_span(t, 0, len(t)); t[s:e]
    'Alliance Adrift'
    """
    s0, e0 = start, end
    while start < end and text[start] in _TRIM_LEFT:
        start += 1
    while end > start and text[end - 1] in _TRIM_RIGHT:
        if text[end - 1] in "”’" and text.count(
            "“‘"[text[end - 1] == "’"], start, end
        ) >= text.count(text[end - 1], start, end):
            break  # a closing quote that belongs to a quotation inside the field
        end -= 1
    # A final period ends the field unless it closes an abbreviation or initial ("M.E.", "Jr.").
    if (
        end > start
        and text[end - 1] == "."
        and not re.search(r"(?:\b[A-Z]|Jr|Sr|Co|Inc|Ltd)\.$", text[max(start, end - 4) : end])
    ):
        end -= 1
        while end > start and text[end - 1] in _TRIM_RIGHT:
            end -= 1
    # Unbalanced brackets or parentheses at either end stay outside the span.
    for op, cl in (("(", ")"), ("[", "]")):
        if (
            end > start
            and text[end - 1] == cl
            and text.count(op, start, end) < text.count(cl, start, end)
        ):
            end -= 1
        if (
            end > start
            and text[start] == op
            and text.count(op, start, end) > text.count(cl, start, end)
        ):
            start += 1
    if (start, end) != (s0, e0):
        return trim_span(text, start, end)
    return start, end


def _bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """Trim a whole citation: spaces and separators, a final period; quotes stay."""
    while start < end and text[start] in " \t\r\n,;:.":
        start += 1
    while end > start and text[end - 1] in " \t\r\n,;:":
        end -= 1
    if end > start and text[end - 1] == "." and not _abbrev_end(text, start, end):
        end -= 1
    while end > start and text[end - 1] in " \t\r\n,;:":
        end -= 1
    return start, end


def _abbrev_end(text: str, start: int, end: int) -> bool:
    """Tell whether the period before ``end`` closes an initial or abbreviation."""
    return bool(
        re.search(r"(?:\b[A-Z]|Jr|Sr|Co|Inc|Ltd|Ibid|Id)\.$", text[max(start, end - 5) : end])
    )


_CHUNK_MARKS = re.compile(r"[()\[\]“”\",]")


def _chunks(text: str, lo: int, hi: int) -> list[tuple[int, int]]:
    """Split ``text[lo:hi]`` at commas outside quotes, parentheses and brackets."""
    out: list[tuple[int, int]] = []
    depth = 0
    in_quote = False
    begin = lo
    for mark in _CHUNK_MARKS.finditer(text, lo, hi):
        i = mark.start()
        ch = text[i]
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth = max(0, depth - 1)
        elif ch == "“":
            comma = i - 1
            while comma > lo and text[comma].isspace():
                comma -= 1
            if in_quote and text[comma] == "," and depth == 0:
                # A second opening quote after a comma inside a quote closes it (a typesetting
                # slip: “Title, “Journal): cut at that comma.
                out.append((begin, comma))
                begin = comma + 1
            else:
                in_quote = True
        elif ch == "”" or (ch == '"' and in_quote):
            in_quote = False
            if text[i - 1 : i] in ",." and depth == 0:
                # Chicago puts the comma inside the quotes: “Title,” Journal
                out.append((begin, i + 1))
                begin = i + 1
        elif ch == '"':
            in_quote = True
        elif ch == "," and depth == 0 and not in_quote:
            out.append((begin, i))
            begin = i + 1
    out.append((begin, hi))
    result = []
    for s, e in out:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            result.append((s, e))
    return result


def is_name_like(chunk: str, *, max_tokens: int = 4) -> bool:
    """Tell whether a chunk reads as one or more personal names ("Hideki Ohata and Moon Chung-in").

    >>> is_name_like("Charles K. Armstrong"), is_name_like("Asahi Shimbun")
    (True, False)
    """
    chunk = re.sub(r"^(?:and|&)\s+", "", chunk.strip())
    if not chunk or _ORG_WORDS.search(chunk) or _NEWS_WORDS.search(chunk):
        return False
    for part in re.split(r"\s+(?:and|&)\s+", chunk):
        tokens = part.split()
        if not 1 <= len(tokens) <= max_tokens:
            return False
        if tokens[0] in _NOT_NAME or any(t in _NOT_NAME for t in tokens):
            return False
        if not all(_NAME_TOKEN.match(t) for t in tokens):
            return False
        if not tokens[0][0].isupper():
            return False
    return True


def split_names(text: str, start: int, end: int) -> list[tuple[int, int, str]]:
    """Split a list of names into ``(start, end, display name)``; inverted names are turned.

    Handles "A, B, and C", "A and B", "Family, I. I., & Family, I.", "Family, Given" and a
    missing comma between two two-word names ("Gilbert Rozman In-taek Hyun").

    >>> t = "Sakata, Y., & Kim, J."
    >>> [n for _, _, n in split_names(t, 0, len(t))]
    ['Y. Sakata', 'J. Kim']
    """
    pieces: list[tuple[int, int]] = []
    pos = start
    for m in re.finditer(r",\s*(?:and|&)\s+|\s+(?:and|&)\s+|,|;", text[start:end]):
        pieces.append((pos, start + m.start()))
        pos = start + m.end()
    pieces.append((pos, end))
    cleaned: list[tuple[int, int]] = []
    for s, e in pieces:
        s, e = trim_span(text, s, e)
        # Role markers and "In" around editor lists are not part of a name.
        lead = re.match(r"(?:in:?\s+|by\s+)", text[s:e], re.IGNORECASE)
        if lead:
            s += lead.end()
        role = re.search(r"\s*\(?\b(?:eds?|trans|comps?)\.?\)?$", text[s:e], re.IGNORECASE)
        if role and role.start() > 0:
            e = s + role.start()
        s, e = trim_span(text, s, e)
        if e > s and not re.fullmatch(r"(?:eds?|trans|et al)\.?", text[s:e], re.IGNORECASE):
            cleaned.append((s, e))
    names: list[tuple[int, int, str]] = []
    i = 0
    while i < len(cleaned):
        s, e = cleaned[i]
        tokens = text[s:e].split()
        nxt = cleaned[i + 1] if i + 1 < len(cleaned) else None
        nxt_tokens = text[nxt[0] : nxt[1]].split() if nxt else []
        given_like = bool(nxt_tokens) and (
            all(re.fullmatch(r"(?:[A-Z]\.-?)+|[A-Z]", t) for t in nxt_tokens)
            or (len(tokens) == 1 and len(nxt_tokens) <= 3 and (i == 0 or len(cleaned) == 2))
        )
        if len(tokens) == 1 and nxt and given_like and not tokens[0].endswith("."):
            # Inverted "Family, Given": the span covers both pieces.
            e2 = nxt[1]
            e2 = e2 + 1 if e2 < end and text[e2] == "." and text[e2 - 1].isupper() else e2
            names.append((s, e2, f"{text[nxt[0] : nxt[1]]} {text[s:e]}"))
            i += 2
            continue
        if len(tokens) == 4 and not any(t.endswith(".") for t in tokens):
            # "Gilbert Rozman In-taek Hyun": two names with the comma lost.
            mid = s + text[s:e].index(tokens[2], len(tokens[0]) + len(tokens[1]) + 1)
            names.append((s, mid - 1, " ".join(tokens[:2])))
            names.append((mid, e, " ".join(tokens[2:])))
        else:
            names.append((s, e, " ".join(tokens)))
        i += 1
    return names


def _plain(chunk: str) -> bool:
    """Tell whether a chunk is plain title text (no role, date, pages, volume or agency)."""
    if not chunk or not (chunk[0].isupper() or chunk.startswith("and ")):
        return False
    return not (
        _ROLE_RE.match(chunk)
        or _DATE_RE.match(chunk)
        or _PAGES_RE.match(chunk)
        or _VOLUME_RE.match(chunk)
        or _ISSUE_RE.match(chunk)
        or _REPORT_RE.search(chunk)
        or _ORG_WORDS.search(chunk)
        or re.match(r"in:?\s", chunk, re.I)
    )


def decide_kind(p: ParsedCitation, text: str, quoted_title: bool) -> str:
    """Choose the publication kind from the fields found."""
    raw = text[p.start : p.end]

    def val(role: str) -> str:
        span = p.first(role)
        return text[span[0] : span[1]] if span else ""

    has_people = p.has("author")
    container = val("container")
    corporate = val("publisher")
    if p.genre == "dissertation" or (not container and _DISSERTATION_RE.search(raw)):
        return "dissertation"
    if p.has("editor") and (container or (quoted_title and has_people)):
        return "chapter"
    if container and _NEWS_WORDS.search(container) and not p.has("volume"):
        return "news-article"
    if container and not quoted_title and not p.has("title"):
        return "news-article"
    if p.genre == "report" or _REPORT_RE.search(val("series")) or _REPORT_RE.search(container):
        return "report"
    if not has_people and corporate and _GOV_WORDS.search(corporate):
        return "government-document"
    if p.has("editor") and not has_people:
        return "edited-volume"
    if container and (p.has("volume") or p.has("issue")):
        return "journal-article"
    if p.has("url") and not p.has("publisher"):
        return "web-page"
    if container and quoted_title:
        full_date = re.search(rf"{_MONTH}\s+\d{{1,2}},?\s+{_YEAR}", raw)
        return "news-article" if full_date else "journal-article"
    if quoted_title and not container and p.has("date") and not p.has("author"):
        return "web-page"
    if quoted_title and not container and has_people:
        return "chapter"
    return "book"


def _find_pubinfo(text: str, lo: int, hi: int) -> tuple[int, int, list[tuple[str, int, int]]]:
    """Find the publication block; return its outer span and the place/publisher/date spans."""
    seg = text[lo:hi]
    for regex, roles in (
        (_PUB_PLACE_RE, ("place", "publisher", "date")),
        (_PUB_NOPLACE_RE, ("publisher", "date")),
        (_PUB_NODATE_RE, ("place", "publisher")),
        (_PUB_BARE_RE, ("place", "publisher", "date")),
    ):
        found = None
        for m in regex.finditer(seg):
            if roles[0] == "publisher" and (
                _DATE_RE.match(m.group(1).strip())
                or _MONTH_DAY_RE.match(m.group(1).strip())
                or re.search(r"\d", m.group(1))
            ):
                continue
            found = m
        if found:
            spans = [
                (r, lo + found.start(k + 1), lo + found.end(k + 1)) for k, r in enumerate(roles)
            ]
            return lo + found.start(), lo + found.end(), spans
    return -1, -1, []


def parse_citation_rules(text: str, lo: int, hi: int) -> ParsedCitation:
    """Parse the citation ``text[lo:hi]`` (a Chicago note citation or similar) into spans.

    >>> t = "Yoichi Funabashi, Alliance Adrift (Washington, DC: Council on Foreign Relations, 1999)"
    >>> p = parse_citation_rules(t, 0, len(t))
    >>> p.kind, [(r, t[s:e]) for r, s, e in p.spans][:2]
    ('book', [('author', 'Yoichi Funabashi'), ('title', 'Alliance Adrift')])
    """
    lo, hi = _bounds(text, lo, hi)
    p = ParsedCitation(lo, hi)
    seg = text[lo:hi]
    m = _IBID_RE.match(seg)
    if m:
        p.is_ibid = True
        p.is_short = True
        if m.group("pages"):
            p.add("pages", lo + m.start("pages"), lo + m.end("pages"), text)
        return p
    work_hi = hi
    for um in _URL_RE.finditer(seg):
        dm = _DOI_RE.search(um.group())
        us, ue = trim_span(text, lo + um.start(), lo + um.end())
        if dm and "doi" in um.group().lower():
            p.add("doi", lo + um.start() + dm.start(1), ue, text)
        else:
            p.add("url", us, ue, text)
        work_hi = min(work_hi, lo + um.start())
        break
    if not p.has("doi"):
        dm = _DOI_RE.search(text, lo, work_hi)
        if dm:
            p.add("doi", dm.start(1), min(dm.end(1), work_hi), text)
            work_hi = dm.start()
    # Strip "Retrieved from", "accessed March 3, 2020" before a URL.
    acc = re.search(
        rf"[,.]?\s*(?:(?:last\s+)?(?:accessed|retrieved|updated|modified)(?:\s+on)?\s+"
        rf"(?:{_MONTH}\s+\d{{1,2}},?\s+{_YEAR}|\d{{1,2}}\s+{_MONTH}\s+{_YEAR})?(?:,?\s*from)?"
        rf"|available\s+(?:at|from)|online)\s*[,.:]?\s*$",
        text[lo:work_hi],
        re.IGNORECASE,
    )
    if acc and work_hi < hi:
        work_hi = lo + acc.start()
    pub_s, pub_e, pub_spans = _find_pubinfo(text, lo, work_hi)
    for role, s, e in pub_spans:
        p.add(role, s, e, text)
    head = _chunks(text, lo, pub_s) if pub_s >= 0 else _chunks(text, lo, work_hi)
    tail = _chunks(text, pub_e, work_hi) if pub_s >= 0 else []
    chunks = head + tail
    n_head = len(head)
    quoted_title = False
    no_title = False
    i = 0

    def ctext(k: int) -> str:
        return text[chunks[k][0] : chunks[k][1]]

    def is_quoted(k: int) -> bool:
        return ctext(k)[:1] in '“"‘'

    if not chunks:
        return p
    # 1. Who: people, or a corporate author (which publishes the work).
    first = ctext(0)
    if (
        not is_quoted(0)
        and _NEWS_WORDS.search(first)
        and len(chunks) > 1
        and (_MONTH_DAY_RE.match(ctext(1)) or _DATE_RE.match(ctext(1)))
    ):
        p.add("container", *chunks[0], text)
        i = 1
        no_title = True
    elif not is_quoted(0) and not is_name_like(first) and _ORG_WORDS.search(first) and n_head > 1:
        j = 0
        while j + 1 < n_head and _ORG_WORDS.search(ctext(j + 1)) and not is_quoted(j + 1):
            j += 1
        if j + 1 >= n_head:  # leave a title
            j = max(0, j - 1)
        org_s, org_e = chunks[0][0], chunks[j][1]
        doc_m = re.search(r"\s+(?:Document|Report|Statement|Press Release)$", text[org_s:org_e])
        if doc_m:
            org_e = org_s + doc_m.start()
        p.add("publisher", org_s, org_e, text)
        i = j + 1
    elif not is_quoted(0) and is_name_like(first) and n_head > 1:
        run = 0
        while run < n_head and is_name_like(ctext(run)) and not _ROLE_RE.match(ctext(run)):
            run += 1
        last = 0
        for k in range(1, run):
            if re.match(r"(?:and|&)\s", ctext(k)):
                last = k
                break
        if last + 1 >= n_head and pub_s < 0:
            last = max(0, n_head - 2)
        people_end = chunks[last][1]
        role = "author"
        i = last + 1
        if i < len(chunks) and re.fullmatch(r"eds?\.?", ctext(i), re.IGNORECASE):
            role = "editor"
            i += 1
        for s, e, _ in split_names(text, chunks[0][0], people_end):
            p.add(role, s, e, text)
        if last == 0 and len(first.split()) == 1:
            p.is_short = True
    # 2. The title.
    if i < len(chunks) and i < max(n_head, 1) and not no_title:
        s, e = chunks[i]
        ct = text[s:e]
        if ct[:1] in '“"‘':
            quoted_title = True
            close = {"“": "”", '"': '"', "‘": "’"}[ct[0]]
            q_end = ct.find(close, 1)
            if q_end < 0:
                q_end = len(ct)
            inner_s, inner_e = s + 1, s + q_end
            br = re.search(r"\s*\[([^\]]+)\]\s*[,.]?\s*$", text[inner_s:inner_e])
            if br:
                p.add("title-translation", inner_s + br.start(1), inner_s + br.end(1), text)
                inner_e = inner_s + br.start()
            p.add("title", inner_s, inner_e, text)
            rest_s = s + q_end + 1
            br = re.match(r"\s*\[([^\]]+)\]", text[rest_s:e])
            if br:
                p.add("title-translation", rest_s + br.start(1), rest_s + br.end(1), text)
                rest_s += br.end()
            if text[rest_s:e].strip(" ,.") and not _ROLE_RE.match(text[rest_s:e].strip(" ,.")):
                p.add("container", rest_s, e, text)
        else:
            br = re.search(r"\s*\[([^\]]+)\]\s*$", ct)
            if br:
                p.add("title-translation", s + br.start(1), s + br.end(1), text)
                e = s + br.start()
            while (
                i + 1 < len(chunks)
                and (_YEAR_RANGE_RE.match(ctext(i + 1)) or (pub_s >= 0 and _plain(ctext(i + 1))))
                and i + 1 < n_head
            ):
                i += 1
                e = chunks[i][1]
            p.add("title", s, e, text)
        i += 1
    # 3. Everything after the title.
    seen_date = p.has("date")
    last_role = ""
    while i < len(chunks):
        s, e = chunks[i]
        ct = text[s:e]
        role_m = _ROLE_RE.match(ct)
        nxt = ctext(i + 1) if i + 1 < len(chunks) else ""
        if role_m and role_m.group("names"):
            names_s = s + role_m.start("names")
            roles = (
                ["editor", "translator"]
                if role_m.group("both")
                else (["editor"] if role_m.group("ed") else ["translator"])
            )
            end_k = i
            while (
                end_k + 1 < len(chunks)
                and is_name_like(ctext(end_k + 1))
                and re.match(r"(?:and|&)\s", ctext(end_k + 1))
            ):
                end_k += 1
            for ns, ne, _ in split_names(text, names_s, chunks[end_k][1]):
                for r in roles:
                    p.add(r, ns, ne, text)
            i = end_k + 1
            last_role = "editor"
            continue
        in_m = re.match(r"in:?\s+", ct, re.IGNORECASE)
        if in_m or (is_name_like(ct) and not p.has("container")):
            # Editors of the container ("in A, B, and C, eds., Book") or "in Book".
            k = i
            start_names = s + (in_m.end() if in_m else 0)
            while k < len(chunks) and not re.fullmatch(r"\(?eds?\.?\)?", ctext(k), re.I):
                piece = text[start_names : chunks[k][1]] if k == i else ctext(k)
                corporate_editor = (
                    k == i
                    and k + 1 < len(chunks)
                    and re.fullmatch(r"eds?\.?", ctext(k + 1), re.I)
                    and piece[:1].isupper()
                )
                if not (is_name_like(piece) or corporate_editor):
                    break
                k += 1
            if k < len(chunks) and k > i and re.fullmatch(r"\(?eds?\.?\)?", ctext(k), re.I):
                for ns, ne, _ in split_names(text, start_names, chunks[k - 1][1]):
                    p.add("editor", ns, ne, text)
                i = k + 1
                if i < len(chunks) and not p.has("container"):
                    cs, ce = chunks[i]
                    while i + 1 < n_head and pub_s >= 0 and _plain(ctext(i + 1)):
                        i += 1
                        ce = chunks[i][1]
                    br = re.search(r"\s*\[([^\]]+)\]\s*$", text[cs:ce])
                    p.add("container", cs, cs + br.start() if br else ce, text)
                    i += 1
                continue
            if in_m:
                p.add("container", start_names, e, text)
                i += 1
                continue
        if _DISSERTATION_RE.search(ct) and len(ct) < 60:
            p.genre = "dissertation"
            i += 1
            continue
        rep = _REPORT_OF_RE.match(ct)
        if rep:
            p.genre = "report"
            if not p.has("publisher"):
                p.add("publisher", s + rep.start(1), e, text)
            i += 1
            continue
        if _REPORT_RE.search(ct) and not p.has("series") and len(ct) < 60 and not quoted_title:
            p.genre = "report"
            sm = _SERIES_NUMBER_RE.match(ct)
            if sm and re.search(r"\d", sm.group(2)) and _REPORT_RE.search(sm.group(1)):
                p.add("series", s + sm.start(1), s + sm.end(1), text)
                p.add("issue", s + sm.start(2), s + sm.end(2), text)
            else:
                p.add("series", s, e, text)
            i += 1
            continue
        if _MONTH_DAY_RE.match(ct) and re.fullmatch(_YEAR, nxt):
            p.add("date", s, chunks[i + 1][1], text)
            seen_date = True
            i += 2
            continue
        if _DATE_RE.match(ct):
            if not seen_date:
                p.add("date", s, e, text)
                seen_date = True
            i += 1
            continue
        pm = _PAGES_RE.match(ct)
        if pm or (
            _RANGE_RE.match(ct) and (last_role == "pages" or (seen_date and i == len(chunks) - 1))
        ):
            if last_role == "pages":
                prev = [x for x in p.spans if x[0] == "pages"][-1]
                p.spans.remove(prev)
                p.add("pages", prev[1], e, text)
            elif pm and pm.group(1):
                p.add("pages", s + pm.start(1), e, text)
            else:
                p.add("pages", s, e, text)
            last_role = "pages"
            i += 1
            continue
        numbered = _VOL_PAREN_RE.match(ct) or _ISSUE_RE.match(ct)
        if numbered:
            # "26 (2006): 761–784" or "no. 5 (September/October 2006): 761–784"
            last_role = "volume" if numbered.re is _VOL_PAREN_RE else "issue"
            for k, role in enumerate((last_role, "date", "pages"), 1):
                if numbered.group(k) and not (role == "date" and seen_date):
                    p.add(role, s + numbered.start(k), s + numbered.end(k), text)
            seen_date = seen_date or bool(numbered.group(2))
            i += 1
            continue
        vm = _VOLUME_RE.match(ct)
        if vm and not seen_date and (p.has("container") or i == n_head - 1 or nxt.startswith("no")):
            p.add("volume", s + vm.start(1), s + vm.end(1), text)
            i += 1
            last_role = "volume"
            continue
        if quoted_title and not p.has("container") and not _GOV_WORDS.search(ct):
            tv = _TRAILING_VOLUME_RE.search(ct)
            if tv:
                p.add("volume", s + tv.start(1), s + tv.end(1), text)
                e = s + tv.start()
            paren = re.search(r"\s*\(([^()]*)\)\s*$", text[s:e])
            if paren and not tv:
                e = s + paren.start()
            p.add("container", s, e, text)
            i += 1
            last_role = "container"
            continue
        if (_ORG_WORDS.search(ct) or _NEWS_WORDS.search(ct)) and not p.has("publisher"):
            if _NEWS_WORDS.search(ct) and not _ORG_WORDS.search(ct) and not p.has("container"):
                p.add("container", s, e, text)
                i += 1
                continue
            k = i
            while (
                k + 1 < len(chunks)
                and _ORG_WORDS.search(ctext(k + 1))
                and not _DATE_RE.match(ctext(k + 1))
            ):
                k += 1
            p.add("publisher", s, chunks[k][1], text)
            i = k + 1
            continue
        if p.has("title") and not p.has("container") and vm is None and quoted_title:
            p.add("container", s, e, text)
        i += 1
    if not p.has("date"):
        # A year left in the tail (bibliography style "..., 2007.") is the date.
        ym = re.search(rf"\b({_YEAR})\b(?!.*\b{_YEAR}\b)", text[lo:work_hi])
        if ym and not any(s <= lo + ym.start(1) < e for r, s, e in p.spans if r != "pages"):
            p.add("date", lo + ym.start(1), lo + ym.end(1), text)
    p.spans.sort(key=lambda x: x[1])
    if p.is_short and (p.has("date") or p.has("publisher") or p.has("container")):
        p.is_short = False
    p.kind = decide_kind(p, text, quoted_title)
    return p
