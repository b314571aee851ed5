"""Search shortcuts for large indexes: where they apply, the same results."""

import random

import numpy as np
import pytest

from indexer import run_index
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
    ids, vectors = gen.store.embeddings.of_all_chunks()
    ivf = create_vector_index("ivf", ids, vectors, vectors.shape[1])  # probes every list
    query = vectors[3]
    for filters in (Filters(exclude_departments=("Legal",)), Filters(departments=("Legal",))):
        found = retrievers.semantic_matches(gen.store, ivf, query, filters, want_docs=5)
        exhaustive = retrievers.semantic_matches(gen.store, gen.vectors, query, filters, 5)
        assert [m.chunk_id for m in found] == [m.chunk_id for m in exhaustive]
        rows = gen.store.documents.rows([m.doc_rowid for m in found])
        departments = {rows[m.doc_rowid]["department"] for m in found}
        assert departments and (departments <= {"Legal"}) == bool(filters.departments)
    assert np.isfinite([m.score for m in found]).all()
