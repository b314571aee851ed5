"""Uploaded files read in a worker process, bounded in time and memory, off the search threads.

A 30 KB DOCX of 295,000 empty paragraphs kept python-docx busy for half a minute, and
concurrent searches waited with it. Here one spawn-context worker, started on the first
upload, reads uploads one at a time. A read that runs past its time limit has the worker
killed (the next upload starts a new one); the worker's address space is capped with
RLIMIT_AS, so a file that needs more memory fails there with MemoryError, not in the server.
"""

from __future__ import annotations

import asyncio
import importlib
import multiprocessing
import os
import resource
import signal
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass
from typing import Any

WORKER_MEMORY_BYTES = 1 << 30
START_SECONDS = 60.0  # starting Python and importing the readers, not counted as reading
READERS = ("docx", "kb.kickoff.brief")  # imported at start, so not timed with the first file


class UploadRefused(Exception):
    """An upload the worker could not read within its bounds; the message names the file."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class UploadWorker:
    """`await worker.run(name, task, *args)`: task(*args) in the worker, within the bounds."""

    def __init__(self, seconds: float, memory_bytes: int = WORKER_MEMORY_BYTES):
        self.seconds = seconds
        self.memory_bytes = memory_bytes
        self._pool: ProcessPoolExecutor | None = None
        self._pid = 0
        self._turn = asyncio.Lock()  # one upload at a time, so each gets the whole time limit

    async def run(self, name: str, task: Callable[..., Any], *args: Any) -> Any:
        """The task's result; UploadRefused if it runs too long, needs too much memory or
        kills the worker."""
        async with self._turn:
            try:
                pool = await self._started()
                future = asyncio.wrap_future(pool.submit(task, *args))
                return await asyncio.wait_for(future, self.seconds)
            except TimeoutError:
                await asyncio.to_thread(self.close)  # joins the pool's threads
                raise UploadRefused(
                    f"{name} took longer than {self.seconds:g} seconds to read, the limit for "
                    "an upload; send a shorter or simpler file."
                ) from None
            except MemoryError:
                raise UploadRefused(
                    f"{name} needs more than {self.memory_bytes / 2**30:g} GiB of memory to "
                    "read, the limit for an upload; send a smaller or simpler file."
                ) from None
            except BrokenProcessPool:
                await asyncio.to_thread(self.close)  # joins the pool's threads
                raise UploadRefused(f"{name} could not be read: its reader stopped.") from None

    async def _started(self) -> ProcessPoolExecutor:
        if self._pool is None:
            context = multiprocessing.get_context("spawn")  # no copy of the server's threads
            pool = ProcessPoolExecutor(
                1, context, initializer=_start_worker, initargs=(self.memory_bytes,)
            )
            try:
                pid = asyncio.wrap_future(pool.submit(os.getpid))
                self._pid = await asyncio.wait_for(pid, START_SECONDS)
            except (TimeoutError, BrokenProcessPool, OSError) as exc:
                pool.shutdown(wait=False, cancel_futures=True)
                raise BrokenProcessPool("the reader did not start") from exc
            self._pool = pool
        return self._pool

    def close(self) -> None:
        """Stop the worker now, whatever it is reading (nothing of it is kept)."""
        pool, self._pool = self._pool, None
        if pool is None:
            return
        with suppress(ProcessLookupError):
            os.kill(self._pid, signal.SIGKILL)
        pool.shutdown(wait=True, cancel_futures=True)  # quick once the worker is gone


def _start_worker(memory_bytes: int) -> None:
    for module in READERS:
        importlib.import_module(module)
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = memory_bytes if hard == resource.RLIM_INFINITY else min(memory_bytes, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


@asynccontextmanager
async def stopping_upload_worker(app):
    """The app's lifespan: the worker, if one was started, stops with the server."""
    try:
        yield
    finally:
        app.state.upload_worker.close()


@dataclass(frozen=True)
class CharterText:
    """What the worker read from a charter: its text, or BriefError's kind and message."""

    text: str = ""
    refusal_kind: str = ""
    refusal: str = ""


def read_charter(data: bytes, filename: str, max_bytes: int) -> CharterText:
    """In the worker: kb.kickoff.read_upload, its BriefError returned as data (it does not
    pickle)."""
    from kb.kickoff.brief import BriefError, read_upload

    try:
        return CharterText(read_upload(data, filename, max_bytes))
    except BriefError as exc:
        return CharterText("", exc.kind, exc.message)
