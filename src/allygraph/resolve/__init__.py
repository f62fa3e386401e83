"""Merge candidate mentions into entities: one key per real-world thing (issue, section 4).

- gazetteer names keep the gazetteer key (``person/naoto-kan``); other names get the slug of
  their full name, so the same input gives the same keys in every build;
- a family name alone, a title + family name ("President Clinton") or initials ("Sakata,
  Y.") go to the one full name of the document they fit, else to the one gazetteer person
  plausible for the context (title, years of the note or paragraph, the document's date);
- acronyms share the key of their expansion; East Asian and Western order are one person;
- an ambiguous form that context does not settle stays unlinked: it becomes an entity of its
  own document with its ``candidate`` keys recorded (precision first).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field

from allygraph.extract.candidates import Candidate, Role
from allygraph.extract.document_meta import DocumentRecord
from allygraph.extract.gazetteer import FormStrength, Gazetteer, GazetteerEntry
from allygraph.extract.names import compatible, display_name, family_of, is_initials_form
from allygraph.extract.patterns import name_key
from allygraph.extract.pipeline import extract_candidates
from allygraph.extract.relations import find_claims
from allygraph.records import (
    Claim,
    Document,
    Entity,
    EntityKind,
    Extraction,
    Mention,
    Reference,
)
from allygraph.vocab import slugify

__all__ = ["extract_document", "resolve"]

_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
_SPACES = re.compile(r"[\s]+")
_TITLE_LEAD = re.compile(
    r"^(?:former|then|the|Japanese|U\.S\.|US|South Korean|North Korean)\s+", re.IGNORECASE
)
_CAPITAL_AFTER_HYPHEN = re.compile(r"-(?=[A-Z])")
_PREFIX_STATES = {
    "Sino": "China", "Soviet": "Soviet Union", "Russo": "Russia", "Japano": "Japan",
    "Anglo": "United Kingdom", "Franco": "France", "Indo": "India", "US": "United States",
    "U.S.": "United States", "ROK": "South Korea", "DPRK": "North Korea",
}  # fmt: skip


@dataclass(slots=True)
class _Person:
    key: str
    name: str
    family: str
    tokens: tuple[str, ...]


@dataclass(slots=True)
class _Bucket:
    kind: EntityKind
    label: str | None = None
    subtype: str | None = None
    names: dict[str, None] = field(default_factory=dict)  # in first-seen order, no repeats
    candidates: tuple[str, ...] = ()


class _Context:
    """Years around an offset: those of its endnote or paragraph, and the document's."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.doc_year = int(doc.meta.date[:4]) if doc.meta.date else None
        self.blocks = [(n.start, n.end) for n in doc.notes]

    def years(self, offset: int) -> set[int]:
        text = self.doc.text
        for lo, hi in self.blocks:
            if lo <= offset < hi:
                return {int(y) for y in _YEAR.findall(text, lo, hi)}
        lo = text.rfind("\n\n", 0, offset) + 1
        hi = text.find("\n\n", offset)
        return {int(y) for y in _YEAR.findall(text, lo, len(text) if hi < 0 else hi)}


def _fits_years(entry: GazetteerEntry, years: set[int]) -> bool:
    active = entry.years()
    return active is not None and any(active[0] - 1 <= y <= active[1] + 1 for y in years)


def _fits_title(entry: GazetteerEntry, title: str | None) -> bool:
    if not title:
        return True
    core = _TITLE_LEAD.sub("", title.strip()).split()
    head = core[-1].rstrip(".").lower() if core else ""
    return any(head in post.post.lower() for post in entry.posts)


class _Resolver:
    def __init__(self, doc: Document, gazetteer: Gazetteer) -> None:
        self.doc = doc
        self.gaz = gazetteer
        self.context = _Context(doc)
        self.people: list[_Person] = []
        self.linked: set[str] = set()
        self.buckets: dict[str, _Bucket] = {}
        self.unresolved_suffix = slugify(doc.doc_id)

    # -- people of the document ---------------------------------------------------------

    def note_people(self, candidates: Sequence[Candidate]) -> None:
        seen: dict[str, _Person] = {}
        for c in candidates:
            if c.kind is not EntityKind.PERSON or c.key is None:
                continue
            if c.role not in (Role.NAME, Role.TITLED) or c.source == "coreference":
                continue
            name = display_name(c.text)
            if " " not in name or is_initials_form(name):
                continue
            key = self.gazetteer_key(c) or c.key
            entry = self.gaz.entry(key)
            family = entry.family if entry and entry.family else family_of(name)
            tokens = tuple(t.casefold() for t in _SPACES.split(name))
            seen.setdefault(key, _Person(key, name, family, tokens))
        # East Asian and Western order of one name: "Yokota Megumi" = "Megumi Yokota".
        by_tokens: dict[frozenset[str], str] = {}
        self.alias_key: dict[str, str] = {}
        for person in seen.values():
            bag = frozenset(person.tokens)
            if bag in by_tokens and by_tokens[bag] != person.key:
                first = by_tokens[bag]
                keep = first if not self.gaz.entry(person.key) else person.key
                drop = person.key if keep == first else first
                self.alias_key[drop] = keep
            else:
                by_tokens[bag] = person.key
        self.people = [p for p in seen.values() if p.key not in self.alias_key]

    def gazetteer_key(self, c: Candidate) -> str | None:
        if c.key and c.key in self.gaz.entries:
            return c.key
        for text in (c.text, display_name(c.text), c.label):
            if not text:
                continue
            form = self.gaz.lookup(text)
            if form and form.strength is FormStrength.PRIMARY:
                entry = self.gaz.entries[form.keys[0]]
                if entry.kind is c.kind:
                    return entry.key
        return None

    # -- one candidate ------------------------------------------------------------------

    def key_of(self, c: Candidate) -> tuple[str | None, tuple[str, ...]]:
        """Final key of a candidate and, when it stays unlinked, its candidate keys."""
        if c.kind is EntityKind.PERSON:
            return self.person_key(c)
        if c.role == Role.AMBIGUOUS:
            # "Korea" typed place is the peninsula, not one of the states.
            same = [k for k in c.candidates if (e := self.gaz.entry(k)) and e.kind is c.kind]
            key, options = self.pick(c, same or c.candidates)
            if key is None and (
                (same and len(same) < len(c.candidates)) or c.kind is EntityKind.PLACE
            ):
                # A place not named fully in the document ("Korea", "Washington" standing for
                # the government): a mention of a place of its own, not linked.
                name = slugify(display_name(c.text))
                return f"{c.kind.value}/{name}-in-{self.unresolved_suffix}", tuple(same)
            return key, options
        found = self.gazetteer_key(c)
        if found:
            return found, ()
        if c.kind is EntityKind.TREATY:
            treaty = self.treaty_by_parties(c)
            if treaty:
                return treaty, ()
        return c.key, ()

    def person_key(self, c: Candidate) -> tuple[str | None, tuple[str, ...]]:
        name = display_name(c.text)
        single = " " not in name
        if c.key and c.key in self.gaz.entries and c.role == Role.NAME:
            return self.alias_key.get(c.key, c.key), ()
        if c.role == Role.AMBIGUOUS and not single:
            return self.pick(c, c.candidates)
        if single or c.role == Role.FAMILY:
            return self.family_key(c, name)
        found = self.gazetteer_key(c)
        if found:
            return self.alias_key.get(found, found), ()
        if is_initials_form(name):
            matches = [p.key for p in self.people if compatible(name, p.name)]
            if len(set(matches)) == 1:
                return matches[0], ()
            fits = [
                e.key
                for e in self.gaz.by_family(family_of(name))
                if e.given and compatible(name, f"{e.given} {e.family}")
            ]
            if len(fits) == 1:
                return fits[0], ()
        key = c.key or name_key(EntityKind.PERSON, name)
        return self.alias_key.get(key, key), ()

    def family_key(self, c: Candidate, name: str) -> tuple[str | None, tuple[str, ...]]:
        family = name.casefold()
        in_doc = {
            p.key
            for p in self.people
            if p.family.casefold() == family or (p.tokens and p.tokens[0] == family)
        }
        if len(in_doc) == 1:
            return in_doc.pop(), ()
        options = list(c.candidates) or [e.key for e in self.gaz.by_family(name)]
        if in_doc:
            options = [k for k in options if k in in_doc] or sorted(in_doc)
        return self.pick(c, tuple(options))

    def pick(
        self, c: Candidate, options: tuple[str, ...] | list[str]
    ) -> tuple[str | None, tuple[str, ...]]:
        """Choose among candidate keys from context, or leave the mention unlinked."""
        options = tuple(dict.fromkeys(options))
        if len(options) == 1 and c.role not in (Role.FAMILY, Role.TITLED, Role.AMBIGUOUS):
            return options[0], ()
        if len(options) == 1 and c.role == Role.AMBIGUOUS and c.kind is not EntityKind.PERSON:
            # A form that must not link alone: only when the document names the entity fully.
            return (options[0], ()) if options[0] in self.linked else (None, ())
        entries = [e for k in options if (e := self.gaz.entry(k))]
        entries = [e for e in entries if _fits_title(e, c.title)]
        linked = [e for e in entries if e.key in self.linked]
        if len(linked) == 1:
            return linked[0].key, ()
        years = self.context.years(c.start)
        if years:
            dated = [e for e in entries if _fits_years(e, years)]
            if len(dated) == 1:
                return dated[0].key, ()
        if c.title and self.context.doc_year and entries:
            # A title names someone who held the post by the document's date.
            held = [
                e for e in entries if (a := e.years()) is not None and a[0] <= self.context.doc_year
            ]
            if len(held) == 1 and len(entries) == 1:
                return held[0].key, ()
        if len(entries) == 1 and c.role == Role.TITLED and c.title:
            return entries[0].key, ()
        if c.kind is EntityKind.PERSON and not c.title and " " not in c.text.strip():
            return None, ()  # a bare family name nothing settles: not even sure it is a person
        unresolved = f"{c.kind.value}/{slugify(display_name(c.text))}-in-{self.unresolved_suffix}"
        return unresolved, options

    def treaty_by_parties(self, c: Candidate) -> str | None:
        """A treaty named by its parties and year ("Sino-North Korea ... Treaty of 1961")."""
        label = c.label or c.text
        years = set(_YEAR.findall(label)) or {str(y) for y in self.context.years(c.start)}
        head = label.split(" Treaty")[0]
        parts = _CAPITAL_AFTER_HYPHEN.split(head.split()[0]) if head else []
        parties: set[str] = set()
        pieces = [*parts[:-1], " ".join([parts[-1], *head.split()[1:]]) if parts else ""]
        for piece in pieces:
            words = piece.split()
            for n in range(len(words), 0, -1):
                name = _PREFIX_STATES.get(" ".join(words[:n]), " ".join(words[:n]))
                form = self.gaz.lookup(name)
                if form and form.keys[0].startswith("state/"):
                    parties.add(form.keys[0])
                    break
        if len(parties) < 2:
            return None
        fits = [
            e.key
            for e in self.gaz.entries.values()
            if e.kind is EntityKind.TREATY
            and parties <= set(e.parties)
            and e.date
            and e.date[:4] in years
        ]
        return fits[0] if len(fits) == 1 else None

    # -- entities -----------------------------------------------------------------------

    def add(self, key: str, c: Candidate, options: tuple[str, ...]) -> None:
        bucket = self.buckets.setdefault(key, _Bucket(c.kind))
        name = display_name(c.text) if c.kind is EntityKind.PERSON else " ".join(c.text.split())
        bucket.names[name] = None
        if c.kind is EntityKind.PERSON and c.text != name:
            bucket.names[" ".join(c.text.split())] = None
        if c.label and (bucket.label is None or c.role == Role.NAME):
            bucket.label = bucket.label or c.label
        bucket.subtype = bucket.subtype or c.subtype
        if options:
            bucket.candidates = options

    def entity(self, key: str, bucket: _Bucket) -> Entity:
        entry = self.gaz.entry(key)
        if entry is not None:
            aliases = sorted({n for n in bucket.names if n != entry.label} | set(entry.aliases))
            return Entity(
                key=key,
                kind=entry.kind,
                label=entry.label,
                aliases=tuple(aliases),
                subtype=entry.subtype,
                qid=entry.qid,
                qid_source="gazetteer" if entry.qid else None,
                description=entry.description,
                labels=entry.labels,
                attributes=entry.attributes(),
            )
        names = [n for n in bucket.names if n]
        label = bucket.label or max(names, key=lambda n: (len(n.split()), len(n)), default=key)
        if bucket.kind is EntityKind.PERSON:
            full = [n for n in names if " " in n and not is_initials_form(n)]
            label = full[0] if full else label
        others = tuple(sorted({n for n in names if n != label}))
        attributes = tuple(("candidate", k) for k in bucket.candidates)
        return Entity(key, bucket.kind, label, others, bucket.subtype, attributes=attributes)


def resolve(
    doc: Document,
    mentions: Sequence[Candidate],
    references: Sequence[Reference],
    gazetteer: Gazetteer,
    *,
    record: DocumentRecord | None = None,
) -> Extraction:
    """Merge the candidates of one document into entities and find the claims the text makes.

    Args:
        doc: The document.
        mentions: Candidate mentions, overlaps already settled (see
            :func:`allygraph.extract.pipeline.collect_candidates`).
        references: Parsed references (their publications become entities).
        gazetteer: The domain gazetteer.
        record: What the metadata says about the document (container, publisher).

    Returns:
        The resolved extraction: entities, mentions with final keys, claims, references.
    """
    resolver = _Resolver(doc, gazetteer)
    resolver.note_people(mentions)
    # First the names that link on their own, so that short forms can prefer them.
    ordered = sorted(mentions, key=lambda c: (c.role in (Role.FAMILY, Role.AMBIGUOUS), c.start))
    keyed: list[tuple[Candidate, str]] = []
    for c in ordered:
        key, options = resolver.key_of(c)
        if key is None:
            continue
        if not options:
            resolver.linked.add(key)
        resolver.add(key, c, options)
        keyed.append((c, key))
    out_mentions = sorted(
        (Mention(doc.doc_id, c.start, c.end, c.text, c.kind, key, c.source) for c, key in keyed),
        key=lambda m: (m.start, m.end),
    )
    hidden = {(c.start, c.end, c.kind) for c, _ in keyed if c.hidden}
    if record is not None:
        _add_record(resolver, record)
    _add_references(resolver, references)
    entities = {key: resolver.entity(key, b) for key, b in resolver.buckets.items()}
    if record is not None and record.container_key in entities:
        _container(entities, record)
    claims: list[Claim] = list(record.claims) if record else []
    claims += find_claims(doc, out_mentions, entities, gazetteer)
    claims += _reference_claims(doc, references, resolver)
    claims = [c for c in claims if c.subject in entities or c.subject.startswith("document/")]
    return Extraction(
        document=doc,
        entities=tuple(sorted(entities.values(), key=lambda e: e.key)),
        mentions=tuple(
            _outermost([m for m in out_mentions if (m.start, m.end, m.kind) not in hidden])
        ),
        claims=tuple(dict.fromkeys(claims)),
        references=tuple(references),
    )


def _outermost(mentions: Sequence[Mention]) -> list[Mention]:
    """Drop mentions inside a longer publication mention (the title is one mention).

    Names inside a title ("Japan" in "Korea and the Japan-U.S. Alliance") still count for
    the claims, which are read before; only the mention list follows the maximal-span rule.
    """
    titles = sorted(
        (m.start, m.end) for m in mentions if m.kind is EntityKind.PUBLICATION and m.end > m.start
    )
    if not titles:
        return list(mentions)
    starts = [t[0] for t in titles]
    reach: list[int] = []  # the furthest end of the titles starting at or before each one
    for _, end in titles:
        reach.append(max(end, reach[-1]) if reach else end)
    out = []
    for m in mentions:
        i = bisect_right(starts, m.start) - 1
        inside = False
        while i >= 0 and reach[i] >= m.end:
            t_start, t_end = titles[i]
            if t_start <= m.start and m.end <= t_end and (t_start, t_end) != (m.start, m.end):
                inside = True
                break
            i -= 1
        if not inside:
            out.append(m)
    return out


def _add_record(resolver: _Resolver, record: DocumentRecord) -> None:
    for key, (kind, label, subtype) in record.named.items():
        bucket = resolver.buckets.setdefault(key, _Bucket(kind))
        bucket.names[label] = None
        bucket.label = bucket.label or label
        bucket.subtype = bucket.subtype or subtype
    if record.container_key and record.container_label:
        bucket = resolver.buckets.setdefault(record.container_key, _Bucket(EntityKind.PUBLICATION))
        bucket.label = record.container_label
        bucket.subtype = record.container_subtype


def _container(entities: dict[str, Entity], record: DocumentRecord) -> None:
    assert record.container_key is not None
    old = entities[record.container_key]
    entities[record.container_key] = Entity(
        old.key, old.kind, old.label, old.aliases, old.subtype,
        attributes=tuple(record.container_attributes),
    )  # fmt: skip


_REF_SUBTYPES = {
    "book": "Book", "edited-volume": "EditedVolume", "chapter": "Chapter",
    "journal-article": "JournalArticle", "report": "Report", "dissertation": "Dissertation",
    "news-article": "NewsArticle", "government-document": "GovernmentDocument",
    "web-page": "WebPage",
}  # fmt: skip


def _person_key(resolver: _Resolver, name: str) -> str:
    c = Candidate(0, 0, name, EntityKind.PERSON, name_key(EntityKind.PERSON, display_name(name)))
    key, _ = resolver.person_key(c)
    return key or c.key or name_key(EntityKind.PERSON, name)


def _add_references(resolver: _Resolver, references: Sequence[Reference]) -> None:
    """People named in references become person entities, under their display names too."""
    for ref in references:
        for name in (*ref.authors, *ref.editors, *ref.translators):
            key = _person_key(resolver, name)
            bucket = resolver.buckets.setdefault(key, _Bucket(EntityKind.PERSON))
            bucket.names[display_name(name)] = None
            bucket.names[name] = None


def _reference_claims(
    doc: Document, references: Sequence[Reference], resolver: _Resolver
) -> list[Claim]:
    claims: list[Claim] = []
    for ref in references:
        if ref.is_short_form:
            continue
        for role, names in (
            ("author", ref.authors),
            ("editor", ref.editors),
            ("translator", ref.translators),
        ):
            subject = ref.container_key if role == "editor" and ref.container_key else ref.key
            if role == "editor" and ref.kind != "chapter":
                subject = ref.key
            for name in names:
                key = _person_key(resolver, name)
                claims.append(Claim(doc.doc_id, subject, role, key, True, ref.start, ref.end))
        if ref.key not in resolver.buckets:
            bucket = resolver.buckets.setdefault(ref.key, _Bucket(EntityKind.PUBLICATION))
            bucket.label = ref.title or " ".join(ref.raw.split())[:200]
            bucket.subtype = _REF_SUBTYPES.get(ref.kind)
    return claims


def extract_document(doc: Document, gazetteer: Gazetteer) -> Extraction:
    """Extract and resolve one document: entities, mentions, claims and references.

    Args:
        doc: A loaded document (exact text, zones, notes, metadata).
        gazetteer: The loaded domain gazetteer (``allygraph.extract.load_gazetteer``).

    Returns:
        The resolved :class:`Extraction`; every mention satisfies
        ``doc.text[m.start:m.end] == m.text`` and none lies in a FURNITURE zone.
    """
    found = extract_candidates(doc, gazetteer)
    return resolve(doc, found.candidates, found.references, gazetteer, record=found.record)
