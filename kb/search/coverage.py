"""How much of a query a passage or a document holds: its words (stopwords left out).

A passage with one rare query word repeated and a passage with most of the words get similar
BM25 scores; users expect the second first ("hydrazine leak during ground test"). Each query
word weighs its rarity. Ranking multiplies BM25 by the share of the query's word weight a
passage holds (`coverage`: together in one passage); counting asks what share a document
holds (`document_coverage`), so "most of the distinctive words" counts and "any one word"
does not.
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

    def held(self, chunk_ids: np.ndarray) -> np.ndarray:
        """Which words (columns) each chunk (rows) holds, as booleans."""
        held = np.zeros((len(chunk_ids), len(self.holders)), dtype=bool)
        for column, holding in enumerate(self.holders):
            if len(holding) and len(chunk_ids):
                at = np.minimum(np.searchsorted(holding, chunk_ids), len(holding) - 1)
                held[:, column] = holding[at] == chunk_ids
        return held

    def share(self, held: np.ndarray) -> np.ndarray:
        """Share (0 to 1) of the words' weight each row of `held` holds."""
        total = self.weights.sum()
        if total <= 0:
            return np.zeros(len(held))
        return held @ self.weights / total

    def coverage(self, held: np.ndarray) -> np.ndarray:
        """The share of the query's word weight each row of `held` (chunks) holds together:
        what ranking multiplies BM25 by. Weighing by rarity, measured on SciFact train:
        hybrid nDCG@10 0.7382 (BM25 alone 0.7386), counting every word once 0.7293."""
        return self.share(held)

    def document_coverage(self, held: np.ndarray, owners: np.ndarray) -> np.ndarray:
        """For each row of `held` (chunks, of the documents `owners`), the share of the words'
        weight its document holds in all those chunks (the words need not be in one
        passage): what counting matches asks. A document holding one word of a query with
        several gets 0: a rare word alone never makes a match."""
        documents, inverse = np.unique(owners, return_inverse=True)
        by_document = np.zeros((len(documents), held.shape[1]), dtype=bool)
        for column in range(held.shape[1]):  # per word: np.logical_or.at is ten times slower
            by_document[inverse[held[:, column]], column] = True
        known = int((self.weights > 0).sum())
        several = by_document[:, self.weights > 0].sum(axis=1) >= min(2, known)
        return (self.share(by_document) * several)[inverse]


def _union(arrays: list[np.ndarray]) -> np.ndarray:
    return arrays[0] if len(arrays) == 1 else np.unique(np.concatenate(arrays))
