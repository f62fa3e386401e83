"""Fixtures of the server tests: a sample release, an in-process client, a real socket."""

from __future__ import annotations

import socket
import sys
import threading
import time
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn

with warnings.catch_warnings():
    # starlette asks for httpx2 on import; the httpx-based client is what we test with.
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

sys.path.insert(0, str(Path(__file__).parent))

from sample_release import BASE, build_release

from allygraph.serve.app import create_app
from allygraph.settings import Settings


@pytest.fixture(scope="session")
def store_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store folder with the sample release published."""
    root = tmp_path_factory.mktemp("store")
    build_release(root)
    return root


@pytest.fixture(scope="session")
def settings(store_root: Path) -> Settings:
    """Settings of the test server (short timeout, small row cap)."""
    return Settings(store=str(store_root), base_uri=BASE, query_timeout=2.0, max_rows=1000)


@pytest.fixture(scope="session")
def client(settings: Settings) -> Iterator[TestClient]:
    """An in-process client of an app with two query workers."""
    with TestClient(create_app(settings, workers=2)) as test_client:
        yield test_client


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def live_server(settings: Settings) -> Iterator[str]:
    """The app served by uvicorn in a thread on 127.0.0.1; yields its base URL."""
    port = _free_port()
    config = uvicorn.Config(
        create_app(settings, workers=2),
        host="127.0.0.1",
        port=port,
        log_level="warning",
        access_log=False,
        lifespan="on",
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.02)
    yield f"http://127.0.0.1:{port}/"
    server.should_exit = True
    thread.join(timeout=10)
