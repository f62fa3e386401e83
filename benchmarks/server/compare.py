"""Run the load driver against allygraph, Oxigraph's server and rdflib-endpoint, one after another.

Usage (see docs/server.md for the venv of the other servers):
    python benchmarks/server/compare.py --data /tmp/ag-bench-1m --seconds 20 \
        --other-venv /tmp/bench-venv [--skip rdflib]

Every server reads the same data: allygraph and ``oxigraph serve-read-only`` the same on-disk
release database (union default graph), rdflib-endpoint the same triples (``data.nt``, in
memory: it has no on-disk mode). Prints one JSON line per run and a summary table.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote

HERE = Path(__file__).parent


def wait_ready(endpoint: str, timeout: float) -> None:
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


def load(
    endpoint: str, data: Path, seconds: float, concurrency: int, label: str, only: str | None = None
) -> dict[str, object]:
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
def server(cmd: list[str], endpoint: str, timeout: float = 600):  # type: ignore[no-untyped-def]
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--other-venv", type=Path, default=Path("/tmp/bench-venv"))
    parser.add_argument("--skip", action="append", default=[])
    parser.add_argument("--workers", type=int, default=None, help="allygraph query workers")
    args = parser.parse_args()
    store = args.data / "store"
    release = (store / "CURRENT").read_text().strip()
    db = store / "releases" / release / "db"
    results = []
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
                str(db),
                "--bind",
                "127.0.0.1:7878",
                "--union-default-graph",
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
    for name, (cmd, endpoint) in runs.items():
        if name in args.skip:
            continue
        with server(cmd, endpoint):
            mix = load(endpoint, args.data, args.seconds, args.concurrency, name)
            ask = load(endpoint, args.data, min(args.seconds, 5), 1, name + " ASK{}", "ask-empty")
            results.append((name, mix, ask))
    print(f"\n| server | QPS (mix, c={args.concurrency}) | ASK {{}} p50 ms (c=1) |")
    print("| --- | --- | --- |")
    for name, mix, ask in results:
        p50 = ask["queries"]["ask-empty"]["p50_ms"]  # type: ignore[index]
        print(f"| {name} | {mix['qps']} | {p50} |")
    names = list(results[0][1]["queries"])  # type: ignore[call-overload]
    print("\n| query | " + " | ".join(f"{n} p50 / p99 ms" for n, _, _ in results) + " |")
    print("| --- |" + " --- |" * len(results))
    for q in names:
        cells = []
        for _, mix, _ in results:
            stats = mix["queries"][q]  # type: ignore[index]
            cells.append(
                f"{stats['p50_ms']} / {stats['p99_ms']} ({stats['count']}, err {stats['errors']})"
            )
        print(f"| {q} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
