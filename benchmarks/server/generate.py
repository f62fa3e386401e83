"""Deterministic generator of realistic allygraph data for the server benchmark.

Usage:
    python benchmarks/server/generate.py --triples 100000 --out /tmp/ag-bench-100k

Writes ``OUT/store`` (a published release, as ``allygraph build`` would), ``OUT/data.nq``
(N-Quads with the per-document graphs), ``OUT/data.nt`` (the union, for servers without
named graphs) and ``OUT/constants.json`` (IRIs and label prefixes the query mix draws from).
The same seed and size always give the same bytes.

The shape follows docs/architecture.md: one named graph per source document holding the
document, the description of every entity it mentions, its mentions (Web Annotation with
position and quote selectors) and the works it cites.
"""

from __future__ import annotations

import argparse
import json
import random
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox

from allygraph.store.release import ReleaseWriter

BASE = "http://127.0.0.1:8000/"
AG = "https://w3id.org/allygraph/ontology#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
OA = "http://www.w3.org/ns/oa#"
DCT = "http://purl.org/dc/terms/"
XSD = "http://www.w3.org/2001/XMLSchema#"
OWL = "http://www.w3.org/2002/07/owl#"

GIVEN = [
    "Naoto",
    "Shinzo",
    "Yukio",
    "Taro",
    "Kurt",
    "Richard",
    "Joseph",
    "Victor",
    "Kim",
    "Park",
    "Moon",
    "Lee",
    "Ichiro",
    "Junichiro",
    "Condoleezza",
    "Robert",
    "Sheila",
    "Michael",
    "Hitoshi",
    "Akiko",
    "Seiji",
    "Katsuya",
    "Toshimitsu",
    "Jeffrey",
]
FAMILY = [
    "Kan",
    "Abe",
    "Hatoyama",
    "Aso",
    "Campbell",
    "Armitage",
    "Nye",
    "Cha",
    "Dae-jung",
    "Geun-hye",
    "Jae-in",
    "Myung-bak",
    "Ozawa",
    "Koizumi",
    "Rice",
    "Gates",
    "Smith",
    "Green",
    "Tanaka",
    "Sato",
    "Maehara",
    "Okada",
    "Kitazawa",
    "Hornung",
    "Calder",
]
POSTS = [
    "Prime Minister",
    "Foreign Minister",
    "Defense Minister",
    "Ambassador",
    "Secretary of State",
    "Secretary of Defense",
    "Chief Cabinet Secretary",
    "President",
    "Commander",
    "Deputy Secretary",
]
PLACES = [
    "Okinawa",
    "Kanagawa",
    "Aomori",
    "Tokyo",
    "Seoul",
    "Busan",
    "Pyeongtaek",
    "Guam",
    "Hawaii",
    "Yamaguchi",
    "Nagasaki",
    "Gyeonggi",
]
STATES = [
    "Japan",
    "United States",
    "South Korea",
    "North Korea",
    "China",
    "Russia",
    "Australia",
    "Philippines",
]
FORCES = [
    "United States Marine Corps",
    "United States Air Force",
    "United States Navy",
    "United States Army",
    "Japan Ground Self-Defense Force",
    "Japan Maritime Self-Defense Force",
    "Japan Air Self-Defense Force",
    "Republic of Korea Army",
]
WORDS = [
    "alliance",
    "security",
    "deterrence",
    "base",
    "relocation",
    "treaty",
    "crisis",
    "burden",
    "sharing",
    "nuclear",
    "missile",
    "diplomacy",
    "normalization",
    "guidelines",
    "cooperation",
    "strategy",
    "politics",
    "history",
    "Okinawa",
    "Korea",
    "Japan",
    "power",
]


def n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def lit(text: str, lang: str | None = None) -> ox.Literal:
    return ox.Literal(text, language=lang) if lang else ox.Literal(text)


def typed(text: str, datatype: str) -> ox.Literal:
    return ox.Literal(text, datatype=n(XSD + datatype))


class World:
    """The entity pool: every entity with the triples that describe it."""

    def __init__(self, rng: random.Random, size: int) -> None:
        self.rng = rng
        self.desc: dict[str, list[tuple[ox.NamedNode, ox.NamedNode, ox.Term]]] = {}
        self.by_kind: dict[str, list[str]] = {}
        self.labels: dict[str, str] = {}
        states = [self._add("state", s, "State", []) for s in STATES]
        places = [
            self._add("place", p, "Place", [(AG + "locatedIn", n(rng.choice(states[:3])))])
            for p in PLACES
        ]
        forces = [
            self._add(
                "organization", f, "ArmedForce", [(AG + "country", n(rng.choice(states[:3])))]
            )
            for f in FORCES
        ]
        posts = [
            self._add("post", f"{p} of {s}", "Post", [(AG + "postIn", n(states[i]))])
            for p in POSTS
            for i, s in enumerate(STATES[:4])
        ]
        for i in range(max(20, size // 40)):
            name = f"{rng.choice(GIVEN)} {rng.choice(FAMILY)} {i}"
            post = rng.choice(posts)
            start = rng.randint(1950, 2015)
            self._add(
                "person",
                name,
                "Person",
                [
                    (AG + "holdsPost", n(post)),
                    (SKOS + "altLabel", lit(name.split()[1], "en")),
                    (
                        "https://schema.org/description",
                        lit(f"{self.labels[post]} from {start}", "en"),
                    ),
                ],
            )
        for i in range(max(10, size // 400)):
            name = f"{rng.choice(PLACES)} Air Station {i}"
            self._add(
                "base",
                name,
                "MilitaryBase",
                [
                    (AG + "locatedIn", n(rng.choice(places))),
                    (AG + "usedBy", n(rng.choice(forces))),
                    (AG + "usedBy", n(rng.choice(forces))),
                ],
            )
        for i in range(max(10, size // 800)):
            a, b = rng.sample(states, 2)
            year = rng.randint(1945, 2015)
            self._add(
                "treaty",
                f"Treaty of {rng.choice(WORDS).title()} {year} {i}",
                "Treaty",
                [
                    (AG + "party", n(a)),
                    (AG + "party", n(b)),
                    (
                        AG + "signedDate",
                        typed(f"{year}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}", "date"),
                    ),
                ],
            )
        people = self.by_kind["person"]
        for i in range(max(40, size // 100)):
            title = " ".join(rng.choice(WORDS) for _ in range(5)).capitalize() + f" {i}"
            self._add(
                "publication",
                title,
                "JournalArticle",
                [
                    (AG + "title", lit(title)),
                    (AG + "author", n(rng.choice(people))),
                    (AG + "year", typed(str(rng.randint(1960, 2020)), "gYear")),
                ],
            )

    def _add(self, kind: str, label: str, cls: str, extra: list[tuple[str, ox.Term]]) -> str:
        slug = "-".join(label.lower().replace(".", "").split())
        iri = f"{BASE}id/{kind}/{slug}"
        triples = [
            (n(iri), n(RDF + "type"), n(AG + cls)),
            (n(iri), n(RDFS + "label"), lit(label, "en")),
            (n(iri), n(SKOS + "prefLabel"), lit(label, "en")),
        ]
        if self.rng.random() < 0.4:
            qid = f"http://www.wikidata.org/entity/Q{self.rng.randint(1000, 9_999_999)}"
            triples += [(n(iri), n(OWL + "sameAs"), n(qid)), (n(iri), n(AG + "wikidata"), n(qid))]
        triples += [(n(iri), n(p), o) for p, o in extra]
        self.desc[iri] = triples
        self.by_kind.setdefault(kind, []).append(iri)
        self.labels[iri] = label
        return iri


def document(world: World, rng: random.Random, index: int) -> list[ox.Quad]:
    """One document graph: the document, mentioned entities, mentions and citations."""
    doc_id = f"doc-{index:05d}"
    doc = n(f"{BASE}id/document/{doc_id}")
    graph = n(f"{BASE}graph/document/{doc_id}")
    quads: list[ox.Quad] = []

    def add(s: ox.NamedNode, p: str, o: ox.Term) -> None:
        quads.append(ox.Quad(s, n(p), o, graph))

    add(doc, RDF + "type", n(AG + "Document"))
    add(doc, RDF + "type", n(AG + "Chapter"))
    add(doc, DCT + "title", lit(" ".join(rng.choice(WORDS) for _ in range(6)).capitalize()))
    kinds = ["person"] * 5 + ["base"] * 2 + ["treaty", "place", "state", "organization", "post"]
    mentioned: dict[str, None] = {}
    for _ in range(rng.randint(25, 45)):
        pool = world.by_kind[rng.choice(kinds)]
        # a skewed pick: a few entities are mentioned everywhere, most rarely
        mentioned[
            pool[
                min(int(rng.paretovariate(1.2)) - 1, len(pool) - 1)
                if rng.random() < 0.5
                else rng.randrange(len(pool))
            ]
        ] = None
    offset = 0
    for iri in mentioned:
        add(doc, AG + "mentions", n(iri))
        for s, p, o in world.desc[iri]:
            quads.append(ox.Quad(s, p, o, graph))
        for _ in range(rng.randint(1, 3)):
            offset += rng.randint(40, 400)
            label = world.labels[iri]
            start, end = offset, offset + len(label)
            m = f"{BASE}id/mention/{doc_id}/{start}-{end}"
            add(n(m), RDF + "type", n(OA + "Annotation"))
            add(n(m), RDF + "type", n(AG + "Mention"))
            add(n(m), OA + "motivatedBy", n(OA + "identifying"))
            add(n(m), OA + "hasBody", n(iri))
            add(n(m), OA + "hasTarget", n(m + "#target"))
            add(n(m + "#target"), OA + "hasSource", doc)
            add(n(m + "#target"), OA + "hasSelector", n(m + "#position"))
            add(n(m + "#target"), OA + "hasSelector", n(m + "#quote"))
            add(n(m + "#position"), OA + "start", typed(str(start), "integer"))
            add(n(m + "#position"), OA + "end", typed(str(end), "integer"))
            add(n(m + "#quote"), OA + "exact", lit(label))
            add(n(m + "#quote"), OA + "prefix", lit(" ".join(rng.choice(WORDS) for _ in range(4))))
            add(n(m + "#quote"), OA + "suffix", lit(" ".join(rng.choice(WORDS) for _ in range(4))))
    for pub in rng.sample(world.by_kind["publication"], min(30, len(world.by_kind["publication"]))):
        add(doc, AG + "cites", n(pub))
        for s, p, o in world.desc[pub]:
            quads.append(ox.Quad(s, p, o, graph))
    return quads


def documents(target: int, seed: int = 20240601) -> tuple[World, Iterator[list[ox.Quad]]]:
    """The entities, and the document graphs one by one until about ``target`` quads."""
    rng = random.Random(seed)
    world = World(rng, target)

    def each() -> Iterator[list[ox.Quad]]:
        count = index = 0
        while count < target:
            quads = document(world, rng, index)
            count += len(quads)
            index += 1
            yield quads

    return world, each()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--triples", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=20240601)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument(
        "--no-union", action="store_true", help="skip data.nt (it holds every triple in memory)"
    )
    args = parser.parse_args()
    world, docs = documents(args.triples, args.seed)
    args.out.mkdir(parents=True, exist_ok=True)
    nq_path = args.out / "data.nq"
    union: dict[bytes, None] = {}
    graphs: list[str] = []
    total = 0
    # Streamed a document at a time, so 10M quads fit in memory.
    with nq_path.open("wb") as nq:
        for quads in docs:
            total += len(quads)
            graphs.append(quads[0].graph_name.value)
            chunk = ox.serialize(quads, format=ox.RdfFormat.N_QUADS) or b""
            nq.write(chunk)
            if not args.no_union:
                triples = ox.serialize((q.triple for q in quads), format=ox.RdfFormat.N_TRIPLES)
                union.update(dict.fromkeys((triples or b"").splitlines(keepends=True)))
    if not args.no_union:
        (args.out / "data.nt").write_bytes(b"".join(union))
    store = args.out / "store"
    with ReleaseWriter(store) as release:
        # The writer's loader also fills the default graph with the merge of the graphs.
        release.load_file(nq_path, ox.RdfFormat.N_QUADS, BASE + "graph/load/bench")
        count, per_graph = release.count()
        release.publish(
            {
                "base_uri": BASE,
                "triples": count,
                "graphs": per_graph,
                "documents": {},
                "conforms": True,
            }
        )
    constants = dict(world.by_kind.items()) | {
        "prefixes": sorted({world.labels[i][:3].lower() for i in world.by_kind["person"]}),
        "documents": sorted(set(graphs)),
    }
    (args.out / "constants.json").write_text(json.dumps(constants))
    distinct = f"{len(union)} distinct triples, " if union else ""
    print(f"{total} quads, {distinct}{len(graphs)} document graphs -> {args.out}")


if __name__ == "__main__":
    main()
