"""A pool of query worker processes with a hard timeout.

pyoxigraph cannot cancel a running query, and a thread cannot be killed, so queries that can
run long go to child processes (:mod:`allygraph.serve.worker`), each with its own read-only
Store of the current release. When a query runs out of time its worker is killed (SIGKILL) and
replaced; the other workers keep serving. The event loop only waits on sockets, so a long query
never delays another request.

The pool keeps ``size`` workers warm (one per core: each process has its own block cache, so
fewer processes spend less CPU per query) and starts more, up to ``max_size``, when a query
has waited ``grow_after`` seconds for a free one, i.e. when long queries hold the workers (a
start takes about 0.1 s); workers beyond ``size`` that stayed idle for ``idle_seconds`` are
stopped by :meth:`QueryPool.trim`.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import socket
import struct
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from allygraph.errors import QueryTimeoutError, StoreError

__all__ = ["QueryPool", "WorkerReply"]

_HEAD = struct.Struct(">II")
_WORKER_SCRIPT = Path(__file__).with_name("worker.py")
log = logging.getLogger("allygraph.serve")


@dataclass(frozen=True, slots=True)
class WorkerReply:
    """A worker's answer: its header (``ok``, ``rows`` or ``error``/``message``) and bytes."""

    header: dict[str, Any]
    payload: bytes


class _Worker:
    def __init__(
        self,
        proc: subprocess.Popen[bytes],
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        db_path: str,
    ) -> None:
        self.proc = proc
        self.reader = reader
        self.writer = writer
        self.db_path = db_path
        self.idle_since = time.monotonic()

    async def call(self, job: dict[str, Any]) -> WorkerReply:
        head = json.dumps(job).encode()
        self.writer.write(_HEAD.pack(len(head), 0) + head)
        await self.writer.drain()
        return await _read_frame(self.reader)

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            self.proc.kill()
        self.writer.close()
        with contextlib.suppress(ChildProcessError, subprocess.TimeoutExpired):
            self.proc.wait(timeout=5)


async def _read_frame(reader: asyncio.StreamReader) -> WorkerReply:
    hlen, plen = _HEAD.unpack(await reader.readexactly(_HEAD.size))
    body = await reader.readexactly(hlen + plen)
    header: dict[str, Any] = json.loads(body[:hlen])
    return WorkerReply(header, body[hlen:])


class QueryPool:
    """Worker processes serving queries against one release database.

    Args:
        db_path: The release's Oxigraph database folder.
        size: Number of worker processes kept running.
        max_size: Most worker processes while all are busy (default: four times ``size``).
        idle_seconds: How long a worker beyond ``size`` may stay idle before it is stopped.
        grow_after: How long a query waits for a free worker before one more is started.
    """

    def __init__(
        self,
        db_path: Path | str,
        size: int,
        *,
        max_size: int | None = None,
        idle_seconds: float = 60.0,
        grow_after: float = 0.1,
    ) -> None:
        self.db_path = str(db_path)
        self.size = max(1, size)
        self.max_size = max(self.size, max_size if max_size is not None else 4 * self.size)
        self.idle_seconds = idle_seconds
        self.grow_after = grow_after
        self._growing = 0
        # LIFO: at low load the same few workers serve, with warm block caches.
        self._idle: asyncio.LifoQueue[_Worker] = asyncio.LifoQueue()
        self._all: set[_Worker] = set()
        self._spawning: set[asyncio.Task[None]] = set()
        self.killed = 0
        self._closed = False

    async def start(self) -> None:
        """Start every worker and wait until each has opened the store.

        Raises:
            StoreError: A worker could not open the store.
        """
        workers = await asyncio.gather(*(self._spawn() for _ in range(self.size)))
        for worker in workers:
            self._idle.put_nowait(worker)

    async def _spawn(self) -> _Worker:
        parent, child = socket.socketpair()
        try:
            proc = subprocess.Popen(  # noqa: S603 - fixed interpreter and script, no shell
                [sys.executable, str(_WORKER_SCRIPT), self.db_path, str(child.fileno())],
                pass_fds=(child.fileno(),),
                stdin=subprocess.DEVNULL,
            )
        finally:
            child.close()
        reader, writer = await asyncio.open_connection(sock=parent, limit=2**20)
        worker = _Worker(proc, reader, writer, self.db_path)
        try:
            ready = await asyncio.wait_for(_read_frame(reader), timeout=60)
        except (TimeoutError, asyncio.IncompleteReadError, OSError) as err:
            worker.kill()
            msg = f"{self.db_path}: a query worker did not start ({err!r})"
            raise StoreError(msg) from err
        if not ready.header.get("ok"):
            worker.kill()
            msg = f"{self.db_path}: a query worker cannot open the store ({ready.header})"
            raise StoreError(msg)
        self._all.add(worker)
        return worker

    def _replace(self, worker: _Worker) -> None:
        """Kill a worker and start its replacement in the background."""
        self._all.discard(worker)
        worker.kill()
        self.killed += 1
        if self._closed or worker.db_path != self.db_path:
            return
        self._grow()

    async def run(self, job: dict[str, Any], timeout: float) -> WorkerReply:
        """Run one query job; the time limit covers waiting for a worker and the work itself.

        Raises:
            QueryTimeoutError: The query ran out of time; its worker was killed.
            StoreError: The worker died.
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        try:
            worker = self._idle.get_nowait()
        except asyncio.QueueEmpty:
            worker = await self._wait_for_worker(deadline, timeout)
        try:
            reply = await asyncio.wait_for(worker.call(job), timeout=deadline - loop.time())
        except TimeoutError:
            self._replace(worker)
            msg = f"query: stopped after the {timeout:g} s time limit (ALLYGRAPH_QUERY_TIMEOUT)"
            raise QueryTimeoutError(msg) from None
        except (asyncio.IncompleteReadError, OSError, asyncio.CancelledError) as err:
            # A client that goes away cancels the request task: the worker's state is unknown.
            self._replace(worker)
            if isinstance(err, asyncio.CancelledError):
                raise
            msg = "query: the worker stopped unexpectedly"
            raise StoreError(msg) from err
        if worker.db_path == self.db_path and not self._closed:
            worker.idle_since = loop.time()
            self._idle.put_nowait(worker)
        else:
            self._all.discard(worker)
            worker.kill()
        return reply

    async def _wait_for_worker(self, deadline: float, timeout: float) -> _Worker:
        """Wait for a free worker; start one more if none frees up within ``grow_after``."""
        loop = asyncio.get_running_loop()
        getter = loop.create_task(self._idle.get())
        taken = False
        try:
            done, _ = await asyncio.wait({getter}, timeout=min(self.grow_after, timeout))
            if not done:
                if len(self._all) + self._growing < self.max_size:
                    self._grow()
                done, _ = await asyncio.wait({getter}, timeout=max(0.0, deadline - loop.time()))
            if not done:
                msg = f"query: no worker became free within the {timeout:g} s limit"
                raise QueryTimeoutError(msg)
            taken = True
            return getter.result()
        finally:
            if not getter.done():
                getter.cancel()
            elif not taken and not getter.cancelled() and getter.exception() is None:
                self._idle.put_nowait(getter.result())  # freed just as we gave up: keep it

    def _grow(self) -> None:
        """Start one more worker in the background; it joins the idle queue when ready."""
        self._growing += 1

        async def grow() -> None:
            try:
                new = await self._spawn()
            except StoreError:
                log.exception("query worker start failed")
                return
            finally:
                self._growing -= 1
            if self._closed or new.db_path != self.db_path:
                self._all.discard(new)
                new.kill()
            else:
                new.idle_since = asyncio.get_running_loop().time()
                self._idle.put_nowait(new)

        task = asyncio.get_running_loop().create_task(grow())
        self._spawning.add(task)
        task.add_done_callback(self._spawning.discard)

    def trim(self) -> int:
        """Stop workers beyond ``size`` that have been idle too long; return how many."""
        now = asyncio.get_running_loop().time()
        idle: list[_Worker] = []
        while not self._idle.empty():
            idle.append(self._idle.get_nowait())
        idle.reverse()  # oldest first, so that putting them back keeps the newest on top
        stopped = 0
        keep: list[_Worker] = []
        for worker in idle:
            if len(self._all) > self.size and now - worker.idle_since > self.idle_seconds:
                self._all.discard(worker)
                worker.kill()
                stopped += 1
            else:
                keep.append(worker)
        for worker in keep:
            self._idle.put_nowait(worker)
        return stopped

    @property
    def busy(self) -> int:
        """Workers running a query now."""
        return max(0, len(self._all) - self._idle.qsize())

    async def switch(self, db_path: Path | str) -> None:
        """Serve a new release: start fresh workers, then retire the old ones as they free up."""
        old_idle: list[_Worker] = []
        while not self._idle.empty():
            old_idle.append(self._idle.get_nowait())
        self.db_path = str(db_path)
        try:
            await self.start()
        finally:
            for worker in old_idle:
                self._all.discard(worker)
                worker.kill()

    @property
    def alive(self) -> int:
        """Workers currently running."""
        return sum(1 for w in self._all if w.proc.poll() is None)

    async def close(self) -> None:
        """Stop every worker."""
        self._closed = True
        for task in list(self._spawning):
            task.cancel()
        for worker in list(self._all):
            worker.kill()
        self._all.clear()
