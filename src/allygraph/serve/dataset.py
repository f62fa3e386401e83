"""The dataset described (VoID + DCAT) and dumped (Turtle, N-Triples, N-Quads, TriG, JSON-LD).

Dumps are written once per release, on first request, into a cache folder beside the release
when it is writable (``<release>/dumps``), else under the temporary directory; each file is
written to a temporary name and renamed, so a reader never sees half a dump. ``SHA256SUMS``
lists their checksums. Dumps produced by ``allygraph export`` into ``<release>/dumps`` are
served as they are.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

__all__ = ["DUMPS", "Dump", "dump_dir", "ensure_dump", "void_triples"]

VOID = "http://rdfs.org/ns/void#"
DCAT = "http://www.w3.org/ns/dcat#"
DCT = "http://purl.org/dc/terms/"
SD = "http://www.w3.org/ns/sparql-service-description#"
SPDX = "http://spdx.org/rdf/terms#"
XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
OWL_SAME = "http://www.w3.org/2002/07/owl#sameAs"
FOAF_PAGE = "http://xmlns.com/foaf/0.1/homepage"


@dataclass(frozen=True, slots=True)
class Dump:
    """One dump file.

    Attributes:
        name: File name under ``/dumps/``.
        media_type: Its media type (of the uncompressed content for ``.gz``).
        rdf_format: pyoxigraph format used to write it.
        quads: Whether it keeps the named graphs (N-Quads, TriG, JSON-LD).
        gzip: Whether the file is gzip-compressed.
    """

    name: str
    media_type: str
    rdf_format: ox.RdfFormat
    quads: bool
    gzip: bool = False


DUMPS: tuple[Dump, ...] = (
    Dump("allygraph.ttl", "text/turtle", ox.RdfFormat.TURTLE, quads=False),
    Dump("allygraph.nt.gz", "application/n-triples", ox.RdfFormat.N_TRIPLES, False, gzip=True),
    Dump("allygraph.nq.gz", "application/n-quads", ox.RdfFormat.N_QUADS, True, gzip=True),
    Dump("allygraph.trig", "application/trig", ox.RdfFormat.TRIG, quads=True),
    Dump("allygraph.jsonld", "application/ld+json", ox.RdfFormat.JSON_LD, quads=True),
)

PREFIXES = {
    "ag": "https://w3id.org/allygraph/ontology#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "oa": "http://www.w3.org/ns/oa#",
    "prov": "http://www.w3.org/ns/prov#",
    "dcterms": DCT,
    "schema": "https://schema.org/",
    "xsd": XSD,
    "wd": "http://www.wikidata.org/entity/",
}


def dump_dir(release_dir: Path | None, name: str = "") -> Path:
    """Where the dumps of a release live (created if needed).

    A remote release has no folder (``release_dir`` None): its dumps go to the temporary
    directory under the release's ``name``.
    """
    if release_dir is not None:
        own = release_dir / "dumps"
        if own.is_dir() or os.access(release_dir, os.W_OK):
            own.mkdir(exist_ok=True)
            return own
        name = release_dir.name
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in name) or "remote"
    folder = Path(tempfile.gettempdir()) / "allygraph-dumps" / safe
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def ensure_dump(
    store: ox.Store, folder: Path, dump: Dump, *, materialized: bool = False
) -> tuple[Path, str]:
    """Write a dump unless it exists; return its path and SHA-256.

    Dumps with graphs hold the named graphs only. ``materialized``: the store's default graph
    is the merge of the named graphs, so the union dumps are read from it directly.
    """
    path = folder / dump.name
    sums = folder / (dump.name + ".sha256")
    if path.is_file() and sums.is_file():
        return path, sums.read_text(encoding="utf-8").split()[0]
    tmp = folder / f".{dump.name}.{os.getpid()}.tmp"
    data: list[ox.Quad] | list[ox.Triple]
    if dump.quads:
        data = [
            q
            for q in store.quads_for_pattern(None, None, None)
            if not isinstance(q.graph_name, ox.DefaultGraph)
        ]
    else:
        graph = ox.DefaultGraph() if materialized else None
        seen = {
            ox.Triple(q.subject, q.predicate, q.object)
            for q in store.quads_for_pattern(None, None, None, graph)
        }
        data = sorted(seen, key=str)
    prefixes = (
        None if dump.rdf_format in (ox.RdfFormat.N_TRIPLES, ox.RdfFormat.N_QUADS) else (PREFIXES)
    )
    if dump.gzip:
        raw = ox.serialize(data, format=dump.rdf_format) or b""
        with gzip.open(tmp, "wb", compresslevel=6) as handle:
            handle.write(raw)
    else:
        ox.serialize(data, str(tmp), format=dump.rdf_format, prefixes=prefixes)
    digest = hashlib.sha256(tmp.read_bytes()).hexdigest()
    os.replace(tmp, path)
    sums.write_text(f"{digest}  {dump.name}\n", encoding="utf-8")
    return path, digest


def _n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def _int(value: int) -> ox.Literal:
    return ox.Literal(str(value), datatype=_n(XSD + "integer"))


def void_triples(
    store: ox.Store,
    base: str,
    release: dict[str, object],
    checksums: dict[str, str],
    *,
    materialized: bool = False,
) -> list[ox.Triple]:
    """VoID and DCAT description of the dataset, computed from the store.

    Class and property partitions count over the merge of all graphs (distinct triples: read
    from the default graph when it is ``materialized``, else over ``GRAPH ?g``); named graphs
    are ``void:subset`` s with their ``sd:name``; the Wikidata linkset counts ``owl:sameAs``
    links.
    """

    def pat(pattern: str) -> str:
        return pattern if materialized else f"GRAPH ?g {{ {pattern} }}"

    ds = _n(base + ".well-known/void#dataset")
    out: list[ox.Triple] = []

    def add(
        s: ox.NamedNode | ox.BlankNode, p: str, o: ox.NamedNode | ox.BlankNode | ox.Literal
    ) -> None:
        out.append(ox.Triple(s, _n(p), o))

    out.append(ox.Triple(ds, RDF_TYPE, _n(VOID + "Dataset")))
    out.append(ox.Triple(ds, RDF_TYPE, _n(DCAT + "Dataset")))
    add(ds, DCT + "title", ox.Literal("allygraph knowledge graph", language="en"))
    add(
        ds,
        DCT + "description",
        ox.Literal(
            "People, treaties, military bases, agencies, publications, states, places and events "
            "extracted from texts on the US-Japan alliance and Korea, each statement traced to the "
            "passage that supports it. One named graph per source document; the SPARQL default "
            "graph is their union"
            + (" (the RDF merge: duplicates removed)." if materialized else "."),
            language="en",
        ),
    )
    add(ds, DCT + "license", _n("https://www.apache.org/licenses/LICENSE-2.0"))
    add(ds, FOAF_PAGE, _n(base))
    add(ds, VOID + "sparqlEndpoint", _n(base + "sparql"))
    add(ds, VOID + "uriSpace", ox.Literal(base + "id/"))
    add(ds, VOID + "vocabulary", _n("https://w3id.org/allygraph/ontology#"))
    add(ds, DCT + "conformsTo", _n("https://w3id.org/allygraph/shapes"))
    add(ds, DCT + "identifier", ox.Literal(str(release.get("name", ""))))
    created = release.get("created")
    if isinstance(created, str):
        add(ds, DCT + "modified", ox.Literal(created))
    rows = store.query(
        "SELECT (COUNT(*) AS ?n) { SELECT DISTINCT ?s ?p ?o { " + pat("?s ?p ?o") + " } }"
    )
    assert isinstance(rows, ox.QuerySolutions)
    total = next(iter(rows))["n"]
    add(ds, VOID + "triples", _int(int(total.value if total else 0)))
    counts = {
        "entities": "SELECT (COUNT(DISTINCT ?s) AS ?n) { " + pat("?s ?p ?o") + " }",
        "distinctSubjects": "SELECT (COUNT(DISTINCT ?s) AS ?n) { " + pat("?s ?p ?o") + " }",
        "distinctObjects": "SELECT (COUNT(DISTINCT ?o) AS ?n) { " + pat("?s ?p ?o") + " }",
        "properties": "SELECT (COUNT(DISTINCT ?p) AS ?n) { " + pat("?s ?p ?o") + " }",
        "classes": "SELECT (COUNT(DISTINCT ?c) AS ?n) { " + pat("?s a ?c") + " }",
    }
    for name, query in counts.items():
        result = store.query(query)
        assert isinstance(result, ox.QuerySolutions)
        value = next(iter(result))["n"]
        add(ds, VOID + name, _int(int(value.value if value else 0)))
    classes = store.query(
        "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) { " + pat("?s a ?c") + " } GROUP BY ?c ORDER BY ?c"
    )
    assert isinstance(classes, ox.QuerySolutions)
    for i, row in enumerate(classes):
        part = ox.BlankNode(f"class{i}")
        add(ds, VOID + "classPartition", part)
        add(part, VOID + "class", row["c"])
        add(part, VOID + "entities", _int(int(row["n"].value)))
    props = store.query(
        "SELECT ?p (COUNT(*) AS ?n) { SELECT DISTINCT ?s ?p ?o "
        "{ " + pat("?s ?p ?o") + " } } GROUP BY ?p ORDER BY ?p"
    )
    assert isinstance(props, ox.QuerySolutions)
    for i, row in enumerate(props):
        part = ox.BlankNode(f"property{i}")
        add(ds, VOID + "propertyPartition", part)
        add(part, VOID + "property", row["p"])
        add(part, VOID + "triples", _int(int(row["n"].value)))
    graphs = release.get("graphs")
    graph_counts: dict[str, int] = dict(graphs) if isinstance(graphs, dict) else {}
    if not graph_counts:
        for g in store.named_graphs():
            if isinstance(g, ox.NamedNode):
                graph_counts[g.value] = sum(1 for _ in store.quads_for_pattern(None, None, None, g))
    for i, (name, count) in enumerate(sorted(graph_counts.items())):
        sub = ox.BlankNode(f"graph{i}")
        add(ds, VOID + "subset", sub)
        out.append(ox.Triple(sub, RDF_TYPE, _n(VOID + "Dataset")))
        add(sub, SD + "name", _n(name))
        add(sub, VOID + "triples", _int(int(count)))
    links = store.query(
        f"SELECT (COUNT(*) AS ?n) {{ SELECT DISTINCT ?s ?o {{ {pat(f'?s <{OWL_SAME}> ?o')} "
        f"FILTER(STRSTARTS(STR(?o), 'http://www.wikidata.org/entity/')) }} }}"
    )
    assert isinstance(links, ox.QuerySolutions)
    n_links = next(iter(links))["n"]
    linkset = _n(base + ".well-known/void#wikidata")
    wikidata = _n("http://www.wikidata.org/")
    out.append(ox.Triple(linkset, RDF_TYPE, _n(VOID + "Linkset")))
    add(linkset, VOID + "subjectsTarget", ds)
    add(linkset, VOID + "objectsTarget", wikidata)
    add(linkset, VOID + "linkPredicate", _n(OWL_SAME))
    add(linkset, VOID + "triples", _int(int(n_links.value if n_links else 0)))
    add(ds, VOID + "subset", linkset)
    out.append(ox.Triple(wikidata, RDF_TYPE, _n(VOID + "Dataset")))
    add(wikidata, VOID + "sparqlEndpoint", _n("https://query.wikidata.org/sparql"))
    examples = store.query(
        "SELECT DISTINCT ?s { " + pat("?s a ?c") + " FILTER(STRSTARTS(STR(?s), "
        f"'{base}id/') && !STRSTARTS(STR(?s), '{base}id/mention/') && "
        f"!STRSTARTS(STR(?s), '{base}id/claim/')) }} ORDER BY ?s LIMIT 5"
    )
    assert isinstance(examples, ox.QuerySolutions)
    for row in examples:
        add(ds, VOID + "exampleResource", row["s"])
    for dump in DUMPS:
        url = _n(base + "dumps/" + dump.name)
        add(ds, VOID + "dataDump", url)
        dist = _n(base + "dumps/" + dump.name + "#distribution")
        add(ds, DCAT + "distribution", dist)
        out.append(ox.Triple(dist, RDF_TYPE, _n(DCAT + "Distribution")))
        add(dist, DCAT + "downloadURL", url)
        add(
            dist,
            DCAT + "mediaType",
            _n("https://www.iana.org/assignments/media-types/" + dump.media_type),
        )
        if dump.gzip:
            add(
                dist,
                DCAT + "compressFormat",
                _n("https://www.iana.org/assignments/media-types/application/gzip"),
            )
        if dump.name in checksums:
            ck = ox.BlankNode(f"ck{dump.name.replace('.', '_')}")
            add(dist, SPDX + "checksum", ck)
            add(ck, SPDX + "algorithm", _n(SPDX + "checksumAlgorithm_sha256"))
            add(ck, SPDX + "checksumValue", ox.Literal(checksums[dump.name]))
    service = _n(base + "sparql")
    add(ds, DCAT + "distribution", _n(base + "sparql#distribution"))
    add(_n(base + "sparql#distribution"), DCAT + "accessService", service)
    out.append(ox.Triple(service, RDF_TYPE, _n(DCAT + "DataService")))
    add(service, DCAT + "endpointURL", service)
    add(service, DCAT + "servesDataset", ds)
    add(ds, DCT + "source", _n(base + "validation"))
    return out
