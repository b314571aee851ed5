"""The index run's glossary step: mining started beside embedding (a child process) or run
after it, its candidates stored in the new generation.

Candidates are derived data, documents are not: a mining that fails for any reason (a
missing spaCy pipeline, a text spaCy rejects, a bug) leaves the previous candidates in
place and a warning in the summary, and the run still publishes its documents.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from indexer.terms.background import (
    BackgroundMining,
    MiningFailedError,
    model_to_load,
    worth_a_child_process,
)
from indexer.terms.reuse import (
    CandidateTable,
    CorpusRow,
    StoredCandidates,
    corpus_rows,
    save_candidates,
    texts_to_parse,
)
from kb.index.store import Store
from kb.problems import Problem
from models import Embedder

if TYPE_CHECKING:
    from indexer.report import IndexRun

log = logging.getLogger(__name__)

WHERE = "glossary mining"  # the path its problems are reported under


@dataclass
class GlossaryStep:
    rows: list[CorpusRow]
    cache: Path
    stored: StoredCandidates | None  # the candidates the live generation holds
    background: BackgroundMining | None = None

    @classmethod
    def start(cls, store: Store, kb_dir: Path, embedder: Embedder, missing: int) -> GlossaryStep:
        """Read what mining needs from ``store``; mine in a child process while this one
        embeds for many texts to parse, or when this process must load its model first to
        embed the ``missing`` chunks (the child parses and ranks meanwhile)."""
        from indexer.terms.cache import mining_cache_path

        stored = StoredCandidates.read(store)  # before mining replaces them
        step = cls(corpus_rows(store), mining_cache_path(kb_dir), stored)
        if worth_a_child_process(
            texts_to_parse(step.rows, stored), model_to_load(embedder, missing)
        ):
            step.background = BackgroundMining(step.rows, step.cache, stored)
        return step

    def finish(self, store: Store, run: IndexRun) -> None:
        """Store the candidates in ``store`` and record them in ``run``; on any failure keep
        the stored ones and record a warning instead."""
        try:
            mining = self._mining()
            save_candidates(store, mining)
        except Exception as exc:  # derived data: never worth the run's documents
            store.rollback()  # only candidate rows are uncommitted here
            log.debug("glossary mining failed", exc_info=True)
            reason = str(exc) if isinstance(exc, MiningFailedError) else _described(exc)
            run.problems.append(
                Problem(WHERE, f"glossary candidates not updated: {reason}", severity="warning")
            )
            return
        _record(run, mining)

    def stop(self) -> float | None:
        """End a child still working (the run failed); seconds from its start to its answer."""
        if self.background is None:
            return None
        self.background.stop()
        return self.background.seconds

    def _mining(self) -> CandidateTable:
        if self.background is not None:
            return self.background.result()
        from indexer.terms.table import mine

        return mine(self.rows, self.cache, self.stored)


def _described(exc: Exception) -> str:
    return f"{type(exc).__name__}: {exc}"


def _record(run: IndexRun, mining: CandidateTable) -> None:
    run.glossary_candidates = mining.candidates_found
    run.glossary_texts_parsed = mining.texts_parsed
    run.glossary_documents_reused = mining.documents_reused
    run.glossary_rows_kept = len(mining.rescored or ())
    run.problems += [Problem(WHERE, w, severity="warning") for w in mining.warnings]
