"""Namespaces, IRI minting and the RDF format registry: the shared floor of every layer.

IRIs minted for data live under the configurable base (``Settings.base_uri``)::

    {base}id/{kind}/{slug}                 an entity: person, treaty, base, organization, ...
    {base}id/document/{doc_id}             a source document
    {base}id/mention/{doc_id}/{start}-{end} a mention (W3C Web Annotation)
    {base}id/claim/{doc_id}/{hash}         a claim (reified statement with its passage)
    {base}id/{other}/{slug}                posts, tenures and other auxiliary nodes
    {base}graph/document/{doc_id}          the named graph of one source document
    {base}graph/ontology, {base}graph/meta the ontology and dataset-metadata graphs

The ontology namespace (:data:`AG`) does not depend on the base.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from enum import Enum

from rdflib import Namespace, URIRef

__all__ = [
    "AG",
    "BIBO",
    "CITO",
    "DCAT",
    "FABIO",
    "FOAF",
    "NIF",
    "OA",
    "ONTOLOGY_IRI",
    "ORG",
    "PROV",
    "SCHEMA",
    "SD",
    "SHAPES_IRI",
    "VOID",
    "WD",
    "WDT",
    "Minter",
    "RdfFormat",
    "short_hash",
    "slugify",
]

ONTOLOGY_IRI = "https://w3id.org/allygraph/ontology"
SHAPES_IRI = "https://w3id.org/allygraph/shapes"
AG = Namespace(ONTOLOGY_IRI + "#")
SCHEMA = Namespace("https://schema.org/")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
ORG = Namespace("http://www.w3.org/ns/org#")
BIBO = Namespace("http://purl.org/ontology/bibo/")
FABIO = Namespace("http://purl.org/spar/fabio/")
CITO = Namespace("http://purl.org/spar/cito/")
PROV = Namespace("http://www.w3.org/ns/prov#")
OA = Namespace("http://www.w3.org/ns/oa#")
NIF = Namespace("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#")
VOID = Namespace("http://rdfs.org/ns/void#")
DCAT = Namespace("http://www.w3.org/ns/dcat#")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
WD = Namespace("http://www.wikidata.org/entity/")
WDT = Namespace("http://www.wikidata.org/prop/direct/")

_NON_SLUG = re.compile(r"[^a-z0-9]+")


def slugify(text: str, max_length: int = 80) -> str:
    """Return a stable, IRI-safe slug: ASCII letters and digits joined by single hyphens.

    >>> slugify("Naoto Kan")
    'naoto-kan'
    >>> slugify("Shinzō Abe")
    'shinzo-abe'
    >>> slugify("U.S.-Japan Security Treaty")
    'u-s-japan-security-treaty'
    """
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = _NON_SLUG.sub("-", folded.lower()).strip("-")
    if len(slug) > max_length:
        slug = slug[:max_length].rsplit("-", 1)[0] or slug[:max_length]
    return slug or "x-" + short_hash(text)


def short_hash(*parts: str, length: int = 12) -> str:
    """Return a short, stable hex digest of the parts (for IRIs of derived nodes).

    >>> short_hash("a", "b") == short_hash("a", "b")
    True
    """
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()
    return digest[:length]


@dataclass(frozen=True, slots=True)
class Minter:
    """Mint the IRIs of one dataset under its base.

    >>> m = Minter("http://127.0.0.1:8000/")
    >>> str(m.entity("person", "naoto-kan"))
    'http://127.0.0.1:8000/id/person/naoto-kan'
    >>> str(m.mention("feng-2010", 10, 20))
    'http://127.0.0.1:8000/id/mention/feng-2010/10-20'
    """

    base: str

    def entity(self, kind: str, slug: str) -> URIRef:
        """IRI of an entity (or auxiliary node) of the given kind."""
        return URIRef(f"{self.base}id/{kind}/{slug}")

    def document(self, doc_id: str) -> URIRef:
        """IRI of a source document."""
        return URIRef(f"{self.base}id/document/{doc_id}")

    def mention(self, doc_id: str, start: int, end: int) -> URIRef:
        """IRI of the mention at ``[start, end)`` of a document."""
        return URIRef(f"{self.base}id/mention/{doc_id}/{start}-{end}")

    def claim(self, doc_id: str, *key: str) -> URIRef:
        """IRI of a claim of a document, stable for the same key."""
        return URIRef(f"{self.base}id/claim/{doc_id}/{short_hash(*key)}")

    def document_graph(self, doc_id: str) -> URIRef:
        """IRI of the named graph that holds what one document says."""
        return URIRef(f"{self.base}graph/document/{doc_id}")

    def graph(self, name: str) -> URIRef:
        """IRI of a service graph: ``ontology`` or ``meta``."""
        return URIRef(f"{self.base}graph/{name}")


class RdfFormat(Enum):
    """RDF serializations allygraph reads and writes, with media type and file extension."""

    TURTLE = ("turtle", "text/turtle", "ttl", False)
    NTRIPLES = ("ntriples", "application/n-triples", "nt", False)
    NQUADS = ("nquads", "application/n-quads", "nq", True)
    TRIG = ("trig", "application/trig", "trig", True)
    JSONLD = ("jsonld", "application/ld+json", "jsonld", True)
    RDFXML = ("rdfxml", "application/rdf+xml", "rdf", False)

    def __init__(self, key: str, media_type: str, file_extension: str, datasets: bool) -> None:
        self.key = key
        self.media_type = media_type
        self.file_extension = file_extension
        self.supports_datasets = datasets

    @classmethod
    def from_name(cls, name: str) -> RdfFormat:
        """Look a format up by key, file extension or media type.

        >>> RdfFormat.from_name("ttl") is RdfFormat.TURTLE
        True
        >>> RdfFormat.from_name("application/ld+json") is RdfFormat.JSONLD
        True
        """
        wanted = name.strip().lower().lstrip(".")
        aliases = {
            "nt": "ntriples",
            "nq": "nquads",
            "json-ld": "jsonld",
            "xml": "rdfxml",
            "rdf": "rdfxml",
            "owl": "rdfxml",
            "n-triples": "ntriples",
            "n-quads": "nquads",
            "ttl": "turtle",
            "json": "jsonld",
        }
        wanted = aliases.get(wanted, wanted)
        for fmt in cls:
            if wanted in (fmt.key, fmt.media_type, fmt.file_extension):
                return fmt
        offered = ", ".join(f.key for f in cls)
        msg = f"unknown RDF format {name!r} (offered: {offered})"
        raise ValueError(msg)
