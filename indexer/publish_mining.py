"""The glossary mined after publishes, in a background thread: a publish never waits for
spaCy (mining all of NASA took 87 s; even one new document needs spaCy loaded, seconds).

Publishes in quick succession are mined together: the thread waits `SETTLE_SECONDS`, then
mines the live generation under the index lock and publishes the result as the next
generation. A publish during mining schedules the next round. A process that ends first
loses the round; the next `kb index` run that changes documents mines them all.
"""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path

from indexer.discover import Discovery
from indexer.pipeline import IndexJob
from indexer.terms.step import GlossaryStep
from kb.index.generations import current_generation
from kb.settings import Settings
from models import Embedder

log = logging.getLogger(__name__)

SETTLE_SECONDS = 2.0  # publishes this close together are mined in one round
LOCK_WAIT_SECONDS = 600.0  # mining waits for a whole `kb index` run if it must

_scheduled: set[Path] = set()
_scheduled_lock = threading.Lock()


def mine_in_background(settings: Settings, embedder: Embedder) -> threading.Thread | None:
    """Schedule a mining round for the index (None: one is already waiting to start)."""
    kb_dir = Path(settings.kb_dir).resolve()
    with _scheduled_lock:
        if kb_dir in _scheduled:
            return None
        _scheduled.add(kb_dir)
    thread = threading.Thread(
        target=_mine_round, args=(kb_dir, settings, embedder), name="kb-publish-mining"
    )
    thread.daemon = True  # never holds a server's shutdown; the round is then lost
    thread.start()
    return thread


def _mine_round(kb_dir: Path, settings: Settings, embedder: Embedder) -> None:
    time.sleep(SETTLE_SECONDS)
    with _scheduled_lock:
        _scheduled.discard(kb_dir)  # a publish from now on schedules the next round
    try:
        MiningJob(settings, embedder).run()
    except Exception:  # derived data: a failed round leaves the published documents as they are
        log.warning("glossary mining after a publish failed", exc_info=True)


class MiningJob(IndexJob):
    """An index run that reads no file: it mines the glossary of the live generation (and
    reads person names not read yet) and publishes that when it changed anything."""

    lock_wait = LOCK_WAIT_SECONDS

    def __init__(self, settings: Settings, embedder: Embedder):
        super().__init__([], settings, embedder=embedder)

    def run(self):
        if current_generation(self.kb_dir) is None:
            return self.report
        return super().run()

    def discover(self) -> None:
        self.found = Discovery([], [], [], [])

    def check(self) -> bool:
        return False

    def parse(self) -> None:
        self.pending = {}

    def start_mining(self, missing: int) -> None:
        if self.settings.glossary_mining:
            self.glossary = GlossaryStep.start(self.store, self.kb_dir, self.embedder, missing)
