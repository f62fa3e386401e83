"""Split a document into zones (body, notes, metadata, furniture) and find its endnotes.

Web pages saved as text carry page furniture (prices, buttons, "Google Scholar" links) and
blocks about the document itself (byline, citation block, copyright). Both are recognised by
general line patterns of publisher and news sites, never by document: a line is furniture
when it matches :data:`_FURNITURE`, metadata when it matches :data:`_METADATA` or follows a
metadata heading, and notes run from a "Notes"/"References" heading over numbered items.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from allygraph.records import Note, Zone, ZoneKind

__all__ = ["find_notes", "split_zones"]

_PRICE = r"(?:USD|EUR|GBP|JPY|US\$|\$|€|£|¥)\s?\d[\d,]*(?:\.\d\d)?"
# Whole lines that are page furniture (buttons, shop blocks, navigation, link labels).
_FURNITURE = re.compile(
    r"""^\s*(?:[•·▪◦*-]\s*)?(?:
        skip\ to\ (?:main\ )?content | region: | (?:article\s+)?google\ scholar
      | (?:article\s+)?(?:cas|pubmed|crossref)(?:\s+google\ scholar)?
      | download\ (?:references|citation|preview\ pdf|pdf|epub)\.?
      | unable\ to\ display\ preview.* | preview | access\ this\ (?:chapter|article|book)
      | chapter | ebook | softcover\ book | hardcover\ book | book | article
      | """
    + _PRICE
    + r"""
      | price\ (?:excludes|includes)\ vat.* | tax\ calculation\ will\ be\ finali[sz]ed.*
      | purchases\ are\ for\ personal\ use\ only | institutional\ subscriptions
      | available\ as\ (?:pdf|epub|epub\ and\ pdf) | read\ on\ any\ device | instant\ download
      | own\ it\ forever | compact,\ lightweight\ edition | durable\ hardcover\ edition
      | dispatched\ in\ .* | free\ shipping\ worldwide.* | buy\ (?:chapter|ebook|article|book).*
      | this\ is\ a\ preview\ of\ subscription\ content.* | publish\ with\ us
      | policies\ and\ ethics | share\ this\ article | share | print | email | tweet
      | subscribe.* | sign\ up.* | log\ ?in | search | menu | home | related\ articles?
      | accessibility | cookies?(?:\ settings)? | privacy\ policy
      | terms\ (?:of\ use|and\ conditions)
      | for\ media\ inquiries.* | \[email\ protected\] | advertisement | comments?
      | notes | references | endnotes | footnotes | bibliography | authors?
      | rights\ and\ permissions
      | reprints\ and\ permissions | about\ this\ (?:chapter|article|book)
      | copyright\ information | editor\ information | author\ information | affiliations
    )\s*$""",
    re.IGNORECASE | re.VERBOSE,
)
# Lines that state facts about the document itself (byline, citation block, copyright).
_METADATA = re.compile(
    r"""^\s*(?:
        articles?\ by:.* | by\ [A-Z][^.!?]{2,80} | ©.* | \(c\)\s*\d{4}.* | copyright\ .*
      | cite\ this\ (?:chapter|article|book).* | published:?\s.* | first\ published.*
      | doi:?\s*10\.\d{4,9}/\S+ | https?://doi\.org/10\.\S+ | disclaimer:.*
      | .*\bcontains\ copyrighted\ material\b.*
    )\s*$""",
    re.IGNORECASE | re.VERBOSE,
)
# Headings after which the next lines describe the document (names of editors, citation).
_METADATA_HEADING = re.compile(
    r"^\s*(?:authors?|editor information|author information|copyright information|"
    r"cite this (?:chapter|article|book)|about this (?:chapter|article|book))\s*$",
    re.IGNORECASE,
)
_NOTES_HEADING = re.compile(
    r"^\s*(?:notes|endnotes|footnotes|references|bibliography|works cited)\s*:?\s*$",
    re.IGNORECASE,
)
_ABSTRACT_HEADING = re.compile(r"^\s*(?:abstract|summary)\s*:?\s*$", re.IGNORECASE)
_NOTE_ITEM = re.compile(r"^\s*(?:\[(\d{1,3})\]|(\d{1,3})[.)]|(\d{1,3})(?=\s+[A-Z“\"]))\s+(?=\S)")
# A navigation or share bar: four or more short items between bars ("Home | Analysis | ...",
# "Share this: Facebook | X | LinkedIn | Email", "Privacy Policy | Terms of Use | Contact").
_BAR_ITEM = re.compile(r"[^|.!?]{1,40}")
# A cookie or consent notice.
_CONSENT = re.compile(r"\bcookies?\b.*\b(?:consent|accept|manage|preferences|agree)", re.I)
# Headings after which the lines up to the next blank line are links to other pages.
_LINK_LIST_HEADING = re.compile(
    r"^\s*(?:related\s+(?:articles?|posts?|stories|content|reading)|read\s+more|more\s+from\b.*"
    r"|recommended(?:\s+for\s+you)?|you\s+may\s+also\s+like|most\s+(?:read|popular)"
    r"|popular\s+(?:posts|articles)|trending|latest\s+(?:news|articles|posts))\s*:?\s*$",
    re.IGNORECASE,
)
_EMAIL_LINE = re.compile(r"^\s*(?:e-?mail:?\s*)?\S+@\S+\s*$|\[email\s+protected\]", re.I)


def _lines(text: str) -> Iterator[tuple[int, int, str]]:
    """Yield ``(start, end, line)`` for each line of ``text`` (end excludes the newline)."""
    pos = 0
    for raw in text.splitlines(keepends=True):
        line = raw.rstrip("\r\n")
        yield pos, pos + len(line), line
        pos += len(raw)


def _is_bar(line: str) -> bool:
    """Whether a line is a navigation or share bar (not a byline: "By X | Updated ...")."""
    items = line.split("|")
    return (
        len(items) >= 4
        and not line.lower().startswith("by ")
        and all(_BAR_ITEM.fullmatch(item.strip()) for item in items if item.strip())
    )


def _classify(line: str, in_metadata_block: bool) -> ZoneKind | None:
    stripped = line.strip()
    if not stripped:
        return None
    if _FURNITURE.match(stripped) or (_EMAIL_LINE.search(stripped) and len(stripped) < 60):
        return ZoneKind.FURNITURE
    if _is_bar(stripped) or _CONSENT.search(stripped):
        return ZoneKind.FURNITURE
    if _METADATA.match(stripped):
        return ZoneKind.METADATA
    if in_metadata_block:
        return ZoneKind.METADATA
    return None


def split_zones(text: str) -> tuple[tuple[Zone, ...], tuple[Note, ...]]:
    r"""Return the zones of ``text`` and its numbered endnotes.

    The first non-empty line is the TITLE. Lines are then BODY unless they are furniture or
    metadata; a notes heading opens a NOTES zone that runs over numbered items and their
    continuation lines until a furniture/metadata heading closes it.

    >>> zones, notes = split_zones("Title\n\nBody text.\n\nNotes\n\n  1. A. Author, Book.")
    >>> [z.kind.value for z in zones]
    ['title', 'body', 'furniture', 'notes']
    >>> [n.number for n in notes]
    [1]
    """
    kinds: list[tuple[int, int, ZoneKind]] = []
    notes: list[Note] = []
    seen_title = False
    in_notes = False
    in_metadata_block = False
    open_note: tuple[int, int] | None = None  # (number, start)
    last_note_end = 0

    def close_note() -> None:
        nonlocal open_note
        if open_note is not None:
            notes.append(Note(open_note[0], open_note[1], last_note_end))
            open_note = None

    in_links = False  # after a "Related articles" heading, until a blank line
    for start, end, line in _lines(text):
        stripped = line.strip()
        if not stripped:
            in_links = False
            continue
        if in_links or (seen_title and _LINK_LIST_HEADING.match(stripped)):
            in_links = True
            kinds.append((start, end, ZoneKind.FURNITURE))
            continue
        if not seen_title and _classify(stripped, False) is not ZoneKind.FURNITURE:
            seen_title = True
            kinds.append((start, end, ZoneKind.TITLE))
            continue
        if _ABSTRACT_HEADING.match(stripped) and all(
            e - s < 120 for s, e, k in kinds if k is ZoneKind.BODY
        ):
            # Lines between the title and an "Abstract" heading are the page header: the
            # container, series or journal of the document, not running text.
            kinds[:] = [(s, e, ZoneKind.METADATA if k is ZoneKind.BODY else k) for s, e, k in kinds]
            kinds.append((start, end, ZoneKind.FURNITURE))
            continue
        if _NOTES_HEADING.match(stripped):
            close_note()
            in_notes, in_metadata_block = True, False
            kinds.append((start, end, ZoneKind.FURNITURE))
            continue
        if _METADATA_HEADING.match(stripped):
            close_note()
            in_notes, in_metadata_block = False, True
            kinds.append((start, end, ZoneKind.FURNITURE))
            continue
        if in_notes:
            item = _NOTE_ITEM.match(line)
            if item:
                close_note()
                number = int(item.group(1) or item.group(2) or item.group(3))
                open_note = (number, start + item.end())
                last_note_end = end
                kinds.append((start + item.end(), end, ZoneKind.NOTES))
                if item.end() > 0:
                    kinds.append((start, start + item.end(), ZoneKind.FURNITURE))
                continue
            kind = _classify(line, False)
            if kind is ZoneKind.FURNITURE or kind is ZoneKind.METADATA:
                kinds.append((start, end, kind))
                continue
            if open_note is not None:  # continuation line of the open note
                last_note_end = end
                kinds.append((start, end, ZoneKind.NOTES))
                continue
            in_notes = False
        kind = _classify(line, in_metadata_block)
        kinds.append((start, end, kind or ZoneKind.BODY))
    close_note()
    return _merge(kinds, len(text)), tuple(notes)


def find_notes(text: str) -> tuple[Note, ...]:
    """Return only the numbered endnotes of ``text``."""
    return split_zones(text)[1]


def _merge(kinds: list[tuple[int, int, ZoneKind]], length: int) -> tuple[Zone, ...]:
    """Merge line spans into maximal zones; the gaps between lines join the zone before them."""
    kinds.sort(key=lambda k: k[0])
    zones: list[Zone] = []
    for start, end, kind in kinds:
        if zones and zones[-1].kind is kind:
            zones[-1] = Zone(kind, zones[-1].start, end)
        else:
            if zones and zones[-1].end < start:
                zones[-1] = Zone(zones[-1].kind, zones[-1].start, start)
            zones.append(Zone(kind, start, end))
    if zones and zones[-1].end < length:
        zones[-1] = Zone(zones[-1].kind, zones[-1].start, length)
    if zones and zones[0].start > 0:
        zones[0] = Zone(zones[0].kind, 0, zones[0].end)
    return tuple(zones)
