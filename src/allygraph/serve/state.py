"""What the app holds while it runs: settings, the published release, where queries run, caches.

Everything derived from the release (ETag, labels, VoID, dumps) is cached per release and
dropped when ``CURRENT`` (or the remote release graph) moves on.

Where a SPARQL query runs (:meth:`ServeState.run_query`):

* pattern-free queries (``ASK {}``): inline, on an empty in-memory store;
* queries of the bounded class (:func:`allygraph.serve.query.is_bounded`: stars around
  constants, no sorting, grouping, paths or filters): in a thread of the server process,
  which pyoxigraph lets run beside the others (it releases the GIL);
* everything else: in a killable worker process of the :class:`QueryPool`;
* on a remote store (``ALLYGRAPH_STORE`` is a URL): in a thread, as an HTTP request to the
  SPARQL server with the query timeout as its HTTP timeout.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import datetime as dt
import hashlib
import logging
import os
import time
from email.utils import format_datetime, parsedate_to_datetime
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from starlette.requests import Request

from allygraph.errors import QueryTimeoutError
from allygraph.serve import worker
from allygraph.serve.catalog import Catalog, build_catalog
from allygraph.serve.pool import QueryPool
from allygraph.settings import Settings
from allygraph.store import PublishedStore, RemotePublished, is_remote, open_published

__all__ = ["ServeState", "default_threads", "default_workers", "get_state"]

log = logging.getLogger("allygraph.serve")
_EMPTY = ox.Store()  # pattern-free queries read no data: evaluate them here, whatever the store


def open_for_serving(settings: Settings) -> PublishedStore | RemotePublished:
    """Open the published release; a remote store gets the query timeout as its HTTP timeout."""
    if is_remote(settings.store):
        return RemotePublished(str(settings.store), timeout=settings.query_timeout)
    return open_published(settings.store)


class ServeState:
    """Runtime state of one app instance.

    Attributes:
        settings: The settings the app was created with.
        published: The published release (store, release info, folder; no folder if remote).
        remote: The store is a SPARQL server (queries run in threads as HTTP requests).
        pool: Query worker processes, or None (``workers=0``, or a remote store).
        executor: The threads that run bounded queries, look-ups and remote requests.
        cache: Values computed from the current release, cleared when it changes.
        overrunning: Thread queries answered with a timeout that are still running.
    """

    def __init__(self, settings: Settings, workers: int, threads: int | None = None) -> None:
        self.settings = settings
        self.base = settings.base_uri
        self.workers = workers
        self.published: PublishedStore | RemotePublished = open_for_serving(settings)
        self.remote = self.published.release_dir is None
        self.pool: QueryPool | None = None
        self.threads = threads or default_threads()
        self.executor = concurrent.futures.ThreadPoolExecutor(
            self.threads, thread_name_prefix="allygraph-query"
        )
        self.cache: dict[str, Any] = {}
        self.overrunning = 0
        self.thread_timeouts = 0
        self._watch: asyncio.Task[None] | None = None
        self._warm: asyncio.Task[Catalog] | None = None
        self._lock = asyncio.Lock()
        self._stamp_release()

    @property
    def materialized(self) -> bool:
        """The release's default graph holds the merge of its named graphs (set semantics)."""
        return bool(getattr(self.published, "default_graph_materialized", False))

    @property
    def graph(self) -> ox.DefaultGraph | None:
        """The graph pattern look-ups read: the materialized default graph, else every graph."""
        return ox.DefaultGraph() if self.materialized else None

    @property
    def union(self) -> bool:
        """Whether queries must ask for the union of the named graphs as default graph."""
        return not self.materialized

    def _stamp_release(self) -> None:
        info = self.published.release
        folder = self.published.release_dir
        self.release_name = str(info.get("name") or (folder.name if folder else "remote"))
        self.etag_seed = hashlib.sha256(self.release_name.encode()).hexdigest()[:16]
        created = info.get("created")
        moment: dt.datetime | None = None
        if isinstance(created, str):
            with contextlib.suppress(ValueError):
                moment = dt.datetime.fromisoformat(created)
        if moment is None and folder is None:
            moment = dt.datetime.now(dt.UTC)
        elif moment is None:
            assert folder is not None
            stat = (
                (folder / "release.json").stat()
                if (folder / "release.json").exists()
                else folder.stat()
            )
            moment = dt.datetime.fromtimestamp(stat.st_mtime, dt.UTC)
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=dt.UTC)
        self.modified = moment.astimezone(dt.UTC).replace(microsecond=0)
        self.last_modified = format_datetime(self.modified, usegmt=True)
        self.cache = {}

    def catalog(self) -> Catalog:
        """Labels, classes and the search index of the current release (built on first use)."""
        cat = self.cache.get("catalog")
        if cat is None:
            cat = build_catalog(self.store, self.graph)
            self.cache["catalog"] = cat
        assert isinstance(cat, Catalog)
        return cat

    def labels(self) -> dict[str, str]:
        """Display label per IRI."""
        return self.catalog().labels

    @property
    def store(self) -> Any:
        """The store of the current release: a read-only pyoxigraph Store, or a RemoteStore."""
        return self.published.store

    @property
    def db_path(self) -> Path:
        """The current release's database folder (embedded store only)."""
        folder = self.published.release_dir
        assert folder is not None, "a remote store has no database folder"
        return folder / "db"

    @property
    def warm(self) -> bool:
        """Whether the catalog (labels, classes, search) of the release is built."""
        return "catalog" in self.cache

    async def start(self) -> None:
        """Start the worker pool (embedded store) and the watcher of the release."""
        if self.workers > 0 and not self.remote:
            self.pool = QueryPool(self.db_path, self.workers)
            await self.pool.start()
        loop = asyncio.get_running_loop()
        self._watch = loop.create_task(self._watch_release())
        self._warm = loop.create_task(self.in_thread(self.catalog))

    async def stop(self) -> None:
        """Stop the watcher, the workers and the threads."""
        if self._watch is not None:
            self._watch.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._watch
        if self.pool is not None:
            await self.pool.close()
        self.executor.shutdown(wait=False, cancel_futures=True)

    async def in_thread(self, func: Any, *args: Any) -> Any:
        """Run a blocking function (store look-ups, rendering) in the server's threads."""
        return await asyncio.get_running_loop().run_in_executor(self.executor, func, *args)

    async def refresh(self) -> bool:
        """Switch to a newly published release, if there is one; return whether it switched."""
        async with self._lock:
            if not await self.in_thread(self.published.refresh):
                return False
            self._stamp_release()
            if self.pool is not None:
                await self.pool.switch(self.db_path)
            log.info("serving release %s", self.release_name)
            return True

    async def _watch_release(self) -> None:
        while True:
            await asyncio.sleep(2.0)
            try:
                await self.refresh()
            except OSError:
                log.exception("cannot switch to the new release; still serving the old one")
            if self.pool is not None:
                self.pool.trim()

    async def run_query(
        self, job: dict[str, Any], *, trivial: bool, bounded: bool
    ) -> tuple[dict[str, Any], bytes]:
        """Run one query job where it belongs; return the worker header and payload.

        Raises:
            QueryTimeoutError: The query ran out of time (its process was killed, or its
                thread stops at its next chunk of output).
            StoreError: A worker process died.
        """
        job["union"] = self.union
        timeout = self.settings.query_timeout
        if trivial:
            return worker.execute(_EMPTY, job)
        if self.pool is not None and (not bounded or self.overrunning * 2 >= self.threads):
            # Unbounded queries, and bounded ones while half the threads are still busy with
            # queries that were already answered with a timeout, go to killable processes.
            reply = await self.pool.run(job, timeout)
            return reply.header, reply.payload
        return await self._thread_query(job, timeout)

    async def _thread_query(
        self, job: dict[str, Any], timeout: float
    ) -> tuple[dict[str, Any], bytes]:
        # A bare future completed from the thread and a timer: lighter than wait_for on
        # wrapped concurrent futures, and this is the hot path.
        loop = asyncio.get_running_loop()
        deadline = time.monotonic() + timeout
        waiter: asyncio.Future[tuple[dict[str, Any], bytes]] = loop.create_future()
        store = self.store

        def run() -> None:
            try:
                result = worker.execute(store, job, deadline)
            except BaseException as err:
                loop.call_soon_threadsafe(_settle, waiter, None, err)
            else:
                loop.call_soon_threadsafe(_settle, waiter, result, None)

        future = self.executor.submit(run)
        timer = loop.call_later(timeout, _expire, waiter)
        try:
            return await waiter
        except (TimeoutError, asyncio.CancelledError) as err:
            if not future.cancel():  # already running: it stops at its next output chunk
                self.overrunning += 1

                def done(_: concurrent.futures.Future[Any]) -> None:
                    loop.call_soon_threadsafe(self._overrun_done)

                future.add_done_callback(done)
            if isinstance(err, asyncio.CancelledError):
                raise
            self.thread_timeouts += 1
            msg = f"query: stopped after the {timeout:g} s time limit (ALLYGRAPH_QUERY_TIMEOUT)"
            raise QueryTimeoutError(msg) from None
        finally:
            timer.cancel()

    def _overrun_done(self) -> None:
        self.overrunning -= 1

    def etag(self, *variant: str) -> str:
        """A strong ETag for one representation of the current release."""
        if not variant:
            return f'"{self.etag_seed}"'
        digest = hashlib.sha256("\x1f".join(variant).encode()).hexdigest()[:12]
        return f'"{self.etag_seed}-{digest}"'

    def cache_headers(self, etag: str) -> dict[str, str]:
        """ETag, Last-Modified and Cache-Control for a response drawn from the release."""
        return {
            "ETag": etag,
            "Last-Modified": self.last_modified,
            "Cache-Control": "public, max-age=300, must-revalidate",
        }

    def not_modified(self, request: Request, etag: str) -> bool:
        """Whether a conditional GET can be answered with 304 (RFC 9110, section 13.2.2)."""
        headers = request.headers
        return self.is_fresh(headers.get("if-none-match"), headers.get("if-modified-since"), etag)

    def is_fresh(self, inm: str | None, ims: str | None, etag: str) -> bool:
        """Whether ``If-None-Match`` / ``If-Modified-Since`` values match ``etag``."""
        if inm is not None:
            tags = [t.strip().removeprefix("W/") for t in inm.split(",")]
            return "*" in tags or etag in tags
        if ims:
            try:
                return parsedate_to_datetime(ims) >= self.modified
            except (TypeError, ValueError):
                return False
        return False


def _settle(waiter: asyncio.Future[Any], result: Any, error: BaseException | None) -> None:
    if waiter.done():
        return
    if error is not None:
        waiter.set_exception(error)
    else:
        waiter.set_result(result)


def _expire(waiter: asyncio.Future[Any]) -> None:
    if not waiter.done():
        waiter.set_exception(TimeoutError())


def get_state(request: Request) -> ServeState:
    """FastAPI dependency: the app's :class:`ServeState`."""
    state: ServeState = request.app.state.allygraph
    return state


def default_workers() -> int:
    """Worker processes kept running: one per CPU core, at least two.

    The pool starts more (up to four times as many) while long queries hold these.
    """
    return max(2, os.cpu_count() or 1)


def default_threads() -> int:
    """Query threads by default: four per CPU core, at least eight."""
    return max(8, 4 * (os.cpu_count() or 1))
