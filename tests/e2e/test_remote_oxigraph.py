"""End to end against a real Oxigraph server: build into it, then run the corpus checks over HTTP.

The server is ``oxigraph serve`` (PyPI package ``oxigraph``, a test dependency) on a free
loopback port. The SPARQL checks are those of ``test_build_corpus.py``, imported and run
with settings whose store is the server's URL.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner

from allygraph.cli import EXIT_OK, EXIT_STORE, cli
from allygraph.errors import StoreError
from allygraph.settings import Settings
from allygraph.store import RemotePublished, RemoteReleaseWriter, open_published

HERE = Path(__file__).resolve().parent
CORPUS = HERE.parents[1] / "data" / "corpus"


def _oxigraph() -> str | None:
    beside = Path(sys.executable).with_name("oxigraph")
    return str(beside) if beside.is_file() else shutil.which("oxigraph")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def start_oxigraph(location: Path, *, union: bool = False) -> tuple[subprocess.Popen[bytes], str]:
    """Start ``oxigraph serve`` on a free loopback port; return the process and its URL."""
    binary = _oxigraph()
    if binary is None:
        pytest.skip("the oxigraph server is not installed (pip install oxigraph)")
    port = _free_port()
    args = [binary, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"]
    proc = subprocess.Popen([*args, *(["--union-default-graph"] if union else [])])
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        try:
            httpx.post(url + "/query", data={"query": "ASK {}"}, timeout=1)
            return proc, url
        except httpx.TransportError:
            time.sleep(0.1)
    proc.kill()
    pytest.fail(f"oxigraph serve did not start on {url}")


@pytest.fixture(scope="session")
def oxigraph_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """URL of an Oxigraph server running for the whole session."""
    proc, url = start_oxigraph(tmp_path_factory.mktemp("oxigraph"))
    yield url
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture(scope="session")
def remote_settings(request: pytest.FixtureRequest) -> Settings:
    """Settings whose store is a SPARQL server, with the shipped corpus built into it.

    The server is the session's Oxigraph, or the one ALLYGRAPH_TEST_STORE names
    (scripts/virtuoso-check.sh runs these checks against Virtuoso that way).
    """
    from allygraph.pipeline import build

    url = os.environ.get("ALLYGRAPH_TEST_STORE") or request.getfixturevalue("oxigraph_url")
    settings = Settings(store=url, corpus=CORPUS)
    build(settings)
    return settings


def _corpus_checks() -> dict[str, Callable[[Settings], Any]]:
    spec = importlib.util.spec_from_file_location("corpus_checks", HERE / "test_build_corpus.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return {n: f for n, f in vars(module).items() if n.startswith("test_") and callable(f)}


CHECKS = _corpus_checks()


@pytest.mark.parametrize("name", sorted(CHECKS))
def test_corpus_checks_on_oxigraph_server(name: str, remote_settings: Settings) -> None:
    """Each SPARQL check of the embedded end-to-end test holds on the Oxigraph server."""
    CHECKS[name](remote_settings)


def test_load_query_export_over_http(oxigraph_url: str, tmp_path: Path) -> None:
    """`allygraph load`, `query` and `export` work with --store set to a server URL."""
    data = tmp_path / "extra.ttl"
    data.write_text('<a> <http://example.org/p> "über" .\n', encoding="utf-8")
    runner = CliRunner()
    store = ["--store", oxigraph_url]
    loaded = runner.invoke(cli, [*store, "load", str(data)])
    assert loaded.exit_code == EXIT_OK, loaded.output
    query = "SELECT ?o WHERE { ?s <http://example.org/p> ?o }"
    answer = runner.invoke(cli, [*store, "query", query])
    assert answer.exit_code == EXIT_OK, answer.output
    assert "über" in answer.output
    exported = runner.invoke(cli, [*store, "export", "--format", "nquads"])
    assert exported.exit_code == EXIT_OK
    assert "graph/load/extra" in exported.output
    published = open_published(oxigraph_url)
    assert isinstance(published, RemotePublished)
    assert published.store.union == "param"


def test_server_down_exits_with_store_error(tmp_path: Path) -> None:
    """A stopped server gives exit code 3 and a message naming the URL."""
    proc, url = start_oxigraph(tmp_path / "db")
    proc.terminate()
    proc.wait(timeout=10)
    result = CliRunner().invoke(cli, ["--store", url, "query", "ASK {}"])
    assert result.exit_code == EXIT_STORE
    assert url in result.output
    assert "cannot connect" in result.output


def test_server_killed_mid_write_keeps_the_release(tmp_path: Path) -> None:
    """A server killed while it receives an update leaves the graph and release as they were."""
    from allygraph.store import open_writer

    proc, url = start_oxigraph(tmp_path / "db")
    base = "http://example.org/"
    graph = base + "graph/document/a"
    try:
        with open_writer(url, base_uri=base) as release:
            release.replace_graph(graph, b"<urn:s> <urn:p> <urn:o> .\n")
            release.publish({"base_uri": base})
        before = open_published(url).release["name"]
        big = "".join(f'<urn:s{i}> <urn:p> "{i}" .\n' for i in range(600_000)).encode()
        writer = RemoteReleaseWriter(url, base_uri=base, batch_bytes=1 << 30)
        writer.replace_graph(graph, big)  # held back until publish: one request, ~25 MB
        threading.Timer(0.3, proc.kill).start()
        with pytest.raises(StoreError, match=r"127\.0\.0\.1"):
            writer.publish({"base_uri": base})
        proc.wait(timeout=10)
    finally:
        proc.kill()
        proc.wait(timeout=10)
    proc, url = start_oxigraph(tmp_path / "db")
    try:
        published = open_published(url)
        assert published.release["name"] == before
        rows = list(published.store.quads_for_pattern(None, None, None))
        assert [q.object.value for q in rows] == ["urn:o"]
    finally:
        proc.terminate()
        proc.wait(timeout=10)
