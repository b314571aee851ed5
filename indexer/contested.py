"""The index run's contested-terms step: after mining, rank the candidates departments use
in different senses (kb.glossary.contested), so the editors' page reads a ranked table."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from kb.glossary.contested import rank_contested
from kb.index.store import Store
from kb.problems import Problem

if TYPE_CHECKING:
    from indexer.report import IndexRun

log = logging.getLogger(__name__)


def rank_contested_terms(store: Store, run: IndexRun) -> None:
    """Rank and store them; derived data, so a failure is a warning, never the run's end."""
    try:
        run.contested_terms = rank_contested(store)
    except Exception as exc:
        log.debug("ranking contested terms failed", exc_info=True)
        message = f"contested terms not updated: {type(exc).__name__}: {exc}"
        run.problems.append(Problem("contested terms", message, severity="warning"))
