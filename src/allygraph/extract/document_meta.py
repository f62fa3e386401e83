"""What the page says about the document itself: authors, editors, publisher, container.

Byline, citation block, editor list and copyright line are metadata of the document (issue,
section 3). The facts come from ``doc.meta``; mentions come from the METADATA zones wherever
the page writes a name ("Articles by: Feng Zhaokui", "Sakata, Y. (2011)", "© 2011 Takashi
Inoguchi, ..."). FURNITURE is never read. The document node itself (title, authors,
publisher, date, DOI) is modelled from ``doc.meta`` by the model layer under
``{base}id/document/{doc_id}``; this module adds the entities those names stand for.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from allygraph.extract.candidates import Candidate
from allygraph.extract.gazetteer import FormStrength, Gazetteer
from allygraph.extract.patterns import name_key
from allygraph.records import Claim, Document, EntityKind, ZoneKind
from allygraph.vocab import slugify

__all__ = ["DocumentRecord", "container_key", "describe_document", "name_variants"]


@dataclass(slots=True)
class DocumentRecord:
    """The container of the document and the names its metadata zones write."""

    container_key: str | None = None
    container_label: str | None = None
    container_subtype: str | None = None
    container_attributes: list[tuple[str, str]] = field(default_factory=list)
    # key -> (kind, label, subtype) of the people and publishers the metadata names
    named: dict[str, tuple[EntityKind, str, str | None]] = field(default_factory=dict)
    candidates: list[Candidate] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)


def container_key(title: str) -> str:
    """Key of the container of the document, as the model layer mints it.

    >>> container_key("The U.S.-Japan Security Alliance")
    'publication/the-u-s-japan-security-alliance'
    """
    return "publication/" + slugify(title)


def _key(gazetteer: Gazetteer, kind: EntityKind, name: str) -> str:
    form = gazetteer.lookup(name)
    if form and form.strength is FormStrength.PRIMARY:
        entry = gazetteer.entry(form.keys[0])
        if entry and entry.kind is kind:
            return entry.key
    return name_key(kind, name)


def name_variants(name: str) -> list[str]:
    """Ways a page writes a person's name: "Yasuyo Sakata", "Sakata, Y.", "Ikenberry, G.J.".

    >>> name_variants("G. John Ikenberry")
    ['G. John Ikenberry', 'Ikenberry, G.J.', 'Ikenberry, G. J.']
    """
    out = [name]
    parts = name.split()
    if len(parts) >= 2:
        family, given = parts[-1], parts[:-1]
        out += [
            f"{family}, {''.join(p[0] + '.' for p in given)}",
            f"{family}, {' '.join(p[0] + '.' for p in given)}",
        ]
    return list(dict.fromkeys(out))


def _zone_spans(doc: Document, kinds: set[ZoneKind]) -> list[tuple[int, int]]:
    return [(z.start, z.end) for z in doc.zones if z.kind in kinds]


def _find(doc: Document, spans: list[tuple[int, int]], text: str) -> Iterator[tuple[int, int]]:
    """Occurrences of ``text`` inside the spans with no word character on either side.

    What a regex with a negative look-behind and look-ahead for a word character finds in each
    span, but found with ``str.find``.
    """
    if not text:
        pattern = re.compile(r"(?<!\w)(?!\w)")
        for lo, hi in spans:
            for match in pattern.finditer(doc.text, lo, hi):
                yield match.start(), match.end()
        return
    full, size = doc.text, len(text)
    for lo, hi in spans:
        at = full.find(text, lo, hi)
        while at >= 0:
            end = at + size
            if (at > 0 and _is_word(full[at - 1])) or (end < hi and _is_word(full[end])):
                at = full.find(text, at + 1, hi)
                continue
            yield at, end
            at = full.find(text, end, hi)


def _is_word(char: str) -> bool:
    return char.isalnum() or char == "_"


def _line(doc: Document, start: int, end: int) -> tuple[int, int]:
    lo = doc.text.rfind("\n", 0, start) + 1
    hi = doc.text.find("\n", end)
    return lo, (len(doc.text) if hi < 0 else hi)


_PARENTHESIZED = re.compile(r"\s*(.+?)\s*\((.+)\)\s*")


def _publisher_names(publisher: str) -> list[str]:
    """Name and parenthesized full name of one publisher ("Global Research (Centre ...)")."""
    match = _PARENTHESIZED.fullmatch(publisher)
    return [match.group(1), match.group(2)] if match else [publisher.strip()]


def describe_document(doc: Document, gazetteer: Gazetteer) -> DocumentRecord:
    """Find the names ``doc.meta`` gives in the page's METADATA zones.

    Args:
        doc: The loaded document.
        gazetteer: Used to give known people and publishers their gazetteer keys.

    Returns:
        The record; its ``candidates`` lie in METADATA (and, for the container, TITLE) zones.
    """
    meta = doc.meta
    record = DocumentRecord()
    spans = _zone_spans(doc, {ZoneKind.METADATA})

    def name(kind: EntityKind, text: str, role: str, of: str | None, subtype: str | None) -> str:
        key = _key(gazetteer, kind, text)
        record.named.setdefault(key, (kind, text, subtype))
        _mentions(doc, record, spans, text, kind, key, of, role)
        return key

    for author in meta.authors:
        name(EntityKind.PERSON, author, "author", None, None)
    if meta.publisher:
        names = _publisher_names(meta.publisher)
        key = name(EntityKind.ORGANIZATION, names[0], "publisher", None, "Publisher")
        for other in names[1:]:
            _mentions(doc, record, spans, other, EntityKind.ORGANIZATION, key, None, "")
    if meta.title and (meta.authors or meta.publisher or meta.genre):
        # The title line of a published work (a sidecar that describes it, not a title taken
        # from the first line) names the work (guidelines, rule 9): one mention, keyed like a
        # citation of the work, so other documents citing it meet the same key.
        tkey = container_key(meta.title)
        subtype = "Chapter" if "chapter" in (meta.genre or "").lower() else None
        record.named.setdefault(tkey, (EntityKind.PUBLICATION, meta.title, subtype))
        for lo, hi in _find(doc, _zone_spans(doc, {ZoneKind.TITLE, ZoneKind.METADATA}), meta.title):
            record.candidates.append(
                Candidate(lo, hi, doc.text[lo:hi], EntityKind.PUBLICATION, tkey, "metadata")
            )
    if meta.container_title:
        container = meta.container_title
        record.container_key = ckey = container_key(container)
        record.container_label = container
        if "chapter" in (meta.genre or "").lower():
            record.container_subtype = "EditedVolume"
        for editor in meta.container_editors:
            key = name(EntityKind.PERSON, editor, "editor", ckey, None)
            record.container_attributes.append(("editor", key))
        if meta.container_publisher:
            publisher = meta.container_publisher
            key = name(EntityKind.ORGANIZATION, publisher, "publisher", ckey, "Publisher")
            record.container_attributes.append(("publisher", key))
        if meta.container_place:
            record.container_attributes.append(("placeOfPublication", meta.container_place))
        title_spans = _zone_spans(doc, {ZoneKind.TITLE, ZoneKind.METADATA})
        for lo, hi in _find(doc, title_spans, container):
            record.candidates.append(
                Candidate(lo, hi, doc.text[lo:hi], EntityKind.PUBLICATION, ckey, "metadata")
            )
    return record


def _mentions(
    doc: Document,
    record: DocumentRecord,
    spans: list[tuple[int, int]],
    name: str,
    kind: EntityKind,
    key: str,
    subject: str | None,
    role: str,
) -> None:
    claimed = False
    variants = name_variants(name) if kind is EntityKind.PERSON else [name]
    for variant in variants:
        for lo, hi in _find(doc, spans, variant):
            record.candidates.append(
                Candidate(lo, hi, doc.text[lo:hi], kind, key, "metadata", label=name)
            )
            if subject and role and not claimed:
                s, e = _line(doc, lo, hi)
                record.claims.append(Claim(doc.doc_id, subject, role, key, True, s, e))
                claimed = True
