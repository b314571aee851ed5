"""Coverage: a passage holding more of the query's distinctive words ranks higher and counts."""

from __future__ import annotations

import pytest

from indexer import run_index
from kb.knowledge_base import KnowledgeBase
from kb.search import SearchRequest
from tests.conftest import markdown_doc

QUERY = "hydrazine leak during ground test"


@pytest.fixture
def kb(write_doc, fake_settings):
    purity = "Hydrazine purity was profiled. Hydrazine samples, hydrazine batches, hydrazine."
    write_doc(
        "a/purity.md", markdown_doc("Hydrazine purity profiling", sections={"Lesson": purity})
    )
    leak = (
        "An oxidizer leak appeared during loading in a ground test of the stage. The crew"
        " stopped the flow, vented the lines, checked every seal and valve, wrote a report"
        " on what happened, and then reviewed how the hydrazine system had been serviced."
    )
    write_doc("a/leak.md", markdown_doc("Loading lesson", sections={"Lesson": leak}))
    for i in range(18):  # other lessons, each with one of the commoner query words
        other = f"The crew reviewed the {('leak', 'ground', 'test')[i % 3]} procedure {i}."
        write_doc(f"b/o{i}.md", markdown_doc(f"Review {i}", sections={"Lesson": other}))
    run_index([write_doc.root], fake_settings)
    return KnowledgeBase(fake_settings)


@pytest.mark.parametrize("mode", ["keyword", "hybrid"])
def test_search_ranks_the_passage_with_more_query_words_first(kb, mode):
    hits = kb.search(SearchRequest(QUERY, k=5, mode=mode))
    assert hits[0].id == "a-leak"


def test_search_counts_only_documents_with_most_query_words(kb):
    result = kb.run_search(SearchRequest(QUERY, k=10, mode="keyword", matches_only=True))
    assert [hit.id for hit in result.hits] == ["a-leak"] and result.total == 1
    anything = kb.run_search(SearchRequest("zxqvwk florbnak", k=3, matches_only=True))
    assert anything.total == 0 and anything.nearest_only
