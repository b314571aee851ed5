"""How much of a query a passage holds: its distinctive words, each weighted by its rarity.

A passage with one rare query word and a passage with all of them get similar BM25 scores
when the rare word repeats; users expect the second first ("hydrazine leak during ground
test"). Coverage says what share of the query's word weight a passage holds, so ranking can
prefer passages with more of the query's words together, and a count can say honestly how
many documents hold most of them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from kb.index.keywords import KeywordScoring
from kb.search.query import fts_phrase, query_terms


def rarity(passages: int, holding: int) -> float:
    """Lucene's BM25 idf, never negative: a word in most passages weighs little, not less
    than nothing, and a word no passage holds weighs nothing (it cannot tell any apart)."""
    if holding == 0:
        return 0.0
    return math.log(1 + (passages - holding + 0.5) / (holding + 0.5))


@dataclass(frozen=True)
class QueryWords:
    """A query's words, the passages holding each (or a glossary form of it), and each
    one's weight."""

    holders: list[np.ndarray]
    weights: np.ndarray

    @classmethod
    def of(
        cls,
        scoring: KeywordScoring,
        query: str,
        passages: int,
        alternatives: dict[str, list[str]] | None = None,
    ) -> QueryWords:
        """`alternatives`: {query term: glossary forms that stand for it}."""
        alternatives = alternatives or {}
        units = [
            [p for p in map(fts_phrase, [term, *alternatives.get(term, ())]) if p]
            for term in query_terms(query)
        ]
        units = [unit for unit in units if unit]
        phrases = list(dict.fromkeys(p for unit in units for p in unit))
        found = dict(zip(phrases, scoring.holders(phrases), strict=True))
        holders = [_union([found[p] for p in unit]) for unit in units]
        weights = np.array([rarity(passages, len(h)) for h in holders], dtype=np.float64)
        return cls(holders, weights)

    @property
    def known(self) -> bool:
        """True when some passage holds one of the words."""
        return bool(self.weights.sum() > 0)

    def coverage(self, chunk_ids: np.ndarray) -> np.ndarray:
        """Share (0 to 1) of the words' weight each chunk holds."""
        total = self.weights.sum()
        held = np.zeros(len(chunk_ids))
        if total <= 0 or not len(chunk_ids):
            return held
        for holding, weight in zip(self.holders, self.weights, strict=True):
            if weight > 0:
                at = np.minimum(np.searchsorted(holding, chunk_ids), len(holding) - 1)
                held += weight * (holding[at] == chunk_ids)
        return held / total


def _union(arrays: list[np.ndarray]) -> np.ndarray:
    return arrays[0] if len(arrays) == 1 else np.unique(np.concatenate(arrays))
