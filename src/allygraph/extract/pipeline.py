"""Extract one document: gazetteer, patterns, citations and metadata, then resolve.

:func:`collect_candidates` gathers the candidate mentions of every extractor and settles
their overlaps; :func:`extract_candidates` adds references and metadata. The resolve layer
(:func:`allygraph.resolve.extract_document`) turns them into an Extraction.
FURNITURE zones (prices, buttons, "Google Scholar") are never read.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, replace

from allygraph.extract.candidates import SOURCE_RANK, Candidate, Role
from allygraph.extract.document_meta import DocumentRecord, describe_document
from allygraph.extract.gazetteer import FormStrength, Gazetteer, GazetteerMatch, SurfaceForm
from allygraph.extract.names import display_name
from allygraph.extract.patterns import DEMONYMS, find_patterns, name_key
from allygraph.records import Document, EntityKind, Reference, ZoneKind

__all__ = [
    "ExtractedDocument",
    "collect_candidates",
    "extract_candidates",
    "parse_document_references",
]

# Ties between kinds of one ambiguous form ("Korea": state or peninsula) go to the first.
# A bare "Korea" is the place (peninsula, nation) unless a longer form names a state.
_KIND_ORDER = [
    EntityKind.PLACE, EntityKind.STATE, EntityKind.PERSON, EntityKind.ORGANIZATION,
    EntityKind.BASE, EntityKind.TREATY, EntityKind.EVENT, EntityKind.PUBLICATION,
]  # fmt: skip
_HYPOTHETICAL = re.compile(r"\b(?:a|an)\s+(?:second|new|third|future)\s+$|\banother\s+$")
# Event names are proper names: a span that starts lower-case ("collapse of the Soviet Union",
# "submarine incident in 1996"), holds a possessive ("North Korea's nuclear test") or a
# lower-case word before a preposition ("US-ROK military exercises in the Yellow Sea") is a
# description; the names inside it are mentions on their own.
_DESCRIPTION = re.compile(r"['’]s\s|\b[a-z][\w-]*\s+(?:in|of|at|near|off|on|over|against)\s")
_NOT_SWALLOWED = frozenset([EntityKind.STATE, EntityKind.PLACE])
_HYPOTHETICAL_START = frozenset(["a", "an", "another", "new", "second", "third", "future"])


def is_event_description(surface: str) -> bool:
    """Whether an event span is a description rather than the name of an event."""
    return surface[:1].islower() or _DESCRIPTION.search(surface) is not None


_FUNCTION_WORDS = frozenset(["of", "the", "and", "for", "on", "in", "de", "at", "to", "&"])
_WORD_SPLIT = re.compile(r"[\s/-]+")


def _is_description(c: Candidate, gaz: Gazetteer) -> bool:
    """Whether a candidate describes rather than names ("US military", "Geneva talks").

    Events: see :func:`is_event_description`; an event whose last word is lower-case and
    whose capitalized words are all state or place names ("US-ROK military exercises") is a
    description too. Organizations: a lower-case word that is not a function word as
    written in the text ("the ROK defense ministry", "globalresearch.ca").
    """
    words = [w for w in _WORD_SPLIT.split(c.text.strip()) if w]
    if not words:
        return False
    if c.kind is EntityKind.ORGANIZATION:
        return c.role == Role.NAME and any(
            w[:1].islower() and w not in _FUNCTION_WORDS for w in words
        )
    if c.kind is not EntityKind.EVENT:
        return False
    if is_event_description(c.text):
        return True
    if not words[-1][:1].islower():
        return False
    caps = [w for w in words if w[:1].isupper()]
    return bool(caps) and all(_names_state_or_place(w, gaz) for w in caps)


def _names_state_or_place(word: str, gaz: Gazetteer) -> bool:
    form = gaz.lookup(word)
    return form is not None and all(
        gaz.entries[k].kind in _NOT_SWALLOWED for k in form.keys if k in gaz.entries
    )


def parse_document_references(doc: Document) -> tuple[Reference, ...]:
    """References of the document, from the citation parser when it is installed."""
    try:
        from allygraph.extract.citations import parse_references
    except ImportError:  # the citation parser is another engineer's module; optional
        return ()
    return tuple(parse_references(doc))


def _form_kind(form: SurfaceForm, gaz: Gazetteer) -> EntityKind:
    """The kind most of a form's entries have (ties: the first of ``_KIND_ORDER``)."""
    kinds = [gaz.entries[k].kind for k in form.keys]
    return max(set(kinds), key=lambda k: (kinds.count(k), -_KIND_ORDER.index(k)))


def _from_gazetteer(
    text: str, match: GazetteerMatch, gaz: Gazetteer, kinds: dict[str, EntityKind]
) -> Candidate | None:
    """A candidate for one gazetteer match; ``kinds`` caches the kind of each form."""
    form = match.form
    kind = kinds.get(form.text)
    if kind is None:
        kind = kinds[form.text] = _form_kind(form, gaz)
    start, end = match.start, match.end
    if kind is not EntityKind.PUBLICATION and text.startswith(("the ", "The "), start):
        start += 4  # "the Cold War": the name is "Cold War"
    surface = text[start:end]
    if form.strength is FormStrength.PRIMARY:
        return Candidate(start, end, surface, kind, form.keys[0], "gazetteer")
    if form.strength is FormStrength.SECONDARY and kind is EntityKind.PERSON:
        title = None
        if " " in surface.strip():  # "Prime Minister Kan": the span is the family name
            cut = surface.rstrip().rfind(" ") + 1
            title, start = surface[:cut].strip(), start + cut
            surface = text[start:end]
        role = Role.TITLED if title else Role.FAMILY
        return Candidate(
            start, end, surface, kind, None, "gazetteer", role, form.keys, title=title
        )  # fmt: skip
    return Candidate(start, end, surface, kind, None, "gazetteer", Role.AMBIGUOUS, form.keys)


def _inside_description(
    text: str, c: Candidate, gaz: Gazetteer, kinds: dict[str, EntityKind], depth: int = 0
) -> list[Candidate]:
    """The gazetteer names inside a description ("collapse of the Soviet Union").

    Nothing is taken from inside a hypothetical ("a second Korean War").
    The description itself is a gazetteer form, so the names are looked up in the span
    without its first word and without its last word.
    """
    words = list(re.finditer(r"\S+", c.text))
    if depth > 3 or len(words) < 2 or words[0].group(0).lower() in _HYPOTHETICAL_START:
        return []
    parts = [(words[1].start(), len(c.text)), (0, words[-2].end())]
    inner: list[GazetteerMatch] = []
    for lo, hi in parts:
        for m in gaz.match(c.text[lo:hi]):
            inner.append(GazetteerMatch(c.start + lo + m.start, c.start + lo + m.end, m.form))
    out: list[Candidate] = []
    for m in _longest_matches(inner):
        found = _from_gazetteer(text, m, gaz, kinds)
        if found is None:
            continue
        if _is_description(found, gaz):
            out += _inside_description(text, found, gaz, kinds, depth + 1)
        else:
            out.append(found)
    return out


def _longest_matches(found: list[GazetteerMatch]) -> list[GazetteerMatch]:
    kept: list[GazetteerMatch] = []
    for m in sorted(found, key=lambda m: (m.start - m.end, m.start)):
        if all(m.end <= k.start or k.end <= m.start for k in kept):
            kept.append(m)
    return kept


def _furniture(doc: Document) -> list[tuple[int, int]]:
    return [(z.start, z.end) for z in doc.zones if z.kind is ZoneKind.FURNITURE]


# The end of another field before a publisher or place the parser ran into ("... 1966–2008.
# Routledge", "(CRS Report No. RL33740). Congressional Research Service").
_FIELD_BREAK = re.compile(r"[\d)\]]\.\s+(?=[A-Z])")


# An APA corporate author and year before a title ("Ministry of Defense. (2023). Defense of
# Japan 2023"), and a report number after it ("The U.S.-Japan alliance (CRS Report No").
_AUTHOR_YEAR = re.compile(r"\.\s\(\d{4}[a-z]?\)\.\s")
_OPEN_PAREN = re.compile(r"\s\((?![^()]*\))")


def _title_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """A cited title's span without an author-year prefix or an unclosed parenthesis."""
    lead = _AUTHOR_YEAR.search(text, start, end)
    if lead:
        start = lead.end()
    tail = _OPEN_PAREN.search(text[start:end])
    if tail:
        end = start + tail.start()
    return start, end


def _reference_candidates(doc: Document, refs: Iterable[Reference]) -> Iterable[Candidate]:
    roles = {
        "author": EntityKind.PERSON, "editor": EntityKind.PERSON,
        "translator": EntityKind.PERSON, "publisher": EntityKind.ORGANIZATION,
        "place": EntityKind.PLACE, "title": EntityKind.PUBLICATION,
        "container": EntityKind.PUBLICATION,
    }  # fmt: skip
    for ref in refs:
        for role, start, end in ref.spans:
            kind = roles.get(role)
            if kind is None or end <= start:
                continue
            if kind is EntityKind.ORGANIZATION or kind is EntityKind.PLACE:
                cut = list(_FIELD_BREAK.finditer(doc.text, start, end))
                start = cut[-1].end() if cut else start  # "(No. RL33740). Congressional ..."
            if kind is EntityKind.PUBLICATION:
                start, end = _title_bounds(doc.text, start, end)
            surface = doc.text[start:end]
            if kind is EntityKind.PUBLICATION:
                key = ref.container_key if role == "container" else ref.key
                if key is None:
                    key = name_key(kind, surface)
                yield Candidate(start, end, surface, kind, key, "citation")
            else:
                yield Candidate(
                    start, end, surface, kind, name_key(kind, display_name(surface)), "citation"
                )


# "Gaikou no Chikara [The Power of Diplomacy]": the bracketed English title after a romanized one.
_TRANSLATION = re.compile(r"[\s”\"’',]*\[(?P<title>[^\[\]\n]{3,300})\]")


def _translated_titles(text: str, cited: list[Candidate]) -> list[Candidate]:
    """Bracketed translations of cited titles: a second mention of the same publication.

    A title the citation parser ran into its translation ("Chousen hantou[China and the
    Korean Peninsula]") is split into the two.
    """
    out: list[Candidate] = []
    for c in cited:
        if c.kind is not EntityKind.PUBLICATION:
            continue
        cut = c.text.find("[")
        if cut > 0 and c.text.endswith("]"):
            head = c.text[:cut].rstrip(" ”\"’'")
            out.append(Candidate(c.start, c.start + len(head), head, c.kind, c.key, c.source))
            m = _TRANSLATION.match(text, c.start + len(head))
        else:
            m = _TRANSLATION.match(text, c.end)
        if m is None or not m.group("title")[:1].isupper():
            continue
        start, end = m.start("title"), m.end("title")
        out.append(Candidate(start, end, text[start:end], c.kind, c.key, c.source))
    return out


# A dateline: upper-case places at the start of a line before a dash or a comma
# ("TOKYO/SEOUL, Nov 18 -", "SEOUL - For three years").
_DATELINE = re.compile(
    r"(?m)^(?P<places>[A-Z][A-Z'. ]{1,30}(?:/[A-Z][A-Z'. ]{1,30})*)(?=,| [-—–] )"
)


def _dateline_places(text: str, gaz: Gazetteer) -> list[Candidate]:
    """Places written in capitals in a dateline, when the gazetteer knows the place."""
    out = []
    for m in _DATELINE.finditer(text):
        start = m.start()
        for part in m.group("places").split("/"):
            name = part.strip()
            form = gaz.lookup(name.title()) if len(name) > 2 else None
            if (
                form is not None
                and form.strength is FormStrength.PRIMARY
                and gaz.entries[form.keys[0]].kind is EntityKind.PLACE
            ):
                lo = start + part.index(name)
                out.append(
                    Candidate(lo, lo + len(name), name, EntityKind.PLACE, form.keys[0], "gazetteer")
                )
            start += len(part) + 1
    return out


_BASE_WORDS = frozenset([
    "Air", "Base", "Airbase", "Airfield", "Field", "Station", "Marine", "Corps", "MCAS",
    "Naval", "Facility", "Fleet", "Activities", "NAF", "NAS", "US", "U.S.", "United",
    "States", "Army", "Navy", "Force", "air", "base", "station", "of",
])  # fmt: skip
# "the city of Misawa", "near Misawa", "in Misawa": the town, not the base.
_TOWN_BEFORE = re.compile(
    r"(?:\b(?:city|town|village) of|\bnear|\bin|\b(?:north|south|east|west) of)\s+$"
)


def _bare_base_names(text: str, found: list[Candidate], mask: bytearray) -> list[Candidate]:
    """Later bare uses of a base's own name ("Futenma" after "MCAS Futenma").

    Where the gazetteer typed the bare name a place (the town of the base), the document
    that names the base means the base.
    """
    names: dict[str, Candidate] = {}
    for c in found:
        if c.kind is EntityKind.BASE and c.key and not c.hidden:
            rest = [w for w in c.text.split() if w not in _BASE_WORDS]
            if len(rest) == 1 and rest[0][:1].isupper() and rest[0].isalpha():
                names.setdefault(rest[0], c)
    if not names:
        return found
    index = _SpanIndex(c for c in found if not c.hidden)
    out = list(found)
    for name, base in names.items():
        for m in re.finditer(r"(?<![\w-])" + re.escape(name) + r"(?![\w-])", text):
            if mask.find(1, m.start(), m.end()) >= 0 or _TOWN_BEFORE.search(
                text[max(0, m.start() - 20) : m.start()]
            ):
                continue
            clash = index.overlapping(m.start(), m.end())
            if len(clash) > 1 or (clash and (clash[0].start, clash[0].end) != m.span()):
                continue
            if clash and clash[0].kind is not EntityKind.PLACE:
                continue
            if clash:
                out.remove(clash[0])
            out.append(
                Candidate(m.start(), m.end(), name, EntityKind.BASE, base.key, "coreference")
            )
    return sorted(out, key=lambda c: (c.start, c.end))


# "the Treaty", "The Roadmap": a capitalized head alone (not "the Treaty of ...").
_SHORT_TREATY = re.compile(
    r"(?<![\w-])[Tt]he (?P<head>Treaty|Agreement|Guidelines|Roadmap|Framework|Accord|Arrangement"
    r"|Declaration|Communiqu[ée])(?![\w-])(?! (?:of|on|for|between|[A-Z\d]))"
)


def _treaty_short_forms(text: str, found: list[Candidate], mask: bytearray) -> list[Candidate]:
    """Capitalized short forms of the nearest treaty named before ("the Treaty").

    Guidelines rule 6: "the Treaty" after "Sino-North Korea Friendship Treaty of 1961" is a
    mention of that treaty. Nothing when no earlier treaty has the word.
    """
    treaties = [c for c in found if c.kind is EntityKind.TREATY and c.key and not c.hidden]
    if not treaties:
        return found
    index = _SpanIndex(c for c in found if not c.hidden)
    out = list(found)
    for m in _SHORT_TREATY.finditer(text):
        start, end = m.span("head")
        if mask.find(1, start, end) >= 0 or index.overlapping(start, end):
            continue
        head = m.group("head")
        before = [c for c in treaties if c.end <= start and head in c.text.split()]
        if before:
            ref = max(before, key=lambda c: c.end)
            out.append(Candidate(start, end, head, EntityKind.TREATY, ref.key, "coreference"))
    return sorted(out, key=lambda c: (c.start, c.end))


def _acronym_uses(doc: Document, found: list[Candidate]) -> list[Candidate]:
    """Later bare uses of an acronym the document defines ("... (SAREX)" then "SAREX")."""
    out = []
    defined = {c.text: c for c in found if c.role == Role.ACRONYM}
    for acr, c in defined.items():
        for m in re.finditer(r"(?<![\w-])" + re.escape(acr) + r"(?![\w-])", doc.text):
            if m.start() != c.start:
                out.append(
                    Candidate(
                        m.start(),
                        m.end(),
                        acr,
                        c.kind,
                        c.key,
                        "coreference",
                        Role.ACRONYM,
                        label=c.label,
                        subtype=c.subtype,
                    )
                )
    return out


def _settle(found: list[Candidate]) -> list[Candidate]:
    """Settle overlaps: publications apart; otherwise trusted sources first, longest first.

    A pattern span wins over gazetteer spans it strictly contains ("Futenma Marine Corps air
    station" over "Marine Corps"); on a partial overlap the gazetteer wins.
    """
    hidden = [c for c in found if c.hidden]
    titles = [c for c in found if c.kind is EntityKind.PUBLICATION and not c.hidden]
    others = [c for c in found if c.kind is not EntityKind.PUBLICATION and not c.hidden]
    trusted = [c for c in others if c.source != "pattern"]
    patterns = [c for c in others if c.source == "pattern"]
    kept = _longest(trusted)
    owners = _SpanIndex(kept)
    removed: set[int] = set()
    added: list[Candidate] = []
    for c in _longest(patterns):
        run = owners.overlapping(c.start, c.end)
        clash = [k for k in run if id(k) not in removed]
        if not clash:
            added.append(c)
            continue
        if c.kind is EntityKind.EVENT and _only_states_and_head(c, clash):
            hidden.append(replace(c, hidden=True))  # "US-ROK Exercises": the states stay
            continue
        clash.sort(key=lambda k: k.start)
        c = _after_owner_acronym(c, clash)
        if c.start >= clash[-1].end:  # "JASDF Northern Air Defense Force": unit of JASDF
            added.append(c)
            continue
        same_span = any((k.start, k.end) == (c.start, c.end) for k in clash)
        inside = all(c.start <= k.start and k.end <= c.end for k in clash)
        if inside and not same_span and sum(k.kind is c.kind for k in clash) < 2:
            extra = (c.text[: clash[0].start - c.start] + c.text[clash[-1].end - c.start :]).split()
            k = clash[0]
            if len(clash) == 1 and k.kind is c.kind and k.key and all(w in DEMONYMS for w in extra):
                c = Candidate(
                    c.start, c.end, c.text, c.kind, k.key, "gazetteer", c.role, subtype=c.subtype
                )
            removed.update(id(k) for k in clash)
            added.append(c)
        elif same_span and len(clash) == 1:
            k = clash[0]
            if c.title and not k.title and k.kind is c.kind:  # keep the title a pattern saw
                role = Role.TITLED if k.role == Role.FAMILY else k.role
                removed.add(id(k))
                added.append(
                    Candidate(
                        k.start,
                        k.end,
                        k.text,
                        k.kind,
                        k.key,
                        k.source,
                        role,
                        k.candidates,
                        k.label,
                        k.subtype,
                        c.title,
                    )
                )
    kept = [k for k in kept if id(k) not in removed] + added
    # A newspaper cited as a source is an organization ("Asahi Shimbun", "The Daily Yomiuri").
    named = {(k.start, k.end) for k in kept if k.kind is EntityKind.ORGANIZATION}
    titles = [
        t for t in titles
        if (t.start, t.end) not in named
        and not (t.text.startswith(("The ", "the ")) and (t.start + 4, t.end) in named)
    ]  # fmt: skip
    return sorted(_longest(titles) + kept + _longest(hidden), key=lambda c: (c.start, c.end))


def _after_owner_acronym(c: Candidate, clash: list[Candidate]) -> Candidate:
    """A unit named after its parent's acronym starts after it ("JASDF | Northern Air ...")."""
    k = clash[0]
    rest = c.text[k.end - c.start :]
    if (
        len(clash) == 1
        and c.kind is EntityKind.ORGANIZATION
        and k.kind is EntityKind.ORGANIZATION
        and k.start == c.start
        and k.text.isupper()
        and rest.startswith(" ")
        and len(rest.split()) >= 2
    ):
        start = k.end + 1
        text = c.text[start - c.start :]
        return replace(c, start=start, text=text, key=name_key(c.kind, text), label=text)
    return c


def _only_states_and_head(event: Candidate, clash: list[Candidate]) -> bool:
    """Whether an event pattern is its head noun after state and place names only.

    "US-ROK Summit" is two state mentions and a common noun; "Japan-Philippines Foreign and
    Defense Ministerial Meeting" names a meeting, which holds no state mention.
    """
    if not any(k.kind in _NOT_SWALLOWED for k in clash):
        return False
    rest = list(event.text)
    for k in clash:
        rest[max(0, k.start - event.start) : k.end - event.start] = " " * (k.end - k.start)
    words = [w for w in _WORD_SPLIT.split("".join(rest)) if w and w not in _FUNCTION_WORDS]
    return len(words) <= 1


class _SpanIndex:
    """Non-overlapping candidates, found by the span they overlap (two binary searches)."""

    def __init__(self, spans: Iterable[Candidate]) -> None:
        # Sorted by start, spans that do not overlap have sorted ends too, and the spans one
        # range overlaps are a run of them. Empty spans overlap nothing.
        self._spans = sorted((c for c in spans if c.end > c.start), key=lambda c: c.start)
        self._starts = [c.start for c in self._spans]
        self._ends = [c.end for c in self._spans]

    def overlapping(self, start: int, end: int) -> list[Candidate]:
        """The spans that share a character with ``[start, end)``, in text order."""
        if end <= start:
            return []
        return self._spans[bisect_right(self._ends, start) : bisect_left(self._starts, end)]


def _longest(found: list[Candidate]) -> list[Candidate]:
    """Keep the longest of overlapping candidates (the more trusted source on ties)."""
    if not found:
        return []
    taken = bytearray(max(c.end for c in found))
    kept: list[Candidate] = []
    for c in sorted(found, key=lambda c: (c.start - c.end, SOURCE_RANK.get(c.source, 9), c.start)):
        if taken.find(1, c.start, c.end) >= 0:
            continue
        taken[c.start : c.end] = b"\x01" * c.length
        kept.append(c)
    return kept


def collect_candidates(
    doc: Document,
    gazetteer: Gazetteer,
    references: Iterable[Reference] = (),
    record: DocumentRecord | None = None,
) -> list[Candidate]:
    """Run every extractor over ``doc`` and return settled candidate mentions."""
    text = doc.text
    found: list[Candidate] = []
    kinds: dict[str, EntityKind] = {}
    for match in gazetteer.match(text):
        c = _from_gazetteer(text, match, gazetteer, kinds)
        if c is None:
            continue
        if _is_description(c, gazetteer):
            found += [replace(c, hidden=True), *_inside_description(text, c, gazetteer, kinds)]
            continue
        found.append(c)
    found += _dateline_places(text, gazetteer)
    found += [
        replace(c, hidden=True)
        if c.kind is EntityKind.EVENT and _is_description(c, gazetteer)
        else c
        for c in find_patterns(text)
    ]
    found += _acronym_uses(doc, found)
    cited = list(_reference_candidates(doc, references))
    found += cited + _translated_titles(text, cited)
    if record is not None:
        found += record.candidates
    mask = bytearray(len(text))
    for lo, hi in _furniture(doc):
        mask[lo:hi] = b"\x01" * (hi - lo)
    found = [
        c for c in found
        if mask.find(1, c.start, c.end) < 0
        and not (c.kind is EntityKind.EVENT and _HYPOTHETICAL.search(text[max(0, c.start - 12) : c.start]))  # noqa: E501
    ]  # fmt: skip
    settled = _name_suffixes(text, _settle(found))
    return _treaty_short_forms(text, _bare_base_names(text, settled, mask), mask)


# "Gilberto C. Teodoro, Jr.", "Ferdinand R. Marcos Jr.": the suffix belongs to the name.
_SUFFIX = re.compile(r"(?:,\s?|\s)(?:Jr|Sr)\.|\.")


def _name_suffixes(text: str, found: list[Candidate]) -> list[Candidate]:
    """Extend people's full names over a following "Jr."/"Sr." (or its period)."""
    out = []
    for c in found:
        m = _SUFFIX.match(text, c.end) if c.kind is EntityKind.PERSON and " " in c.text else None
        if m and (m.group(0) != "." or c.text.endswith((" Jr", " Sr"))):
            c = replace(c, end=m.end(), text=text[c.start : m.end()])
        out.append(c)
    return out


@dataclass(frozen=True, slots=True)
class ExtractedDocument:
    """What the extractors find in one document, before resolution."""

    document: Document
    candidates: tuple[Candidate, ...]
    references: tuple[Reference, ...]
    record: DocumentRecord


def extract_candidates(doc: Document, gazetteer: Gazetteer) -> ExtractedDocument:
    """Run every extractor over one document (resolution is the resolve layer's job).

    Args:
        doc: A loaded document (exact text, zones, notes, metadata).
        gazetteer: The loaded domain gazetteer (:func:`load_gazetteer`).

    Returns:
        Candidates (no FURNITURE, overlaps settled), references and the metadata record.
    """
    references = parse_document_references(doc)
    record = describe_document(doc, gazetteer)
    candidates = collect_candidates(doc, gazetteer, references, record)
    return ExtractedDocument(doc, tuple(candidates), references, record)
