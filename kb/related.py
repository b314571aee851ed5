"""Related lessons: the documents that speak to this one, by default from other departments.

Every chunk of the document looks for its nearest chunks elsewhere. A candidate document
scores by its best-matching pair of passages and by how much of this document it covers;
the list is then diversified so one department cannot fill it. Each result carries its
reason: the two passages side by side and the distinctive terms both documents use.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import asdict, dataclass, field

import numpy as np

from kb.documents.chunking import sentence_spans
from kb.index.filters import Filters
from kb.index.store import Store
from kb.index.vectors import VectorIndex
from kb.search.snippets import around, best_sentence_by_terms
from kb.text.statistics import content_words, shared_terms, term_set

NEIGHBOURS_PER_CHUNK = 60
BEST_PAIR_WEIGHT = 0.6  # the rest of the score is coverage of the source document


@dataclass
class Passage:
    section: str
    section_key: str
    text: str


@dataclass
class RelatedLesson:
    id: str
    title: str
    type: str
    department: str
    date: str
    score: float
    this_passage: Passage
    their_passage: Passage
    shared_terms: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class _Candidate:
    doc_rowid: int
    best: float = -1.0
    pair: tuple[int, int] = (0, 0)  # (source chunk index, target chunk id)
    per_source: dict[int, float] = field(default_factory=dict)

    def score(self, n_source: int) -> float:
        coverage = sum(self.per_source.values()) / max(1, n_source)
        return BEST_PAIR_WEIGHT * self.best + (1 - BEST_PAIR_WEIGHT) * coverage


def related_lessons(
    store: Store,
    vectors: VectorIndex,
    doc_id: str,
    k: int = 5,
    include_same_department: bool = False,
) -> list[RelatedLesson] | None:
    """None if there is no such document."""
    rowid = store.documents.rowid(doc_id)
    if rowid is None:
        return None
    source = store.documents.rows([rowid])[rowid]
    chunks, matrix = store.embeddings.of_document(rowid)
    if not chunks:
        return []
    allowed = _allowed(store, rowid, None if include_same_department else source["department"])
    candidates = _candidates(store, vectors, matrix, allowed)
    ranked = sorted(candidates.values(), key=lambda c: -c.score(len(chunks)))
    chosen = diversify(ranked, store, k)
    context = _Context(store.documents.text(rowid), store.documents.count(), len(chunks))
    return [_explain(store, chunks, c, context) for c in chosen]


def _allowed(store: Store, rowid: int, exclude_department: str | None) -> np.ndarray:
    excluded = () if exclude_department is None else (exclude_department,)
    others = Filters(exclude_departments=excluded)
    return store.chunks.ids_passing(others, except_document=rowid)


def _candidates(store: Store, vectors: VectorIndex, matrix: np.ndarray, allowed) -> dict:
    found: dict[int, _Candidate] = {}
    hits = [vectors.search(row, NEIGHBOURS_PER_CHUNK, allowed) for row in matrix]
    owners = store.chunks.owners(sorted({cid for pairs in hits for cid, _ in pairs}))
    for source_index, pairs in enumerate(hits):
        for cid, score in pairs:
            cand = found.setdefault(owners[cid], _Candidate(owners[cid]))
            cand.per_source[source_index] = max(cand.per_source.get(source_index, -1.0), score)
            if score > cand.best:
                cand.best, cand.pair = score, (source_index, cid)
    return found


def diversify(ranked: list[_Candidate], store: Store, k: int) -> list[_Candidate]:
    """Best first, at most about a third of the list from any one department."""
    rows = store.documents.rows([c.doc_rowid for c in ranked[: k * 10]])
    cap = max(1, math.ceil(k / 3))
    per_department: dict[str, int] = defaultdict(int)
    chosen, held_back = [], []
    for cand in ranked[: k * 10]:
        department = rows[cand.doc_rowid]["department"]
        if per_department[department] < cap:
            per_department[department] += 1
            chosen.append(cand)
        else:
            held_back.append(cand)
        if len(chosen) == k:
            return chosen
    return chosen + held_back[: k - len(chosen)]


@dataclass(frozen=True)
class _Context:
    """What every explanation for one source document shares (computed once per request)."""

    source_text: str
    documents: int
    n_source: int


def _explain(store: Store, chunks, cand: _Candidate, context: _Context) -> RelatedLesson:
    doc = store.documents.rows([cand.doc_rowid])[cand.doc_rowid]
    mine = chunks[cand.pair[0]]
    theirs = store.chunks.by_id([cand.pair[1]])[cand.pair[1]]
    my_text, their_text = context.source_text, store.documents.text(doc["rowid"])
    df = store.term_stats.df(sorted(term_set(my_text) | term_set(their_text)))
    return RelatedLesson(
        id=doc["id"],
        title=doc["title"],
        type=doc["type"],
        department=doc["department"],
        date=doc["date"],
        score=round(cand.score(context.n_source), 4),
        this_passage=_passage(mine, theirs["text"]),
        their_passage=_passage(theirs, mine["text"]),
        shared_terms=shared_terms(my_text, their_text, df, context.documents),
    )


def _passage(chunk, other_text: str) -> Passage:
    """The sentence of this chunk that shares the most words with the other passage."""
    text = chunk["text"]
    spans = sentence_spans(text)
    index = best_sentence_by_terms(text, spans, content_words(other_text)) if spans else None
    snippet = around(text, spans, index or 0, limit=240) if spans else ""
    return Passage(chunk["section_heading"], chunk["section_key"], snippet)
