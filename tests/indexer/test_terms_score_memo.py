"""What a re-index keeps of the last run's ranking: tree scores by split codes, Zipf values.

A changed document moves only its own surface forms' features across the model's
thresholds; every other row keeps its split codes, so its score is looked up, and it must be
the very float the trees would give.
"""

from __future__ import annotations

from contextlib import closing

import numpy as np
import pytest

from indexer.mining_cache import MiningCache
from indexer.terms import reference
from indexer.terms.boosted import ScoreMemo
from indexer.terms.ranking import load_model
from tests.indexer.test_terms_fast_paths import hand_built_model


def shipped_features(rows: int = 400, seed: int = 0) -> np.ndarray:
    model = load_model()
    rng = np.random.default_rng(seed)
    return rng.normal(0, 2, (rows, len(model.feature_names)))


def test_memo_scores_are_the_trees_scores_and_only_new_codes_are_computed():
    model, features = load_model(), shipped_features()
    memo = ScoreMemo(model.digest)
    assert np.array_equal(memo.raw_scores(model, features), model.raw_scores(features))
    assert memo.computed == len(features)
    moved = features.copy()
    moved[:5] = shipped_features(5, seed=1)  # five rows change; the rest keep their codes
    assert np.array_equal(memo.raw_scores(model, moved), model.raw_scores(moved))
    assert memo.computed == 5


def test_rows_split_alike_share_one_computation():
    model = hand_built_model()  # feature a: thresholds 0.25, 0.5; b: 2.0, 3.0
    # On a threshold goes left like the values below it; NaN goes right like those above.
    features = np.asarray(
        [[0.1, 1.0], [0.2, 1.5], [0.5, 2.5], [0.3, 2.1], [0.7, 9.0], [np.nan, np.nan]]
    )
    memo = ScoreMemo(model.digest)
    assert np.array_equal(memo.raw_scores(model, features), model.raw_scores(features))
    assert memo.computed == 3


def test_memo_survives_its_byte_encoding_and_keeps_only_the_last_rows():
    model, features = load_model(), shipped_features()
    memo = ScoreMemo(model.digest)
    memo.raw_scores(model, features)
    memo.raw_scores(model, features[:100])
    restored = ScoreMemo.from_bytes(model.digest, *memo.to_bytes())
    assert len(restored.scores) == 100
    assert np.array_equal(
        restored.raw_scores(model, features[:100]), model.raw_scores(features[:100])
    )
    assert restored.computed == 0


def test_memo_of_another_model_is_not_reused():
    model, features = load_model(), shipped_features(50)
    stale = ScoreMemo("another-model", {})
    ScoreMemo.raw_scores(stale, hand_built_model(), np.zeros((3, 2)))  # fills it for that model
    assert np.array_equal(stale.raw_scores(model, features), model.raw_scores(features))
    assert stale.model_digest == model.digest and stale.computed == len(features)


def test_mining_cache_keeps_scores_for_one_model_and_zipf_values(tmp_path):
    model, features = load_model(), shipped_features(30)
    memo = ScoreMemo(model.digest)
    memo.raw_scores(model, features)
    path = tmp_path / "mining.sqlite"
    with closing(MiningCache(path)) as cache:
        cache.save_scores(memo)
        cache.save_zipf("wordfreq-test", {"valve": 3.5, "bad\udcff": 1.0, "zzqx": 0.0})
    with closing(MiningCache(path)) as cache:
        assert cache.load_scores(model.digest).scores == memo.scores
        assert cache.load_scores("another-model").scores == {}
        assert cache.load_zipf("wordfreq-test") == {"valve": 3.5, "zzqx": 0.0}
        assert cache.load_zipf("wordfreq-other") == {}
        assert cache.warnings == []


@pytest.fixture
def fresh_zipf_memo(monkeypatch):
    monkeypatch.setattr(reference, "_zipf_memo", {})
    monkeypatch.setattr(reference, "_looked_up", {})


def test_remembered_zipf_values_are_used_and_only_new_lookups_are_handed_back(fresh_zipf_memo):
    reference.remember_zipf({"valve": 1.25})
    assert reference.general_zipf("valve") == 1.25  # not wordfreq's value: it was not asked
    looked_up = reference.general_zipf("the")
    assert looked_up > 5 or looked_up == reference.NEUTRAL_ZIPF
    expected = {} if looked_up == reference.NEUTRAL_ZIPF else {"the": looked_up}
    assert reference.take_looked_up() == expected
    assert reference.take_looked_up() == {}
