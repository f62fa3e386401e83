"""Tests of the citation parser: Sakata's note kinds, short forms, offsets, prose, APA lines."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from allygraph.extract.citations import parse_citation, parse_references, reference_key
from allygraph.records import Document, Note, Reference

REPO = Path(__file__).resolve().parents[2]
CASES = Path(__file__).parent / "cases"
SAKATA = REPO / "data" / "corpus" / "sakata-2011-korea-and-the-japan-us-alliance.txt"


def notes_doc(*notes: str, doc_id: str = "t") -> Document:
    """Build a Document whose text is numbered notes, with Note spans set by hand."""
    text = "Notes\n\n"
    spans = []
    for number, body in enumerate(notes, 1):
        text += f"  {number}. "
        spans.append(Note(number, len(text), len(text) + len(body)))
        text += body + "\n\n"
    return Document(doc_id, "", text, "", notes=tuple(spans))


def sakata_doc() -> Document:
    """The Sakata chapter with its 42 endnotes found by the note pattern of the corpus."""
    text = SAKATA.read_text(encoding="utf-8")
    notes = []
    for m in re.finditer(r"^  (\d+)\. (.+)$", text, re.MULTILINE):
        notes.append(Note(int(m.group(1)), m.start(2), m.end(2)))
    return Document("sakata", str(SAKATA), text, "", notes=tuple(notes))


@pytest.fixture(scope="module")
def sakata() -> tuple[Document, tuple[Reference, ...]]:
    """The Sakata document and its parsed references."""
    doc = sakata_doc()
    return doc, parse_references(doc)


def in_note(refs: tuple[Reference, ...], note: int) -> list[Reference]:
    """The references of one note."""
    return [r for r in refs if r.note == note]


def test_book_with_editor_and_translator(sakata: tuple[Document, tuple[Reference, ...]]) -> None:
    """Note 1: "ed. and trans." makes Berger both editor and translator of a book."""
    _, refs = sakata
    r = in_note(refs, 1)[0]
    assert r.kind == "book"
    assert r.authors == ("Munemitsu Mutsu",)
    assert r.title == "Kenkenroku: A Diplomatic Record of the Sino-Japanese War, 1894–95"
    assert r.editors == r.translators == ("Gordon Mark Berger",)
    assert (r.place, r.publisher, r.year) == ("Tokyo", "University of Tokyo", "1982")


def test_chapter_in_edited_volume(sakata: tuple[Document, tuple[Reference, ...]]) -> None:
    """Note 1: a chapter has its editors, its volume and a container key of its own."""
    _, refs = sakata
    r = in_note(refs, 1)[1]
    assert r.kind == "chapter"
    assert r.title == "Korea in Japanese Visions of Regional Order"
    assert r.editors == (
        "Charles K. Armstrong",
        "Gilbert Rozman",
        "Samuel S. Kim",
        "Stephen Kotkin",
    )
    assert r.container_title == "Korea at the Center: Dynamics of Regionalism in Northeast Asia"
    assert (r.place, r.publisher, r.year) == ("Armonk, NY", "M.E. Sharpe", "2006")
    assert (
        r.container_key
        == "publication/korea-at-the-center-dynamics-of-regionalism-in-northeast-asia-2006"
    )
    assert r.key == "publication/inoguchi-2006-korea-in-japanese-visions-of-regional"


def test_translated_title(sakata: tuple[Document, tuple[Reference, ...]]) -> None:
    """Note 3: the original title is the title; the bracketed translation is a span."""
    doc, refs = sakata
    r = in_note(refs, 3)[0]
    assert r.title == "Jieitai no Jouhousen: Rikubaku Daini buchou no kaisou"
    (tr,) = [doc.text[s:e] for role, s, e in r.spans if role == "title-translation"]
    assert tr.startswith("The Japan Self-Defense Force’s Intelligence War")
    assert r.pages == "66"


def test_dissertation(sakata: tuple[Document, tuple[Reference, ...]]) -> None:
    """Note 4: a Ph.D. dissertation with its university and date; the lead-in is dropped."""
    _, refs = sakata
    (r,) = in_note(refs, 4)
    assert r.kind == "dissertation"
    assert r.raw.startswith("John Barry Kotch, “The United States Security Policy")
    assert (r.publisher, r.year, r.date) == ("Columbia University", "1976", "1976-01")


def test_missing_comma_between_editors(sakata: tuple[Document, tuple[Reference, ...]]) -> None:
    """Note 9: "Gilbert Rozman In-taek Hyun, and Shin-wha Lee" are three editors."""
    _, refs = sakata
    (r,) = in_note(refs, 9)
    assert r.editors == ("Gilbert Rozman", "In-taek Hyun", "Shin-wha Lee")
    assert r.container_title == "South Korean Strategic Thought toward Asia"


def test_journal_article(sakata: tuple[Document, tuple[Reference, ...]]) -> None:
    """Note 15: journal, volume, issue, date and pages; the journal has its own key."""
    _, refs = sakata
    (r,) = in_note(refs, 15)
    assert r.kind == "journal-article"
    assert r.authors == ("Gilbert Rozman", "Shin-wha Lee")
    assert (r.container_title, r.volume, r.issue, r.pages) == ("Asian Survey", "26", "5", "761–784")
    assert (r.year, r.date) == ("2006", "2006-09")
    assert r.container_key == "publication/asian-survey"


def test_four_authors(sakata: tuple[Document, tuple[Reference, ...]]) -> None:
    """Note 18: an author list "A, B, C, and D"."""
    _, refs = sakata
    (r,) = in_note(refs, 18)
    assert r.authors == (
        "Hideaki Kaneda",
        "Kazumasa Kobayashi",
        "Hiroshi Tajima",
        "Hirofumi Tosaki",
    )


def test_edited_volume(sakata: tuple[Document, tuple[Reference, ...]]) -> None:
    """Note 21: "Ralph Cossa, ed., Title" is an edited volume keyed by title and year."""
    _, refs = sakata
    (r,) = in_note(refs, 21)
    assert r.kind == "edited-volume"
    assert r.editors == ("Ralph Cossa",)
    assert not r.authors
    assert r.title == "U.S.-Korea-Japan Relations: Building toward a “Virtual Alliance”"
    assert r.key == "publication/u-s-korea-japan-relations-building-toward-a-virtual-alliance-1999"


def test_note_with_prose_and_three_citations(
    sakata: tuple[Document, tuple[Reference, ...]],
) -> None:
    """Note 22: prose sentences are skipped; two short forms and a newspaper are found."""
    _, refs = sakata
    raws = [r.raw for r in in_note(refs, 22)]
    assert raws == [
        "Funabashi, Alliance Adrift, p. 91",
        "Akiyama, Nichibei Senryaku Taiwa ga Hajimatta, pp. 253–254",
        "Asahi Shimbun, April 17, 2007, 5",
    ]
    news = in_note(refs, 22)[2]
    assert news.kind == "news-article"
    assert (news.container_title, news.date, news.pages) == ("Asahi Shimbun", "2007-04-17", "5")


def test_government_document_and_report(sakata: tuple[Document, tuple[Reference, ...]]) -> None:
    """Notes 31 and 38: an agency's document and an NBR Special Report with its number."""
    _, refs = sakata
    (gov,) = in_note(refs, 31)
    assert gov.kind == "government-document"
    assert gov.title == "Patterns of Global Terrorism 2003"
    assert gov.publisher == "U.S. State Department, Office of the Coordinator for Counterterrorism"
    assert gov.date == "2004-04-29"
    (rep,) = in_note(refs, 38)
    assert rep.kind == "report"
    assert (rep.series, rep.issue, rep.date) == ("NBR Special Report", "17", "2009-11")


def test_url_web_document(sakata: tuple[Document, tuple[Reference, ...]]) -> None:
    """Note 27: a quoted title, a date, the issuing office and a URL."""
    _, refs = sakata
    (r,) = in_note(refs, 27)
    assert r.url == "http://www.rachi.go.jp/en/ratimondai/syousai.html"
    assert r.kind == "government-document"


def test_short_forms_resolve(sakata: tuple[Document, tuple[Reference, ...]]) -> None:
    """Short forms (also with a slightly wrong title) carry the key of the full citation."""
    _, refs = sakata
    by_raw = {r.raw: r for r in refs}
    pairs = [
        ("Funabashi, Alliance Adrift, p. 91", 16),
        ("Yamaguchi, “Japanese Adjustments,” p. 81", 17),
        ("Snyder, China and the Two Koreas, pp. 186–189", 14),
        ("Schoff, Realigning Priorities", 36),
        ("Akiyama, Nichibei Senryaku Taiwa ga Hajimatta, pp. 253–254", 19),
    ]
    for raw, note in pairs:
        short = by_raw[raw]
        full = in_note(refs, note)[0]
        assert short.is_short_form
        assert not full.is_short_form
        assert short.key == full.key, raw
        assert short.kind == full.kind


def test_repeated_full_citation_same_key(sakata: tuple[Document, tuple[Reference, ...]]) -> None:
    """Notes 1 and 2 (and 37 and 40) repeat a full citation: the keys agree."""
    _, refs = sakata
    assert [r.key for r in in_note(refs, 1)] == [r.key for r in in_note(refs, 2)]
    assert in_note(refs, 37)[0].key == in_note(refs, 40)[0].key


def test_offsets_and_spans(sakata: tuple[Document, tuple[Reference, ...]]) -> None:
    """Every reference and span points at its exact text in the document."""
    doc, refs = sakata
    assert len(refs) == 53
    for r in refs:
        assert doc.text[r.start : r.end] == r.raw
        assert r.key.startswith("publication/")
        names = [doc.text[s:e] for role, s, e in r.spans if role == "author"]
        assert names == [a for a in r.authors if "," not in a] or r.is_short_form or names
        for role, s, e in r.spans:
            assert r.start <= s < e <= r.end
            if role == "title":
                assert doc.text[s:e] == r.title
            if role == "publisher":
                assert doc.text[s:e] == r.publisher


def test_against_gold_annotation(sakata: tuple[Document, tuple[Reference, ...]]) -> None:
    """Every hand-annotated citation of the 42 notes is found with its title and kind."""
    _doc, refs = sakata
    gold = json.loads((CASES / "citations_sakata.json").read_text(encoding="utf-8"))
    found = {(r.note, r.raw.rstrip(".) ")): r for r in refs}
    for g in gold["citations"]:
        r = found[(g["note"], g["raw"].rstrip(".) "))]
        assert r.kind == g["kind"], g["raw"]
        assert r.title == g.get("title"), g["raw"]
        assert bool(r.is_short_form) == bool(g.get("short_form")), g["raw"]


def test_prose_is_not_a_citation() -> None:
    """Sentences of prose in a note, even with years and names, yield no reference."""
    doc = notes_doc(
        "The UNC headquarters was established in July 1950 in Tokyo during the Korean War, "
        "but relocated to Seoul in 1957.",
        "Hitoshi Tanaka, then MOFA Director of the Policy Coordinating Division, voiced this "
        "frustration in his memoirs.",
        "In June 1997, Japanese defense officials visited ROK and China to explain the report.",
    )
    assert parse_references(doc) == ()


def test_ibid_resolves_to_previous() -> None:
    """Ibid. and Id. repeat the key of the citation before them, with their own pages."""
    doc = notes_doc(
        "Victor Cha, Alignment Despite Antagonism (Stanford, CA: Stanford University Press, "
        "1999), p. 12.",
        "Ibid., p. 5.",
        "Id.",
    )
    full, ibid, idem = parse_references(doc)
    assert ibid.key == idem.key == full.key
    assert ibid.is_short_form
    assert idem.is_short_form
    assert ibid.pages == "5"
    assert doc.text[ibid.start : ibid.end] == "Ibid., p. 5"


def test_short_form_without_antecedent_keeps_own_key() -> None:
    """A short form with no earlier full citation is kept as a reference of its own."""
    doc = notes_doc("Funabashi, Alliance Adrift, p. 91.")
    (r,) = parse_references(doc)
    assert not r.is_short_form
    assert r.key == reference_key(["Funabashi"], None, "Alliance Adrift")


@pytest.mark.parametrize(
    ("line", "kind", "authors", "title", "year"),
    [
        (
            "Sakata, Y. (2011). Korea and the Japan-U.S. alliance: A Japanese perspective. In "
            "T. Inoguchi, G. J. Ikenberry, & Y. Sato (Eds.), The U.S.-Japan security alliance "
            "(pp. 123–145). Palgrave Macmillan.",
            "chapter",
            ("Y. Sakata",),
            "Korea and the Japan-U.S. alliance: A Japanese perspective",
            "2011",
        ),
        (
            "Rozman, G., & Lee, S. (2006). Unraveling the Japan-South Korea “virtual alliance”. "
            "Asian Survey, 46(5), 761–784. https://doi.org/10.1525/as.2006.46.5.761",
            "journal-article",
            ("G. Rozman", "S. Lee"),
            None,
            "2006",
        ),
    ],
)
def test_apa_lines(
    line: str, kind: str, authors: tuple[str, ...], title: str | None, year: str
) -> None:
    """APA reference-list lines are parsed (by the CRF) into the same fields."""
    r = parse_citation(line)
    assert r is not None
    assert r.kind == kind
    assert r.authors == authors
    assert r.year == year
    if title:
        assert r.title == title


def test_reference_list_in_document() -> None:
    """Lines under a "References" heading are parsed as entries with document offsets."""
    text = (
        "Body text.\n\nReferences\n\n"
        "Cha, V. D. (1999). Alignment despite antagonism: The United States-Korea-Japan security "
        "triangle. Stanford University Press.\n"
        "Kang, D. C. (2007). China rising: Peace, power, and order in East Asia. Columbia "
        "University Press.\n"
    )
    doc = Document("refs", "", text, "")
    refs = parse_references(doc)
    assert [r.authors for r in refs] == [("V. D. Cha",), ("D. C. Kang",)]
    for r in refs:
        assert doc.text[r.start : r.end] == r.raw
        assert r.note is None


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.one_of(
            st.text(max_size=80),
            st.sampled_from(
                [
                    "Ibid.",
                    "“",
                    "”",
                    "(",
                    ")",
                    "[",
                    "]",
                    ", ",
                    ". ",
                    "; ",
                    "eds.",
                    "ed. and trans.",
                    "pp. 1–2",
                    "(Tokyo: Soshisha, 2008)",
                    "Asahi Shimbun, April 17, 2007",
                    "in A. B, eds., ",
                    "http://x.org/a",
                    "see ",
                    "Funabashi, Alliance Adrift",
                    "Sakata, Y. (2011). ",
                    "no. 5 (2006): 3–4",
                ]
            ),
        ),
        max_size=12,
    ),
    st.integers(min_value=0, max_value=3),
)
def test_random_text_never_crashes(parts: list[str], n_notes: int) -> None:
    """Any text parses without error and every offset lies inside its reference."""
    body = "".join(parts)
    doc = notes_doc(*([body] * n_notes))
    refs = parse_references(doc)
    for r in refs:
        assert 0 <= r.start <= r.end <= len(doc.text)
        assert doc.text[r.start : r.end] == r.raw
        for _, s, e in r.spans:
            assert r.start <= s <= e <= r.end
    single = parse_citation(body)
    if single is not None:
        assert body[single.start : single.end] == single.raw


@pytest.mark.parametrize(
    "heading", ["Further reading", "Suggested Readings", "Selected bibliography"]
)
def test_bibliography_style_list_under_reading_heading(heading: str) -> None:
    """Chicago bibliography entries under a reading-list heading: names end at their period."""
    text = (
        f"Body text.\n\n{heading}\n\n"
        "Cha, Victor D. Alignment Despite Antagonism: The United States-Korea-Japan Security "
        "Triangle. Stanford, CA: Stanford University Press, 1999.\n\n"
        "Lee, Chong-Sik. Japan and Korea: The Political Dimension. Stanford, CA: Hoover "
        "Institution Press, 1985.\n"
    )
    refs = parse_references(Document("reading", "", text, ""))
    assert [(r.authors, r.title, r.year) for r in refs] == [
        (
            ("Victor D. Cha",),
            "Alignment Despite Antagonism: The United States-Korea-Japan Security Triangle",
            "1999",
        ),
        (("Chong-Sik Lee",), "Japan and Korea: The Political Dimension", "1985"),
    ]
