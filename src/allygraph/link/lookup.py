"""Online look-ups: propose Wikidata QIDs for entities the gazetteer leaves unlinked.

For each target entity (no curated QID, not ambiguous) :func:`propose_links`:

1. searches Wikidata by name (``wbsearchentities``; for people with a middle initial, also
   without it);
2. checks every candidate with one SPARQL query: is it an instance of a class fitting the
   entity's kind (``wdt:P31/wdt:P279*``: people must be humans, treaties treaties, ...), and
   do its dates fit what we know (a person active in 1997 was born before 1982 and did not
   die before 1997; a treaty signed in 1961 has a date in 1960-1962)?
3. scores the candidates that pass: name similarity (0.6; to the label, an alias counts 0.9
   at most, and a one-word person name 0.5 at most), dates (0.25: agree 1, unknown 0.5) and
   a domain cue in the description (0.15: Japan, Korea, alliance, politician, ...);
4. proposes the best one only if it scores at least :data:`PROPOSE_AT` and beats the
   runner-up by :data:`MARGIN`; otherwise the entity stays unlinked and the candidates are
   recorded, so that a person can decide.

Nothing proposed here enters the graph until a person accepts it (:mod:`allygraph.link.review`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from allygraph.errors import LinkError
from allygraph.link.client import SearchHit, WikidataClient
from allygraph.link.links import is_ambiguous
from allygraph.records import Entity, EntityKind, Extraction

__all__ = [
    "KIND_CLASSES",
    "MARGIN",
    "PROPOSE_AT",
    "Candidate",
    "LookupTarget",
    "Proposal",
    "collect_targets",
    "extract_corpus",
    "name_similarity",
    "propose_links",
]

PROPOSE_AT = 0.85
"""Lowest score a candidate needs to be proposed."""
MARGIN = 0.10
"""How far the best candidate must lead the runner-up to be proposed."""

# Wikidata classes an entity of each kind must be an instance of (P31/P279*). Verified
# QIDs: Q5 human, Q6256 country, Q3624078 sovereign state, Q43229 organization, Q131569
# treaty, Q1190554 occurrence, Q1656682 event, Q2221906 geographic location, Q618123
# geographical feature, Q245016 military base, Q744099 air base, Q732577 publication,
# Q47461344 written work (each checked with the search tool against public code naming it).
KIND_CLASSES: dict[EntityKind, tuple[str, ...]] = {
    EntityKind.PERSON: ("Q5",),
    EntityKind.STATE: ("Q6256", "Q3624078"),
    EntityKind.ORGANIZATION: ("Q43229",),
    EntityKind.TREATY: ("Q131569",),
    EntityKind.EVENT: ("Q1190554", "Q1656682"),
    EntityKind.PLACE: ("Q2221906", "Q618123"),
    EntityKind.BASE: ("Q245016", "Q744099"),
    EntityKind.PUBLICATION: ("Q732577", "Q47461344"),
}

_DOMAIN_CUES = re.compile(
    r"japan|korea|okinawa|united states|american|u\.s\.|china|chinese|soviet|russia|"
    r"alliance|security|defen[cs]e|military|navy|naval|army|marine|air force|politician|"
    r"diplomat|minister|president|scholar|political scien|professor|journalist|treaty|war",
    re.IGNORECASE,
)
_YEAR = re.compile(r"(?<!\d)(1[5-9]\d\d|20\d\d)(?!\d)")
_MIDDLE_INITIAL = re.compile(r"\s+[A-Z]\.(?=\s)")


@dataclass(frozen=True, slots=True)
class LookupTarget:
    """An entity to look up, with what the corpus says about its time.

    ``years`` are years the entity was active or took place (posts, dates); ``doc_years``
    the years of the documents that mention it (a person mentioned in 2011 lived by then).
    """

    key: str
    kind: EntityKind
    label: str
    aliases: tuple[str, ...] = ()
    description: str | None = None
    years: tuple[int, ...] = ()
    doc_years: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class Candidate:
    """A Wikidata item considered for a target, with its checks and score."""

    qid: str
    label: str
    description: str
    name: float
    type_ok: bool
    dates_ok: bool | None  # None: nothing to compare
    context: bool
    score: float


@dataclass(frozen=True, slots=True)
class Proposal:
    """The outcome for one target: a proposed QID, or why there is none.

    ``status`` is ``proposed`` (``qid`` set), ``ambiguous`` (candidates too close or too
    weak; see ``candidates``) or ``not-found`` (no candidate of a fitting type).
    """

    key: str
    label: str
    kind: EntityKind
    status: str
    qid: str | None
    score: float
    date: str
    candidates: tuple[Candidate, ...] = field(default=())


def _fold(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return " ".join(re.sub(r"[^a-z0-9]+", " ", plain.lower()).split())


def name_similarity(names: Iterable[str], other: Iterable[str]) -> float:
    """Best token-sorted similarity (0-1) between two sets of names, accents and case folded.

    >>> name_similarity(["Shinzō Abe"], ["Shinzo Abe"])
    1.0
    >>> name_similarity(["Kan Naoto"], ["Naoto Kan"])
    1.0
    """
    from rapidfuzz import fuzz

    left = {_fold(n) for n in names if n.strip()}
    right = {_fold(n) for n in other if n.strip()}
    best = 0.0
    for a in left:
        for b in right:
            best = max(best, fuzz.token_sort_ratio(a, b) / 100)
    return round(best, 4)


def _name_score(target: LookupTarget, names: Sequence[str], hit: SearchHit) -> float:
    """Similarity to the label; an alias counts for 0.9 at most (labels are better kept).

    A single word never identifies a person ("Koizumi" is a father and a son), so a
    one-word person name scores 0.5 at most, which keeps it below the proposal threshold.
    """
    score = max(
        name_similarity(names, [hit.label]),
        0.9 * name_similarity(names, [hit.matched, *hit.aliases]),
    )
    if target.kind is EntityKind.PERSON and len(_fold(target.label).split()) < 2:
        score = min(score, 0.5)
    return round(score, 4)


def _years(entity: Entity) -> tuple[int, ...]:
    found: set[int] = set()
    for name, value in entity.attributes:
        if name in {"post", "signedDate", "date", "endDate", "effectiveDate"}:
            found |= {int(y) for y in _YEAR.findall(value)}
    return tuple(sorted(found))


def collect_targets(extractions: Iterable[Extraction]) -> list[LookupTarget]:
    """Entities of the extractions to look up: no QID, not ambiguous, not document-local.

    An entity mentioned by several documents is one target with all their years.
    """
    merged: dict[str, tuple[Entity, set[int]]] = {}
    for extraction in extractions:
        doc = extraction.document
        date = doc.meta.date or ""
        doc_year = {int(date[:4])} if date[:4].isdigit() else set()
        for entity in extraction.entities:
            local = entity.slug.endswith(f"-in-{doc.doc_id}")
            if entity.qid or is_ambiguous(entity) or local:
                continue
            if entity.kind is EntityKind.PUBLICATION:
                continue  # works cited are matched by title elsewhere, not by name search
            seen = merged.setdefault(entity.key, (entity, set()))
            seen[1].update(doc_year)
    return [
        LookupTarget(
            key=key,
            kind=entity.kind,
            label=entity.label,
            aliases=entity.aliases,
            description=entity.description,
            years=_years(entity),
            doc_years=tuple(sorted(years)),
        )
        for key, (entity, years) in sorted(merged.items())
    ]


def extract_corpus(corpus: Path, gazetteer_dir: Path) -> list[Extraction]:
    """Extract every document of a corpus folder (no RDF, no store) to find link targets."""
    from allygraph.corpus import corpus_files, load_document
    from allygraph.extract import load_gazetteer
    from allygraph.resolve import extract_document

    gazetteer = load_gazetteer(gazetteer_dir)
    return [extract_document(load_document(p), gazetteer) for p in corpus_files(corpus)]


@dataclass(slots=True)
class _Facts:
    classes: set[str] = field(default_factory=set)
    births: set[int] = field(default_factory=set)
    deaths: set[int] = field(default_factory=set)
    dates: set[int] = field(default_factory=set)


def _facts_query(qids: Sequence[str], classes: Sequence[str]) -> str:
    items = " ".join(f"wd:{q}" for q in qids)
    wanted = " ".join(f"wd:{c}" for c in classes)
    return (
        "PREFIX wd: <http://www.wikidata.org/entity/>\n"
        "PREFIX wdt: <http://www.wikidata.org/prop/direct/>\n"
        "SELECT ?item ?class ?birth ?death ?date WHERE {\n"
        f"  VALUES ?item {{ {items} }}\n"
        f"  OPTIONAL {{ VALUES ?class {{ {wanted} }} ?item wdt:P31/wdt:P279* ?class . }}\n"
        "  OPTIONAL { ?item wdt:P569 ?birth . }\n"
        "  OPTIONAL { ?item wdt:P570 ?death . }\n"
        "  OPTIONAL { ?item wdt:P585|wdt:P577|wdt:P580|wdt:P571 ?date . }\n"
        "}"
    )


def _year_of(value: str) -> int | None:
    found = re.match(r"^[+]?(-?\d{1,4})-", value)  # xsd:dateTime, possibly "+1947-..."
    return int(found.group(1)) if found else None


def _facts(client: WikidataClient, qids: Sequence[str], kind: EntityKind) -> dict[str, _Facts]:
    rows = client.sparql(_facts_query(qids, KIND_CLASSES[kind]))
    facts: dict[str, _Facts] = {q: _Facts() for q in qids}
    for row in rows:
        qid = row.get("item", "").rsplit("/", 1)[-1]
        fact = facts.setdefault(qid, _Facts())
        if "class" in row:
            fact.classes.add(row["class"].rsplit("/", 1)[-1])
        for name, bucket in (("birth", fact.births), ("death", fact.deaths), ("date", fact.dates)):
            year = _year_of(row.get(name, ""))
            if year is not None:
                bucket.add(year)
    return facts


def _dates_fit(target: LookupTarget, fact: _Facts) -> bool | None:
    """True when dates agree, False when they contradict, None when nothing compares."""
    if target.kind is EntityKind.PERSON:
        active = target.years or target.doc_years
        if not active or not (fact.births or fact.deaths):
            return None
        first = min(target.years) if target.years else min(target.doc_years) - 40
        last = max(target.years) if target.years else min(target.doc_years)
        if fact.births and min(fact.births) > first - 15:
            return False  # too young to hold the post, or born after the text
        # dead before the years the entity was active?
        return not (fact.deaths and max(fact.deaths) < last - 1)
    if target.kind in {EntityKind.TREATY, EntityKind.EVENT} and target.years and fact.dates:
        return any(abs(y - t) <= 1 for y in fact.dates for t in target.years)
    return None


def _score(name: float, dates_ok: bool | None, context: bool) -> float:
    dates = 1.0 if dates_ok else 0.5
    return round(0.6 * name + 0.25 * dates + 0.15 * (1.0 if context else 0.0), 4)


def _search(client: WikidataClient, target: LookupTarget) -> list[SearchHit]:
    hits = client.search(target.label)
    if not hits and target.kind is EntityKind.PERSON and _MIDDLE_INITIAL.search(target.label):
        hits = client.search(_MIDDLE_INITIAL.sub("", target.label))
    return hits


def _propose_one(client: WikidataClient, target: LookupTarget, today: str) -> Proposal:
    hits = _search(client, target)
    if not hits:
        return Proposal(target.key, target.label, target.kind, "not-found", None, 0.0, today)
    facts = _facts(client, [h.qid for h in hits], target.kind)
    names = (target.label, *target.aliases)
    candidates = []
    for hit in hits:
        fact = facts.get(hit.qid, _Facts())
        type_ok = bool(fact.classes)
        dates_ok = _dates_fit(target, fact)
        name = _name_score(target, names, hit)
        context = bool(_DOMAIN_CUES.search(hit.description))
        score = _score(name, dates_ok, context) if type_ok and dates_ok is not False else 0.0
        candidates.append(
            Candidate(hit.qid, hit.label, hit.description, name, type_ok, dates_ok, context, score)
        )
    candidates.sort(key=lambda c: (-c.score, c.qid))
    viable = [c for c in candidates if c.score > 0]
    if not viable:
        return Proposal(
            target.key, target.label, target.kind, "not-found", None, 0.0, today, tuple(candidates)
        )
    best = viable[0]
    runner_up = viable[1].score if len(viable) > 1 else 0.0
    if best.score >= PROPOSE_AT and best.score - runner_up >= MARGIN:
        status, qid = "proposed", best.qid
    else:
        status, qid = "ambiguous", None
    return Proposal(
        target.key, target.label, target.kind, status, qid, best.score, today, tuple(candidates)
    )


def propose_links(
    client: WikidataClient, targets: Iterable[LookupTarget], *, today: str
) -> list[Proposal]:
    """Look every target up and return one :class:`Proposal` per target.

    Args:
        client: The Wikidata client (cached, rate-limited).
        targets: Entities to look up (see :func:`collect_targets`).
        today: The ISO day recorded with each proposal.

    Raises:
        LinkError: The service kept failing for a request (after its retries).
    """
    out = []
    for target in targets:
        if target.kind not in KIND_CLASSES:  # pragma: no cover - every kind has classes
            raise LinkError(f"{target.key}: kind must have Wikidata classes (got {target.kind})")
        out.append(_propose_one(client, target, today))
    return out
