"""Find the lessons a brief needs: one search per topic, per sentence, and for the whole brief.

The brief is split into topics (topics.py). Each topic gets a hybrid search (words and
meaning) of its own sentences, each sentence a semantic search, and the whole brief one hybrid
search that ranks what it is about overall. A document is on a topic when that topic's search
found it and uses several of the topic's distinctive words in one passage, or when one of its
passages is close in meaning to one of the topic's sentences. Every topic with documents on it gets its
share of the pack, in turns; the rest of the pack is the best overall.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from kb.access import Viewer
from kb.kickoff.brief import Brief
from kb.kickoff.model import KickoffRequest
from kb.kickoff.topics import Rarity, Topic
from kb.knowledge_base import KnowledgeBase
from kb.search import SearchHit, SearchRequest, query_terms

PER_SENTENCE_K = 6  # documents kept per brief sentence
TOPIC_POOL = 10  # documents kept per brief topic
WHOLE_BRIEF_POOL = 40  # documents kept from the whole-brief hybrid search
WHOLE_WEIGHT = 0.5  # the rest of the score is the best sentence's similarity
SIMILARITY_FLOOR = 0.3  # cosine of an unrelated passage (see docs/search.md)
ON_TOPIC = 0.5  # cosine of a passage to a topic sentence that makes it on that topic alone
TOPIC_WORDS = 2  # or this many of the topic's telling words in the passage its search found
TAG_BONUS = 0.05  # per tag the document shares with the request, at most two
PHASE_BONUS = 0.03
TOPIC_TURNS = 0.75  # this share of the pack is filled by topics in turns; the rest, best overall
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
    closeness: dict[int, float] = field(default_factory=dict)  # topic -> best passage cosine
    topic_ranks: dict[int, int] = field(default_factory=dict)  # topic -> rank in its search
    topic_words: dict[int, int] = field(default_factory=dict)  # topic -> telling words shared
    topic_match: dict[int, float] = field(default_factory=dict)  # topic -> its search's score
    topic: int | None = None  # the topic that chose it; once chosen, the one it is most on
    nearest: SentenceMatch | None = None  # the brief sentence closest to it, to explain it

    @property
    def score(self) -> float:
        similarity = self.best.similarity if self.best else SIMILARITY_FLOOR
        scaled = max(0.0, (similarity - SIMILARITY_FLOOR) / (1 - SIMILARITY_FLOOR))
        return WHOLE_WEIGHT * self.whole + (1 - WHOLE_WEIGHT) * scaled + self.bonus

    def topic_score(self, topic: int) -> float:
        return self.closeness.get(topic, 0.0) + self.topic_match.get(topic, 0.0)

    def strongly_on_topic(self, topic: int) -> bool:
        """On the topic by its words and at least loosely by meaning too: a topic's second and
        later turns take only these, so a weak topic does not crowd out a strong one."""
        close = self.closeness.get(topic, 0.0)
        words = self.topic_words.get(topic, 0) >= TOPIC_WORDS
        return close >= ON_TOPIC or (words and close >= SIMILARITY_FLOOR)

    def on_topic(self, topic: int) -> bool:
        if self.closeness.get(topic, 0.0) >= ON_TOPIC:
            return True
        return topic in self.topic_ranks and self.topic_words.get(topic, 0) >= TOPIC_WORDS


def retrieve(
    kb: KnowledgeBase,
    brief: Brief,
    request: KickoffRequest,
    topics: list[Topic],
    vectors: np.ndarray,
    rarity: Rarity,
) -> list[Candidate]:
    """The pack's documents, best first: request.k of them, other departments included, each
    with the topic it is in the pack for."""
    found: dict[str, Candidate] = {}
    texts = brief.passages or [brief.text]
    for index, (text, vector) in enumerate(zip(texts, vectors, strict=True)):
        _add_sentence_hits(kb, found, index, text, vector, request.viewer)
    focus = kb.embed_queries([topic.focus for topic in topics]) if topics else []
    for index, topic in enumerate(topics):
        _add_topic_hits(kb, found, index, topic, focus[index], rarity, request.viewer)
    _add_whole_brief(kb, found, brief, request, vectors)
    _measure_closeness(kb.store, list(found.values()), topics, focus, vectors)
    for candidate in found.values():
        candidate.bonus = _bonus(candidate.hit, request)
    return select(list(found.values()), len(topics), request.k, request.department)


def _unit(vectors) -> np.ndarray:
    mean = np.asarray(vectors, dtype=np.float32).mean(axis=0)
    return mean / max(float(np.linalg.norm(mean)), 1e-12)


def _add_sentence_hits(kb, found: dict, index: int, text: str, vector, viewer: Viewer) -> None:
    search = SearchRequest(
        text, k=PER_SENTENCE_K, mode="semantic", with_snippets=False, viewer=viewer
    )
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


def _add_topic_hits(
    kb, found: dict, index: int, topic: Topic, vector, rarity: Rarity, viewer: Viewer
) -> None:
    search = SearchRequest(
        topic.focus, k=TOPIC_POOL, mode="hybrid", with_snippets=False, viewer=viewer
    )
    result = kb.run_search(search, query_vector=vector)
    if result.nearest_only:
        return
    telling = {t for t in query_terms(topic.focus) if rarity.telling(t)}
    for rank, hit in enumerate(result.hits):
        candidate = found.setdefault(hit.id, Candidate(hit))
        candidate.topic_ranks[index] = rank
        candidate.topic_words[index] = len(telling & set(hit.terms))
        candidate.topic_match[index] = hit.score


def _add_whole_brief(kb, found: dict, brief: Brief, request: KickoffRequest, vectors) -> None:
    text = " ".join([brief.text, request.phase, *request.tags])
    search = SearchRequest(
        text, k=WHOLE_BRIEF_POOL, mode="hybrid", with_snippets=False, viewer=request.viewer
    )
    for hit in kb.run_search(search, query_vector=_unit(vectors)).hits:
        candidate = found.setdefault(hit.id, Candidate(hit))
        candidate.whole = hit.score
        candidate.terms = hit.terms


def _measure_closeness(store, found: list[Candidate], topics: list[Topic], focus, sentences):
    """Each candidate's closest passage to each topic (the best cosine of its chunks with the
    topic's focused text) and its nearest brief sentence: one small product per document."""
    if not topics:
        return
    wanted = np.concatenate([np.asarray(focus), np.asarray(sentences)]).astype(np.float32)
    for candidate in found:
        rowid = store.documents.rowid(candidate.hit.id)
        _, chunks = store.embeddings.of_document(rowid) if rowid is not None else (None, [])
        if len(chunks):
            best = (np.asarray(chunks, dtype=np.float32) @ wanted.T).max(axis=0)
            candidate.closeness = {index: float(best[index]) for index in range(len(topics))}
            nearest = int(np.argmax(best[len(topics) :]))
            similarity = float(best[len(topics) + nearest])
            hit = candidate.hit
            candidate.nearest = SentenceMatch(nearest, similarity, hit.section, hit.section_key)


def _bonus(hit: SearchHit, request: KickoffRequest) -> float:
    wanted = {t.casefold() for t in request.tags}
    shared = sum(tag.casefold() in wanted for tag in hit.tags)
    return TAG_BONUS * min(2, shared)


def select(
    candidates: list[Candidate], topics: int, k: int, department: str = ""
) -> list[Candidate]:
    """Each topic's documents in turns (its share of k), then the best overall; at least
    OTHER_DEPARTMENT_SHARE of the pack from other departments when there are any."""
    ranked = sorted(candidates, key=lambda c: (-c.score, c.hit.id))
    chosen = _topic_turns(ranked, topics, k)
    chosen += [c for c in ranked if c not in chosen][: k - len(chosen)]
    if department:
        chosen = _with_other_departments(chosen, ranked, k, department)
    for candidate in chosen:
        candidate.topic = _closest_topic(candidate, topics)  # its theme
    return sorted(chosen, key=lambda c: (-c.score, c.hit.id))


def topic_queues(ranked: list[Candidate], topics: int) -> dict[int, list[Candidate]]:
    """For each topic, the documents on it, best first: its search's score (words and
    meaning, 0..1 within the search) plus their closest passage's cosine to the topic."""
    queues = {}
    for topic in range(topics):
        on = [c for c in ranked if c.on_topic(topic)]
        queues[topic] = sorted(on, key=lambda c: -c.topic_score(topic))
    return queues


def _topic_turns(ranked: list[Candidate], topics: int, k: int) -> list[Candidate]:
    """Topics take turns choosing their next document, each up to an equal share of
    TOPIC_TURNS of k (at least one each)."""
    queues = {t: q for t, q in topic_queues(ranked, topics).items() if q}
    for candidate in ranked:
        candidate.topic = None
    share = max(1, math.ceil(k * TOPIC_TURNS / max(1, len(queues))))
    chosen: list[Candidate] = []
    for turn in range(share):
        for topic, queue in queues.items():
            fit = (lambda c, t=topic: c.strongly_on_topic(t)) if turn else (lambda c: True)
            pick = next((c for c in queue if c.topic is None and fit(c)), None)
            if pick is not None and len(chosen) < k:
                pick.topic = topic
                chosen.append(pick)
    return chosen


def _closest_topic(candidate: Candidate, topics: int) -> int:
    """The topic a document is most on (whichever topic chose it): its theme, so that the
    lessons of one subject stay together."""
    on = [t for t in range(topics) if candidate.on_topic(t)]
    return max(on or range(max(1, topics)), key=candidate.topic_score)


def _with_other_departments(chosen, ranked, k: int, department: str) -> list[Candidate]:
    """Swap the project's own weakest documents for other departments' best, never the first
    document of a topic."""
    want = math.ceil(k * OTHER_DEPARTMENT_SHARE)
    others = [c for c in chosen if c.hit.department != department]
    extra = [c for c in ranked if c.hit.department != department and c not in chosen]
    while len(others) < want and extra:
        own = [c for c in chosen if c.hit.department == department and not _leads(c, chosen)]
        if not own:
            break
        dropped = min(own, key=lambda c: c.score)
        chosen.remove(dropped)
        dropped.topic = None
        chosen.append(extra[0])
        others.append(extra.pop(0))
    return chosen


def _leads(candidate: Candidate, chosen: list[Candidate]) -> bool:
    """The only document in the pack for its topic."""
    topic = candidate.topic
    return topic is not None and sum(c.topic == topic for c in chosen) == 1
