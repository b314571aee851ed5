"""The expected-F1 cut-off and lemma groups scored as their best variant."""

from __future__ import annotations

import math

import numpy as np

from indexer.terms.ranking import expected_f1_threshold, group_scores


def test_ranking_expected_f1_cut_keeps_the_likely_terms():
    assert expected_f1_threshold([0.9, 0.8, 0.1, 0.05]) == 0.8
    assert expected_f1_threshold([]) == math.inf


def test_ranking_a_group_scores_as_its_best_variant():
    turbine, blade = 0, 1
    groups = np.asarray([turbine, turbine, blade])
    scores = group_scores(groups, np.asarray([0.2, 0.7, 0.4]), n_groups=2)
    assert scores.tolist() == [0.7, 0.4]
