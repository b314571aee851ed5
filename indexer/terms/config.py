"""How mining runs: the scorer, its model, span limits, contexts kept, spaCy batches."""

from __future__ import annotations

from dataclasses import dataclass

from indexer.terms.boosted import BoostedModel
from indexer.terms.patterns import SpanLimits

MODEL, CVALUE = "model", "cvalue"


@dataclass(frozen=True)
class MinerConfig:
    """``scorer="cvalue"`` is the unsupervised baseline: ranked by C-value, no cut-off."""

    scorer: str = MODEL
    model: BoostedModel | None = None  # None: the shipped model (term_model.json)
    limits: SpanLimits = SpanLimits()
    contexts_per_term: int = 3
    # Documents a candidate must occur in to pass the cut-off (at most all the corpus has).
    # TermEval counts a term used once; a glossary of a collection wants those it shares.
    min_documents: int = 1
    # Documents per spaCy batch: tok2vec's arrays stay in the core's cache, and NASA's
    # counts were identical and 7% faster to make in batches of 4 than of 16.
    batch_size: int = 4
    n_process: int = 1
