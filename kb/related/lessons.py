"""Related lessons: the documents that speak to this one, by default from other departments.

A lesson's related documents are those that share its distinctive words (each document's
TF-IDF vector, kb.index.document_terms) and its meaning (chunk-to-chunk embedding
neighbours, `meaning`), with any document that names it, or that it names, first
(`citations`); the list is then diversified so one department cannot fill it. Each result
carries its reason: the two closest passages side by side and the terms both documents use
that an editor would keep (`reasons`).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace

from kb.documents.chunking import sentence_spans
from kb.index.document_terms import DocumentTerms
from kb.index.filters import Filters
from kb.index.store import Store
from kb.index.vectors import VectorIndex
from kb.related.citations import naming
from kb.related.meaning import best_pair, meaning_scores
from kb.related.ranking import POOL, Ranked, diversify, fuse, put_named_first
from kb.related.reasons import Vocabulary, shared_terms
from kb.search.snippets import around, best_sentence_by_terms
from kb.text.statistics import content_words


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


@dataclass(frozen=True)
class RelatedSources:
    """What related lessons are found from: a generation's store, chunk vectors and
    document term vectors (None in a generation written before them: meaning alone), and
    the approved glossary's forms, lower-cased (shown first among shared terms)."""

    store: Store
    vectors: VectorIndex
    document_terms: DocumentTerms | None = None
    glossary_forms: frozenset[str] = frozenset()
    names_first: bool = True  # a document naming the other, or named by it, ranks first
    # Whose reading: the viewer's access rule (kb.access), applied to every candidate.
    readable: Filters = field(default_factory=Filters)


def related_lessons(
    sources: RelatedSources, doc_id: str, k: int = 5, include_same_department: bool = False
) -> list[RelatedLesson] | None:
    """None if there is no such document."""
    store = sources.store
    rowid = store.documents.rowid(doc_id)
    if rowid is None:
        return None
    source = store.documents.rows([rowid])[rowid]
    chunks, matrix = store.embeddings.of_document(rowid)
    if not chunks:
        return []
    excluded = [rowid]
    if not include_same_department:
        excluded += store.documents.rowids_in(source["department"])
    if sources.readable.active:  # unreadable documents are never candidates, by any route
        excluded += store.documents.rowids_failing(sources.readable)
    ranked = _ranked(sources, source, matrix, excluded, include_same_department)
    own = source["department"] if include_same_department else None
    chosen = diversify(ranked, store, k, own)
    text = store.documents.text(rowid)
    vocabulary = Vocabulary.of(store, source["id"], text, sources.glossary_forms)
    return [_explain(store, chunks, matrix, c, vocabulary) for c in chosen]


def _ranked(sources: RelatedSources, source, matrix, excluded: list[int], same: bool):
    """Every candidate, best first: by words and meaning, documents naming or named first."""
    store = sources.store
    others = replace(sources.readable, exclude_departments=() if same else (source["department"],))
    allowed = store.chunks.ids_passing(others, except_document=source["rowid"])
    meaning = meaning_scores(store, sources.vectors, matrix, allowed)
    words = None
    if sources.document_terms is not None:
        words = sources.document_terms.similarities(source["rowid"])
    ranked = fuse(words, meaning, excluded)
    if not sources.names_first:
        return ranked
    rows = store.documents.rows([r.rowid for r in ranked[:POOL]])
    named = naming(store, source, store.documents.text(source["rowid"]), rows)
    with_chunks = store.chunks.documents_with_chunks(sorted(named))
    return put_named_first(ranked, named - set(excluded), with_chunks)


def _explain(store, chunks, matrix, cand: Ranked, vocabulary) -> RelatedLesson:
    doc = store.documents.rows([cand.rowid])[cand.rowid]
    their_chunks, their_matrix = store.embeddings.of_document(cand.rowid)
    mine, theirs = best_pair(matrix, their_matrix)
    their_text = store.documents.text(cand.rowid)
    return RelatedLesson(
        id=doc["id"],
        title=doc["title"],
        type=doc["type"],
        department=doc["department"],
        date=doc["date"],
        score=round(float(cand.score), 4),
        this_passage=_passage(chunks[mine], their_chunks[theirs]["text"]),
        their_passage=_passage(their_chunks[theirs], chunks[mine]["text"]),
        shared_terms=shared_terms(their_text, doc["id"], vocabulary),
    )


def _passage(chunk, other_text: str) -> Passage:
    """The sentence of this chunk that shares the most words with the other passage."""
    text = chunk["text"]
    spans = sentence_spans(text)
    index = best_sentence_by_terms(text, spans, content_words(other_text)) if spans else None
    snippet = around(text, spans, index or 0, limit=240) if spans else ""
    return Passage(chunk["section_heading"], chunk["section_key"], snippet)
