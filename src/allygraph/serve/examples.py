"""Prefixes and example queries of the query editor; each example answers a real question."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["EXAMPLES", "PREFIXES", "Example", "prefix_block"]

PREFIXES: dict[str, str] = {
    "ag": "https://w3id.org/allygraph/ontology#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "schema": "https://schema.org/",
    "oa": "http://www.w3.org/ns/oa#",
    "prov": "http://www.w3.org/ns/prov#",
    "wd": "http://www.wikidata.org/entity/",
}


def prefix_block(names: tuple[str, ...] | None = None) -> str:
    """PREFIX lines for the given prefixes (all when None)."""
    chosen = names or tuple(PREFIXES)
    return "".join(f"PREFIX {n}: <{PREFIXES[n]}>\n" for n in chosen)


@dataclass(frozen=True, slots=True)
class Example:
    """An example query of the editor.

    Attributes:
        key: Stable identifier (used in URLs and tests).
        question: The question it answers, in plain words.
        query: The SPARQL text, prefixes included.
    """

    key: str
    question: str
    query: str


_LABEL = "OPTIONAL {{ {v} rdfs:label {l} FILTER(langMatches(lang({l}), 'en') || lang({l}) = '') }}"


def _label(var: str) -> str:
    return _LABEL.format(v=f"?{var}", l=f"?{var}Label")


EXAMPLES: tuple[Example, ...] = (
    Example(
        "posts",
        "Who held which post, and when?",
        prefix_block(("ag", "rdfs"))
        + f"""
SELECT DISTINCT ?person ?personLabel ?post ?postLabel ?start ?end WHERE {{
  ?person ag:holdsPost ?post .
  OPTIONAL {{
    {{ ?person ag:tenure ?tenure }} UNION {{ ?tenure ag:tenureOf ?person }}
    ?tenure ag:post ?post .
    OPTIONAL {{ ?tenure ag:startDate ?start }}
    OPTIONAL {{ ?tenure ag:endDate ?end }}
  }}
  {_label("person")}
  {_label("post")}
}}
ORDER BY ?personLabel ?start
LIMIT 200
""",
    ),
    Example(
        "citations",
        "Which works does each source document (chapter, article) cite?",
        prefix_block(("ag", "rdfs", "dcterms"))
        + f"""
SELECT ?document ?documentTitle ?work ?workLabel ?year WHERE {{
  ?document a ag:Document ; ag:cites ?work .
  OPTIONAL {{ ?document dcterms:title ?documentTitle }}
  OPTIONAL {{ ?work ag:year ?year }}
  {_label("work")}
}}
ORDER BY ?document ?year
LIMIT 500
""",
    ),
    Example(
        "bases",
        "Which bases host which forces, and where are they?",
        prefix_block(("ag", "rdfs"))
        + f"""
SELECT DISTINCT ?base ?baseLabel ?force ?forceLabel ?place ?placeLabel WHERE {{
  ?base a ag:MilitaryBase ; ag:usedBy ?force .
  OPTIONAL {{ ?base ag:locatedIn ?place . {_label("place")} }}
  {_label("base")}
  {_label("force")}
}}
ORDER BY ?baseLabel
LIMIT 200
""",
    ),
    Example(
        "treaties",
        "Which treaties bind which states?",
        prefix_block(("ag", "rdfs"))
        + f"""
SELECT ?treaty ?treatyLabel (GROUP_CONCAT(DISTINCT ?stateLabel; separator=", ") AS ?parties)
       (SAMPLE(?signed) AS ?signedDate) WHERE {{
  ?treaty a ag:Treaty ; ag:party ?state .
  OPTIONAL {{ ?treaty ag:signedDate ?signed }}
  {_label("treaty")}
  {_label("state")}
}}
GROUP BY ?treaty ?treatyLabel
ORDER BY ?signedDate
""",
    ),
    Example(
        "mentioned",
        "Which people are mentioned most often, and in how many documents?",
        prefix_block(("ag", "rdfs", "oa"))
        + f"""
SELECT ?person ?personLabel (COUNT(DISTINCT ?mention) AS ?mentions)
       (COUNT(DISTINCT ?document) AS ?documents) WHERE {{
  ?person a ag:Person .
  ?mention oa:hasBody ?person ; oa:hasTarget/oa:hasSource ?document .
  {_label("person")}
}}
GROUP BY ?person ?personLabel
ORDER BY DESC(?mentions)
LIMIT 50
""",
    ),
    Example(
        "graphs",
        "Which named graph (source document) says what, and how much?",
        """SELECT ?graph (COUNT(*) AS ?triples) WHERE {
  GRAPH ?graph { ?s ?p ?o }
}
GROUP BY ?graph
ORDER BY DESC(?triples)
""",
    ),
)
