"""Search shortcuts for large indexes: where they apply, the same results."""

import random

import numpy as np
import pytest

from indexer import run_index
from kb import store as store_module
from kb.index.vectors import create_vector_index
from kb.knowledge_base import KnowledgeBase
from kb.search import retrievers
from kb.search.request import Filters
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


def test_search_large_filtered_ivf_search_tries_the_nearest_chunks_first(kb):
    gen = kb.generation
    ids, vectors = gen.store.all_vectors()
    ivf = create_vector_index("ivf", ids, vectors, vectors.shape[1])  # probes every list
    query = vectors[3]
    for filters in (Filters(exclude_departments=("Legal",)), Filters(departments=("Legal",))):
        found = retrievers.semantic_matches(gen.store, ivf, query, filters, want_docs=5)
        exhaustive = retrievers.semantic_matches(gen.store, gen.vectors, query, filters, 5)
        assert [m.chunk_id for m in found] == [m.chunk_id for m in exhaustive]
        rows = gen.store.document_rows([m.doc_rowid for m in found])
        departments = {rows[m.doc_rowid]["department"] for m in found}
        assert departments and (departments <= {"Legal"}) == bool(filters.departments)
    assert np.isfinite([m.score for m in found]).all()


def test_search_large_chunk_owners_from_memory_match_the_database(kb):
    store = kb.store
    assert store.read_only
    rows = store.conn.execute("SELECT id, doc_rowid FROM chunks ORDER BY random()").fetchall()
    wanted = [row[0] for row in rows[:25]] + [-5, 10**9]  # unknown ids are left out
    assert store.chunk_owners(wanted) == {row[0]: row[1] for row in rows[:25]}


def test_search_large_scorings_run_side_by_side_with_the_same_rows(kb, monkeypatch):
    monkeypatch.setattr(store_module, "PARALLEL_READERS", 2)  # side by side on any machine
    store = kb.store
    assert store.read_only
    sql = "SELECT rowid, -bm25(chunks_fts) FROM chunks_fts WHERE chunks_fts MATCH ? ORDER BY 2"
    queries = [(sql, ['"vendor"']), (sql, ['"hydrazine" OR "gimbal"']), (sql, ['"nothing"'])]
    sequential = [[tuple(r) for r in store.conn.execute(q, p)] for q, p in queries]
    assert [[tuple(r) for r in rows] for rows in store.fetch_many(queries)] == sequential
    assert store._readers is not None  # the later queries ran on reader threads
    store.close()
    assert store._readers is None


@pytest.mark.parametrize(
    "filters",
    [
        Filters(exclude_departments=("Engineering", "Finance")),
        Filters(departments=("Legal",), years=("2023",)),
        Filters(departments=("Nobody",)),
        Filters(sections=("lesson",)),  # a condition on chunks: the join answers it
    ],
)
def test_search_large_server_lists_allowed_chunks_as_the_join_does(kb, filters):
    from kb.search.filters import filter_sql

    where, params = filter_sql(filters)
    served = store_module.Store(kb.store.path, read_only=True)
    writable = store_module.Store(kb.store.path)
    listed = served.chunk_ids_where(where, params)
    assert sorted(listed.tolist()) == sorted(writable.chunk_ids_where(where, params).tolist())
    assert (len(listed) == 0) == (filters.departments == ("Nobody",))
