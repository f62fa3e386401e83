"""A small hand-written release (document graphs shaped as in docs/architecture.md)."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from allygraph.store.release import ReleaseWriter

BASE = "http://127.0.0.1:8000/"

TEXT_A = (
    "In 2010 Prime Minister Naoto Kan met officials of the Ministry of Foreign Affairs. "
    "Kan later said that Futenma would stay in Okinawa.\n"
)
TEXT_B = "Feng argues that the Mutual Defense Treaty binds the United States and South Korea.\n"


def _mention(
    doc: str, text: str, start: int, end: int, body: str, motivation: str = "identifying"
) -> str:
    m = f"<{BASE}id/mention/{doc}/{start}-{end}>"
    t = f"<{BASE}id/mention/{doc}/{start}-{end}#target>"
    p = f"<{BASE}id/mention/{doc}/{start}-{end}#position>"
    q = f"<{BASE}id/mention/{doc}/{start}-{end}#quote>"
    exact = text[start:end]
    prefix = text[max(0, start - 20) : start].replace("\n", " ")
    suffix = text[end : end + 20].replace("\n", " ")
    body_line = f"oa:hasBody <{BASE}id/{body}> ;" if body else ""
    return f"""
{m} a oa:Annotation, ag:Mention ; oa:motivatedBy oa:{motivation} ; {body_line}
    oa:hasTarget {t} .
{t} a oa:SpecificResource ; oa:hasSource <{BASE}id/document/{doc}> ; oa:hasSelector {p}, {q} .
{p} a oa:TextPositionSelector ; oa:start {start} ; oa:end {end} .
{q} a oa:TextQuoteSelector ; oa:exact {ox.Literal(exact)} ; oa:prefix {ox.Literal(prefix)} ;
    oa:suffix {ox.Literal(suffix)} .
"""


def _span(text: str, needle: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(needle, start + 1)
    return start, start + len(needle)


PREFIXES = """
@prefix ag: <https://w3id.org/allygraph/ontology#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix oa: <http://www.w3.org/ns/oa#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix schema: <https://schema.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix wd: <http://www.wikidata.org/entity/> .
"""


def entities() -> str:
    """Entity descriptions shared by the document graphs."""
    b = BASE
    return f"""
<{b}id/person/naoto-kan> a ag:Person ; rdfs:label "Naoto Kan"@en, "菅直人"@ja ;
    skos:prefLabel "Naoto Kan"@en ; skos:altLabel "Kan"@en ;
    owl:sameAs wd:Q20738 ; ag:wikidata wd:Q20738 ; ag:linkSource "gazetteer" ;
    schema:description "Prime Minister of Japan (2010-2011)"@en ;
    ag:holdsPost <{b}id/post/prime-minister-of-japan> ;
    ag:tenure <{b}id/tenure/naoto-kan-pm> .
<{b}id/tenure/naoto-kan-pm> a ag:Tenure ; ag:tenureOf <{b}id/person/naoto-kan> ;
    rdfs:label "Naoto Kan as Prime Minister of Japan, 2010–2011"@en ;
    ag:post <{b}id/post/prime-minister-of-japan> ;
    ag:startDate "2010-06-08"^^xsd:date ; ag:endDate "2011-09-02"^^xsd:date .
<{b}id/post/prime-minister-of-japan> a ag:Post ; rdfs:label "Prime Minister of Japan"@en ;
    ag:postIn <{b}id/state/japan> .
<{b}id/state/japan> a ag:State ; rdfs:label "Japan"@en ; owl:sameAs wd:Q17 .
<{b}id/state/united-states> a ag:State ; rdfs:label "United States"@en ; owl:sameAs wd:Q30 .
<{b}id/state/south-korea> a ag:State ; rdfs:label "South Korea"@en ; owl:sameAs wd:Q884 .
<{b}id/place/okinawa> a ag:Place ; rdfs:label "Okinawa"@en ; ag:locatedIn <{b}id/state/japan> .
<{b}id/organization/mofa> a ag:Ministry ; rdfs:label "Ministry of Foreign Affairs"@en ;
    skos:altLabel "MOFA"@en ; ag:country <{b}id/state/japan> .
<{b}id/organization/us-marine-corps> a ag:ArmedForce ;
    rdfs:label "United States Marine Corps"@en ; skos:altLabel "USMC"@en .
<{b}id/base/futenma> a ag:MilitaryBase ; rdfs:label "Marine Corps Air Station Futenma"@en ;
    skos:altLabel "Futenma"@en ; ag:locatedIn <{b}id/place/okinawa> ;
    ag:country <{b}id/state/japan> ; ag:usedBy <{b}id/organization/us-marine-corps> .
<{b}id/treaty/mutual-defense-treaty> a ag:Treaty ;
    rdfs:label "Mutual Defense Treaty Between the United States and the Republic of Korea"@en ;
    skos:altLabel "Mutual Defense Treaty"@en ; ag:signedDate "1953-10-01"^^xsd:date ;
    ag:party <{b}id/state/united-states>, <{b}id/state/south-korea> .
<{b}id/publication/cha-2010-powerplay> a ag:JournalArticle ;
    rdfs:label "Powerplay: Origins of the U.S. Alliance System in Asia"@en ;
    ag:title "Powerplay: Origins of the U.S. Alliance System in Asia" ; ag:year "2010"^^xsd:gYear .
"""


def document_graph(
    doc: str, text: str, title: str, mentions: list[tuple[str, str, int]], cites: list[str]
) -> str:
    """TriG of one document graph."""
    b = BASE
    parts = [
        f"""
<{b}id/document/{doc}> a ag:Document, prov:Entity, ag:Chapter ; dcterms:title {ox.Literal(title)} ;
    ag:text {ox.Literal(text)} ; ag:sha256 "0000" ;
    ag:mentions {", ".join(f"<{b}id/{key}>" for key, _, _ in mentions)} ;
    prov:wasGeneratedBy <{b}id/build/abc123> .
<{b}id/build/abc123> a ag:Build, prov:Activity ; rdfs:label "build abc123" .
"""
    ]
    for c in cites:
        parts.append(f"<{b}id/document/{doc}> ag:cites <{b}id/{c}> .\n")
    parts.append(entities())
    for key, needle, nth in mentions:
        start, end = _span(text, needle, nth)
        parts.append(_mention(doc, text, start, end, key))
    return f"<{b}graph/document/{doc}> {{\n" + "\n".join(parts) + "\n}\n"


def claim_graph_extra(doc: str, text: str) -> str:
    """A claim with its sentence, in document A's graph."""
    b = BASE
    start, end = _span(text, "Kan later said that Futenma would stay in Okinawa.")
    return f"""<{b}graph/document/{doc}> {{
<{b}id/claim/{doc}/c1> a ag:Claim, rdf:Statement ; rdf:subject <{b}id/base/futenma> ;
    rdf:predicate ag:locatedIn ; rdf:object <{b}id/place/okinawa> ;
    prov:wasDerivedFrom <{b}id/mention/{doc}/{start}-{end}> .
{_mention(doc, text, start, end, "", "describing")}
}}
"""


ONTOLOGY = """
<{b}graph/ontology> {{
<https://w3id.org/allygraph/ontology> a owl:Ontology ; rdfs:label "allygraph ontology"@en .
ag:Person a owl:Class ; rdfs:label "person"@en .
ag:Treaty a owl:Class ; rdfs:label "treaty"@en .
ag:MilitaryBase a owl:Class ; rdfs:label "military base"@en .
ag:State a owl:Class ; rdfs:label "state"@en .
ag:Document a owl:Class ; rdfs:label "document"@en .
ag:holdsPost a owl:ObjectProperty ; rdfs:label "holds post"@en .
ag:locatedIn a owl:ObjectProperty ; rdfs:label "located in"@en .
ag:cites a owl:ObjectProperty ; rdfs:label "cites"@en .
ag:party a owl:ObjectProperty ; rdfs:label "party"@en .
}}
"""


def trig() -> str:
    """The whole sample dataset as TriG."""
    a = document_graph(
        "sakata-2011",
        TEXT_A,
        "Korea and the Japan-U.S. Alliance",
        [
            ("person/naoto-kan", "Naoto Kan", 0),
            ("organization/mofa", "Ministry of Foreign Affairs", 0),
            ("person/naoto-kan", "Kan", 1),
            ("base/futenma", "Futenma", 0),
            ("place/okinawa", "Okinawa", 0),
        ],
        ["publication/cha-2010-powerplay"],
    )
    b = document_graph(
        "feng-2010",
        TEXT_B,
        "North Korea: a convenient threat",
        [
            ("treaty/mutual-defense-treaty", "Mutual Defense Treaty", 0),
            ("state/united-states", "United States", 0),
            ("state/south-korea", "South Korea", 0),
        ],
        ["publication/cha-2010-powerplay"],
    )
    return PREFIXES + a + b + claim_graph_extra("sakata-2011", TEXT_A) + ONTOLOGY.format(b=BASE)


def _load(release: ReleaseWriter, data: bytes, fmt: ox.RdfFormat) -> None:
    """Load quads with the writer's loader (which also keeps the default graph, their merge)."""
    release.load_file(data, fmt, BASE + "graph/load/sample")


def build_remote_release(url: str) -> str:
    """Write and publish the sample release to a SPARQL store at ``url``; return its id."""
    from allygraph.store import RemoteReleaseWriter

    with RemoteReleaseWriter(url, base_uri=BASE) as release:
        release.load_file(trig().encode(), ox.RdfFormat.TRIG, BASE + "graph/load/sample")
        total, graphs = release.count()
        release.write_file("validation.ttl", VALIDATION)
        return release.publish(_info(total, graphs))


def _info(total: int, graphs: dict[str, int]) -> dict[str, object]:
    return {
        "base_uri": BASE,
        "triples": total,
        "graphs": graphs,
        "documents": {"sakata-2011": "0000", "feng-2010": "0000"},
        "conforms": True,
    }


VALIDATION = (
    b"@prefix sh: <http://www.w3.org/ns/shacl#> .\n[] a sh:ValidationReport ; sh:conforms true .\n"
)


def build_release(root: Path, extra: bytes | None = None) -> Path:
    """Write and publish the sample release under ``root``; return the release folder."""
    with ReleaseWriter(root) as release:
        _load(release, trig().encode(), ox.RdfFormat.TRIG)
        if extra:
            _load(release, extra, ox.RdfFormat.N_QUADS)
        total, graphs = release.count()
        release.write_file("validation.ttl", VALIDATION)
        return release.publish(_info(total, graphs))
