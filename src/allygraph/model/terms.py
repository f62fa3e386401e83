"""How record values map to ontology terms: classes, claim predicates, attributes, literals.

The tables here are the single place that knows which ``ag:`` term a record field becomes;
``tests/ontology`` checks that every term they name is declared in ``ontology/allygraph.ttl``.
"""

from __future__ import annotations

import datetime as dt
import re
from enum import Enum

from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from allygraph.errors import CorpusError
from allygraph.records import EntityKind
from allygraph.vocab import AG

__all__ = [
    "KIND_CLASS",
    "REFERENCE_KIND_CLASS",
    "SUBTYPES",
    "ValueKind",
    "attribute_term",
    "date_literal",
    "predicate_term",
    "subtype_class",
    "year_literal",
]


class ValueKind(Enum):
    """What the object of an ``ag:`` property is, and so how a string value is turned into RDF."""

    ENTITY = "entity"  # an entity key "{kind}/{slug}" -> IRI
    DATE = "date"  # ISO 8601 date, year-month or year -> xsd:date / gYearMonth / gYear
    YEAR = "year"  # a year -> xsd:gYear
    STRING = "string"  # -> xsd:string
    URI = "uri"  # -> xsd:anyURI


KIND_CLASS: dict[EntityKind, URIRef] = {
    EntityKind.PERSON: AG.Person,
    EntityKind.TREATY: AG.Treaty,
    EntityKind.BASE: AG.MilitaryBase,
    EntityKind.ORGANIZATION: AG.Agency,
    EntityKind.PUBLICATION: AG.Publication,
    EntityKind.STATE: AG.State,
    EntityKind.PLACE: AG.Place,
    EntityKind.EVENT: AG.Event,
}

# Subclasses an entity's ``subtype`` may name, per kind (ontology local names).
SUBTYPES: dict[EntityKind, frozenset[str]] = {
    EntityKind.ORGANIZATION: frozenset(
        {
            "GovernmentAgency",
            "Ministry",
            "ArmedForce",
            "MilitaryUnit",
            "InternationalOrganization",
            "ThinkTank",
            "University",
            "Publisher",
            "Newspaper",
            "PoliticalParty",
            "Legislature",
        }
    ),
    EntityKind.PUBLICATION: frozenset(
        {
            "Book",
            "EditedVolume",
            "Chapter",
            "JournalArticle",
            "Report",
            "Dissertation",
            "NewsArticle",
            "GovernmentDocument",
            "WebPage",
            "Journal",
            "Series",
        }
    ),
    EntityKind.EVENT: frozenset(
        {"War", "Crisis", "MilitaryExercise", "Incident", "Talks", "Summit"}
    ),
    EntityKind.PLACE: frozenset(
        {
            "City",
            "Prefecture",
            "County",
            "District",
            "Village",
            "Region",
            "Peninsula",
            "Island",
            "Islands",
            "Sea",
            "Strait",
            "Site",
        }
    ),
    EntityKind.BASE: frozenset({"AirBase", "NavalBase", "ArmyBase", "MarineCorpsAirStation"}),
    EntityKind.TREATY: frozenset(
        {"Agreement", "Communique", "Guidelines", "Declaration", "JointStatement", "Armistice"}
    ),
}

# Reference.kind (citation parser) -> publication class.
REFERENCE_KIND_CLASS: dict[str, URIRef] = {
    "book": AG.Book,
    "edited-volume": AG.EditedVolume,
    "chapter": AG.Chapter,
    "journal-article": AG.JournalArticle,
    "report": AG.Report,
    "dissertation": AG.Dissertation,
    "news-article": AG.NewsArticle,
    "government-document": AG.GovernmentDocument,
    "web-page": AG.WebPage,
    "journal": AG.Journal,
    "series": AG.Series,
}

# Claim predicates (Claim.predicate) and what their object is. ``holdsPost`` is modelled
# through Post and Tenure nodes (see model.document).
PREDICATES: dict[str, ValueKind] = {
    "holdsPost": ValueKind.ENTITY,
    "affiliatedWith": ValueKind.ENTITY,
    "author": ValueKind.ENTITY,
    "editor": ValueKind.ENTITY,
    "translator": ValueKind.ENTITY,
    "cites": ValueKind.ENTITY,
    "publisher": ValueKind.ENTITY,
    "partOf": ValueKind.ENTITY,
    "locatedIn": ValueKind.ENTITY,
    "usedBy": ValueKind.ENTITY,
    "movedTo": ValueKind.ENTITY,
    "party": ValueKind.ENTITY,
    "participant": ValueKind.ENTITY,
    "place": ValueKind.ENTITY,
    "country": ValueKind.ENTITY,
    "postIn": ValueKind.ENTITY,
    "signedDate": ValueKind.DATE,
    "effectiveDate": ValueKind.DATE,
    "date": ValueKind.DATE,
    "startDate": ValueKind.DATE,
    "endDate": ValueKind.DATE,
    "birthYear": ValueKind.YEAR,
    "year": ValueKind.YEAR,
    "title": ValueKind.STRING,
    "volume": ValueKind.STRING,
    "issue": ValueKind.STRING,
    "pages": ValueKind.STRING,
    "placeOfPublication": ValueKind.STRING,
    "url": ValueKind.URI,
}

# Entity.attributes names beyond the predicate names themselves (gazetteer spelling).
_ATTRIBUTE_ALIASES: dict[str, str] = {
    "located_in": "locatedIn",
    "used_by": "usedBy",
    "parties": "party",
    "end_date": "endDate",
    "start_date": "startDate",
    "signed_date": "signedDate",
    "effective_date": "effectiveDate",
    "birth_year": "birthYear",
    "moved_to": "movedTo",
    "affiliation": "affiliatedWith",
    "affiliated_with": "affiliatedWith",
}

_SUBTYPE_INDEX: dict[str, str] = {
    re.sub(r"[^a-z]", "", name.lower()): name for names in SUBTYPES.values() for name in names
}
_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def subtype_class(key: str, kind: EntityKind, subtype: str) -> URIRef | None:
    """Return the class an entity's ``subtype`` names (``Ministry``, ``edited-volume``, ...).

    Returns None when the subtype names the kind's own class (``Treaty`` for a treaty).

    Raises:
        CorpusError: The subtype is not a subclass the ontology defines for the kind.
    """
    folded = re.sub(r"[^a-z]", "", subtype.lower())
    if folded == KIND_CLASS[kind].rsplit("#", 1)[-1].lower():
        return None
    name = _SUBTYPE_INDEX.get(folded)
    allowed = SUBTYPES.get(kind, frozenset())
    if name is None or name not in allowed:
        offered = ", ".join(sorted(allowed)) or "none"
        msg = f"model: entity {key}: subtype must be one of {offered} (got {subtype!r})"
        raise CorpusError(msg)
    return AG[name]


def predicate_term(name: str) -> tuple[URIRef, ValueKind]:
    """Return the property and value kind of a claim predicate.

    Raises:
        CorpusError: The predicate is not an allygraph ontology property.
    """
    kind = PREDICATES.get(name)
    if kind is None:
        offered = ", ".join(sorted(PREDICATES))
        msg = f"model: claim predicate must be one of {offered} (got {name!r})"
        raise CorpusError(msg)
    return AG[name], kind


def attribute_term(name: str) -> tuple[URIRef, ValueKind] | None:
    """Return the property and value kind of an entity attribute, or None when unmapped."""
    name = _ATTRIBUTE_ALIASES.get(name, name)
    kind = PREDICATES.get(name)
    if kind is None or name == "holdsPost":
        return None
    return AG[name], kind


def date_literal(value: str) -> Literal | None:
    """Return an ISO 8601 date, year-month or year as a typed literal, or None if it is none.

    >>> date_literal("2010-06-08").datatype.endswith("#date")
    True
    >>> date_literal("1960").datatype.endswith("#gYear")
    True
    >>> date_literal("June 2010") is None
    True
    """
    match = _DATE.match(value.strip())
    if match is None:
        return None
    year, month, day = match.groups()
    if day is not None:
        try:
            dt.date(int(year), int(month), int(day))
        except ValueError:
            return None
        return Literal(match.group(0), datatype=XSD.date)
    if month is not None:
        if not 1 <= int(month) <= 12:
            return None
        return Literal(match.group(0), datatype=XSD.gYearMonth)
    return Literal(year, datatype=XSD.gYear)


def year_literal(value: str) -> Literal | None:
    """Return the year of an ISO 8601 date (or a bare year) as xsd:gYear, or None.

    >>> str(year_literal("2011-03"))
    '2011'
    """
    match = _DATE.match(value.strip())
    return None if match is None else Literal(match.group(1), datatype=XSD.gYear)
