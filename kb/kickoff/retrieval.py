"""Find the lessons a brief needs: one search per brief sentence plus one over the whole brief.

Each sentence is embedded in one batch and searched by meaning, so every topic of a
multi-topic brief finds its own lessons; one hybrid search over the whole brief (words and
meaning) ranks what the brief is about overall. A document's score blends the two; the
documents that are some sentence's best match are kept first, so no topic goes missing.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from kb.kickoff.brief import Brief
from kb.kickoff.model import KickoffRequest
from kb.knowledge_base import KnowledgeBase
from kb.search import SearchHit, SearchRequest

PER_SENTENCE_K = 6  # documents kept per brief sentence
WHOLE_BRIEF_POOL = 40  # documents kept from the whole-brief hybrid search
WHOLE_WEIGHT = 0.5  # the rest of the score is the best sentence's similarity
SIMILARITY_FLOOR = 0.3  # cosine of an unrelated passage (see docs/search.md)
TAG_BONUS = 0.05  # per tag the document shares with the request, at most two
PHASE_BONUS = 0.03
TOPIC_SHARE = 0.25  # at most this share of the pack is reserved for sentences' best matches
OTHER_DEPARTMENT_SHARE = 1 / 3  # at least this share comes from other departments, if any


@dataclass
class SentenceMatch:
    sentence: int  # index into Brief.passages
    similarity: float
    section: str
    section_key: str


@dataclass
class Candidate:
    hit: SearchHit  # the document's identity and its best hit
    whole: float = 0.0  # 0..1, from the whole-brief hybrid search
    best: SentenceMatch | None = None
    similarities: dict[int, float] = field(default_factory=dict)  # brief sentence -> cosine
    bonus: float = 0.0
    terms: list[str] = field(default_factory=list)  # brief words the document uses

    @property
    def score(self) -> float:
        similarity = self.best.similarity if self.best else SIMILARITY_FLOOR
        scaled = max(0.0, (similarity - SIMILARITY_FLOOR) / (1 - SIMILARITY_FLOOR))
        return WHOLE_WEIGHT * self.whole + (1 - WHOLE_WEIGHT) * scaled + self.bonus


def retrieve(kb: KnowledgeBase, brief: Brief, request: KickoffRequest) -> list[Candidate]:
    """The pack's documents, best first: request.k of them, other departments included."""
    texts = brief.passages or [brief.text]
    vectors = kb.embed_queries(texts)
    found: dict[str, Candidate] = {}
    for index, (text, vector) in enumerate(zip(texts, vectors, strict=True)):
        _add_sentence_hits(kb, found, index, text, vector)
    _add_whole_brief(kb, found, brief, request, vectors)
    for candidate in found.values():
        candidate.bonus = _bonus(candidate.hit, request)
    return select(list(found.values()), request.k, request.department)


def _add_sentence_hits(kb, found: dict, index: int, text: str, vector) -> None:
    search = SearchRequest(text, k=PER_SENTENCE_K, mode="semantic", with_snippets=False)
    result = kb.run_search(search, query_vector=vector)
    if result.nearest_only:
        return  # nothing close to this sentence
    for hit in result.hits:
        if hit.score < SIMILARITY_FLOOR:
            continue
        candidate = found.setdefault(hit.id, Candidate(hit))
        candidate.similarities[index] = hit.score
        if candidate.best is None or hit.score > candidate.best.similarity:
            candidate.best = SentenceMatch(index, hit.score, hit.section, hit.section_key)


def _add_whole_brief(kb, found: dict, brief: Brief, request: KickoffRequest, vectors) -> None:
    mean = np.asarray(vectors, dtype=np.float32).mean(axis=0)
    mean /= max(float(np.linalg.norm(mean)), 1e-12)
    text = " ".join([brief.text, request.phase, *request.tags])
    search = SearchRequest(text, k=WHOLE_BRIEF_POOL, mode="hybrid", with_snippets=False)
    for hit in kb.run_search(search, query_vector=mean).hits:
        candidate = found.setdefault(hit.id, Candidate(hit))
        candidate.whole = hit.score
        candidate.terms = hit.terms


def _bonus(hit: SearchHit, request: KickoffRequest) -> float:
    wanted = {t.casefold() for t in request.tags}
    shared = sum(tag.casefold() in wanted for tag in hit.tags)
    return TAG_BONUS * min(2, shared)


def select(candidates: list[Candidate], k: int, department: str = "") -> list[Candidate]:
    """Each sentence's best document first (up to TOPIC_SHARE of k), then the best overall;
    at least OTHER_DEPARTMENT_SHARE of the pack from other departments when there are any."""
    ranked = sorted(candidates, key=lambda c: (-c.score, c.hit.id))
    chosen = _topic_winners(ranked, math.ceil(k * TOPIC_SHARE))
    chosen += [c for c in ranked if c not in chosen][: k - len(chosen)]
    if department:
        chosen = _with_other_departments(chosen, ranked, k, department)
    return sorted(chosen, key=lambda c: (-c.score, c.hit.id))


def _topic_winners(ranked: list[Candidate], limit: int) -> list[Candidate]:
    """The best document of each brief sentence, strongest first."""
    best_for: dict[int, tuple[float, Candidate]] = {}
    for candidate in ranked:
        for sentence, similarity in candidate.similarities.items():
            if sentence not in best_for or similarity > best_for[sentence][0]:
                best_for[sentence] = (similarity, candidate)
    winners = {id(c): c for _, c in sorted(best_for.values(), key=lambda p: -p[0])}
    return list(winners.values())[:limit]


def _with_other_departments(chosen, ranked, k: int, department: str) -> list[Candidate]:
    want = math.ceil(k * OTHER_DEPARTMENT_SHARE)
    others = [c for c in chosen if c.hit.department != department]
    extra = [c for c in ranked if c.hit.department != department and c not in chosen]
    while len(others) < want and extra:
        own = [c for c in chosen if c.hit.department == department]
        chosen.remove(min(own, key=lambda c: c.score))  # the project's own weakest
        chosen.append(extra[0])
        others.append(extra.pop(0))
    return chosen
