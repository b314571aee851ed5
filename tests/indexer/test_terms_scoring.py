"""Acronyms, C-value, the boosted-tree file format, the cut-off rule and TermEval scoring."""

from __future__ import annotations

import math

import numpy as np
import pytest

from indexer.terms.acronyms import best_long_form, find_acronyms, is_short_form
from indexer.terms.boosted import BoostedModel, from_sklearn
from indexer.terms.cvalue import c_values
from indexer.terms.evaluate import load_gold, score_terms
from indexer.terms.ranking import expected_f1_threshold, group_scores


def test_acronym_after_its_expansion():
    pairs = find_acronyms(["We ran a root cause analysis (RCA) after the outage."])
    assert pairs == {"rca": "root cause analysis"}


def test_acronym_before_its_expansion():
    assert find_acronyms(["The RCA (root cause analysis) took a week."]) == {
        "rca": "root cause analysis"
    }


def test_parentheses_that_are_not_acronyms_are_ignored():
    assert find_acronyms(["It was fine (see above).", "Costs rose (2019)."]) == {}


def test_short_form_letters_must_appear_in_order():
    assert (
        best_long_form("HAWT", "the horizontal axis wind turbine") == "horizontal axis wind turbine"
    )
    assert best_long_form("XYZ", "root cause analysis") is None
    assert is_short_form("EU") and not is_short_form("see above")


def test_c_value_discounts_nested_occurrences():
    result = c_values(["wind turbine", "turbine", "wind turbine blade"], [4, 6, 2])
    assert result.c_value[2] == pytest.approx(math.log2(4) * 2)
    assert result.c_value[0] == pytest.approx(math.log2(3) * (4 - 2))
    assert result.n_containers[1] == 2 and result.nested_frequency[1] == 6


def test_boosted_trees_match_scikit_learn_and_survive_json(tmp_path):
    from sklearn.ensemble import HistGradientBoostingClassifier

    rng = np.random.default_rng(0)
    features = rng.random((400, 3))
    labels = features[:, 0] + 0.3 * features[:, 1] > 0.7
    estimator = HistGradientBoostingClassifier(max_iter=20, random_state=0).fit(features, labels)
    model = from_sklearn(estimator, ["a", "b", "c"], {"note": "test"})
    model.save(tmp_path / "m.json")
    loaded = BoostedModel.load(tmp_path / "m.json")
    expected = estimator.predict_proba(features)[:, 1]
    assert np.allclose(loaded.predict_proba(features), expected, atol=1e-5)
    assert loaded.feature_names == ["a", "b", "c"] and loaded.metadata == {"note": "test"}


def test_expected_f1_cut_keeps_the_likely_terms():
    assert expected_f1_threshold([0.9, 0.8, 0.1, 0.05]) == 0.8
    assert expected_f1_threshold([]) == math.inf


def test_a_group_scores_as_its_best_variant():
    turbine, blade = 0, 1
    groups = np.asarray([turbine, turbine, blade])
    scores = group_scores(groups, np.asarray([0.2, 0.7, 0.4]), n_groups=2)
    assert scores.tolist() == [0.7, 0.4]


def test_termeval_scores_unique_lowercased_strings(tmp_path):
    gold_file = tmp_path / "gold.tsv"
    gold_file.write_text(
        "Wind Turbine\tSpecific_Term\nrotor\tCommon_Term\nnacelle\tSpecific_Term\n"
    )
    gold = load_gold(gold_file)
    assert gold == {"wind turbine", "rotor", "nacelle"}
    scores = score_terms(["wind turbine", "WIND TURBINE", "rotor", "tower"], gold)
    assert (scores.n_candidates, scores.true_positives, scores.n_gold) == (3, 2, 3)
    assert scores.precision == pytest.approx(2 / 3) and scores.recall == pytest.approx(2 / 3)
    assert scores.f1 == pytest.approx(2 / 3)
    assert score_terms([], gold).f1 == 0.0
