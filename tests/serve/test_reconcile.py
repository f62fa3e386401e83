"""The /reconcile service on a tiny app over a hand-made release (no server engineer needed)."""

from __future__ import annotations

import json
import types
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # starlette's TestClient warns about httpx on import
    from fastapi.testclient import TestClient

from allygraph.serve.routers import reconcile
from allygraph.store import ReleaseWriter, open_published

BASE = "http://example.org/ag/"

TTL = """
@prefix ag: <https://w3id.org/allygraph/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix schema: <https://schema.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix wd: <http://www.wikidata.org/entity/> .
@prefix id: <http://example.org/ag/id/> .

<http://example.org/ag/id/document/d1> a ag:Document ; ag:mentions id:person\\/naoto-kan .
<http://example.org/ag/id/mention/d1/0-9> a ag:Mention .

<http://example.org/ag/id/person/junichiro-koizumi> a ag:Person ;
    rdfs:label "Junichiro Koizumi"@en, "小泉純一郎"@ja ; skos:prefLabel "Junichiro Koizumi"@en ;
    skos:altLabel "Koizumi"@en ; schema:description "Prime Minister of Japan (2001-2006)"@en ;
    owl:sameAs wd:Q130852 ; ag:wikidata wd:Q130852 ; ag:linkSource "gazetteer" .
<http://example.org/ag/id/person/shinjiro-koizumi> a ag:Person ;
    rdfs:label "Shinjiro Koizumi"@en ; skos:altLabel "Koizumi"@en ;
    owl:sameAs wd:Q661410 ; ag:wikidata wd:Q661410 ; ag:linkSource "gazetteer" .
<http://example.org/ag/id/person/naoto-kan> a ag:Person ;
    rdfs:label "Naoto Kan"@en ; skos:altLabel "Kan"@en, "Kan Naoto"@en ;
    schema:description "Prime Minister of Japan (2010-2011)"@en ;
    owl:sameAs wd:Q47846 ; ag:wikidata wd:Q47846 ; ag:linkSource "gazetteer" ;
    ag:affiliatedWith <http://example.org/ag/id/organization/democratic-party-of-japan> .
<http://example.org/ag/id/person/yoichi-funabashi> a ag:Person ;
    rdfs:label "Yoichi Funabashi"@en ;
    ag:affiliatedWith <http://example.org/ag/id/organization/asahi-shimbun> .
<http://example.org/ag/id/organization/asahi-shimbun> a ag:Agency, ag:Newspaper ;
    rdfs:label "Asahi Shimbun"@en ; ag:country <http://example.org/ag/id/state/japan> .
<http://example.org/ag/id/organization/democratic-party-of-japan> a ag:Agency, ag:PoliticalParty ;
    rdfs:label "Democratic Party of Japan"@en ; skos:altLabel "DPJ"@en .
<http://example.org/ag/id/organization/ministry-of-foreign-affairs-japan> a ag:Agency, ag:Ministry ;
    rdfs:label "Ministry of Foreign Affairs of Japan"@en ; skos:altLabel "MOFA"@en ;
    ag:country <http://example.org/ag/id/state/japan> .
<http://example.org/ag/id/state/japan> a ag:State ; rdfs:label "Japan"@en, "日本"@ja ;
    owl:sameAs wd:Q17 ; ag:wikidata wd:Q17 ; ag:linkSource "gazetteer" .
<http://example.org/ag/id/state/united-states> a ag:State ; rdfs:label "United States"@en ;
    skos:altLabel "U.S."@en ; owl:sameAs wd:Q30 ; ag:wikidata wd:Q30 ; ag:linkSource "gazetteer" .
<http://example.org/ag/id/treaty/guidelines-1997> a ag:Treaty ;
    rdfs:label "Guidelines for Japan-U.S. Defense Cooperation (1997)"@en ;
    skos:altLabel "the Guidelines"@en, "1997 Guidelines"@en ;
    ag:signedDate "1997-09-23"^^xsd:date ;
    ag:party id:state\\/japan, id:state\\/united-states .
<http://example.org/ag/id/treaty/guidelines-2015> a ag:Treaty ;
    rdfs:label "Guidelines for Japan-U.S. Defense Cooperation (2015)"@en ;
    skos:altLabel "the Guidelines"@en, "2015 Guidelines"@en ;
    ag:signedDate "2015-04-27"^^xsd:date ;
    ag:party id:state\\/japan, id:state\\/united-states .
"""

ONTOLOGY = """
@prefix ag: <https://w3id.org/allygraph/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
ag:Person rdfs:label "person"@en ; skos:definition "A human being."@en .
ag:Agency rdfs:label "agency"@en .
ag:GovernmentAgency rdfs:label "government agency"@en ; rdfs:subClassOf ag:Agency .
ag:Ministry rdfs:label "ministry"@en ; rdfs:subClassOf ag:GovernmentAgency .
ag:Newspaper rdfs:label "newspaper"@en ; rdfs:subClassOf ag:Agency .
ag:PoliticalParty rdfs:label "political party"@en ; rdfs:subClassOf ag:Agency .
ag:Treaty rdfs:label "treaty"@en .
ag:State rdfs:label "state"@en .
ag:signedDate rdfs:label "signed date"@en .
ag:party rdfs:label "party"@en .
ag:country rdfs:label "country"@en .
ag:affiliatedWith rdfs:label "affiliated with"@en .
"""


def build_reconcile_store(root: Path) -> Path:
    """Publish a small release (one document graph and the ontology graph) under root."""
    import pyoxigraph as ox

    with ReleaseWriter(root) as release:
        release.replace_graph(f"{BASE}graph/document/d1", TTL.encode(), ox.RdfFormat.TURTLE)
        release.replace_graph(f"{BASE}graph/ontology", ONTOLOGY.encode(), ox.RdfFormat.TURTLE)
        release.publish({"base_uri": BASE})
    return root


@pytest.fixture(scope="module")
def recon(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """A TestClient of FastAPI() + the reconcile router over the small release."""
    root = build_reconcile_store(tmp_path_factory.mktemp("reconcile-store"))
    app = FastAPI()
    app.include_router(reconcile.router)
    app.state.allygraph = types.SimpleNamespace(published=open_published(root), base=BASE, cache={})
    with TestClient(app, base_url="http://testserver") as client:
        yield client


def _query(client: TestClient, batch: dict, method: str = "post") -> dict:
    if method == "post":
        response = client.post("/reconcile", data={"queries": json.dumps(batch)})
    else:
        response = client.get("/reconcile", params={"queries": json.dumps(batch)})
    assert response.status_code == 200, response.text
    return response.json()


def test_manifest_describes_the_service(recon: TestClient) -> None:
    """GET /reconcile without parameters is the manifest with absolute service URLs."""
    manifest = recon.get("/reconcile").json()
    assert manifest["versions"] == ["0.2"]
    assert manifest["identifierSpace"] == f"{BASE}id/"
    assert manifest["view"]["url"] == f"{BASE}id/{{{{id}}}}"
    assert manifest["preview"]["url"] == "http://testserver/reconcile/preview?id={{id}}"
    assert manifest["suggest"]["entity"]["service_url"] == "http://testserver/reconcile"
    assert {"id": "Person", "name": "person"} in manifest["defaultTypes"]


def test_exact_name_is_a_match(recon: TestClient) -> None:
    """A unique exact name is the first candidate, scores 100 and is a match."""
    result = _query(recon, {"q0": {"query": "Naoto Kan", "type": "Person"}})["q0"]["result"]
    top = result[0]
    assert (top["id"], top["score"], top["match"]) == ("person/naoto-kan", 100.0, True)
    assert top["type"] == [{"id": "Person", "name": "person"}]
    assert top["description"].startswith("Prime Minister")


def test_spelling_variants_find_the_entity(recon: TestClient) -> None:
    """Macrons, case, order and an alternative label still find the entity."""
    batch = {
        "a": {"query": "kan naoto"},
        "b": {"query": "JUNICHIRO KOIZUMI"},
        "c": {"query": "Yoichi Funabshi"},  # misspelt
        "d": {"query": "MOFA"},
    }
    results = _query(recon, batch, method="get")
    assert results["a"]["result"][0]["id"] == "person/naoto-kan"
    assert results["b"]["result"][0]["match"] is True
    assert results["c"]["result"][0]["id"] == "person/yoichi-funabashi"
    assert results["c"]["result"][0]["match"] is False
    assert results["d"]["result"][0]["id"] == "organization/ministry-of-foreign-affairs-japan"


def test_shared_name_is_never_a_match(recon: TestClient) -> None:
    """Two Koizumis share the alternative label: both are candidates, neither a match."""
    result = _query(recon, {"q": {"query": "Koizumi"}})["q"]["result"]
    ids = {r["id"] for r in result[:2]}
    assert ids == {"person/junichiro-koizumi", "person/shinjiro-koizumi"}
    assert not any(r["match"] for r in result)


def test_property_constraint_decides_between_namesakes(recon: TestClient) -> None:
    """'the Guidelines' and a signing date rank the 1997 Guidelines first, yet no match:
    the name is shared by several Guidelines, so only a person should decide."""
    date = {"pid": "signedDate", "v": "1997-09-23"}
    batch = {"q": {"query": "the Guidelines", "properties": [date]}}
    top, second = _query(recon, batch)["q"]["result"][:2]
    assert top["id"] == "treaty/guidelines-1997"
    assert top["match"] is False
    assert top["score"] > second["score"]
    assert {"id": "property_signedDate", "value": 1.0} in top["features"]


def test_wikidata_qid_as_property_or_query(recon: TestClient) -> None:
    """A QID finds its entity, as a property constraint or as the query itself."""
    batch = {
        "p": {"query": "Koizumi", "properties": [{"pid": "wikidata", "v": "Q661410"}]},
        "q": {"query": "Q130852"},
        "i": {"query": f"{BASE}id/state/japan"},
    }
    results = _query(recon, batch)
    assert results["p"]["result"][0]["id"] == "person/shinjiro-koizumi"
    assert results["q"]["result"][0]["id"] == "person/junichiro-koizumi"
    assert results["q"]["result"][0]["match"] is True
    assert results["i"]["result"][0]["id"] == "state/japan"


def test_entity_valued_constraint(recon: TestClient) -> None:
    """A reconciled value ({id}) of an entity property is compared by id."""
    constraint = {"pid": "affiliatedWith", "v": {"id": "organization/asahi-shimbun"}}
    batch = {"q": {"query": "Funabashi", "properties": [constraint]}}
    top = _query(recon, batch)["q"]["result"][0]
    assert top["id"] == "person/yoichi-funabashi"
    assert {"id": "property_affiliatedWith", "value": 1.0} in top["features"]


def test_properties_only_query(recon: TestClient) -> None:
    """A query without a name finds entities by their properties alone."""
    batch = {"q": {"type": "Person", "properties": [{"pid": "wikidata", "v": "Q47846"}]}}
    result = _query(recon, batch)["q"]["result"]
    assert [r["id"] for r in result] == ["person/naoto-kan"]
    assert result[0]["match"] is True


def test_type_filter_includes_subclasses(recon: TestClient) -> None:
    """Type Agency also finds a Ministry; type Person excludes it."""
    results = _query(
        recon,
        {
            "a": {"query": "Ministry of Foreign Affairs", "type": "Agency"},
            "p": {"query": "Ministry of Foreign Affairs", "type": ["Person"]},
            "s": {
                "query": "Ministry of Foreign Affairs",
                "type": "Person",
                "type_strict": "should",
            },
        },
    )
    assert results["a"]["result"][0]["id"] == "organization/ministry-of-foreign-affairs-japan"
    assert all(r["id"].startswith("person/") for r in results["p"]["result"])
    should = [r for r in results["s"]["result"] if r["id"].startswith("organization/ministry")]
    assert should
    assert {"id": "type_match", "value": False} in should[0]["features"]


def test_limit_is_applied(recon: TestClient) -> None:
    """limit caps the number of candidates."""
    result = _query(recon, {"q": {"query": "Japan", "limit": 2}})["q"]["result"]
    assert len(result) <= 2


def test_auxiliary_nodes_are_not_entities(recon: TestClient) -> None:
    """Documents and mentions are not offered as reconciliation candidates."""
    result = _query(recon, {"q": {"query": "document d1"}})["q"]["result"]
    assert all(not r["id"].startswith(("document/", "mention/")) for r in result)


@pytest.mark.parametrize(
    ("params", "status", "message"),
    [
        ({"queries": "{not json"}, 400, "must be JSON"),
        ({"queries": json.dumps({"q": {"limit": 1}})}, 400, "breaks the 0.2 schema"),
        ({"queries": json.dumps({"q": {"query": "x", "props": []}})}, 400, "breaks the 0.2"),
        ({"queries": json.dumps({"q": {"query": 5}})}, 400, "breaks the 0.2 schema"),
        ({"queries": json.dumps({"q": {"properties": []}})}, 400, "breaks the 0.2 schema"),
        ({"queries": json.dumps([{"query": "x"}])}, 400, "breaks the 0.2 schema"),
        ({"extend": json.dumps({"ids": ["state/japan"]})}, 400, "extend: the query breaks"),
        ({"extend": json.dumps({"ids": [], "properties": [{"id": "nope"}]})}, 400, "unknown"),
        ({"queries": json.dumps({str(i): {"query": "x"} for i in range(101)})}, 413, "at most"),
        ({"callback": "alert(1)//"}, 400, "callback"),
    ],
)
def test_bad_requests_get_the_error_shape(
    recon: TestClient, params: dict, status: int, message: str
) -> None:
    """Malformed requests get {status: error, message, details} and a 4xx status."""
    for response in (recon.get("/reconcile", params=params), recon.post("/reconcile", data=params)):
        assert response.status_code == status
        body = response.json()
        assert body["status"] == "error"
        assert message in body["message"]


def test_jsonp_callback(recon: TestClient) -> None:
    """A callback parameter wraps the JSON for old web clients."""
    response = recon.get("/reconcile", params={"callback": "cb"})
    assert response.headers["content-type"].startswith("application/javascript")
    assert response.text.startswith("/**/cb({")


def test_suggest_entity_prefix_and_cursor(recon: TestClient) -> None:
    """Names starting with the prefix come first; a cursor pages on."""
    body = recon.get("/reconcile/suggest/entity", params={"prefix": "koi"}).json()
    ids = [r["id"] for r in body["result"]]
    assert set(ids[:2]) == {"person/junichiro-koizumi", "person/shinjiro-koizumi"}
    assert body["result"][0]["notable"] == [{"id": "Person", "name": "person"}]
    paged = recon.get("/reconcile/suggest/entity", params={"prefix": "koi", "cursor": 1}).json()
    assert [r["id"] for r in paged["result"]] == ids[1:]
    by_id = recon.get("/reconcile/suggest/entity", params={"prefix": "state/japan"}).json()
    assert by_id["result"][0]["id"] == "state/japan"
    typed = recon.get("/reconcile/suggest/entity", params={"prefix": "j", "type": "State"}).json()
    assert [r["id"] for r in typed["result"]] == ["state/japan"]


def test_suggest_type_and_property(recon: TestClient) -> None:
    """Types come with their broader classes; properties include the Wikidata QID."""
    types_ = recon.get("/reconcile/suggest/type", params={"prefix": "min"}).json()["result"]
    assert types_[0]["id"] == "Ministry"
    assert types_[0]["broader"] == [{"id": "GovernmentAgency", "name": "government agency"}]
    props = recon.get("/reconcile/suggest/property", params={"prefix": "wiki"}).json()["result"]
    assert props[0]["id"] == "wikidata"
    assert recon.get("/reconcile/suggest/type", params={"cursor": -1}).status_code == 422


def test_propose_properties_for_a_type(recon: TestClient) -> None:
    """Properties proposed for Treaty are those treaties use, plus labels and wikidata."""
    body = recon.get("/reconcile/properties", params={"type": "Treaty"}).json()
    ids = [p["id"] for p in body["properties"]]
    assert body["type"] == "Treaty"
    assert "signedDate" in ids
    assert "party" in ids
    assert "wikidata" in ids
    assert "affiliatedWith" not in ids
    limited = recon.get("/reconcile/properties", params={"type": "Treaty", "limit": 2}).json()
    assert len(limited["properties"]) == 2
    assert limited["limit"] == 2


def test_data_extension(recon: TestClient) -> None:
    """extend returns QIDs (with Wikidata's service), entity values, dates and strings."""
    query = {
        "ids": ["person/naoto-kan", "treaty/guidelines-1997", "person/nobody"],
        "properties": [
            {"id": "wikidata"},
            {"id": "affiliatedWith"},
            {"id": "signedDate"},
            {"id": "party", "settings": {"limit": 1}},
            {"id": "linkSource"},
        ],
    }
    response = recon.post("/reconcile", data={"extend": json.dumps(query)})
    assert response.status_code == 200
    body = response.json()
    meta = {m["id"]: m for m in body["meta"]}
    assert meta["wikidata"]["service"].startswith("https://")
    kan = body["rows"]["person/naoto-kan"]
    assert kan["wikidata"] == [{"id": "Q47846", "name": "Q47846"}]
    assert kan["affiliatedWith"] == [
        {"id": "organization/democratic-party-of-japan", "name": "Democratic Party of Japan"}
    ]
    assert kan["linkSource"] == [{"str": "gazetteer"}]
    guidelines = body["rows"]["treaty/guidelines-1997"]
    assert guidelines["signedDate"] == [{"date": "1997-09-23T00:00:00Z"}]
    assert len(guidelines["party"]) == 1
    assert body["rows"]["person/nobody"]["wikidata"] == []


def test_preview_and_flyout_show_the_wikidata_link(recon: TestClient) -> None:
    """The preview names the entity, its Wikidata QID and where the link came from."""
    page = recon.get("/reconcile/preview", params={"id": "person/naoto-kan"})
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert "Naoto Kan" in page.text
    assert "https://www.wikidata.org/wiki/Q47846" in page.text
    assert "[gazetteer]" in page.text
    flyout = recon.get("/reconcile/flyout/entity", params={"id": "person/naoto-kan"}).json()
    assert flyout["id"] == "person/naoto-kan"
    assert "Q47846" in flyout["html"]
    assert recon.get("/reconcile/preview", params={"id": "person/nobody"}).status_code == 404
    missing = recon.get("/reconcile/flyout/entity", params={"id": "person/nobody"})
    assert missing.status_code == 404
    assert missing.json()["status"] == "error"


def test_cors_is_left_to_the_app() -> None:
    """The router adds no CORS itself: the app's CORSMiddleware covers every endpoint."""
    assert reconcile.router.prefix == "/reconcile"
