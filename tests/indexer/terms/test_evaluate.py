"""TermEval 2020 scoring of unique lower-cased strings."""

from __future__ import annotations

import pytest

from indexer.terms.evaluate import load_gold, score_terms


def test_evaluate_termeval_scores_unique_lowercased_strings(tmp_path):
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
