"""The glossary mined after publishes, in a background process: a publish never waits for
spaCy (mining all of NASA took 87 s; even one new document needs spaCy loaded, seconds).

Publishes in quick succession are mined together: a thread waits `SETTLE_SECONDS`, then a
child process builds the live generation with its glossary mined (`MiningRound`) and
publishes it. A server that stops first loses the round; the next `kb index` run that
changes documents mines them all.
"""

from __future__ import annotations

import dataclasses
import logging
import multiprocessing
import os
import shutil
import tempfile
import threading
import time
from pathlib import Path

from indexer.contested import rank_contested_terms
from indexer.live_generation import LiveGeneration
from indexer.pipeline import IndexJob, index_lock
from indexer.report import IndexRun
from indexer.terms.step import GlossaryStep
from kb.index.generations import Manifest, current_generation, next_generation_number
from kb.index.generations import publish as publish_generation
from kb.settings import Settings

log = logging.getLogger(__name__)

SETTLE_SECONDS = 2.0  # publishes this close together are mined in one round
LOCK_WAIT_SECONDS = 600.0  # publishing the round waits for a whole `kb index` run if it must
STALE_SECONDS = 24 * 3600
CHILD_NICENESS = 10  # publishes and searches first

_scheduled: set[Path] = set()
_scheduled_lock = threading.Lock()


def mine_in_background(settings: Settings) -> threading.Thread | None:
    """Schedule a mining round for the index (None: one is already waiting to start)."""
    kb_dir = Path(settings.kb_dir).resolve()
    with _scheduled_lock:
        if kb_dir in _scheduled:
            return None
        _scheduled.add(kb_dir)
    thread = threading.Thread(target=_mine_round, args=(kb_dir, settings), name="kb-publish-mining")
    thread.daemon = True  # never holds a server's shutdown; the round is then lost
    thread.start()
    return thread


def _mine_round(kb_dir: Path, settings: Settings) -> None:
    """Wait for publishes to settle, then mine in a child process of low priority: in a
    thread beside the publishes, spaCy's Python held the GIL and NASA publishes took p50
    7.5 s instead of 0.8 s (bench_publish.py, load average 9)."""
    time.sleep(SETTLE_SECONDS)
    with _scheduled_lock:
        _scheduled.discard(kb_dir)  # a publish from now on schedules the next round
    child = multiprocessing.get_context("spawn").Process(
        target=_round_in_child, args=(settings,), name="kb-publish-mining", daemon=True
    )
    child.start()
    child.join()


def _round_in_child(settings: Settings) -> None:
    os.nice(CHILD_NICENESS)
    try:
        MiningRound(settings).run()
    except Exception:  # derived data: a failed round leaves the published documents as they are
        log.warning("glossary mining after a publish failed", exc_info=True)


class MiningRound(IndexJob):
    """The live generation with its glossary mined, built aside without the index lock (40
    s on NASA, spaCy's load included, which publishes would otherwise wait for) and
    published under it only if it is still the live one: else a publish came meanwhile,
    and the round that publish scheduled mines its documents too."""

    def __init__(self, settings: Settings):
        super().__init__([], settings)

    def run(self) -> IndexRun:
        self.embedder = self._lazy_embedder()  # loads no model: the vectors stay
        self.live = LiveGeneration.find(self.kb_dir, False, self.embedder)
        live = self.live
        if live.previous is None or live.model_change or not live.current_layout():
            return self.report  # nothing to mine, or `kb index` must run first
        self.temp = _aside(self.kb_dir)
        try:
            self.copy()
            GlossaryStep.start(self.store, self.kb_dir, self.embedder, 0).finish(
                self.store, self.report
            )
            rank_contested_terms(self.store, self.report)
            self.write(0)  # numbered when published
            self._publish_if_live()
        finally:
            shutil.rmtree(self.temp, ignore_errors=True)
        return self.report

    def _publish_if_live(self) -> None:
        with index_lock(self.kb_dir, LOCK_WAIT_SECONDS):
            if current_generation(self.kb_dir) != self.live.previous:
                return
            number = next_generation_number(self.kb_dir)
            manifest = Manifest.read(self.temp)
            dataclasses.replace(manifest, generation=number).write(self.temp)
            self.report.generation = str(publish_generation(self.kb_dir, self.temp, number))


def _aside(kb_dir: Path) -> Path:
    """A directory for the round's generation that runs holding the lock leave alone (they
    remove every `.tmp-gen-*`); rounds a killed process left are removed after a day."""
    folder = kb_dir / "cache"
    folder.mkdir(parents=True, exist_ok=True)
    for stale in folder.glob("mining-gen-*"):
        if time.time() - stale.stat().st_mtime > STALE_SECONDS:
            shutil.rmtree(stale, ignore_errors=True)
    return Path(tempfile.mkdtemp(prefix="mining-gen-", dir=folder))
