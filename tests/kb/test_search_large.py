"""Search shortcuts for large indexes: same scores and, where they apply, the same results."""

import random

import numpy as np
import pytest

from indexer import run_index
from kb.knowledge_base import KnowledgeBase
from kb.search import retrievers
from kb.search.query import fts_phrases
from kb.search.request import Filters
from kb.vectors import VectorIndex
from tests.conftest import markdown_doc

COMMON = "vendor delay schedule review".split()
RARE = "hydrazine gimbal cryostat telemetry umbilical".split()
DEPARTMENTS = ("Engineering", "Operations", "Finance", "Legal")


@pytest.fixture
def kb(write_doc, fake_settings):
    rng = random.Random(3)
    for n in range(60):
        words = rng.choices(COMMON, k=12) + rng.sample(RARE, k=rng.randint(0, 2))
        sections = {"What happened": " ".join(words) + ".", "Lesson": rng.choice(COMMON) + "."}
        title = f"Lesson {n} on {rng.choice(COMMON + RARE)}"
        department = DEPARTMENTS[n % len(DEPARTMENTS)]
        write_doc(f"d{n}.md", markdown_doc(title, "lesson", department, "2023-01-02", sections))
    run_index([write_doc.root], fake_settings)
    return KnowledgeBase(fake_settings)


def keyword(kb, query, budget, limit, filters=Filters()):
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(retrievers, "KEYWORD_SCORING_BUDGET", budget)
        patch.setattr(retrievers, "KEYWORD_CHUNK_LIMIT", limit)
        return retrievers.keyword_matches(kb.store, query, filters)


def test_search_large_rare_phrases_first_scores_as_the_full_query(kb):
    query = "vendor schedule hydrazine gimbal"
    full = {m.chunk_id: m.score for m in keyword(kb, query, budget=10**9, limit=10**6)}
    pruned = keyword(kb, query, budget=1, limit=5)
    assert len(pruned) >= 5
    for match in pruned:  # BM25 adds up per phrase: scored with every phrase all the same
        assert match.score == pytest.approx(full[match.chunk_id], rel=1e-9)


def test_search_large_widens_until_enough_passages_pass_the_filters(kb):
    query = "vendor review cryostat"
    filters = Filters(departments=("Legal",))
    full = keyword(kb, query, budget=10**9, limit=10**6, filters=filters)
    # Fewer passages than the limit hold the rare phrase: widened to all, nothing left out.
    widened = keyword(kb, query, budget=1, limit=10**6, filters=filters)
    assert [m.chunk_id for m in widened] == [m.chunk_id for m in full]
    assert {kb.store.documents.rows([m.doc_rowid])[m.doc_rowid]["department"] for m in full} == {
        "Legal"
    }


def test_search_large_rarest_first_grows_to_all_phrases():
    phrases = ['"a"', '"b"', '"c"', '"d"']
    counts = {'"a"': 5000, '"b"': 10, '"c"': 3000, '"d"': 90_000}
    tries = list(retrievers.rarest_first(phrases, counts, budget=4000))
    assert tries == [['"b"', '"c"'], ['"b"', '"c"', '"a"'], ['"b"', '"c"', '"a"', '"d"']]
    assert list(retrievers.rarest_first(phrases[:2], counts, budget=4000)) == [['"b"', '"a"']]


def test_search_large_phrase_counts_match_fts(kb):
    phrases = fts_phrases("vendor hydrazine")
    counts = kb.store.chunks.phrase_counts(phrases)
    for phrase in phrases:
        sql = "SELECT count(*) FROM chunks_fts WHERE chunks_fts MATCH ?"
        assert counts[phrase] == kb.store.db.conn.execute(sql, (phrase,)).fetchone()[0]


def test_search_large_filtered_ivf_search_tries_the_nearest_chunks_first(kb):
    gen = kb.generation
    ids, vectors = gen.store.embeddings.of_all_chunks()
    ivf = VectorIndex.build(ids, vectors, vectors.shape[1], exact_max=0)  # probes every list
    query = vectors[3]
    for filters in (Filters(exclude_departments=("Legal",)), Filters(departments=("Legal",))):
        found = retrievers.semantic_matches(gen.store, ivf, query, filters, want_docs=5)
        exhaustive = retrievers.semantic_matches(gen.store, gen.vectors, query, filters, 5)
        assert [m.chunk_id for m in found] == [m.chunk_id for m in exhaustive]
        rows = gen.store.documents.rows([m.doc_rowid for m in found])
        departments = {rows[m.doc_rowid]["department"] for m in found}
        assert departments and (departments <= {"Legal"}) == bool(filters.departments)
    assert np.isfinite([m.score for m in found]).all()
