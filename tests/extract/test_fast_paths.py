"""The fast paths of extraction find exactly what the plain regexes and loops they replace find."""

from __future__ import annotations

import random
import re
from pathlib import Path

import ahocorasick
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from allygraph.extract import patterns as pt
from allygraph.extract.candidates import Candidate
from allygraph.extract.document_meta import _find
from allygraph.extract.gazetteer import (
    _FOLD,
    Gazetteer,
    GazetteerMatch,
    _fold_chars,
    _longest,
    fold_text,
    load_gazetteer,
)
from allygraph.extract.pipeline import _SpanIndex
from allygraph.extract.sentences import _last_word
from allygraph.records import Document, DocumentMeta, EntityKind

ROOT = Path(__file__).resolve().parents[2]

# Every title, head noun and trigger word in a few contexts, so that each alternative of the
# patterns is met at least once, plus the texts of the corpus and of the evaluation cases.
_WORDS = sorted(
    set(re.findall(r"[A-Za-z][A-Za-z.]*", pt._TITLE_WORDS + pt._LOWER_TITLES + pt._TITLE_ABBR))
    | set(pt.ORG_HEADS)
    | set(pt.EVENT_HEADS)
    | {w for h in pt.TREATY_HEADS for w in h.split()}
    | {"According", "according", "quoted", "interviewed", "written", "edited", "translated"}
    | {"said", "says", "researcher", "Camp", "Fort", "Naval", "Marine", "Fleet", "Joint"}
    | {"Peninsula", "Sea", "Straits", "Mountains", "Lt.", "Maj.", "Rear", "Mrs."}
    | {"By", "Articles by:", "Author:", "Authors", "Written by"}
)
_SYNTHETIC = "\n".join(
    f"{a} {w} Naoto Kan, the {w} of Japan. x{w} Kim; {w}s Lee ({w} Park) U.S.-{w} {w} Tanaka."
    for w in _WORDS
    for a in ("The", "former", "(")
) + "".join(f"\n{w} Naoto Kan\n{w}  Kim Dae-jung \n" for w in _WORDS)


def _texts() -> list[str]:
    paths = sorted((ROOT / "data" / "corpus").glob("*.txt"))
    paths += sorted((ROOT / "tests").glob("*/*/input.txt"))
    return [_SYNTHETIC] + [p.read_text(encoding="utf-8") for p in paths]


TEXTS = _texts()


def _spans(matches: object) -> list[tuple[tuple[int, int], ...]]:
    return [tuple(m.span(g) for g in range(m.re.groups + 1)) for m in matches]  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "started",
    [pt._TITLED_STARTED, pt._ACCORDING, pt._BASE_BEFORE, pt._BYLINE, pt._ORG.head,
     pt._TREATY.head, pt._EVENT_CAP.head],
    ids=["titled", "according", "base-before", "byline", "org-head", "treaty-head",
         "event-head"],
)  # fmt: skip
def test_started_patterns_match_like_finditer(started: pt._Started) -> None:
    """Every match starts with a listed literal, so the matches equal the regex's own."""
    for text in TEXTS:
        assert _spans(started.finditer(text)) == _spans(started.pattern.finditer(text))
        starts = set(started._starts.starts(text))
        for offset in range(len(text)):
            if started.pattern.match(text, offset):
                assert offset in starts, text[offset : offset + 30]


@pytest.mark.parametrize(
    "anchored", [pt._ORG, pt._TREATY, pt._EVENT_CAP], ids=["org", "treaty", "event"]
)
def test_anchored_prefix_search_starts_late_with_the_same_result(anchored: pt._Anchored) -> None:
    """Searching the prefix from the last character it cannot hold finds the same start."""
    for text in TEXTS:
        fast = [(hit.start(), hit.end(), hit.group("head")) for hit in anchored.finditer(text)]
        slow = []
        for head in anchored.head.finditer(text):
            found = anchored.pre.search(text, max(0, head.start() - 160), head.start())
            if found is not None:
                tail = anchored.tail.match(text, head.end())
                slow.append((found.start(), tail.end() if tail else head.end(), head.group("head")))
        assert fast == slow


@pytest.mark.parametrize(
    ("fast", "slow"),
    [
        (pt._ACR_DEF, r"(?<=\S)\s\((?:the\s)?(?P<acr>[A-Z][A-Za-z&]*[A-Z]s?)\)"),
        (pt._EVENT_LOWER,
         rf"(?:\b(?:the|a|an|The|A|An)\s+|['’]s\s+)(?P<mods>(?:(?:{pt._CAP}|\d{{4}}|"
         rf"{pt._EVENT_ADJ})\s){{1,4}})(?P<head>exercises|exercise|incident|crisis|talks|summit"
         r"|war|test|drills|drill|protests)\b"),
        (pt._ACR_FIRST, rf"\b(?P<acr>[A-Z][A-Z&]+[A-Z])\s\((?:the |The )?"
         rf"(?P<long>{pt._CAP}(?:\s(?:{pt._LINK}|{pt._CAP}))+)\)"),
    ],
    ids=["definition", "event-lower", "acronym-first"],
)  # fmt: skip
def test_reordered_acronym_patterns_match_as_before(fast: re.Pattern[str], slow: str) -> None:
    """Look-behinds moved after the first character change no match."""
    extra = (
        "xJDA (Japan Defense Agency) and JDA (Japan Defense Agency); a (JDA)  (MOFA) the joint"
        " exercise, an annual drill, A nuclear test, xthe naval drills, Japan’s missile test,"
        " An Air Force exercise, Korea's  joint  drills, anuclear test, a  2010 war"
    )
    for text in [*TEXTS, extra]:
        assert _spans(fast.finditer(text)) == _spans(re.compile(slow).finditer(text))


@pytest.mark.parametrize(
    ("literals", "words"),
    [(pt._SAYS_TRIGGER, "said|says|told|stated|noted|argued|wrote|writes|added|explained|"
      "stressed|warned|announced|insisted|claimed|recalled|observed|remarked|asked|replied|"
      "suggested"),
     (pt._PLACE_TRIGGER, "Peninsula|Sea|Strait|Straits|Island|Islands|Prefecture|Province|Bay|"
      "Ocean|River|Mountains?|Gulf|Mount|Isle|Shoal|Reef|Line")],
)  # fmt: skip
def test_literal_words_are_word_bounded_matches(literals: pt._Literals, words: str) -> None:
    """Whole-word literal hits are the spans of the word alternation between boundaries."""
    pattern = re.compile(rf"\b(?:{words})\b")
    for text in [*TEXTS, "saidx said_ said1 _said Sea-Seas Mountain Mountains"]:
        assert literals.words(text) == [m.span() for m in pattern.finditer(text)]


def test_name_lists_match_like_windowed_finditer() -> None:
    """Name lists found after whitespace are the regex's matches in any window."""
    rng = random.Random(3)
    for text in TEXTS:
        windows = [(0, len(text))] + [
            tuple(sorted(rng.sample(range(len(text) + 1), 2))) for _ in range(40)
        ]
        for lo, hi in windows:
            fast = [(m.span("list"), m.span("after")) for m in pt._name_list_matches(text, lo, hi)]
            slow = [(m.span("list"), m.span("after")) for m in pt._NAME_LIST.finditer(text, lo, hi)]
            assert fast == slow, (lo, hi)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab. _\n1é", max_size=30))
def test_last_word_is_the_trailing_word_run(chunk: str) -> None:
    """The trailing run of word characters and dots is what the anchored regex finds."""
    found = re.search(r"([\w.]+)$", chunk)
    assert _last_word(chunk) == (found.group(1) if found else "")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab _.-", max_size=40), st.sampled_from(["ab", "a", "a.b", "b-a", ""]))
def test_find_in_spans_is_the_word_bounded_regex(text: str, name: str) -> None:
    """Occurrences found with str.find equal the look-around regex's matches in each span."""
    doc = Document("d", "", text, "", DocumentMeta(), (), ())
    spans = [(0, len(text)), (len(text) // 3, len(text) // 2 + 1), (2, len(text))]
    spans = [(lo, hi) for lo, hi in spans if lo <= hi]
    pattern = re.compile(r"(?<!\w)" + re.escape(name) + r"(?!\w)")
    expected = [m.span() for lo, hi in spans for m in pattern.finditer(text, lo, hi)]
    assert list(_find(doc, spans, name)) == expected


def test_fold_chars_is_the_translation() -> None:
    """Replacing the folded characters one by one gives ``str.translate``'s result."""
    sample = "".join(chr(c) for c in range(0x20, 0x2100)) + "".join(map(chr, _FOLD))
    assert _fold_chars(sample) == sample.translate(_FOLD)
    assert _fold_chars("Japan’s  Shinzō\n") == "Japan's  Shinzo "


def _reference_match(gaz: Gazetteer, text: str) -> list[GazetteerMatch]:
    """The matcher as it was: one automaton over the lower-cased text, case checked after."""
    automaton = ahocorasick.Automaton()
    for folded, form in gaz.forms.items():
        automaton.add_word(folded, form)
    automaton.make_automaton()
    plain = text.translate(_FOLD)
    folded_text = plain.lower() if len(plain.lower()) == len(plain) else fold_text(text)
    found = []
    for last, form in automaton.iter(folded_text):
        end = last + 1
        start = end - len(form.text)
        if start > 0 and text[start - 1].isalnum() and form.text[0].isalnum():
            continue
        if (
            end < len(text)
            and text[end].isalnum()
            and (form.text[-1].isalnum() or form.text[-1] == ".")
        ):
            continue
        if form.case_sensitive:
            if plain[start:end] != form.text:
                continue
        elif form.text[0].isupper() and not (text[start].isupper() or text[start].isdigit()):
            continue
        found.append(GazetteerMatch(start, end, form))
    return _longest(found)


def test_gazetteer_matches_like_one_folded_automaton() -> None:
    """Two automata (case kept, case folded) find what the single folded automaton found."""
    gaz = load_gazetteer(ROOT / "data" / "gazetteer")
    for text in [*TEXTS, "KOREA Korea korea O o Okinawa O'Hanlon U.S.A U.S. u.s."]:
        assert gaz.match(text) == _reference_match(gaz, text)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 60), st.integers(0, 12)), max_size=12),
    st.integers(0, 70),
    st.integers(-3, 15),
)
def test_span_index_finds_the_overlapping_spans(
    spans: list[tuple[int, int]], start: int, length: int
) -> None:
    """The spans overlapping a range are those sharing one of its characters."""
    taken: set[int] = set()
    kept = []
    for lo, size in spans:  # non-overlapping, as _longest leaves them (empty spans too)
        chars = set(range(lo, lo + size))
        if not chars & taken:
            taken |= chars
            kept.append(Candidate(lo, lo + size, "x" * size, EntityKind.PLACE, None))
    end = start + length
    expected = sorted(
        (k for k in kept if set(range(k.start, k.end)) & set(range(start, end))),
        key=lambda k: k.start,
    )
    assert _SpanIndex(kept).overlapping(start, end) == expected
