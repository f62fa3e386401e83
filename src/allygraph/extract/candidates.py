"""Candidate mentions: what the extractors find before the resolver merges them into entities.

A :class:`Candidate` is a span of the document with a kind and, when the extractor already
knows it, the key of its entity. Short forms (a family name alone, "President Clinton",
"KDJ") carry ``candidates`` or a ``role`` the resolver uses to find the full entity.
"""

from __future__ import annotations

from dataclasses import dataclass

from allygraph.records import EntityKind

__all__ = ["SOURCE_RANK", "Candidate", "Role"]


class Role:
    """What part of a name a candidate span is (plain strings, kept open for new roles)."""

    NAME = "name"  # a full name: links on its own
    FAMILY = "family"  # a family name alone: resolved from context
    TITLED = "titled"  # title + name ("President Clinton"): the span is the name part
    ACRONYM = "acronym"  # an acronym defined in the document
    AMBIGUOUS = "ambiguous"  # several entities share the form; resolved from context or not


# Equal spans: the more trustworthy source wins.
SOURCE_RANK = {"metadata": 0, "gazetteer": 1, "citation": 2, "pattern": 3, "coreference": 4}


@dataclass(frozen=True, slots=True)
class Candidate:
    """A span that names an entity, before resolution.

    Attributes:
        start: Start offset in the document text.
        end: End offset (exclusive).
        text: ``doc.text[start:end]``.
        kind: The entity kind.
        key: The entity key when known (gazetteer, or a key derived from a full name).
        source: gazetteer | pattern | citation | metadata | coreference.
        role: One of :class:`Role`.
        candidates: Possible keys of an ambiguous or short form.
        label: Canonical label for a new entity (an acronym's expansion, a base's name).
        subtype: Ontology class refining the kind (Ministry, War, Newspaper, ...).
        title: A title or post written before a person's name ("Prime Minister").
        hidden: Read for entities and claims but not a mention of its own: a description
            ("US-ROK military exercises in the Yellow Sea") whose names are the mentions.
    """

    start: int
    end: int
    text: str
    kind: EntityKind
    key: str | None
    source: str = "pattern"
    role: str = Role.NAME
    candidates: tuple[str, ...] = ()
    label: str | None = None
    subtype: str | None = None
    title: str | None = None
    hidden: bool = False

    @property
    def length(self) -> int:
        """Length of the span."""
        return self.end - self.start
