"""Search: rank chunks, keep each document's best chunk, explain the hit with a snippet."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field

import numpy as np

from kb.chunking import sentence_spans
from kb.store import Store
from kb.vectors import VectorIndex
from models import Embedder

_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'-]*")
STOPWORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "been",
        "but",
        "by",
        "can",
        "did",
        "do",
        "does",
        "for",
        "from",
        "had",
        "has",
        "have",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "of",
        "on",
        "or",
        "our",
        "so",
        "than",
        "that",
        "the",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "to",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "why",
        "will",
        "with",
        "would",
        "you",
        "your",
        "not",
        "no",
    ]
)
SNIPPET_CHARS = 320


@dataclass(frozen=True)
class SearchRequest:
    q: str
    k: int = 10
    departments: tuple[str, ...] = ()
    types: tuple[str, ...] = ()

    def __post_init__(self):
        if not self.q or not self.q.strip():
            raise ValueError("q: the query is empty")
        if self.k < 1:
            raise ValueError(f"k: must be at least 1, got {self.k}")


@dataclass
class SearchHit:
    id: str
    title: str
    type: str
    department: str
    date: str
    score: float
    section: str
    section_key: str
    snippet: str
    project: str = ""
    tags: list[str] = field(default_factory=list)
    chunk_id: int = 0

    def to_dict(self) -> dict:
        return asdict(self)


def query_terms(text: str) -> list[str]:
    """Lower-cased content words of a query, in order, without repeats."""
    words = (w.lower() for w in _WORD.findall(text))
    return list(dict.fromkeys(w for w in words if w not in STOPWORDS))


class Searcher:
    def __init__(self, store: Store, vectors: VectorIndex, embedder: Embedder):
        self.store = store
        self.vectors = vectors
        self.embedder = embedder

    def search(self, request: SearchRequest) -> list[SearchHit]:
        allowed = self._allowed_chunks(request)
        query = self.embedder.encode_query(request.q)
        best = self._best_chunk_per_document(query, request.k, allowed)
        return self._hits(best, request.q)

    def _allowed_chunks(self, request: SearchRequest) -> np.ndarray | None:
        conditions, params = [], []
        for column, values in (("department", request.departments), ("type", request.types)):
            if values:
                conditions.append(f"d.{column} IN ({','.join('?' * len(values))})")
                params.extend(values)
        if not conditions:
            return None
        return self.store.chunk_ids_where(" AND ".join(conditions), params)

    def _best_chunk_per_document(
        self, query: np.ndarray, k: int, allowed: np.ndarray | None
    ) -> list[tuple[int, int, float]]:
        """(doc rowid, chunk id, score) of the k best documents, best first.

        Asks FAISS for more chunks until k distinct documents are found or none are left, so a
        document with many matching chunks cannot crowd the others out.
        """
        available = len(self.vectors) if allowed is None else len(allowed)
        fetch = min(available, max(50, k * 8))
        while True:
            pairs = self.vectors.search(query, fetch, allowed)
            chunks = self.store.chunks_by_id([cid for cid, _ in pairs])
            best: dict[int, tuple[int, float]] = {}
            for cid, score in pairs:
                doc = chunks[cid]["doc_rowid"]
                if doc not in best:
                    best[doc] = (cid, score)
            if len(best) >= k or fetch >= available:
                ranked = sorted(best.items(), key=lambda item: -item[1][1])[:k]
                return [(doc, cid, score) for doc, (cid, score) in ranked]
            fetch = min(available, fetch * 4)

    def _hits(self, best: list[tuple[int, int, float]], q: str) -> list[SearchHit]:
        docs = self.store.document_rows([doc for doc, _, _ in best])
        chunks = self.store.chunks_by_id([cid for _, cid, _ in best])
        terms = query_terms(q)
        hits = []
        for doc_rowid, cid, score in best:
            doc, chunk = docs[doc_rowid], chunks[cid]
            hits.append(
                SearchHit(
                    id=doc["id"],
                    title=doc["title"],
                    type=doc["type"],
                    department=doc["department"],
                    date=doc["date"],
                    score=round(score, 4),
                    section=chunk["section_heading"],
                    section_key=chunk["section_key"],
                    snippet=make_snippet(chunk["text"], terms),
                    project=doc["project"] or "",
                    tags=_json_list(doc["tags"]),
                    chunk_id=cid,
                )
            )
        return hits


def make_snippet(text: str, terms: list[str], limit: int = SNIPPET_CHARS) -> str:
    """The sentence that mentions the most query terms (the first, if none do), with neighbours."""
    spans = sentence_spans(text)
    if not spans:
        return ""
    stems = [t[:5] for t in terms]

    def matches(span) -> int:
        words = {w.lower()[:5] for w in _WORD.findall(text[span.start : span.end])}
        return sum(stem in words for stem in stems)

    scores = [matches(s) for s in spans]
    first = max(range(len(spans)), key=lambda i: (scores[i], -i))
    last = first
    while last + 1 < len(spans) and spans[last + 1].end - spans[first].start <= limit:
        last += 1
    snippet = text[spans[first].start : spans[last].end]
    if len(snippet) > limit:
        snippet = snippet[:limit].rsplit(" ", 1)[0] + " …"
    prefix = "… " if first > 0 else ""
    suffix = " …" if last + 1 < len(spans) and not snippet.endswith("…") else ""
    return prefix + snippet + suffix


def _json_list(raw: str | None) -> list[str]:
    import json

    return json.loads(raw or "[]")
