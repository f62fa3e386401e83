"""A pool of query worker processes with a hard timeout.

pyoxigraph cannot cancel a running query, and a thread cannot be killed, so queries run in
child processes (:mod:`allygraph.serve.worker`), each with its own read-only Store of the
current release. When a query runs out of time its worker is killed (SIGKILL) and replaced;
the other workers keep serving. The event loop only waits on sockets, so a long query never
delays another request.
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
        size: Number of worker processes.
    """

    def __init__(self, db_path: Path | str, size: int) -> None:
        self.db_path = str(db_path)
        self.size = max(1, size)
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

        async def respawn() -> None:
            try:
                new = await self._spawn()
            except StoreError:
                log.exception("query worker respawn failed")
                return
            if self._closed:
                new.kill()
            else:
                self._idle.put_nowait(new)

        task = asyncio.get_running_loop().create_task(respawn())
        self._spawning.add(task)
        task.add_done_callback(self._spawning.discard)

    async def run(self, job: dict[str, Any], timeout: float) -> WorkerReply:
        """Run one query job; the time limit covers waiting for a worker and the work itself.

        Raises:
            QueryTimeoutError: The query ran out of time; its worker was killed.
            StoreError: The worker died.
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        try:
            worker = await asyncio.wait_for(self._idle.get(), timeout=timeout)
        except TimeoutError:
            msg = f"query: no worker became free within the {timeout:g} s limit"
            raise QueryTimeoutError(msg) from None
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
            self._idle.put_nowait(worker)
        else:
            self._all.discard(worker)
            worker.kill()
        return reply

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
