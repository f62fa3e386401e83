"""Load driver: a query mix against any SPARQL endpoint; QPS and p50 / p99 per query.

Usage:
    python benchmarks/server/load.py --endpoint http://127.0.0.1:8000/sparql \
        --constants /tmp/ag-bench-1m/constants.json --concurrency 8 --seconds 20

Each of ``--concurrency`` threads keeps one HTTP/1.1 connection and loops over the mix in
order (entity lookup, DESCRIBE, label search, 3-way join, aggregate, property path,
CONSTRUCT, ASK), drawing the constants of every request from the data with a per-thread
seeded RNG. SELECT/ASK ask for SPARQL JSON, CONSTRUCT/DESCRIBE for Turtle; no compression.
Any non-200 answer counts as an error. ``--only ask-empty`` measures ``ASK {}`` alone.
"""

from __future__ import annotations

import argparse
import http.client
import json
import random
import statistics
import threading
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlencode, urlsplit

AG = "https://w3id.org/allygraph/ontology#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OA = "http://www.w3.org/ns/oa#"
JSON_ACCEPT = "application/sparql-results+json"
TURTLE = "text/turtle"

Query = Callable[[random.Random, dict[str, list[str]]], tuple[str, str]]


def entity_lookup(r: random.Random, c: dict[str, list[str]]) -> tuple[str, str]:
    e = r.choice(c["person"])
    return f"SELECT ?p ?o WHERE {{ <{e}> ?p ?o }}", JSON_ACCEPT


def describe(r: random.Random, c: dict[str, list[str]]) -> tuple[str, str]:
    return f"DESCRIBE <{r.choice(c['base'])}>", TURTLE


def label_search(r: random.Random, c: dict[str, list[str]]) -> tuple[str, str]:
    prefix = r.choice(c["prefixes"])
    return (
        f"SELECT ?s ?l WHERE {{ ?s <{RDFS}label> ?l "
        f'FILTER(STRSTARTS(LCASE(STR(?l)), "{prefix}")) }} LIMIT 20'
    ), JSON_ACCEPT


def join3(r: random.Random, c: dict[str, list[str]]) -> tuple[str, str]:
    state = r.choice(c["state"][:4])
    return (
        f"SELECT DISTINCT ?person ?label ?post WHERE {{ ?person <{AG}holdsPost> ?post . "
        f"?post <{AG}postIn> <{state}> . ?person <{RDFS}label> ?label }} LIMIT 100"
    ), JSON_ACCEPT


def aggregate(r: random.Random, c: dict[str, list[str]]) -> tuple[str, str]:
    e = r.choice(c["person"][:200])
    return (
        f"SELECT ?doc (COUNT(?m) AS ?n) WHERE {{ ?m <{OA}hasBody> <{e}> ; <{OA}hasTarget> ?t ."
        f" ?t <{OA}hasSource> ?doc }} GROUP BY ?doc ORDER BY DESC(?n)"
    ), JSON_ACCEPT


def path(r: random.Random, c: dict[str, list[str]]) -> tuple[str, str]:
    base = r.choice(c["base"])
    return f"SELECT DISTINCT ?place WHERE {{ <{base}> <{AG}locatedIn>+ ?place }}", JSON_ACCEPT


def construct(r: random.Random, c: dict[str, list[str]]) -> tuple[str, str]:
    e = r.choice(c["treaty"])
    return (
        f"CONSTRUCT {{ <{e}> ?p ?o . ?s ?q <{e}> }} WHERE {{ {{ <{e}> ?p ?o }} UNION "
        f"{{ ?s ?q <{e}> }} }}"
    ), TURTLE


def ask(r: random.Random, c: dict[str, list[str]]) -> tuple[str, str]:
    return f"ASK {{ <{r.choice(c['person'])}> a <{AG}Person> }}", JSON_ACCEPT


def ask_empty(r: random.Random, c: dict[str, list[str]]) -> tuple[str, str]:
    return "ASK {}", JSON_ACCEPT


MIX: dict[str, Query] = {
    "entity": entity_lookup,
    "describe": describe,
    "label-search": label_search,
    "join3": join3,
    "aggregate": aggregate,
    "path": path,
    "construct": construct,
    "ask": ask,
}


def run(
    endpoint: str,
    constants: dict[str, list[str]],
    concurrency: int,
    seconds: float,
    mix: dict[str, Query],
) -> dict[str, object]:
    parts = urlsplit(endpoint)
    latencies: dict[str, list[float]] = {name: [] for name in mix}
    errors: dict[str, int] = dict.fromkeys(mix, 0)
    lock = threading.Lock()
    stop = time.perf_counter() + seconds

    def worker(seed: int) -> None:
        rng = random.Random(seed)
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=120)
        names = list(mix)
        i = seed % len(names)
        mine: dict[str, list[float]] = {name: [] for name in mix}
        bad: dict[str, int] = dict.fromkeys(mix, 0)
        while time.perf_counter() < stop:
            name = names[i % len(names)]
            i += 1
            query, accept = mix[name](rng, constants)
            url = parts.path + "?" + urlencode({"query": query})
            started = time.perf_counter()
            try:
                conn.request("GET", url, headers={"Accept": accept, "Accept-Encoding": "identity"})
                response = conn.getresponse()
                response.read()
                ok = response.status == 200
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=120)
                ok = False
            elapsed = time.perf_counter() - started
            if ok:
                mine[name].append(elapsed)
            else:
                bad[name] += 1
        with lock:
            for name in mix:
                latencies[name] += mine[name]
                errors[name] += bad[name]

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(concurrency)]
    began = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - began
    total = sum(len(v) for v in latencies.values())
    per_query = {}
    for name, values in latencies.items():
        values.sort()
        per_query[name] = {
            "count": len(values),
            "errors": errors[name],
            "p50_ms": round(statistics.median(values) * 1000, 2) if values else None,
            "p99_ms": round(values[min(len(values) - 1, int(len(values) * 0.99))] * 1000, 2)
            if values
            else None,
        }
    return {
        "endpoint": endpoint,
        "concurrency": concurrency,
        "seconds": round(wall, 2),
        "qps": round(total / wall, 1),
        "errors": sum(errors.values()),
        "queries": per_query,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--endpoint", required=True)
    parser.add_argument("--constants", type=Path, required=True)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--only", choices=[*MIX, "ask-empty"], default=None)
    parser.add_argument("--label", default="")
    args = parser.parse_args()
    constants = json.loads(args.constants.read_text())
    mix = (
        MIX
        if args.only is None
        else {args.only: ask_empty if args.only == "ask-empty" else MIX[args.only]}
    )
    result = run(args.endpoint, constants, args.concurrency, args.seconds, mix)
    result["label"] = args.label
    print(json.dumps(result))


if __name__ == "__main__":
    main()
