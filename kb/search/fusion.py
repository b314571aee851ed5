"""Fusing keyword and semantic rankings into one.

Two methods, both measured on SciFact train with `kb eval retrieval` (see docs/search.md):
reciprocal rank fusion, which needs no calibration, and a convex blend of scores normalized
per query, which keeps how much better the top hit is than the rest.
"""

from __future__ import annotations

from dataclasses import dataclass

from kb.search.retrievers import DocMatch

RRF_K = 60


@dataclass
class Fused:
    doc_rowid: int
    score: float
    keyword: DocMatch | None = None
    semantic: DocMatch | None = None
    keyword_rank: int | None = None
    semantic_rank: int | None = None

    @property
    def best_chunk(self) -> int:
        """The chunk that explains the hit: the one from the retriever that ranked it higher."""
        if self.keyword is None:
            return self.semantic.chunk_id
        if self.semantic is None or self.keyword_rank <= self.semantic_rank:
            return self.keyword.chunk_id
        return self.semantic.chunk_id

    @property
    def matched_by(self) -> list[str]:
        return [name for name, m in (("keyword", self.keyword), ("meaning", self.semantic)) if m]


def _collect(keyword: list[DocMatch], semantic: list[DocMatch]) -> dict[int, Fused]:
    fused: dict[int, Fused] = {}
    for rank, match in enumerate(keyword, start=1):
        fused[match.doc_rowid] = Fused(match.doc_rowid, 0.0, keyword=match, keyword_rank=rank)
    for rank, match in enumerate(semantic, start=1):
        entry = fused.setdefault(match.doc_rowid, Fused(match.doc_rowid, 0.0))
        entry.semantic, entry.semantic_rank = match, rank
    return fused


def reciprocal_rank_fusion(keyword: list[DocMatch], semantic: list[DocMatch]) -> list[Fused]:
    fused = _collect(keyword, semantic)
    for entry in fused.values():
        for rank in (entry.keyword_rank, entry.semantic_rank):
            if rank is not None:
                entry.score += 1.0 / (RRF_K + rank)
    return sorted(fused.values(), key=lambda e: -e.score)


def score_blend(
    keyword: list[DocMatch], semantic: list[DocMatch], semantic_weight: float
) -> list[Fused]:
    """semantic_weight * cosine' + (1 - semantic_weight) * bm25', each scaled to [0, 1] per query."""
    fused = _collect(keyword, semantic)
    kw_norm = _scaler([m.score for m in keyword])
    sem_norm = _scaler([m.score for m in semantic])
    for entry in fused.values():
        kw = kw_norm(entry.keyword.score) if entry.keyword else 0.0
        sem = sem_norm(entry.semantic.score) if entry.semantic else 0.0
        entry.score = semantic_weight * sem + (1 - semantic_weight) * kw
    return sorted(fused.values(), key=lambda e: -e.score)


def _scaler(scores: list[float]):
    """Min-max scaling over this query's candidates; a lone score maps to 1."""
    if not scores:
        return lambda s: 0.0
    low, high = min(scores), max(scores)
    span = high - low
    return (lambda s: 1.0) if span <= 1e-9 else (lambda s: (s - low) / span)


def single(matches: list[DocMatch], kind: str) -> list[Fused]:
    """One retriever's ranking in the fused shape (keyword-only or semantic-only modes)."""
    fused = []
    for rank, match in enumerate(matches, start=1):
        entry = Fused(match.doc_rowid, match.score)
        if kind == "keyword":
            entry.keyword, entry.keyword_rank = match, rank
        else:
            entry.semantic, entry.semantic_rank = match, rank
        fused.append(entry)
    return fused
