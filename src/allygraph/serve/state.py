"""What the app holds while it runs: settings, the published release, the worker pool, caches.

Everything derived from the release (ETag, labels, VoID, dumps) is cached per release and
dropped when ``CURRENT`` moves on.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import hashlib
import logging
import os
from email.utils import format_datetime, parsedate_to_datetime
from pathlib import Path
from typing import Any

from fastapi import Request

from allygraph.serve.catalog import Catalog, build_catalog
from allygraph.serve.pool import QueryPool
from allygraph.settings import Settings
from allygraph.store.release import PublishedStore, open_published

__all__ = ["ServeState", "get_state"]

log = logging.getLogger("allygraph.serve")


class ServeState:
    """Runtime state of one app instance.

    Attributes:
        settings: The settings the app was created with.
        published: The published release (store, release info, folder).
        pool: Query worker processes, or None when queries run in threads (``workers=0``).
        cache: Values computed from the current release, cleared when it changes.
    """

    def __init__(self, settings: Settings, workers: int) -> None:
        self.settings = settings
        self.base = settings.base_uri
        self.workers = workers
        self.published: PublishedStore = open_published(settings.store)
        self.pool: QueryPool | None = None
        self.cache: dict[str, Any] = {}
        self._watch: asyncio.Task[None] | None = None
        self._warm: asyncio.Task[Catalog] | None = None
        self._lock = asyncio.Lock()
        self._stamp_release()

    def _stamp_release(self) -> None:
        info = self.published.release
        self.release_name = str(info.get("name") or self.published.release_dir.name)
        self.etag_seed = hashlib.sha256(self.release_name.encode()).hexdigest()[:16]
        created = info.get("created")
        moment: dt.datetime | None = None
        if isinstance(created, str):
            with contextlib.suppress(ValueError):
                moment = dt.datetime.fromisoformat(created)
        if moment is None:
            stat = (
                (self.published.release_dir / "release.json").stat()
                if (self.published.release_dir / "release.json").exists()
                else self.published.release_dir.stat()
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
            cat = build_catalog(self.store)
            self.cache["catalog"] = cat
        assert isinstance(cat, Catalog)
        return cat

    def labels(self) -> dict[str, str]:
        """Display label per IRI."""
        return self.catalog().labels

    @property
    def store(self) -> Any:
        """The read-only pyoxigraph Store of the current release."""
        return self.published.store

    @property
    def db_path(self) -> Path:
        """The current release's database folder."""
        return self.published.release_dir / "db"

    async def start(self) -> None:
        """Start the worker pool and the watcher of ``CURRENT``."""
        if self.workers > 0:
            self.pool = QueryPool(self.db_path, self.workers)
            await self.pool.start()
        loop = asyncio.get_running_loop()
        self._watch = loop.create_task(self._watch_release())
        self._warm = loop.create_task(asyncio.to_thread(self.catalog))

    async def stop(self) -> None:
        """Stop the watcher and the workers."""
        if self._watch is not None:
            self._watch.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._watch
        if self.pool is not None:
            await self.pool.close()

    async def refresh(self) -> bool:
        """Switch to a newly published release, if there is one; return whether it switched."""
        async with self._lock:
            if not self.published.refresh():
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
        inm = request.headers.get("if-none-match")
        if inm is not None:
            tags = [t.strip().removeprefix("W/") for t in inm.split(",")]
            return "*" in tags or etag in tags
        ims = request.headers.get("if-modified-since")
        if ims:
            try:
                return parsedate_to_datetime(ims) >= self.modified
            except (TypeError, ValueError):
                return False
        return False


def get_state(request: Request) -> ServeState:
    """FastAPI dependency: the app's :class:`ServeState`."""
    state: ServeState = request.app.state.allygraph
    return state


def default_workers() -> int:
    """Worker processes by default: two per CPU core, at least four (cheap when idle)."""
    return max(4, 2 * (os.cpu_count() or 1))
