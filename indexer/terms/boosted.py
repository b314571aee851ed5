"""A gradient-boosted tree ensemble stored as plain JSON and evaluated with numpy.

Training uses scikit-learn's HistGradientBoostingClassifier (see `train.py`); shipping its
trees as arrays of numbers instead of a pickle keeps the file small, readable, safe to
load, and independent of the scikit-learn version.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np


@dataclass(frozen=True)
class Tree:
    """One regression tree as parallel node arrays; leaves have ``feature == -1``."""

    feature: np.ndarray
    threshold: np.ndarray
    left: np.ndarray
    right: np.ndarray
    value: np.ndarray

    def predict(self, features: np.ndarray) -> np.ndarray:
        """Leaf values for the rows of ``features`` (one row per sample)."""
        return self.predict_columns(np.ascontiguousarray(features.T))

    def predict_columns(self, columns: np.ndarray) -> np.ndarray:
        """Leaf values for samples given as ``columns[feature]``, one value per sample.

        Each node splits only the rows that reach it, so a row costs one comparison per
        level it passes instead of one per level of the deepest leaf.
        """
        out = np.empty(columns.shape[1])
        pending = [(0, np.arange(columns.shape[1]))]
        feature, threshold = self.feature.tolist(), self.threshold.tolist()
        while pending:
            node, rows = pending.pop()
            if feature[node] < 0:
                out[rows] = self.value[node]
                continue
            # scikit-learn's rule: go left when the value is <= the threshold.
            go_left = columns[feature[node], rows] <= threshold[node]
            pending.append((self.left[node], rows[go_left]))
            pending.append((self.right[node], rows[~go_left]))
        return out


@dataclass(frozen=True)
class BoostedModel:
    """Sum of tree outputs plus a baseline, through a sigmoid: P(candidate is a term)."""

    feature_names: list[str]
    baseline: float
    trees: list[Tree]
    metadata: dict

    def predict_proba(self, features: np.ndarray) -> np.ndarray:
        columns = np.ascontiguousarray(features.T)  # a column per feature: rows gather fast
        raw = np.full(len(features), self.baseline)
        for tree in self.trees:  # in order: the same float sum as scikit-learn's
            raw += tree.predict_columns(columns)
        return 1.0 / (1.0 + np.exp(-raw))

    def to_json(self) -> dict:
        trees = [
            {key: getattr(tree, key).tolist() for key in ("feature", "threshold", "left", "right")}
            | {"value": [round(v, 6) for v in tree.value.tolist()]}
            for tree in self.trees
        ]
        return {"feature_names": self.feature_names, "baseline": self.baseline,
                "metadata": self.metadata, "trees": trees}  # fmt: skip

    @classmethod
    def from_json(cls, data: dict) -> BoostedModel:
        trees = [
            Tree(np.asarray(t["feature"], dtype=np.int64), np.asarray(t["threshold"], dtype=float),
                 np.asarray(t["left"], dtype=np.int64), np.asarray(t["right"], dtype=np.int64),
                 np.asarray(t["value"], dtype=float))
            for t in data["trees"]
        ]  # fmt: skip
        return cls(list(data["feature_names"]), float(data["baseline"]), trees, data["metadata"])

    @classmethod
    def load(cls, path: Path) -> BoostedModel:
        return cls.from_json(json.loads(path.read_text(encoding="utf-8")))

    def save(self, path: Path) -> None:
        path.write_text(json.dumps(self.to_json(), separators=(",", ":")) + "\n", encoding="utf-8")


def from_sklearn(estimator, feature_names: list[str], metadata: dict) -> BoostedModel:
    """Convert a fitted binary HistGradientBoostingClassifier (numeric features only)."""
    trees = []
    for (predictor,) in estimator._predictors:
        nodes = predictor.nodes
        leaf = nodes["is_leaf"].astype(bool)
        feature = np.where(leaf, -1, nodes["feature_idx"]).astype(np.int64)
        threshold = np.where(leaf, 0.0, nodes["num_threshold"]).astype(float)
        trees.append(Tree(feature, threshold, nodes["left"].astype(np.int64),
                          nodes["right"].astype(np.int64), nodes["value"].astype(float)))  # fmt: skip
    baseline = float(np.ravel(estimator._baseline_prediction)[0])
    return BoostedModel(list(feature_names), baseline, trees, metadata)
