"""Mine glossary candidates from a collection of documents (the index run's `mine`, in
`table`, counts through the mining cache and ranks with `mine_counted`).

    result = mine_terms([SourceDocument("L-12", text, {"department": "Ops"}), ...])
    for term in result.accepted:           # best first, past the learned cut-off
        term.term, term.variants, term.frequency, term.metadata_counts["department"]

Steps: parse with spaCy (`nlp.pipe`), count pattern-matched spans (`collect`), pair
acronyms, score each surface form with the shipped model, group variants under their
lemma form, rank, and cut at the expected-F1 optimum (`ranking`). `mine_counted` starts
after parsing from per-document counts, e.g. kept from an earlier run (`incremental`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

import numpy as np

from indexer.terms.acronyms import acronym_forms
from indexer.terms.boosted import BoostedModel, ScoreMemo
from indexer.terms.candidates import rank_groups
from indexer.terms.collect import CorpusCounts, count_corpus, merge_counts
from indexer.terms.config import CVALUE, MODEL, MinerConfig
from indexer.terms.doc_counts import DocCounts
from indexer.terms.long_texts import count_texts
from indexer.terms.models import MiningResult, RankedCandidates, SourceDocument
from indexer.terms.ranking import (
    cvalue_scores,
    expected_f1_threshold,
    group_scores,
    load_model,
    model_scores,
)
from indexer.terms.view import CorpusView, corpus_view

if TYPE_CHECKING:  # spaCy is imported by the pipeline that makes the Docs
    from spacy.tokens import Doc


def mine_terms(
    documents: Iterable[SourceDocument], config: MinerConfig = MinerConfig(), nlp=None
) -> MiningResult:
    """Parse ``documents`` (a text longer than the pipeline takes in pieces) and mine their
    term candidates; loads the project's English pipeline unless ``nlp`` is given."""
    documents = list(documents)
    if nlp is None:
        from indexer.terms.spacy_pipeline import mining_pipeline

        nlp = mining_pipeline()
    texts = (document.text for document in documents)
    return mine_counted(documents, list(count_texts(texts, nlp, config)), config)


def mine_parsed(
    parsed: Iterable[tuple[SourceDocument, Doc]], config: MinerConfig = MinerConfig()
) -> MiningResult:
    """Mine already parsed documents (tests build their `Doc`s by hand)."""
    parsed = list(parsed)
    pairs = ((document.doc_id, doc) for document, doc in parsed)
    counts = count_corpus(pairs, config.limits, config.contexts_per_term)
    return _mine_counts([document for document, _ in parsed], counts, config)


def mine_counted(
    documents: list[SourceDocument],
    doc_counts: list[DocCounts],
    config: MinerConfig = MinerConfig(),
    memo: ScoreMemo | None = None,
) -> MiningResult:
    """Mine documents from their counts (`count_document`), one per document, in order.

    ``memo``: the model's scores kept from an earlier run (`ScoreMemo`); updated in place.
    """
    doc_ids = [document.doc_id for document in documents]
    counts = merge_counts(doc_ids, doc_counts, config.contexts_per_term)
    return _mine_counts(documents, counts, config, memo)


def _mine_counts(
    documents: list[SourceDocument],
    counts: CorpusCounts,
    config: MinerConfig,
    memo: ScoreMemo | None = None,
) -> MiningResult:
    acronyms = acronym_forms([document.text for document in documents])
    view = corpus_view(counts, acronyms.pairs, acronyms.written)
    metadata = {document.doc_id: document.metadata for document in documents}
    candidates = _rank(view, metadata, config, memo)
    return MiningResult(candidates, counts.n_documents, counts.n_tokens, view)


def scoring_model(config: MinerConfig) -> BoostedModel:
    """The model ``config`` scores with: its own, or the shipped one."""
    return config.model or load_model()


def _surface_scores(view: CorpusView, ids: np.ndarray, config: MinerConfig, memo):
    if config.scorer == MODEL:
        return model_scores(view, ids, scoring_model(config), memo)
    if config.scorer == CVALUE:
        return cvalue_scores(view, ids)
    raise ValueError(f"unknown scorer {config.scorer!r}; choose {MODEL!r} or {CVALUE!r}")


def _rank(
    view: CorpusView,
    metadata: Mapping[str, Mapping[str, str]],
    config: MinerConfig,
    memo: ScoreMemo | None = None,
) -> RankedCandidates:
    # Every surface form is scored on its own, and groups take their best: any order of the
    # surface ids gives the same scores, so they go in id order, never looked up by name.
    ids = np.arange(len(view.counts.names), dtype=np.int64)
    groups = view.lemma_ids  # by surface id
    scores = group_scores(groups, _surface_scores(view, ids, config, memo), len(view.lemmas))
    threshold = -float("inf")
    if config.scorer == MODEL:  # over output strings: a group counts once per variant
        threshold = expected_f1_threshold(scores[groups])
    return rank_groups(
        view, scores, metadata, config.contexts_per_term, threshold, config.min_documents
    )
