"""Scores for surface forms, lemma groups, and the cut-off between terms and the rest.

The cut-off is not a fixed score: it keeps the top k groups that maximize the F1 one can
expect if the model's probabilities are calibrated, E[F1@k] ~ 2 * sum(p_1..p_k) / (k + sum(p)).
That adapts to how many terms a new corpus holds, and chosen leave-one-domain-out on ACTER
it lands within a point of the best possible cut on every held-out domain.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np

from indexer.terms.boosted import BoostedModel, ScoreMemo
from indexer.terms.feature_columns import rows_feature_matrix
from indexer.terms.view import CorpusView

MODEL_PATH = Path(__file__).with_name("term_model.json")


@lru_cache(maxsize=2)
def load_model(path: Path = MODEL_PATH) -> BoostedModel:
    return BoostedModel.load(path)


def model_scores(
    view: CorpusView, ids: np.ndarray, model: BoostedModel, memo: ScoreMemo | None = None
) -> np.ndarray:
    """P(term) for each surface form of ``ids`` (`CorpusCounts.names` positions); ``memo``
    holds scores kept from an earlier run."""
    if not len(ids):
        return np.zeros(0)
    return model.predict_proba(rows_feature_matrix(view, ids, model.feature_names), memo)


def cvalue_scores(view: CorpusView, ids: np.ndarray) -> np.ndarray:
    """The unsupervised baseline: C-value of the surface form's lemma group."""
    return view.nesting.c_value[view.lemma_ids[ids]]


def group_scores(groups: np.ndarray, scores: np.ndarray, n_groups: int) -> np.ndarray:
    """A group scores as its best surface form ("turbines" lifts "turbine"): the score of
    each of ``n_groups`` groups, given each surface form's ``groups`` entry and score."""
    best = np.full(n_groups, -math.inf)
    np.maximum.at(best, groups, scores)
    return best


def expected_f1_threshold(probabilities: Sequence[float]) -> float:
    """The lowest probability to accept so as to maximize expected F1 over ``probabilities``.

    Each entry is one output string (the TermEval unit), so a group with three variants
    counts three times, as it will in the scored list.
    """
    ordered = np.sort(np.asarray(probabilities, dtype=float))[::-1]
    if len(ordered) == 0:
        return math.inf
    ranks = np.arange(1, len(ordered) + 1)
    expected_f1 = 2 * np.cumsum(ordered) / (ranks + ordered.sum())
    return float(ordered[int(np.argmax(expected_f1))])
