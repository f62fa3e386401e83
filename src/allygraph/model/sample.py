"""A small hand-made :class:`~allygraph.records.Extraction` for examples, tests and docs.

>>> sample_extraction().document.doc_id
'sample-2010'
"""

from __future__ import annotations

import hashlib

from allygraph.records import (
    Claim,
    Document,
    DocumentMeta,
    Entity,
    EntityKind,
    Extraction,
    Mention,
    Reference,
)

__all__ = ["SAMPLE_TEXT", "sample_extraction"]

SAMPLE_TEXT = (
    "Prime Minister Naoto Kan met the Japan Defense Agency in Tokyo.\n"
    "The Marines at Futenma will move to Henoko, Kan said.1\n"
    "\n"
    "Notes\n"
    "1. Yoichi Funabashi, Alliance Adrift (New York: Council on Foreign Relations, 1999), 91.\n"
)


def _span(text: str, needle: str, occurrence: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(needle, start + 1)
    return start, start + len(needle)


def sample_extraction() -> Extraction:
    """Return a resolved extraction of :data:`SAMPLE_TEXT` with every kind of record."""
    text = SAMPLE_TEXT
    doc_id = "sample-2010"
    doc = Document(
        doc_id=doc_id,
        path=f"{doc_id}.txt",
        text=text,
        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        meta=DocumentMeta(
            title="Kan and the Futenma relocation",
            authors=("Jane Doe",),
            date="2010-06",
            publisher="Example Press",
            doi="https://doi.org/10.1234/sample.2010",
            url="https://example.org/sample",
            genre="news commentary (web page)",
            language="en",
        ),
    )
    entities = (
        Entity(
            "person/naoto-kan",
            EntityKind.PERSON,
            "Naoto Kan",
            aliases=("Kan", "Kan Naoto"),
            labels=(("ja", "菅直人"),),
            description="Prime Minister of Japan (2010-2011)",
        ),
        Entity("state/japan", EntityKind.STATE, "Japan", qid="Q17", qid_source="gazetteer"),
        Entity(
            "organization/japan-defense-agency",
            EntityKind.ORGANIZATION,
            "Japan Defense Agency",
            aliases=("JDA",),
            subtype="GovernmentAgency",
            attributes=(("country", "state/japan"),),
        ),
        Entity("place/tokyo", EntityKind.PLACE, "Tokyo", attributes=(("country", "state/japan"),)),
        Entity(
            "base/futenma",
            EntityKind.BASE,
            "Marine Corps Air Station Futenma",
            aliases=("Futenma",),
            attributes=(
                ("country", "state/japan"),
                ("used_by", "organization/us-marine-corps"),
            ),
        ),
        Entity("place/henoko", EntityKind.PLACE, "Henoko"),
        Entity(
            "organization/us-marine-corps",
            EntityKind.ORGANIZATION,
            "United States Marine Corps",
            aliases=("Marines",),
            subtype="ArmedForce",
        ),
    )
    named = [
        ("Naoto Kan", "person/naoto-kan", EntityKind.PERSON, 0),
        ("Japan Defense Agency", "organization/japan-defense-agency", EntityKind.ORGANIZATION, 0),
        ("Tokyo", "place/tokyo", EntityKind.PLACE, 0),
        ("Marines", "organization/us-marine-corps", EntityKind.ORGANIZATION, 0),
        ("Futenma", "base/futenma", EntityKind.BASE, 0),
        ("Henoko", "place/henoko", EntityKind.PLACE, 0),
        ("Kan", "person/naoto-kan", EntityKind.PERSON, 1),
    ]
    mentions = tuple(
        Mention(doc_id, *_span(text, surface, occurrence), surface, kind, key)
        for surface, key, kind, occurrence in named
    )
    first = _span(text, "Prime Minister Naoto Kan met the Japan Defense Agency in Tokyo.")
    second = _span(text, "The Marines at Futenma will move to Henoko, Kan said.")
    claims = (
        Claim(
            doc_id,
            "person/naoto-kan",
            "holdsPost",
            "Prime Minister",
            False,
            *first,
            qualifiers=(
                ("post", "Prime Minister"),
                ("organization", "state/japan"),
                ("start", "2010-06-08"),
                ("end", "2011-09-02"),
            ),
        ),
        Claim(
            doc_id,
            "organization/us-marine-corps",
            "movedTo",
            "place/henoko",
            True,
            *second,
            qualifiers=(("date", "2010"),),
        ),
    )
    raw = "Yoichi Funabashi, Alliance Adrift (New York: Council on Foreign Relations, 1999), 91."
    references = (
        Reference(
            doc_id,
            "publication/funabashi-1999-alliance-adrift",
            *_span(text, raw),
            raw=raw,
            kind="book",
            title="Alliance Adrift",
            authors=("Yoichi Funabashi",),
            year="1999",
            publisher="Council on Foreign Relations",
            place="New York",
            pages="91",
            note=1,
        ),
    )
    return Extraction(doc, entities, mentions, claims, references)
