"""End to end: build the shipped corpus and check the published graph with SPARQL."""

from __future__ import annotations

import pyoxigraph as ox

from allygraph.settings import Settings
from allygraph.store import open_published

PREFIXES = """
PREFIX ag: <https://w3id.org/allygraph/ontology#>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
"""


def _ask(settings: Settings, body: str) -> bool:
    store = open_published(settings.store).store
    result = store.query(PREFIXES + "ASK {" + body + "}", use_default_graph_as_union=True)
    assert isinstance(result, ox.QueryBoolean)
    return bool(result)


def _select(settings: Settings, query: str) -> list[dict[str, str]]:
    store = open_published(settings.store).store
    rows = store.query(PREFIXES + query, use_default_graph_as_union=True)
    assert isinstance(rows, ox.QuerySolutions)
    names = [v.value for v in rows.variables]
    return [{n: row[n].value for n in names if row[n] is not None} for row in rows]


def test_one_named_graph_per_document(built_settings: Settings) -> None:
    """Each source document has its named graph, plus ontology and metadata graphs."""
    store = open_published(built_settings.store).store
    graphs = {g.value for g in store.named_graphs() if isinstance(g, ox.NamedNode)}
    base = built_settings.base_uri
    assert f"{base}graph/document/feng-2010-north-korea-convenient-threat" in graphs
    assert f"{base}graph/document/sakata-2011-korea-and-the-japan-us-alliance" in graphs
    assert f"{base}graph/ontology" in graphs
    assert f"{base}graph/meta" in graphs


def test_default_graph_has_set_semantics(built_settings: Settings) -> None:
    """An entity both documents describe has its label once in the default graph."""
    store = open_published(built_settings.store).store
    japan = f"<{built_settings.base_uri}id/state/japan>"
    rows = store.query(PREFIXES + f"SELECT (COUNT(*) AS ?n) WHERE {{ {japan} rdfs:label ?l }}")
    assert isinstance(rows, ox.QuerySolutions)
    labels = int(next(iter(rows))["n"].value)  # type: ignore[union-attr]
    graphs = store.query(f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ {japan} a ?t }} }}")
    assert isinstance(graphs, ox.QuerySolutions)
    assert len(list(graphs)) >= 2
    distinct = store.query(PREFIXES + f"SELECT DISTINCT ?l WHERE {{ {japan} rdfs:label ?l }}")
    assert isinstance(distinct, ox.QuerySolutions)
    assert labels == len(list(distinct))


def test_people_with_posts(built_settings: Settings) -> None:
    """Naoto Kan is a person who held the post of prime minister, with its passage."""
    base = built_settings.base_uri
    kan = f"<{base}id/person/naoto-kan>"
    assert _ask(built_settings, f"{kan} a ag:Person ; rdfs:label 'Naoto Kan'@en")
    assert _ask(built_settings, f"{kan} ag:holdsPost ?post . ?post rdfs:label ?l")
    assert _ask(
        built_settings,
        f"?c a ag:Claim ; rdf:subject {kan} ; rdf:predicate ag:holdsPost ; "
        "<http://www.w3.org/ns/prov#wasDerivedFrom> ?passage",
    )


def test_misspelled_base_is_resolved(built_settings: Settings) -> None:
    """'Hanamatsu Airbase' in the text is Hamamatsu Air Base, with the exact quote kept."""
    rows = _select(
        built_settings,
        """SELECT ?base ?exact WHERE {
             ?m oa:hasBody ?base ; oa:hasTarget/oa:hasSelector ?sel .
             ?sel a oa:TextQuoteSelector ; oa:exact ?exact .
             ?base a ag:MilitaryBase . FILTER(CONTAINS(?exact, "Hanamatsu")) }""",
    )
    assert rows
    assert rows[0]["base"].endswith("/id/base/hamamatsu-air-base")


def test_mentions_keep_exact_offsets(built_settings: Settings) -> None:
    """Every mention's quote equals the document text at its offsets."""
    rows = _select(
        built_settings,
        """SELECT ?exact ?start ?end ?text WHERE {
             ?m a ag:Mention ; oa:hasTarget ?t . ?t oa:hasSource ?doc ;
                oa:hasSelector ?q, ?p . ?q oa:exact ?exact . ?p oa:start ?start ; oa:end ?end .
             ?doc ag:text ?text } LIMIT 200""",
    )
    assert len(rows) >= 50
    for row in rows:
        assert row["text"][int(row["start"]) : int(row["end"])] == row["exact"]


def test_citations_and_short_forms(built_settings: Settings) -> None:
    """The chapter cites Alliance Adrift once, short form 'Funabashi, Alliance Adrift' included."""
    rows = _select(
        built_settings,
        """SELECT DISTINCT ?pub WHERE {
             ?doc ag:cites ?pub . ?pub ag:title ?t . FILTER(CONTAINS(?t, "Alliance Adrift")) }""",
    )
    assert len(rows) == 1
    assert _ask(
        built_settings,
        f"<{rows[0]['pub']}> ag:author ?a . ?a rdfs:label ?l . FILTER(CONTAINS(?l, 'Funabashi'))",
    )


def test_editors_of_the_volume(built_settings: Settings) -> None:
    """The chapter's edited volume and its three editors are in the graph."""
    rows = _select(
        built_settings,
        """SELECT DISTINCT ?l WHERE { ?vol ag:editor ?e . ?e rdfs:label ?l .
             ?vol ag:title ?t . FILTER(CONTAINS(?t, "U.S.-Japan Security Alliance")) }""",
    )
    labels = {r["l"] for r in rows}
    assert {"Takashi Inoguchi", "G. John Ikenberry", "Yoichiro Sato"} <= labels


def test_no_entities_from_furniture(built_settings: Settings) -> None:
    """Page furniture yields no mention: no quote is 'Google Scholar' or a price."""
    assert not _ask(
        built_settings,
        "?s oa:exact ?e . FILTER(CONTAINS(?e, 'Google Scholar') || CONTAINS(?e, 'USD'))",
    )


def test_wikidata_links_are_entity_iris(built_settings: Settings) -> None:
    """owl:sameAs links point to Wikidata entity IRIs."""
    rows = _select(built_settings, "SELECT ?q WHERE { ?e owl:sameAs ?q }")
    assert rows
    for row in rows:
        assert row["q"].startswith("http://www.wikidata.org/entity/Q")


def test_rebuild_without_change_reuses_everything(built_settings: Settings) -> None:
    """A second build of the same corpus re-extracts nothing and gives the same triples."""
    from allygraph.pipeline import build

    before = open_published(built_settings.store).release["triples"]
    result = build(built_settings)
    assert result.incremental
    assert all(d.reused for d in result.documents)
    assert result.triples == before
