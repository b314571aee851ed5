"""The search issue's "a filter still returns k hits", repeated with the access filter: over a
corpus where almost every document is unreadable and ranks first, an anonymous visitor and a
department reader still get k hits whenever k readable documents match, from both retrievers,
on an exact and on an IVF vector index."""

from __future__ import annotations

from dataclasses import replace

import pytest

from indexer import run_index
from kb.access import Viewer
from kb.index.vectors import create_vector_index
from kb.knowledge_base import KnowledgeBase
from kb.search import Filters, SearchRequest, retrievers
from tests.conftest import fake_index_settings, markdown_doc

QUERY = "pump seal failure"
# The unreadable documents say the query's words far more often: they fill the top ranks, so
# a filter applied after ranking, or a probe of the nearest chunks only, would come up short.
STRONG = "Pump seal failure. The pump seal failure stopped the line; pump seal failure again. "
WEAK = "A pump seal failure was noted once in the maintenance log among other findings."
UNREADABLE = 100  # restricted to Legal
PUBLIC = 6  # Engineering, public
FINANCE_ONLY = 6  # Finance, restricted

ANONYMOUS = Viewer.anonymous()
FINANCE = Viewer(True, "fiona", ("Finance",))
READABLE = {
    "anonymous": {f"pub-{n}" for n in range(PUBLIC)},
    "finance": {f"pub-{n}" for n in range(PUBLIC)} | {f"fin-{n}" for n in range(FINANCE_ONLY)},
}
VIEWERS = {"anonymous": ANONYMOUS, "finance": FINANCE}


def write(folder, doc_id: str, department: str, level: str, text: str) -> None:
    (folder / f"{doc_id}.md").write_text(
        markdown_doc(
            f"Seal report {doc_id}",
            department=department,
            sections={"What happened": text, "Lesson": text},
            extra_front=f"id: {doc_id}\nsensitivity: {level}\n",
        ),
        encoding="utf-8",
    )


@pytest.fixture(scope="module")
def kb(tmp_path_factory) -> KnowledgeBase:
    base = tmp_path_factory.mktemp("access-k-hits")
    settings = replace(fake_index_settings(base / "kb"), default_sensitivity="internal")

    docs = base / "docs"
    docs.mkdir()
    for n in range(UNREADABLE):
        write(docs, f"legal-{n}", "Legal", "restricted", STRONG * 3)
    for n in range(PUBLIC):
        write(docs, f"pub-{n}", "Engineering", "public", WEAK)
    for n in range(FINANCE_ONLY):
        write(docs, f"fin-{n}", "Finance", "restricted", WEAK)
    run = run_index([docs], settings)
    assert not run.errors, run.errors
    return KnowledgeBase(settings)


def test_search_access_k_hits_unreadable_documents_rank_first_for_an_admin(kb):
    hits = kb.search(SearchRequest(QUERY, k=20, mode="keyword"))
    assert all(hit.id.startswith("legal-") for hit in hits)  # else the test shows nothing


CASES = [
    ("anonymous", 1),
    ("anonymous", 3),
    ("anonymous", PUBLIC),
    ("finance", 1),
    ("finance", PUBLIC + 1),
    ("finance", PUBLIC + FINANCE_ONLY),
]


@pytest.mark.parametrize(("who", "k"), CASES)
@pytest.mark.parametrize("mode", ["keyword", "semantic", "hybrid"])
def test_search_access_k_hits_still_returned_when_k_readable_documents_match(kb, mode, who, k):
    hits = kb.search(SearchRequest(QUERY, k=k, mode=mode, viewer=VIEWERS[who]))
    assert len(hits) == k
    assert {hit.id for hit in hits} <= READABLE[who]


@pytest.mark.parametrize("who", ["anonymous", "finance"])
@pytest.mark.parametrize("mode", ["keyword", "semantic", "hybrid"])
def test_search_access_k_hits_fewer_readable_matches_returns_all_of_them(kb, mode, who):
    result = kb.run_search(SearchRequest(QUERY, k=50, mode=mode, viewer=VIEWERS[who]))
    assert {hit.id for hit in result.hits} == READABLE[who]


@pytest.mark.parametrize(("who", "k"), CASES)
def test_search_access_k_hits_from_an_ivf_index_too(kb, who, k):
    gen = kb.generation
    ids, vectors = gen.store.embeddings.of_all_chunks()
    ivf = create_vector_index("ivf", ids, vectors, vectors.shape[1])
    assert ivf.approximate  # the path that tries the nearest chunks of all first
    [query] = kb.embed_queries([QUERY])
    access = Filters(viewer=VIEWERS[who], default_sensitivity="internal")
    found = retrievers.semantic_matches(gen.store, ivf, query, access, want_docs=k)
    rows = gen.store.documents.rows([match.doc_rowid for match in found])
    assert len(found) >= k
    assert {rows[match.doc_rowid]["id"] for match in found} <= READABLE[who]
