"""Run the load driver against allygraph, Oxigraph's server and rdflib-endpoint, in rounds.

Usage (see docs/server.md for the venv of the other servers):
    python benchmarks/server/compare.py --data /tmp/ag-bench-1m --seconds 15 --rounds 3 \
        --other-venv /tmp/bench-venv [--skip rdflib]

Every server reads the same data: allygraph and ``oxigraph serve-read-only`` the same on-disk
release database, rdflib-endpoint the same triples (``data.nt``, in memory: it has no on-disk
mode). When the release's default graph is materialized (``"default_graph": "materialized"``
in ``release.json``) Oxigraph queries it as it is; otherwise it is started with
``--union-default-graph``, as allygraph queries older releases.

All servers are started first and warmed up (allygraph until ``/health`` says its catalog is
built), then the mix runs against each in turn, ``--rounds`` times: on a shared machine the
load changes from minute to minute, so the ratio of neighbouring runs is steadier than any
single figure. Prints one JSON line per run, the machine's load average before and after, and
summary tables with the per-round ratios to Oxigraph.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import statistics
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

HERE = Path(__file__).parent


def wait_ready(endpoint: str, timeout: float) -> None:
    """Wait until ``ASK {}`` answers 200."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError):
            url = endpoint + "?query=" + quote("ASK {}")
            req = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
            with urllib.request.urlopen(req, timeout=5) as response:
                if response.status == 200:
                    return
        time.sleep(0.5)
    raise RuntimeError(f"{endpoint} did not come up")


def wait_warm(health: str, timeout: float) -> None:
    """Wait until allygraph's ``/health`` says the release's catalog is built."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with (
            contextlib.suppress(OSError, ValueError),
            urllib.request.urlopen(health, timeout=5) as response,
        ):
            if json.loads(response.read()).get("warm", True):
                return
        time.sleep(0.5)


def load(
    endpoint: str, data: Path, seconds: float, concurrency: int, label: str, only: str | None = None
) -> dict[str, object]:
    """Run the load driver once; return its JSON result."""
    cmd = [
        sys.executable,
        str(HERE / "load.py"),
        "--endpoint",
        endpoint,
        "--constants",
        str(data / "constants.json"),
        "--seconds",
        str(seconds),
        "--concurrency",
        str(concurrency),
        "--label",
        label,
    ]
    if only:
        cmd += ["--only", only]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    result: dict[str, object] = json.loads(out)
    print(json.dumps(result), flush=True)
    return result


@contextlib.contextmanager
def server(
    cmd: list[str], endpoint: str, timeout: float = 600
) -> Iterator[subprocess.Popen[bytes]]:
    """Start a server in its own process group; stop the group on exit."""
    proc = subprocess.Popen(
        cmd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        wait_ready(endpoint, timeout)
        yield proc
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=10)
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)


def entity_documents(base: str, data: Path, count: int = 200) -> dict[str, float]:
    """Median ms of entity documents (HTML, Turtle) for distinct people, one at a time.

    Each person is asked for once per format, so the page cache of the server never answers.
    """
    import http.client
    from urllib.parse import urlsplit

    people = json.loads((data / "constants.json").read_text())["person"][:count]
    parts = urlsplit(base)
    conn = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=60)
    out: dict[str, float] = {}
    for name, accept in (("html", "text/html"), ("turtle", "text/turtle")):
        times: list[float] = []
        for iri in people:
            path = urlsplit(iri).path
            started = time.perf_counter()
            conn.request("GET", path, headers={"Accept": accept, "Accept-Encoding": "identity"})
            response = conn.getresponse()
            response.read()
            if response.status == 200:
                times.append((time.perf_counter() - started) * 1000)
        out[name] = round(statistics.median(times), 2) if times else float("nan")
    conn.close()
    return out


def group_cpu(pgid: int) -> float:
    """CPU seconds (user + system) used so far by a process group, reaped children included."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            raw = (entry / "stat").read_text()
        except OSError:
            continue
        fields = raw[raw.rindex(")") + 2 :].split()
        if int(fields[2]) == pgid:  # fields[0] is the state; pgrp is the 5th field of stat
            total += sum(int(f) for f in fields[11:15])  # utime stime cutime cstime
    return total / tick


def loadavg() -> str:
    """The 1, 5 and 15 minute load averages."""
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--other-venv", type=Path, default=Path("/tmp/bench-venv"))
    parser.add_argument("--skip", action="append", default=[])
    parser.add_argument("--workers", type=int, default=None, help="allygraph query workers")
    args = parser.parse_args()
    store = args.data / "store"
    release = (store / "CURRENT").read_text().strip()
    folder = store / "releases" / release
    info = json.loads((folder / "release.json").read_text())
    materialized = info.get("default_graph") == "materialized"
    runs = {
        "allygraph": (
            [
                sys.executable,
                "-c",
                "from allygraph.serve.app import serve; from allygraph.settings import "
                f"Settings; serve(Settings(store={str(store)!r}), port=8000, "
                f"workers={args.workers})",
            ],
            "http://127.0.0.1:8000/sparql",
        ),
        "oxigraph": (
            [
                str(args.other_venv / "bin" / "oxigraph"),
                "serve-read-only",
                "--location",
                str(folder / "db"),
                "--bind",
                "127.0.0.1:7878",
                *([] if materialized else ["--union-default-graph"]),
            ],
            "http://127.0.0.1:7878/query",
        ),
        "rdflib": (
            [
                str(args.other_venv / "bin" / "rdflib-endpoint"),
                "serve",
                str(args.data / "data.nt"),
                "--host",
                "127.0.0.1",
                "--port",
                "8001",
            ],
            "http://127.0.0.1:8001/",
        ),
    }
    chosen = {name: run for name, run in runs.items() if name not in args.skip}
    print(f"load average before: {loadavg()}; default graph materialized: {materialized}")
    mixes: dict[str, list[dict[str, object]]] = {name: [] for name in chosen}
    asks: dict[str, dict[str, object]] = {}
    pids: dict[str, int] = {}
    with contextlib.ExitStack() as stack:
        for name, (cmd, endpoint) in chosen.items():
            pids[name] = stack.enter_context(server(cmd, endpoint)).pid
            if name == "allygraph":
                wait_warm("http://127.0.0.1:8000/health", 600)
        for name, (_, endpoint) in chosen.items():  # warm the block caches alike
            load(endpoint, args.data, 3, args.concurrency, name + " warm-up")
        for _ in range(args.rounds):
            for name, (_, endpoint) in chosen.items():
                before = group_cpu(pids[name])
                result = load(endpoint, args.data, args.seconds, args.concurrency, name)
                answered = sum(q["count"] for q in result["queries"].values())  # type: ignore[attr-defined]
                result["server_cpu_ms_per_query"] = round(
                    (group_cpu(pids[name]) - before) * 1000 / max(answered, 1), 3
                )
                print(
                    f"{name}: server CPU {result['server_cpu_ms_per_query']} ms/query", flush=True
                )
                mixes[name].append(result)
        for name, (_, endpoint) in chosen.items():
            asks[name] = load(endpoint, args.data, 5, 1, name + " ASK{}", "ask-empty")
        documents = (
            entity_documents("http://127.0.0.1:8000/", args.data) if "allygraph" in chosen else {}
        )
    print(f"load average after: {loadavg()}")
    if documents:
        print(
            f"allygraph entity documents, median of 200 distinct people at c=1: "
            f"HTML {documents['html']} ms, Turtle {documents['turtle']} ms"
        )
    names = list(chosen)
    print(
        f"\n| server | QPS per round (mix, c={args.concurrency}) | median "
        "| server CPU ms per query (median) | ASK {} p50 ms (c=1) |"
    )
    print("| --- | --- | --- | --- | --- |")
    for name in names:
        qps = [float(m["qps"]) for m in mixes[name]]  # type: ignore[arg-type]
        cpu = [float(m["server_cpu_ms_per_query"]) for m in mixes[name]]  # type: ignore[arg-type]
        p50 = asks[name]["queries"]["ask-empty"]["p50_ms"]  # type: ignore[index]
        rounds = " / ".join(f"{q:g}" for q in qps)
        print(
            f"| {name} | {rounds} | {statistics.median(qps):g} | "
            f"{statistics.median(cpu):.3f} | {p50} |"
        )
    if "oxigraph" in names:
        ref = [float(m["qps"]) for m in mixes["oxigraph"]]  # type: ignore[arg-type]
        for name in names:
            if name == "oxigraph":
                continue
            own = [float(m["qps"]) for m in mixes[name]]  # type: ignore[arg-type]
            ratios = [a / b for a, b in zip(own, ref, strict=True)]
            print(
                f"\n{name} / oxigraph per round: {' / '.join(f'{r:.2f}' for r in ratios)} "
                f"(median {statistics.median(ratios):.2f}x)"
            )
    queries = list(mixes[names[0]][-1]["queries"])  # type: ignore[call-overload]
    print("\n| query (last round) | " + " | ".join(f"{n} p50 / p99 ms" for n in names) + " |")
    print("| --- |" + " --- |" * len(names))
    for q in queries:
        cells = []
        for name in names:
            stats = mixes[name][-1]["queries"][q]  # type: ignore[index]
            cells.append(
                f"{stats['p50_ms']} / {stats['p99_ms']} ({stats['count']}, err {stats['errors']})"
            )
        print(f"| {q} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
