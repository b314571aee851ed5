"""The TermEval 2020 protocol: the set of unique lower-cased candidate strings is compared
with the unique lower-cased gold list; precision, recall and F1 over those sets."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class TermScores:
    precision: float
    recall: float
    f1: float
    n_candidates: int
    n_gold: int
    true_positives: int

    def describe(self) -> str:
        return (
            f"precision {self.precision:.3f}  recall {self.recall:.3f}  F1 {self.f1:.3f}  "
            f"({self.true_positives} correct of {self.n_candidates} candidates, "
            f"{self.n_gold} gold terms)"
        )


def load_gold(path: Path) -> set[str]:
    """Gold terms from a TermEval/ACTER list: one ``term<TAB>label`` (or ``term``) a line."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return {line.split("\t")[0].strip().lower() for line in lines if line.strip()}


def score_terms(candidates: Iterable[str], gold: Iterable[str]) -> TermScores:
    """Precision, recall and F1 of unique lower-cased ``candidates`` against ``gold``."""
    predicted = {candidate.strip().lower() for candidate in candidates}
    expected = {term.strip().lower() for term in gold}
    hits = len(predicted & expected)
    precision = hits / len(predicted) if predicted else 0.0
    recall = hits / len(expected) if expected else 0.0
    f1 = 2 * precision * recall / (precision + recall) if hits else 0.0
    return TermScores(precision, recall, f1, len(predicted), len(expected), hits)
