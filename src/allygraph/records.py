"""Plain frozen values passed between the layers (corpus -> extract -> resolve -> model).

No rdflib objects here: RDF appears from :mod:`allygraph.model` onward. Offsets are
Python string indices (code points) into :attr:`Document.text`, half-open ``[start, end)``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

__all__ = [
    "Claim",
    "Document",
    "DocumentMeta",
    "Entity",
    "EntityKind",
    "Extraction",
    "Mention",
    "Note",
    "Reference",
    "Zone",
    "ZoneKind",
]


class EntityKind(StrEnum):
    """Kinds of extracted entity; the value is the IRI path segment (``/id/{kind}/...``)."""

    PERSON = "person"
    TREATY = "treaty"
    BASE = "base"
    ORGANIZATION = "organization"
    PUBLICATION = "publication"
    STATE = "state"
    PLACE = "place"
    EVENT = "event"


class ZoneKind(StrEnum):
    """Parts of a document: only BODY, TITLE and NOTES are content."""

    TITLE = "title"
    BODY = "body"
    NOTES = "notes"
    METADATA = "metadata"  # byline, citation block, copyright line: facts about the document
    FURNITURE = "furniture"  # prices, buttons, "Google Scholar": not content at all


@dataclass(frozen=True, slots=True)
class Zone:
    """A span of a document of one kind."""

    kind: ZoneKind
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Note:
    """A numbered endnote: its number and the span of its text (without the number)."""

    number: int
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class DocumentMeta:
    """Bibliographic metadata of a source document (sidecar ``.meta.json`` plus the page)."""

    title: str | None = None
    authors: tuple[str, ...] = ()
    date: str | None = None  # ISO 8601: YYYY, YYYY-MM or YYYY-MM-DD
    publisher: str | None = None
    container_title: str | None = None
    container_editors: tuple[str, ...] = ()
    container_publisher: str | None = None
    container_place: str | None = None
    doi: str | None = None
    url: str | None = None
    genre: str | None = None
    language: str | None = None
    rights: str | None = None


@dataclass(frozen=True, slots=True)
class Document:
    """A source document as loaded: exact text, metadata, zones and endnotes."""

    doc_id: str
    path: str
    text: str
    sha256: str
    meta: DocumentMeta = field(default_factory=DocumentMeta)
    zones: tuple[Zone, ...] = ()
    notes: tuple[Note, ...] = ()

    def zone_at(self, offset: int) -> ZoneKind:
        """Return the kind of zone that contains ``offset`` (BODY when no zone says otherwise)."""
        for zone in self.zones:
            if zone.start <= offset < zone.end:
                return zone.kind
        return ZoneKind.BODY


@dataclass(frozen=True, slots=True)
class Mention:
    """A span of a document that names an entity.

    ``key`` is the entity key ``"{kind}/{slug}"`` once resolved (or a provisional key before
    resolution); ``doc.text[start:end] == text`` always holds.
    """

    doc_id: str
    start: int
    end: int
    text: str
    kind: EntityKind
    key: str
    source: str = "gazetteer"  # gazetteer | pattern | citation | metadata | coreference


@dataclass(frozen=True, slots=True)
class Claim:
    """A relation the text supports, with the passage ``[start, end)`` that supports it.

    ``predicate`` is a local name of the allygraph ontology (``holdsPost``, ``cites``,
    ``locatedIn``, ...). ``obj`` is an entity key when ``obj_is_entity``, else a literal
    (ISO date, year, string). ``qualifiers`` add n-ary detail, e.g. ``(("post", "Prime
    Minister"), ("organization", "state/japan"), ("start", "2010"))``.
    """

    doc_id: str
    subject: str
    predicate: str
    obj: str
    obj_is_entity: bool
    start: int
    end: int
    qualifiers: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class Reference:
    """A parsed bibliographic reference (a work an endnote or reference list cites).

    ``key`` is the publication's entity key; a short form (``Funabashi, Alliance Adrift, p.
    91``) or ``Ibid.`` carries the key of the full reference it repeats, so both are one
    publication. ``kind`` is one of book, edited-volume, chapter, journal-article, report,
    dissertation, news-article, government-document, web-page.
    """

    doc_id: str
    key: str
    start: int
    end: int
    raw: str
    kind: str
    title: str | None = None
    authors: tuple[str, ...] = ()
    editors: tuple[str, ...] = ()
    translators: tuple[str, ...] = ()
    year: str | None = None
    date: str | None = None
    container_title: str | None = None
    container_key: str | None = None  # key of the container publication (edited volume, journal)
    series: str | None = None
    volume: str | None = None
    issue: str | None = None
    pages: str | None = None
    publisher: str | None = None
    place: str | None = None
    doi: str | None = None
    url: str | None = None
    note: int | None = None
    is_short_form: bool = False
    # (field, start, end) of parsed parts in the document: "author", "editor", "translator",
    # "title", "container", "publisher", "place" — so people and works get exact mentions.
    spans: tuple[tuple[str, int, int], ...] = ()


@dataclass(frozen=True, slots=True)
class Entity:
    """One real-world thing after resolution, with its canonical label and aliases.

    ``attributes`` carry facts that need no passage (from the gazetteer or the citation
    parser): ``(("birthYear", "1946"), ("country", "state/japan"))``.
    """

    key: str
    kind: EntityKind
    label: str
    aliases: tuple[str, ...] = ()
    subtype: str | None = None  # ontology class local name refining the kind, e.g. "Ministry"
    qid: str | None = None
    qid_source: str | None = None  # "gazetteer" or "lookup:<score>:<date>"
    description: str | None = None
    labels: tuple[tuple[str, str], ...] = ()  # (language, label), e.g. ("ja", "菅直人")
    attributes: tuple[tuple[str, str], ...] = ()

    @property
    def slug(self) -> str:
        """The slug part of the key (the IRI's last segment)."""
        return self.key.split("/", 1)[1]


@dataclass(frozen=True, slots=True)
class Extraction:
    """Everything extracted from one document, resolved: what the model layer turns into RDF."""

    document: Document
    entities: tuple[Entity, ...]
    mentions: tuple[Mention, ...]
    claims: tuple[Claim, ...]
    references: tuple[Reference, ...]
