"""A gradient-boosted tree ensemble stored as plain JSON and evaluated with numpy.

Training uses scikit-learn's HistGradientBoostingClassifier (see `train.py`); shipping its
trees as arrays of numbers instead of a pickle keeps the file small, readable, safe to
load, and independent of the scikit-learn version.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import cached_property
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
        feature, threshold, left, right, value = self._nodes
        while pending:
            node, rows = pending.pop()
            if feature[node] < 0:
                out[rows] = value[node]
                continue
            # scikit-learn's rule: go left when the value is <= the threshold.
            go_left = columns[feature[node]].take(rows) <= threshold[node]
            pending.append((left[node], rows[go_left]))
            pending.append((right[node], rows[~go_left]))
        return out

    @cached_property
    def _nodes(self) -> tuple[list, ...]:
        """The node arrays as lists: read one node at a time, numpy's scalars cost more."""
        return tuple(a.tolist() for a in (self.feature, self.threshold, self.left, self.right,
                                          self.value))  # fmt: skip


@dataclass(frozen=True)
class BoostedModel:
    """Sum of tree outputs plus a baseline, through a sigmoid: P(candidate is a term)."""

    feature_names: list[str]
    baseline: float
    trees: list[Tree]
    metadata: dict

    def predict_proba(self, features: np.ndarray, memo: ScoreMemo | None = None) -> np.ndarray:
        """P(term) per row; ``memo`` reuses the scores of rows it has seen split alike."""
        raw = memo.raw_scores(self, features) if memo is not None else self.raw_scores(features)
        return 1.0 / (1.0 + np.exp(-raw))

    def raw_scores(self, features: np.ndarray) -> np.ndarray:
        """The summed tree outputs per row, before the sigmoid."""
        columns = np.ascontiguousarray(features.T)  # a column per feature: rows gather fast
        raw = np.full(len(features), self.baseline)
        for tree in self.trees:  # in order: the same float sum as scikit-learn's
            raw += tree.predict_columns(columns)
        return raw

    def split_codes(self, features: np.ndarray) -> np.ndarray:
        """Per row and feature, how many of the model's thresholds on that feature lie below
        the value. A tree compares a value with one of them, so rows with the same codes
        take the same path through every tree, and get the same score."""
        codes = np.zeros(features.shape, dtype=np.uint16)
        for feature, thresholds in self._thresholds.items():
            # value <= thresholds[k] exactly when fewer than k + 1 thresholds lie below it.
            codes[:, feature] = np.searchsorted(thresholds, features[:, feature], side="left")
        return codes

    @cached_property
    def _thresholds(self) -> dict[int, np.ndarray]:
        """Feature -> the distinct thresholds the trees compare it with, ascending."""
        found: dict[int, set[float]] = {}
        for tree in self.trees:
            splits = zip(tree.feature.tolist(), tree.threshold.tolist(), strict=True)
            for feature, threshold in splits:
                if feature >= 0:
                    found.setdefault(feature, set()).add(threshold)
        return {feature: np.asarray(sorted(values)) for feature, values in found.items()}

    @cached_property
    def digest(self) -> str:
        """Names these trees, so that scores stored for another model are never reused.
        Hashes the arrays' exact bytes: the JSON form rounds leaf values."""
        digest = hashlib.sha256(json.dumps([self.feature_names, self.baseline]).encode())
        for tree in self.trees:
            for array in (tree.feature, tree.threshold, tree.left, tree.right, tree.value):
                digest.update(array.dtype.str.encode() + np.ascontiguousarray(array).tobytes())
        return digest.hexdigest()

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


class ScoreMemo:
    """Raw scores by split codes (`BoostedModel.split_codes`), kept from one run to the next.

    A corpus's tens of thousands of surface forms each need 200 trees, but when one document
    changes only the few hundred forms it holds move across a threshold: the others keep
    their codes, so their scores are looked up instead of computed, and are the same floats.
    Only the rows of the last scoring are kept, so the memo never outgrows the corpus.
    """

    def __init__(self, model_digest: str, scores: dict[bytes, float] | None = None):
        self.model_digest = model_digest
        self.scores = scores or {}
        self.computed = 0  # rows scored by the trees in the last `raw_scores`

    def raw_scores(self, model: BoostedModel, features: np.ndarray) -> np.ndarray:
        if model.digest != self.model_digest:  # stored for another model: start over
            self.model_digest, self.scores = model.digest, {}
        keys = _row_keys(model.split_codes(features))
        # Each key's first row (the dict keeps the last value it is given: rows go in reversed).
        first = dict(zip(reversed(keys), range(len(keys) - 1, -1, -1), strict=True))
        missing = [key for key in first if key not in self.scores]  # rows split alike: once
        if len(missing) == len(keys):  # every row new, each split its own way (a first run)
            fresh = dict(zip(keys, model.raw_scores(features).tolist(), strict=True))
        else:
            rows = [first[key] for key in missing]
            computed = model.raw_scores(features[rows]) if rows else np.zeros(0)
            fresh = dict(zip(missing, computed.tolist(), strict=True))
        known = {**self.scores, **fresh}
        scores = list(map(known.__getitem__, keys))
        self.scores = dict(zip(keys, scores, strict=True))
        self.computed = len(fresh)
        return np.asarray(scores, dtype=np.float64)

    def to_bytes(self) -> tuple[bytes, bytes]:
        """The codes (fixed-length keys, end to end) and the scores as float64s."""
        return b"".join(self.scores), np.asarray(list(self.scores.values())).tobytes()

    @classmethod
    def from_bytes(cls, model_digest: str, codes: bytes, scores: bytes) -> ScoreMemo:
        values = np.frombuffer(scores, dtype=np.float64).tolist()
        if not values or len(codes) % len(values):
            return cls(model_digest)
        width = len(codes) // len(values)
        keys = [codes[i : i + width] for i in range(0, len(codes), width)]
        return cls(model_digest, dict(zip(keys, values, strict=True)))


def _row_keys(codes: np.ndarray) -> list[bytes]:
    """Each row's bytes, as one hashable key."""
    codes = np.ascontiguousarray(codes)
    return codes.view(np.dtype((np.void, codes.shape[1] * codes.itemsize))).ravel().tolist()


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
