"""Turn one resolved document (:class:`~allygraph.records.Extraction`) into its RDF graph.

The graph follows docs/architecture.md ("The RDF of one document graph") and docs/data-model.md:
the document, every entity it mentions or refers to with its description, mentions as W3C Web
Annotations with a position and a quote selector, claims reified with the annotation of their
supporting passage (and the claimed triple asserted), and the publications it cites.

There are no blank nodes: auxiliary nodes get hash IRIs (``...#target``) or IRIs minted from
the values they stand for, so the same input always gives the same triples and graphs can be
compared and replaced without bnode matching.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS, XSD

from allygraph.errors import CorpusError
from allygraph.records import (
    Claim,
    Document,
    Entity,
    EntityKind,
    Extraction,
    Mention,
    Reference,
)
from allygraph.vocab import AG, OA, PROV, SCHEMA, WD, Minter, short_hash, slugify

from .terms import (
    KIND_CLASS,
    REFERENCE_KIND_CLASS,
    ValueKind,
    attribute_term,
    date_literal,
    predicate_term,
    subtype_class,
    year_literal,
)

__all__ = ["CONTEXT_CHARS", "to_rdf"]

CONTEXT_CHARS = 32
"""Characters of text kept before and after a quote (``oa:prefix`` / ``oa:suffix``)."""

_KINDS = {kind.value: kind for kind in EntityKind}
_DOI_PREFIXES = ("https://doi.org/", "http://doi.org/", "https://dx.doi.org/", "doi:")
# Document genres (sidecar ``genre``, free text) -> class, first match wins.
_GENRE_CLASS = (
    ("chapter", AG.Chapter),
    ("journal", AG.JournalArticle),
    ("news", AG.NewsArticle),
    ("report", AG.Report),
    ("dissertation", AG.Dissertation),
    ("thesis", AG.Dissertation),
    ("government", AG.GovernmentDocument),
    ("web", AG.WebPage),
)
_GAZETTEER_POST = re.compile(
    r"^(?P<post>.+?)(?: \((?P<of>[a-z]+/[a-z0-9-]+)\))?(?: (?P<start>[0-9-]*)/(?P<end>[0-9-]*))?$"
)
_CONTAINER_CLASS: dict[URIRef | None, URIRef] = {
    AG.Chapter: AG.EditedVolume,
    AG.JournalArticle: AG.Journal,
}


def to_rdf(
    extraction: Extraction,
    minter: Minter,
    *,
    build_iri: URIRef | None = None,
    catalog: dict[str, Entity] | None = None,
) -> Graph:
    """Build the self-contained RDF graph of one document.

    Args:
        extraction: The resolved document.
        minter: Mints data IRIs under the dataset's base.
        build_iri: The build activity; the document is ``prov:wasGeneratedBy`` it when given.
        catalog: Further entities by key (e.g. the whole gazetteer), used to describe entities
            that claims or attributes refer to but the extraction does not carry. An entity
            found nowhere gets a stub: its class (from the key) and a label made from the slug.

    Returns:
        A new graph; the same input always gives the same triples, without blank nodes.

    Raises:
        CorpusError: A key, subtype or claim predicate is not one the ontology allows.
    """
    builder = _DocumentBuilder(extraction, minter, catalog or {})
    builder.build(build_iri)
    return builder.graph


class _DocumentBuilder:
    """Accumulates the triples of one document graph."""

    def __init__(self, extraction: Extraction, minter: Minter, catalog: dict[str, Entity]):
        self.extraction = extraction
        self.doc: Document = extraction.document
        self.minter = minter
        self.graph = Graph()
        for prefix, namespace in (("ag", AG), ("oa", OA), ("prov", PROV), ("schema", SCHEMA)):
            self.graph.bind(prefix, namespace)
        self.add = self.graph.add
        self.doc_iri = minter.document(self.doc.doc_id)
        self.entities = {entity.key: entity for entity in extraction.entities}
        self.catalog = catalog
        self.described: set[str] = set()
        self.mention_spans: set[tuple[int, int]] = set()
        self.by_name: dict[tuple[EntityKind, str], str] = {}
        for entity in (*catalog.values(), *extraction.entities):
            for name in (entity.label, *entity.aliases):
                self.by_name[entity.kind, name.casefold()] = entity.key

    # -- entry point ------------------------------------------------------------------------

    def build(self, build_iri: URIRef | None) -> None:
        self.document(build_iri)
        for entity in self.extraction.entities:
            self.describe(entity.key)
        self.mentions(self.extraction.mentions)
        for claim in self.extraction.claims:
            self.claim(claim)
        self.references(self.extraction.references)

    # -- IRIs and entities ------------------------------------------------------------------

    def iri(self, key: str) -> URIRef:
        """IRI of an entity key ``{kind}/{slug}``; describes the entity on first use."""
        kind, slug = self._split(key)
        self.describe(key)
        return self.minter.entity(kind.value, slug)

    @staticmethod
    def _split(key: str) -> tuple[EntityKind, str]:
        kind_name, _, slug = key.partition("/")
        kind = _KINDS.get(kind_name)
        if kind is None or not slug or "/" in slug:
            msg = f"model: entity key must be '{{kind}}/{{slug}}' with a known kind (got {key!r})"
            raise CorpusError(msg)
        return kind, slug

    def describe(self, key: str) -> None:
        if key in self.described:
            return
        self.described.add(key)
        entity = self.entities.get(key) or self.catalog.get(key)
        kind, slug = self._split(key)
        if entity is None:
            label = slug.replace("-", " ").title()
            entity = Entity(key=key, kind=kind, label=label)
        self._entity(entity, self.minter.entity(kind.value, slug))

    def label_of(self, key: str | None) -> str:
        """The label of an entity key (from the extraction or catalog, else from its slug)."""
        if not key:
            return ""
        entity = self.entities.get(key) or self.catalog.get(key)
        if entity is not None:
            return entity.label
        return key.partition("/")[2].replace("-", " ").title()

    def _key_of(self, node: URIRef) -> str:
        """The entity key ``{kind}/{slug}`` of an entity IRI minted by this builder."""
        return str(node).removeprefix(self.minter.base + "id/")

    def _entity(self, entity: Entity, node: URIRef) -> None:
        add = self.add
        add((node, RDF.type, KIND_CLASS[entity.kind]))
        if entity.subtype:
            cls = subtype_class(entity.key, entity.kind, entity.subtype)
            if cls is not None:
                add((node, RDF.type, cls))
        label = self._label(entity.kind, entity.label)
        add((node, RDFS.label, label))
        add((node, SKOS.prefLabel, label))
        for alias in entity.aliases:
            if alias != entity.label:
                add((node, SKOS.altLabel, self._label(entity.kind, alias)))
        for language, text in entity.labels:
            add((node, RDFS.label, Literal(text, lang=language)))
        if entity.qid:
            wikidata = WD[entity.qid]
            add((node, OWL.sameAs, wikidata))
            add((node, AG.wikidata, wikidata))
            add((node, AG.linkSource, Literal(entity.qid_source or "unknown")))
        if entity.description:
            add((node, SCHEMA.description, Literal(entity.description, lang="en")))
        for name, value in entity.attributes:
            if name == "post":
                self._gazetteer_post(node, value)
                continue
            term = attribute_term(name)
            if term is not None:
                self._value(node, term[0], term[1], value)

    def _gazetteer_post(self, person: URIRef, value: str) -> None:
        """A post from the gazetteer: ``"Prime Minister (state/japan) 2010-06-08/2011-09-02"``."""
        match = _GAZETTEER_POST.match(value)
        if match is None:
            return
        qualifiers = {k: v for k, v in match.groupdict().items() if v}
        org_key = qualifiers.pop("of", None)
        self.tenure(person, qualifiers["post"], org_key, qualifiers)

    @staticmethod
    def _label(kind: EntityKind, text: str) -> Literal:
        # Titles of publications are kept as written (their language is not known); the
        # names of every other kind of entity are English labels.
        return Literal(text) if kind is EntityKind.PUBLICATION else Literal(text, lang="en")

    def _value(self, node: URIRef, prop: URIRef, kind: ValueKind, value: str) -> None:
        obj = self._object(kind, value)
        if obj is not None:
            self.add((node, prop, obj))

    def _object(self, kind: ValueKind, value: str) -> URIRef | Literal | None:
        if kind is ValueKind.ENTITY:
            return self.iri(value)
        if kind is ValueKind.DATE:
            return date_literal(value)
        if kind is ValueKind.YEAR:
            return year_literal(value)
        if kind is ValueKind.URI:
            return _url(value)
        return Literal(value)

    def person(self, name: str) -> URIRef:
        """IRI of a person named in metadata or a citation (an entity, or minted from the name)."""
        name = _display_name(name)
        key = self.by_name.get((EntityKind.PERSON, name.casefold()))
        if key is None:
            key = f"person/{slugify(name)}"
            if key not in self.entities and key not in self.catalog:
                self.entities[key] = Entity(key=key, kind=EntityKind.PERSON, label=name)
        return self.iri(key)

    def agency(self, name: str, subtype: str | None = None) -> URIRef:
        """IRI of an organization named in metadata or a citation (e.g. a publisher)."""
        key = self.by_name.get((EntityKind.ORGANIZATION, name.casefold()))
        if key is None:
            key = f"organization/{slugify(name)}"
            if key not in self.entities and key not in self.catalog:
                entity = Entity(key=key, kind=EntityKind.ORGANIZATION, label=name, subtype=subtype)
                self.entities[key] = entity
        return self.iri(key)

    # -- the document -----------------------------------------------------------------------

    def document(self, build_iri: URIRef | None) -> None:
        add, doc, node = self.add, self.doc, self.doc_iri
        meta = doc.meta
        cls = _genre_class(meta.genre)
        add((node, RDF.type, AG.Document))
        add((node, RDF.type, PROV.Entity))
        add((node, RDF.type, AG.Publication))
        if cls is not None:
            add((node, RDF.type, cls))
        title = meta.title or doc.doc_id
        add((node, RDFS.label, Literal(title)))
        add((node, DCTERMS.title, Literal(title)))
        add((node, AG.title, Literal(title)))
        add((node, AG.text, Literal(doc.text)))
        add((node, AG.sha256, Literal(doc.sha256)))
        for name in meta.authors:
            add((node, AG.author, self.person(name)))
        if meta.date:
            self._value(node, AG.date, ValueKind.DATE, meta.date)
            self._value(node, AG.year, ValueKind.YEAR, meta.date)
        if meta.publisher:
            add((node, AG.publisher, self.agency(meta.publisher, "Publisher")))
        if meta.doi and (doi := _doi(meta.doi)):
            add((node, AG.doi, Literal(doi)))
        if meta.url:
            self._value(node, AG.url, ValueKind.URI, meta.url)
        if meta.language:
            add((node, DCTERMS.language, Literal(meta.language)))
        if meta.rights:
            add((node, DCTERMS.rights, Literal(meta.rights)))
        if meta.container_title:
            container = self.minter.entity("publication", slugify(meta.container_title))
            self._container(container, meta.container_title, _CONTAINER_CLASS.get(cls))
            for name in meta.container_editors:
                add((container, AG.editor, self.person(name)))
            if meta.container_publisher:
                add((container, AG.publisher, self.agency(meta.container_publisher, "Publisher")))
            if meta.container_place:
                add((container, AG.placeOfPublication, Literal(meta.container_place)))
            add((node, AG.partOf, container))
        if build_iri is not None:
            add((node, PROV.wasGeneratedBy, build_iri))

    def _container(self, node: URIRef, title: str, cls: URIRef | None) -> None:
        add = self.add
        add((node, RDF.type, AG.Publication))
        if cls is not None:
            add((node, RDF.type, cls))
        add((node, RDFS.label, Literal(title)))
        add((node, AG.title, Literal(title)))

    # -- mentions ---------------------------------------------------------------------------

    def mentions(self, mentions: Iterable[Mention]) -> None:
        add, doc_iri = self.add, self.doc_iri
        seen = self.mention_spans
        for mention in mentions:
            span = (mention.start, mention.end)
            if span in seen:
                continue  # one annotation per span: the first resolution wins
            seen.add(span)
            if mention.key not in self.entities and mention.key not in self.catalog:
                kind, _ = self._split(mention.key)
                self.entities[mention.key] = Entity(mention.key, kind, mention.text)
            entity = self.iri(mention.key)
            node = self.annotation(mention.start, mention.end, OA.identifying)
            add((node, RDF.type, AG.Mention))
            add((node, OA.hasBody, entity))
            add((node, AG.method, Literal(mention.source)))
            add((doc_iri, AG.mentions, entity))

    def annotation(self, start: int, end: int, motivation: URIRef) -> URIRef:
        """The annotation of ``[start, end)`` with its target and two selectors.

        A passage (``oa:describing``) whose span is also an entity mention gets the mention's
        IRI plus ``/passage``, so that a mention keeps exactly one body.
        """
        text = self.doc.text
        if not 0 <= start <= end <= len(text):
            msg = (
                f"model: {self.doc.doc_id}: span must lie within the text of "
                f"{len(text)} characters (got {start}-{end})"
            )
            raise CorpusError(msg)
        add = self.add
        node = self.minter.mention(self.doc.doc_id, start, end)
        if motivation == OA.describing and (start, end) in self.mention_spans:
            node = URIRef(node + "/passage")
        target = URIRef(node + "#target")
        position = URIRef(node + "#position")
        quote = URIRef(node + "#quote")
        add((node, RDF.type, OA.Annotation))
        add((node, OA.motivatedBy, motivation))
        add((node, OA.hasTarget, target))
        add((target, RDF.type, OA.SpecificResource))
        add((target, OA.hasSource, self.doc_iri))
        add((target, OA.hasSelector, position))
        add((target, OA.hasSelector, quote))
        add((position, RDF.type, OA.TextPositionSelector))
        add((position, OA.start, Literal(start)))
        add((position, OA.end, Literal(end)))
        add((quote, RDF.type, OA.TextQuoteSelector))
        add((quote, OA.exact, Literal(text[start:end])))
        add((quote, OA.prefix, Literal(text[max(0, start - CONTEXT_CHARS) : start])))
        add((quote, OA.suffix, Literal(text[end : end + CONTEXT_CHARS])))
        return node

    # -- claims -----------------------------------------------------------------------------

    def claim(self, claim: Claim) -> None:
        add = self.add
        prop, kind = predicate_term(claim.predicate)
        flat = [part for pair in claim.qualifiers for part in pair]
        node = self.minter.claim(
            self.doc.doc_id,
            claim.subject,
            claim.predicate,
            claim.obj,
            str(claim.start),
            str(claim.end),
            *flat,
        )
        subject = self.iri(claim.subject)
        qualifiers = dict(claim.qualifiers)
        obj: URIRef | Literal | None
        if claim.predicate == "holdsPost":
            obj = self.post(claim, subject, qualifiers)
        elif claim.obj_is_entity:
            if kind is not ValueKind.ENTITY:
                msg = f"model: claim {claim.predicate} takes a literal object (got {claim.obj!r})"
                raise CorpusError(msg)
            obj = self.iri(claim.obj)
        else:
            obj = self._object(kind, claim.obj) if kind is not ValueKind.ENTITY else None
            if obj is None:
                msg = f"model: claim {claim.predicate} has no usable object (got {claim.obj!r})"
                raise CorpusError(msg)
        passage = self.annotation(claim.start, claim.end, OA.describing)
        add((passage, OA.hasBody, node))
        add((node, RDF.type, AG.Claim))
        add((node, RDF.type, RDF.Statement))
        add((node, RDF.subject, subject))
        add((node, RDF.predicate, prop))
        add((node, RDF.object, obj))
        add((node, PROV.wasDerivedFrom, passage))
        for name, prop_q in (("date", AG.date), ("start", AG.startDate), ("end", AG.endDate)):
            if name in qualifiers and (value := date_literal(qualifiers[name])) is not None:
                add((node, prop_q, value))
        add((subject, prop, obj))

    def post(self, claim: Claim, person: URIRef, qualifiers: dict[str, str]) -> URIRef:
        """Model ``holdsPost`` as a Post node (in an organization or state) and a Tenure node."""
        post_name = qualifiers.get("post") or (None if claim.obj_is_entity else claim.obj)
        org_key = qualifiers.get("organization") or (claim.obj if claim.obj_is_entity else None)
        if not post_name:
            msg = f"model: holdsPost claim of {claim.subject} needs a 'post' qualifier"
            raise CorpusError(msg)
        return self.tenure(person, post_name, org_key, qualifiers)

    def tenure(
        self, person: URIRef, post_name: str, org_key: str | None, qualifiers: dict[str, str]
    ) -> URIRef:
        """Add the Post node and the person's Tenure of it; return the post."""
        add = self.add
        org = self.iri(org_key) if org_key else None
        post = self.minter.entity("post", slugify(f"{post_name} {org_key or ''}"))
        add((post, RDF.type, AG.Post))
        # A post is read on its own ("Prime Minister of Japan"), not only beside its holder.
        post_label = f"{post_name} of {self.label_of(org_key)}" if org_key else post_name
        add((post, RDFS.label, Literal(post_label, lang="en")))
        if org is not None:
            add((post, AG.postIn, org))
        start = qualifiers.get("start") or qualifiers.get("date") or ""
        end = qualifiers.get("end") or ""
        tenure = self.minter.entity("tenure", short_hash(str(person), str(post), start, end))
        add((tenure, RDF.type, AG.Tenure))
        years = "–".join(d[:4] for d in (start, end) if d)
        holder = self.label_of(self._key_of(person))
        tenure_label = f"{holder} as {post_label}" + (f", {years}" if years else "")
        add((tenure, RDFS.label, Literal(tenure_label, lang="en")))
        add((tenure, AG.tenureOf, person))
        add((tenure, AG.post, post))
        add((person, AG.tenure, tenure))
        add((person, AG.holdsPost, post))
        if start and (value := date_literal(start)) is not None:
            add((tenure, AG.startDate, value))
        if end and (value := date_literal(end)) is not None:
            add((tenure, AG.endDate, value))
        return post

    # -- references -------------------------------------------------------------------------

    def references(self, references: Iterable[Reference]) -> None:
        # Full references first, so that short forms and Ibid. only add the citation.
        for ref in sorted(references, key=lambda r: (r.is_short_form, r.start)):
            known = ref.key in self.entities or ref.key in self.catalog
            if not ref.is_short_form and not known:
                label = ref.title or " ".join(ref.raw.split())
                self.entities[ref.key] = Entity(ref.key, EntityKind.PUBLICATION, label)
            node = self.iri(ref.key)
            self.add((self.doc_iri, AG.cites, node))
            if not ref.is_short_form:
                self.reference(node, ref)

    def reference(self, node: URIRef, ref: Reference) -> None:
        add = self.add
        cls = REFERENCE_KIND_CLASS.get(ref.kind)
        if cls is not None:
            add((node, RDF.type, cls))
        if ref.title:
            add((node, AG.title, Literal(ref.title)))
        for name in ref.authors:
            add((node, AG.author, self.person(name)))
        for name in ref.translators:
            add((node, AG.translator, self.person(name)))
        if ref.year:
            self._value(node, AG.year, ValueKind.YEAR, ref.year)
        if ref.date:
            self._value(node, AG.date, ValueKind.DATE, ref.date)
        for prop, value in (
            (AG.volume, ref.volume),
            (AG.issue, ref.issue),
            (AG.pages, ref.pages),
            (AG.placeOfPublication, ref.place),
        ):
            if value:
                add((node, prop, Literal(value)))
        if ref.doi and (doi := _doi(ref.doi)):
            add((node, AG.doi, Literal(doi)))
        if ref.url:
            self._value(node, AG.url, ValueKind.URI, ref.url)
        if ref.publisher:
            add((node, AG.publisher, self.agency(ref.publisher, "Publisher")))
        container = None
        if ref.container_key:
            container = self.iri(ref.container_key)
        elif ref.container_title:
            container = self.minter.entity("publication", slugify(ref.container_title))
        if container is not None:
            if ref.container_title:
                self._container(container, ref.container_title, _CONTAINER_CLASS.get(cls))
            add((node, AG.partOf, container))
        # In a chapter reference the editors are the volume's ("in X, ed. Y").
        edited = container if cls == AG.Chapter and container is not None else node
        for name in ref.editors:
            add((edited, AG.editor, self.person(name)))
        if ref.series:
            series = self.minter.entity("publication", slugify(ref.series))
            self._container(series, ref.series, AG.Series)
            add((container or node, AG.partOf, series))


def _genre_class(genre: str | None) -> URIRef | None:
    if not genre:
        return None
    lowered = genre.lower()
    for word, cls in _GENRE_CLASS:
        if word in lowered:
            return cls
    return None


def _display_name(name: str) -> str:
    """``"Sakata, Yasuyo"`` -> ``"Yasuyo Sakata"``; other names unchanged (stripped)."""
    name = " ".join(name.split())
    family, sep, given = name.partition(", ")
    if sep and given and "," not in given:
        return f"{given} {family}"
    return name


def _doi(value: str) -> str | None:
    """A DOI without resolver prefix or trailing punctuation, or None when it is not one."""
    doi = value.strip()
    for prefix in _DOI_PREFIXES:
        if doi.lower().startswith(prefix):
            doi = doi[len(prefix) :]
    doi = doi.rstrip(".,;:)")
    parts = doi.split("/", 1)
    ok = (
        len(parts) == 2
        and parts[0].startswith("10.")
        and parts[0][3:].isdigit()
        and 4 <= len(parts[0]) - 3 <= 9
        and parts[1]
        and not any(ch.isspace() for ch in parts[1])
    )
    return doi if ok else None


def _url(value: str) -> Literal | None:
    url = value.strip()
    if url.startswith(("http://", "https://")) and not any(ch.isspace() for ch in url):
        return Literal(url, datatype=XSD.anyURI)
    return None
