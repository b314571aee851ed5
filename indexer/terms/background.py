"""Glossary mining in a child process, while the index run embeds.

spaCy parses on one core, and mining used to start only after embedding had finished, so
on a 2-core machine one core idled through the longest step of a full build. A child
process (its own interpreter: no lock shared with the model) mines the documents the parse
step left in the store while the parent embeds them; the parent then stores its candidates.
The result is the same as mining in-process: the same function runs, with the same cache.

The child never outlives its parent: a killed index run releases KB_DIR/.lock, and a child
still mining would write the mining cache beside the next run (it lived 2.2-2.9 s after a
SIGKILL of its parent, and wrote the cache in 6 of 6 kills: benchmarks/bench_kill_rerun.py).
On Linux the kernel kills it with its parent (PR_SET_PDEATHSIG); elsewhere, and in the
moment before that is set, it checks that its parent is still the one that started it
before it starts and before every write to the cache.
"""

from __future__ import annotations

import ctypes
import logging
import multiprocessing
import os
import signal
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from indexer.terms.reuse import CandidateTable, CorpusRow, StoredCandidates

if TYPE_CHECKING:
    from models import Embedder

log = logging.getLogger(__name__)

# Below this many new or changed documents spaCy needs a few seconds, about what starting a
# child interpreter and loading the pipeline in it costs: then mining stays in-process,
# unless the parent has to load its embedding model, which takes longer than both.
BACKGROUND_MIN_DOCUMENTS = 100


class MiningFailedError(RuntimeError):
    """The child's mining raised; its message names the exception."""


def worth_a_child_process(documents_changed: int, model_to_load: bool = False) -> bool:
    """``model_to_load``: the run must load its embedding model before it can embed."""
    enough = documents_changed >= BACKGROUND_MIN_DOCUMENTS or model_to_load
    return enough and (os.cpu_count() or 1) >= 2


def model_to_load(embedder: Embedder, missing_chunks: int) -> bool:
    from models.lazy import LazyEmbedder

    return missing_chunks > 0 and isinstance(embedder, LazyEmbedder) and not embedder.is_loaded


class BackgroundMining:
    """`mine(documents, cache, stored)` running in a child process from construction on;
    ``documents`` as plain rows (`corpus_rows`)."""

    def __init__(
        self, documents: list[CorpusRow], cache: Path | None, stored: StoredCandidates | None
    ):
        self._documents, self._cache, self._stored = documents, cache, stored
        self._started = time.perf_counter()
        self.seconds: float | None = None  # from start to answer, once the answer is seen
        # spawn, never fork: the parent runs torch's and the embedder's threads.
        context = multiprocessing.get_context("spawn")
        self._receive, send = context.Pipe(duplex=False)
        # As plain tuples: unpickling a SourceDocument would import spaCy before the child
        # could keep torch out (`_mine_and_send`).
        self._process = context.Process(
            target=_mine_and_send,
            args=(send, documents, cache, stored, os.getpid()),
            name="glossary-mining",
        )
        self._process.daemon = True  # never outlives an index run that was interrupted
        self._process.start()
        send.close()  # the child holds the only sending end: its exit means EOF here

    def running(self) -> bool:
        """True until the child has its answer ready (or has died)."""
        if self._receive.poll():
            self._note_finished()
            return False
        return True

    def _note_finished(self) -> None:
        if self.seconds is None:
            self.seconds = time.perf_counter() - self._started

    def result(self) -> CandidateTable:
        """The child's candidates; if the child died without answering, mined here instead."""
        try:
            outcome = self._receive.recv()
            self._note_finished()
        except EOFError:
            outcome = None
        finally:
            self._receive.close()
            self._process.join()
        if isinstance(outcome, Exception):
            raise outcome
        if outcome is None:
            log.warning(
                "the glossary mining process exited with status %s; mining in-process instead",
                self._process.exitcode,
            )
            from indexer.terms.table import mine

            return mine(self._documents, self._cache, self._stored)
        return outcome

    def stop(self) -> None:
        """End the child if it is still working (the run failed or was interrupted)."""
        if self._process.is_alive():
            self._process.terminate()
        self._process.join()
        self._receive.close()


def _mine_and_send(send, documents: list[tuple], cache: Path | None, stored, parent: int) -> None:
    _die_with_parent(parent)
    # thinc imports torch whenever it is installed, for models the English pipeline does not
    # have: keeping it out saves this process about a second of start-up and 300 MB.
    sys.modules.setdefault("torch", None)
    from threadpoolctl import threadpool_limits

    from indexer.terms.table import mine  # imports numpy: threadpoolctl caps what is loaded

    threadpool_limits(1)  # this process has one core: the parent embeds on the other
    try:
        outcome = mine(documents, cache, stored, still_wanted=lambda: _has_parent(parent))
    except Exception as exc:  # sent back: the parent reports the cause
        outcome = MiningFailedError(f"{type(exc).__name__}: {exc}")
    send.send(outcome)
    send.close()
    # Exit at once: tearing down spaCy's and the counts' objects one by one took about half a
    # second, which the parent, waiting to reap this process, would add to the index run.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


# From <linux/prctl.h>: the signal this process receives when the thread that started it ends.
PR_SET_PDEATHSIG = 1


def _die_with_parent(parent: int) -> None:
    """Have Linux kill this process when ``parent`` dies; exit now if it already has."""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
            log.warning("prctl(PR_SET_PDEATHSIG) failed: %s", os.strerror(ctypes.get_errno()))
    if not _has_parent(parent):  # it died before the kernel knew to tell this process
        os._exit(1)


def _has_parent(parent: int) -> bool:
    """False once the process that started this one is gone (this one was re-parented)."""
    return os.getppid() == parent
