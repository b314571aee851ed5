"""The boosted trees: vectorized scoring equals the textbook per-row walk, scikit-learn's
model survives the JSON file, and the score memo gives the very scores the trees give."""

from __future__ import annotations

import numpy as np

from indexer.terms.boosted import BoostedModel, ScoreMemo, Tree, from_sklearn
from indexer.terms.ranking import load_model


def tree_value(tree: Tree, row: np.ndarray) -> float:
    node = 0
    while tree.feature[node] >= 0:
        go_left = row[tree.feature[node]] <= tree.threshold[node]
        node = tree.left[node] if go_left else tree.right[node]
    return float(tree.value[node])


def per_row_scores(model: BoostedModel, features: np.ndarray) -> np.ndarray:
    """One row at a time, one tree at a time: the textbook evaluation."""
    raw = []
    for row in features:
        total = model.baseline
        for tree in model.trees:
            total += tree_value(tree, row)
        raw.append(total)
    return 1.0 / (1.0 + np.exp(-np.asarray(raw)))


def hand_built_model() -> BoostedModel:
    """Two trees over two features: a stump, and a three-level tree."""
    stump = Tree(*(np.asarray(a) for a in ([0, -1, -1], [0.5, 0, 0], [1, 0, 0], [2, 0, 0])),
                 np.asarray([0.0, -1.0, 1.0]))  # fmt: skip
    deep = Tree(
        np.asarray([1, 0, -1, -1, 1, -1, -1]), np.asarray([2.0, 0.25, 0, 0, 3.0, 0, 0]),
        np.asarray([1, 2, 0, 0, 5, 0, 0]), np.asarray([4, 3, 0, 0, 6, 0, 0]),
        np.asarray([0.0, 0.0, 0.3, -0.2, 0.0, 0.7, -0.6]),
    )  # fmt: skip
    return BoostedModel(["a", "b"], 0.1, [stump, deep], {})


def shipped_features(rows: int = 400, seed: int = 0) -> np.ndarray:
    model = load_model()
    rng = np.random.default_rng(seed)
    return rng.normal(0, 2, (rows, len(model.feature_names)))


def test_boosted_vectorized_scoring_equals_per_row_scoring_on_hand_built_features():
    model = hand_built_model()
    # Values on, below and above every threshold, and a missing value (goes right).
    features = np.asarray(
        [[0.5, 2.0], [0.25, 3.0], [0.6, 3.5], [-1.0, -1.0], [np.nan, 2.0], [0.2, np.nan]]
    )
    assert np.array_equal(model.predict_proba(features), per_row_scores(model, features))


def test_boosted_shipped_model_scores_equal_per_row_scoring():
    model = load_model()
    rng = np.random.default_rng(0)
    features = rng.normal(0, 2, (300, len(model.feature_names)))
    thresholds = [(t.feature[0], t.threshold[0]) for t in model.trees[:40]]
    for row, (feature, threshold) in enumerate(thresholds):  # some values exactly on a split
        features[row, feature] = threshold
    assert np.array_equal(model.predict_proba(features), per_row_scores(model, features))


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


def test_boosted_memo_scores_are_the_trees_scores_and_only_new_codes_are_computed():
    model, features = load_model(), shipped_features()
    memo = ScoreMemo(model.digest)
    assert np.array_equal(memo.raw_scores(model, features), model.raw_scores(features))
    assert memo.computed == len(features)
    moved = features.copy()
    moved[:5] = shipped_features(5, seed=1)  # five rows change; the rest keep their codes
    assert np.array_equal(memo.raw_scores(model, moved), model.raw_scores(moved))
    assert memo.computed == 5


def test_boosted_memo_rows_split_alike_share_one_computation():
    model = hand_built_model()  # feature a: thresholds 0.25, 0.5; b: 2.0, 3.0
    # On a threshold goes left like the values below it; NaN goes right like those above.
    features = np.asarray(
        [[0.1, 1.0], [0.2, 1.5], [0.5, 2.5], [0.3, 2.1], [0.7, 9.0], [np.nan, np.nan]]
    )
    memo = ScoreMemo(model.digest)
    assert np.array_equal(memo.raw_scores(model, features), model.raw_scores(features))
    assert memo.computed == 3


def test_boosted_memo_survives_its_byte_encoding_and_keeps_only_the_last_rows():
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


def test_boosted_memo_of_another_model_is_not_reused():
    model, features = load_model(), shipped_features(50)
    stale = ScoreMemo("another-model", {})
    ScoreMemo.raw_scores(stale, hand_built_model(), np.zeros((3, 2)))  # fills it for that model
    assert np.array_equal(stale.raw_scores(model, features), model.raw_scores(features))
    assert stale.model_digest == model.digest and stale.computed == len(features)
