"""Scale benchmark: embedded vs remote (Oxigraph server) store, side by side, in one run.

Usage:
    .venv/bin/python benchmarks/scale/run.py --sizes 100000 1000000 --docs 12 \
        --out docs/benchmarks/scale.json

For each size the data comes from the server benchmark's deterministic generator
(benchmarks/server/generate.py: one named graph per document, realistic shapes). Measured:

* load throughput (triples/s) of ``oxigraph load`` (the reference), ``allygraph load`` into the
  embedded store, and ``allygraph --store http://... load`` into an ``oxigraph serve``;
* resident memory (RSS of the server and its query workers) of ``allygraph serve`` and the
  query mix of benchmarks/server/load.py against it; the same mix straight against the
  Oxigraph server's /query (what a remote store answers with);
* build throughput (documents/s) of ``allygraph build`` with --jobs 1 and 2 on a corpus of
  ``--docs`` copies of the shipped texts, embedded and remote, and an incremental rebuild after
  changing one document.

Everything runs as subprocesses on loopback; numbers are wall-clock.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PY = sys.executable
OXIGRAPH = str(Path(PY).with_name("oxigraph"))
sys.path.insert(0, str(REPO / "benchmarks"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_http(url: str, timeout: float = 180) -> None:
    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(httpx.HTTPError):
            httpx.post(url, data={"query": "ASK {}"}, timeout=5)
            return
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not come up")


@contextlib.contextmanager
def process(
    cmd: list[str], ready_url: str, timeout: float = 180
) -> Iterator[subprocess.Popen[bytes]]:
    proc = subprocess.Popen(
        cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True, cwd=REPO
    )
    try:
        wait_http(ready_url, timeout)
        yield proc
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def oxigraph_server(location: Path, *, union: bool = False):  # type: ignore[no-untyped-def]
    port = free_port()
    cmd = [OXIGRAPH, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"]
    if union:
        cmd.append("--union-default-graph")
    return process(cmd, f"http://127.0.0.1:{port}/query"), f"http://127.0.0.1:{port}"


def timed(cmd: list[str], env: dict[str, str] | None = None) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True, cwd=REPO, env=env)
    return time.perf_counter() - start


def wait_warm(base: str, timeout: float = 600) -> float:
    """Wait until ``allygraph serve`` says its catalog is built (/health "warm"); seconds."""
    import httpx

    start = time.monotonic()
    while time.monotonic() - start < timeout:
        with contextlib.suppress(httpx.HTTPError, ValueError):
            if httpx.get(base + "/health", timeout=5).json().get("warm"):
                return time.monotonic() - start
        time.sleep(0.5)
    raise RuntimeError(f"{base} did not finish warming up")


def tree_rss(pid: int) -> int:
    """Resident memory (bytes) of a process and its descendants."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
        with contextlib.suppress(OSError):
            for child in Path(f"/proc/{p}/task/{p}/children").read_text().split():
                todo.append(int(child))
    return total


def query_mix(endpoint: str, constants: Path, seconds: float, concurrency: int) -> dict:
    cmd = [
        PY,
        str(REPO / "benchmarks/server/load.py"),
        "--endpoint",
        endpoint,
        "--constants",
        str(constants),
        "--seconds",
        str(seconds),
        "--concurrency",
        str(concurrency),
    ]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def count_triples(nq: Path) -> int:
    with nq.open("rb") as handle:
        return sum(1 for line in handle if line.strip() and not line.startswith(b"#"))


def measure_size(size: int, work: Path, seconds: float, concurrency: int) -> dict:
    data = work / f"data-{size}"
    gen = timed(
        [
            PY,
            str(REPO / "benchmarks/server/generate.py"),
            "--triples",
            str(size),
            "--out",
            str(data),
            "--no-union",
        ]
    )
    nq = data / "data.nq"
    triples = count_triples(nq)
    row: dict = {"size": size, "triples": triples, "generate_s": round(gen, 2)}

    # -- load throughput ------------------------------------------------------------------
    ref = timed([OXIGRAPH, "load", "--location", str(work / f"ox-{size}"), "--file", str(nq)])
    emb = timed([PY, "-m", "allygraph", "--store", str(work / f"emb-{size}"), "load", str(nq)])
    server, url = oxigraph_server(work / f"remote-{size}")
    with server:
        rem = timed([PY, "-m", "allygraph", "--store", url, "load", str(nq)])
    row["load"] = {
        "oxigraph_load_tps": round(triples / ref),
        "embedded_tps": round(triples / emb),
        "remote_tps": round(triples / rem),
        "embedded_vs_oxigraph": round(ref / emb, 2),
    }
    shutil.rmtree(work / f"ox-{size}", ignore_errors=True)

    # -- serve: RSS and query mix (embedded) ----------------------------------------------
    port = free_port()
    cmd = [PY, "-m", "allygraph", "--store", str(data / "store"), "serve", "--port", str(port)]
    endpoint = f"http://127.0.0.1:{port}/sparql"
    with process(cmd, endpoint) as proc:
        # The catalog (labels, classes, search; about 20 s at 10M triples) is built in the
        # background after start-up; the mix measures the warm server.
        warm = wait_warm(f"http://127.0.0.1:{port}")
        idle = tree_rss(proc.pid)
        mix = query_mix(endpoint, data / "constants.json", seconds, concurrency)
        peak = tree_rss(proc.pid)
    row["embedded_serve"] = {
        "warm_up_s": round(warm, 1),
        "rss_idle_mb": idle >> 20,
        "rss_after_mix_mb": peak >> 20,
        "qps": mix.get("qps"),
        "mix": mix,
    }

    # -- remote: allygraph serve over the server, and the server's own /query --------------
    server, url = oxigraph_server(work / f"remote-{size}", union=True)
    with server:
        port = free_port()
        cmd = [PY, "-m", "allygraph", "--store", url, "serve", "--port", str(port)]
        endpoint = f"http://127.0.0.1:{port}/sparql"
        try:
            with process(cmd, endpoint, timeout=30) as proc:
                mix = query_mix(endpoint, data / "constants.json", seconds, concurrency)
                row["remote_serve"] = {
                    "rss_mb": tree_rss(proc.pid) >> 20,
                    "qps": mix.get("qps"),
                    "mix": mix,
                }
        except (RuntimeError, subprocess.CalledProcessError) as err:
            row["remote_serve"] = {"error": f"allygraph serve over a remote store: {err}"}
        mix = query_mix(url + "/query", data / "constants.json", seconds, concurrency)
        row["oxigraph_server_direct"] = {"qps": mix.get("qps"), "mix": mix}
    shutil.rmtree(work / f"remote-{size}", ignore_errors=True)
    shutil.rmtree(work / f"emb-{size}", ignore_errors=True)
    return row


def measure_builds(docs: int, work: Path, kinds: tuple[str, ...] = ("embedded", "remote")) -> dict:
    from build_speed import make_corpus

    corpus = make_corpus(work / "corpus", docs)
    out: dict = {"documents": docs}
    for kind in kinds:
        for jobs in (1, 2):
            loc = work / f"build-{kind}-{jobs}"
            if kind == "embedded":
                seconds = timed(
                    [
                        PY,
                        "-m",
                        "allygraph",
                        "--store",
                        str(loc),
                        "build",
                        "--corpus",
                        str(corpus),
                        "--jobs",
                        str(jobs),
                    ]
                )
            else:
                server, url = oxigraph_server(loc)
                with server:
                    seconds = timed(
                        [
                            PY,
                            "-m",
                            "allygraph",
                            "--store",
                            url,
                            "build",
                            "--corpus",
                            str(corpus),
                            "--jobs",
                            str(jobs),
                        ]
                    )
            out[f"{kind}_jobs{jobs}_s"] = round(seconds, 2)
            out[f"{kind}_jobs{jobs}_docs_per_s"] = round(docs / seconds, 3)
        out[f"{kind}_jobs2_speedup"] = round(out[f"{kind}_jobs1_s"] / out[f"{kind}_jobs2_s"], 2)
    # Incremental: change one document, rebuild (embedded store of the jobs-1 build).
    first = sorted(corpus.glob("*.txt"))[0]
    first.write_text(first.read_text(encoding="utf-8") + "\nChanged.\n", encoding="utf-8")
    loc = work / "build-embedded-1"
    inc = timed([PY, "-m", "allygraph", "--store", str(loc), "build", "--corpus", str(corpus)])
    noop = timed([PY, "-m", "allygraph", "--store", str(loc), "build", "--corpus", str(corpus)])
    out["incremental_one_changed_s"] = round(inc, 2)
    out["incremental_nothing_changed_s"] = round(noop, 2)
    out["incremental_share_of_full"] = round(inc / out["embedded_jobs1_s"], 3)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="*", default=[100_000, 1_000_000])
    parser.add_argument("--docs", type=int, default=12)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--out", type=Path, default=REPO / "docs/benchmarks/scale.json")
    parser.add_argument("--skip-builds", action="store_true")
    parser.add_argument(
        "--build-kinds", nargs="+", choices=["embedded", "remote"], default=["embedded", "remote"]
    )
    args = parser.parse_args()
    result: dict = {
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
        "started": time.strftime("%Y-%m-%dT%H:%M:%S"),
        "sizes": [],
    }
    with tempfile.TemporaryDirectory(prefix="ag-scale-") as tmp:
        work = Path(tmp)
        for size in args.sizes:
            t0 = time.perf_counter()
            row = measure_size(size, work, args.seconds, args.concurrency)
            row["wall_s"] = round(time.perf_counter() - t0, 1)
            result["sizes"].append(row)
            print(json.dumps({k: v for k, v in row.items() if k != "embedded_serve"}), flush=True)
            args.out.parent.mkdir(parents=True, exist_ok=True)
            args.out.write_text(json.dumps(result, indent=2) + "\n")
        if not args.skip_builds:
            result["builds"] = measure_builds(args.docs, work, tuple(args.build_kinds))
            print(json.dumps(result["builds"]), flush=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
