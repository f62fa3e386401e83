"""The in-memory index behind ``/reconcile``: entities, names, types and properties.

Built once per published release from the read-only store (about a second for tens of
thousands of entities) and dropped when the release changes. Entity identifiers are the
entity keys (``person/naoto-kan``): with the identifier space ``{base}id/`` they give the
entity IRIs. Types are the ontology classes by local name (``Person``, ``Ministry``), with
their direct superclasses as ``broader``. Properties are the ontology's properties used by
entities (by local name), plus ``wikidata`` (the QID), ``linkSource``, ``label``,
``altLabel`` and ``description``.

Scoring (0-100, documented in docs/linking.md): names are case-, accent- and
punctuation-folded; an exact name scores 100, otherwise the best of rapidfuzz's
token-sort ratio and 0.9 x token-set ratio over every label and alternative label.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from allygraph.vocab import AG, WD

__all__ = [
    "EXTRA_PROPERTIES",
    "IndexedEntity",
    "PropertyInfo",
    "ReconcileIndex",
    "TypeInfo",
    "build_index",
    "fold_name",
]

RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
SCHEMA_DESCRIPTION = "https://schema.org/description"
OWL_SAMEAS = "http://www.w3.org/2002/07/owl#sameAs"
_AUXILIARY = {"Mention", "Claim", "Tenure", "Build", "Document", "Post"}

_NON_WORD = re.compile(r"[^0-9a-z\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]+")


def fold_name(text: str) -> str:
    """Fold a name for comparison: accents, case, punctuation and spacing removed.

    >>> fold_name("Shinzō  ABE")
    'shinzo abe'
    >>> fold_name("U.S.-Japan Security Treaty")
    'u s japan security treaty'
    """
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(_NON_WORD.sub(" ", plain.casefold()).split())


@dataclass(frozen=True, slots=True)
class TypeInfo:
    """An ontology class offered as a reconciliation type."""

    id: str
    name: str
    description: str = ""
    broader: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class PropertyInfo:
    """A property offered for constraints and data extension."""

    id: str
    name: str
    iri: str | None  # None: computed (label, altLabel, description)
    description: str = ""


EXTRA_PROPERTIES = (
    PropertyInfo("label", "label", RDFS + "label", "Names of the entity (every language)"),
    PropertyInfo("altLabel", "alternative label", SKOS + "altLabel", "Other names and spellings"),
    PropertyInfo("description", "description", SCHEMA_DESCRIPTION, "Short description"),
    PropertyInfo("wikidata", "Wikidata QID", AG + "wikidata", "The Wikidata item (Q...)"),
    PropertyInfo(
        "linkSource",
        "Wikidata link source",
        AG + "linkSource",
        "gazetteer, or lookup:<score>:<date>",
    ),
)


@dataclass(slots=True)
class IndexedEntity:
    """What reconciliation knows about one entity."""

    id: str
    iri: str
    name: str
    names: list[str] = field(default_factory=list)
    description: str = ""
    types: list[str] = field(default_factory=list)
    wikidata: list[str] = field(default_factory=list)
    link_source: str = ""


@dataclass(slots=True)
class ReconcileIndex:
    """Entities, folded names, types and properties of one release."""

    base: str
    entities: dict[str, IndexedEntity]
    types: dict[str, TypeInfo]
    properties: dict[str, PropertyInfo]
    type_properties: dict[str, list[str]]
    type_counts: dict[str, int]
    names: list[str] = field(default_factory=list)  # folded, one per (entity, name)
    owners: list[str] = field(default_factory=list)  # entity id of names[i]
    by_qid: dict[str, list[str]] = field(default_factory=dict)

    @property
    def identifier_space(self) -> str:
        """Where entity ids live: ``{base}id/`` + id is the entity's IRI."""
        return f"{self.base}id/"

    def entity_id(self, text: str) -> str | None:
        """The entity an id, IRI or QID names, if it is one of ours."""
        text = text.strip()
        if text in self.entities:
            return text
        if text.startswith(self.identifier_space):
            candidate = text[len(self.identifier_space) :]
            return candidate if candidate in self.entities else None
        qid = text.removeprefix(str(WD))
        owners = self.by_qid.get(qid, [])
        return owners[0] if len(owners) == 1 else None

    def subtypes(self, type_id: str) -> set[str]:
        """The type and every class below it (an Agency query also finds Ministries)."""
        found = {type_id}
        changed = True
        while changed:
            changed = False
            for info in self.types.values():
                if info.id not in found and found & set(info.broader):
                    found.add(info.id)
                    changed = True
        return found

    def name_scores(self, query: str, limit: int) -> dict[str, float]:
        """Best name similarity (0-1) per entity for the ``limit`` closest names."""
        from rapidfuzz import fuzz, process

        folded = fold_name(query)
        if not folded or not self.names:
            return {}
        best: dict[str, float] = {}
        for scorer, weight in ((fuzz.token_sort_ratio, 1.0), (fuzz.token_set_ratio, 0.9)):
            for _, score, index in process.extract(
                folded, self.names, scorer=scorer, limit=limit, score_cutoff=50
            ):
                owner = self.owners[index]
                value = 1.0 if self.names[index] == folded else weight * score / 100
                best[owner] = max(best.get(owner, 0.0), round(value, 4))
        return best

    def exact_owners(self, query: str) -> set[str]:
        """Entities one of whose names is exactly the (folded) query."""
        folded = fold_name(query)
        return {self.owners[i] for i, n in enumerate(self.names) if n == folded}


def _rows(store: ox.Store, query: str, union: bool) -> Iterable[ox.QuerySolution]:
    result = store.query(query, use_default_graph_as_union=union)
    assert isinstance(result, ox.QuerySolutions)
    return result


def _value(term: Any) -> str:
    return str(term.value) if term is not None else ""


def _local(iri: str) -> str:
    return iri.removeprefix(str(AG))


def _humanize(local: str) -> str:
    return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", local).lower()


def _pick_label(labels: Sequence[tuple[str, str]]) -> str:
    for wanted in ("en", ""):
        for text, language in labels:
            if language == wanted:
                return text
    return labels[0][0] if labels else ""


def _load_entities(store: ox.Store, base: str, union: bool) -> dict[str, IndexedEntity]:
    prefix = f"{base}id/"
    entities: dict[str, IndexedEntity] = {}
    for row in _rows(
        store,
        f'SELECT DISTINCT ?e ?c WHERE {{ ?e a ?c . FILTER(STRSTARTS(STR(?c), "{AG}")) '
        f'FILTER(STRSTARTS(STR(?e), "{prefix}")) }}',
        union,
    ):
        iri, local = _value(row["e"]), _local(_value(row["c"]))
        if local in _AUXILIARY:
            continue
        key = iri[len(prefix) :]
        entity = entities.setdefault(key, IndexedEntity(key, iri, key))
        if local not in entity.types:
            entity.types.append(local)
    labels: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for row in _rows(
        store,
        f"SELECT ?e ?p ?l WHERE {{ ?e ?p ?l . VALUES ?p {{ <{RDFS}label> <{SKOS}prefLabel> "
        f"<{SKOS}altLabel> <{SCHEMA_DESCRIPTION}> <{AG}wikidata> <{OWL_SAMEAS}> "
        f"<{AG}linkSource> }} "
        f'FILTER(STRSTARTS(STR(?e), "{prefix}")) }}',
        union,
    ):
        key = _value(row["e"])[len(prefix) :]
        found = entities.get(key)
        if found is None:
            continue
        entity = found
        predicate, term = _value(row["p"]), row["l"]
        text = _value(term)
        if predicate in {f"{AG}wikidata", OWL_SAMEAS}:
            if text.startswith(str(WD)) and text[len(str(WD)) :] not in entity.wikidata:
                entity.wikidata.append(text[len(str(WD)) :])
        elif predicate == SCHEMA_DESCRIPTION:
            entity.description = entity.description or text
        elif predicate == f"{AG}linkSource":
            entity.link_source = text
        else:
            language = term.language if isinstance(term, ox.Literal) else None
            if predicate != f"{SKOS}altLabel":
                labels[key].append((text, language or ""))
            if text not in entity.names:
                entity.names.append(text)
    for key, entity in entities.items():
        entity.name = _pick_label(labels.get(key, [])) or (entity.names or [key])[0]
        entity.types.sort()
        entity.wikidata.sort()
    return entities


def _load_types(store: ox.Store, used: Iterable[str], union: bool) -> dict[str, TypeInfo]:
    labels: dict[str, str] = {}
    comments: dict[str, str] = {}
    broader: dict[str, list[str]] = defaultdict(list)
    for row in _rows(
        store,
        f"SELECT ?c ?p ?o WHERE {{ ?c ?p ?o . VALUES ?p {{ <{RDFS}label> <{RDFS}subClassOf> "
        f'<{SKOS}definition> }} FILTER(STRSTARTS(STR(?c), "{AG}")) }}',
        union,
    ):
        cls, predicate, value = _local(_value(row["c"])), _value(row["p"]), row["o"]
        if predicate == f"{RDFS}subClassOf" and _value(value).startswith(str(AG)):
            broader[cls].append(_local(_value(value)))
        elif predicate == f"{RDFS}label":
            language = value.language if isinstance(value, ox.Literal) else None
            if language in (None, "en"):
                labels[cls] = _value(value)
        elif predicate == f"{SKOS}definition":
            comments[cls] = _value(value)
    wanted = set(used)
    for cls in list(wanted):  # superclasses are types too (query by Agency finds Ministries)
        stack = list(broader.get(cls, []))
        while stack:
            parent = stack.pop()
            if parent not in wanted and parent not in _AUXILIARY:
                wanted.add(parent)
                stack += broader.get(parent, [])
    return {
        cls: TypeInfo(
            id=cls,
            name=labels.get(cls) or _humanize(cls),
            description=comments.get(cls, ""),
            broader=tuple(sorted(b for b in broader.get(cls, []) if b not in _AUXILIARY)),
        )
        for cls in sorted(wanted)
    }


def _load_properties(
    store: ox.Store, base: str, entities: dict[str, IndexedEntity], union: bool
) -> tuple[dict[str, PropertyInfo], dict[str, list[str]]]:
    prefix = f"{base}id/"
    labels: dict[str, str] = {}
    comments: dict[str, str] = {}
    for row in _rows(
        store,
        f"SELECT ?p ?k ?v WHERE {{ ?p ?k ?v . VALUES ?k {{ <{RDFS}label> <{SKOS}definition> }} "
        f'FILTER(STRSTARTS(STR(?p), "{AG}")) }}',
        union,
    ):
        local, kind, value = _local(_value(row["p"])), _value(row["k"]), row["v"]
        language = value.language if isinstance(value, ox.Literal) else None
        if language not in (None, "en"):
            continue
        (labels if kind == f"{RDFS}label" else comments)[local] = _value(value)
    used: dict[str, set[str]] = defaultdict(set)
    for row in _rows(
        store,
        f'SELECT DISTINCT ?e ?p WHERE {{ ?e ?p ?o . FILTER(STRSTARTS(STR(?p), "{AG}")) '
        f'FILTER(STRSTARTS(STR(?e), "{prefix}")) }}',
        union,
    ):
        entity = entities.get(_value(row["e"])[len(prefix) :])
        if entity is None:
            continue
        for cls in entity.types:
            used[cls].add(_local(_value(row["p"])))
    extras = {p.id: p for p in EXTRA_PROPERTIES}
    properties: dict[str, PropertyInfo] = dict(extras)
    for local in sorted(set().union(*used.values()) if used else set()):
        if local not in properties:
            properties[local] = PropertyInfo(
                local,
                labels.get(local) or _humanize(local),
                f"{AG}{local}",
                comments.get(local, ""),
            )
    by_type = {
        cls: [*extras, *sorted(p for p in found if p not in extras)] for cls, found in used.items()
    }
    return properties, by_type


def build_index(store: ox.Store, base: str, *, union: bool = True) -> ReconcileIndex:
    """Build the reconciliation index of a release (its entities under ``{base}id/``).

    ``union``: query the union of the named graphs (releases whose default graph is not
    materialized); False reads the default graph, which then already is their merge.
    """
    entities = _load_entities(store, base, union)
    counts: dict[str, int] = defaultdict(int)
    for entity in entities.values():
        for cls in entity.types:
            counts[cls] += 1
    types = _load_types(store, counts, union)
    properties, by_type = _load_properties(store, base, entities, union)
    index = ReconcileIndex(base, entities, types, properties, by_type, dict(counts))
    for key, entity in sorted(entities.items()):
        for name in entity.names or [entity.name]:
            folded = fold_name(name)
            if folded:
                index.names.append(folded)
                index.owners.append(key)
        for qid in entity.wikidata:
            index.by_qid.setdefault(qid, []).append(key)
    return index
