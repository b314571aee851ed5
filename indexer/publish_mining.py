"""The glossary mined after publishes, in a background thread: a publish never waits for
spaCy (mining all of NASA took 87 s; even one new document needs spaCy loaded, seconds).

Publishes in quick succession are mined together: the thread waits `SETTLE_SECONDS`, mines
the live generation without the index lock, then takes it to store the candidates in a
copy of the then live generation and publish that. A publish during mining schedules the
next round, which mines what it added. A process that ends first
loses the round; the next `kb index` run that changes documents mines them all.
"""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path

from indexer.contested import rank_contested_terms
from indexer.discover import Discovery
from indexer.pipeline import IndexJob
from indexer.terms.reuse import (
    CandidateTable,
    MiningBasis,
    StoredCandidates,
    corpus_rows,
    save_candidates,
)
from kb.index.generations import DB_NAME, current_generation
from kb.index.store import Store
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
        mined = mine_live(kb_dir)
        if mined is not None:
            StoreMining(settings, embedder, *mined).run()
    except Exception:  # derived data: a failed round leaves the published documents as they are
        log.warning("glossary mining after a publish failed", exc_info=True)


def mine_live(kb_dir: Path) -> tuple[CandidateTable, MiningBasis | None] | None:
    """The candidates of the live generation, mined without the index lock (40 s on NASA,
    spaCy's load included, which publishes would otherwise wait for), and the basis of
    the candidates that generation held; None without a live generation."""
    from indexer.terms.cache import mining_cache_path
    from indexer.terms.table import mine

    live = current_generation(kb_dir)
    if live is None:
        return None
    store = Store(live / DB_NAME, read_only=True)
    try:
        rows, stored = corpus_rows(store), StoredCandidates.read(store)
    finally:
        store.close()
    return mine(rows, mining_cache_path(kb_dir), stored), stored and stored.basis


class StoreMining(IndexJob):
    """An index run that reads no file: under the lock it stores candidates mined from an
    earlier live generation into the current one, ranks the contested terms (and reads
    person names not read yet), and publishes that."""

    lock_wait = LOCK_WAIT_SECONDS

    def __init__(
        self, settings: Settings, embedder: Embedder, table: CandidateTable, basis: MiningBasis
    ):
        super().__init__([], settings, embedder=embedder)
        self.table, self.basis = table, basis

    def discover(self) -> None:
        self.found = Discovery([], [], [], [])

    def check(self) -> bool:
        return False

    def parse(self) -> None:
        self.pending = {}

    def start_mining(self, missing: int) -> None:
        pass  # mined already, off the lock

    def mine(self) -> None:
        """Store the candidates unless another run mined since (its rows are newer: the
        table's updates apply to the rows it was mined beside)."""
        if MiningBasis.read(self.store) != self.basis:
            return
        with self.phase("glossary"):
            save_candidates(self.store, self.table)
        with self.phase("contested"):
            rank_contested_terms(self.store, self.report)
