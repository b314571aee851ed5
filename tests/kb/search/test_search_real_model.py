"""Integration: the real model on the bundled example corpus finds documents by theme.

Queries are paraphrases that avoid the documents' own wording, so only meaning can match.
"""

import pytest

from indexer import run_index
from kb.knowledge_base import KnowledgeBase
from kb.search import SearchRequest
from kb.settings import Settings
from tests.conftest import EXAMPLES

pytestmark = pytest.mark.slow

THEMES = [
    (
        "supplier shipped the server cabinets months after the promised date",
        {"operations-2021-kestrel-rack-delivery-delays", "legal-2021-kestrel-contract-no-late-delivery-remedy",
         "finance-2021-atlas-cost-overrun-kestrel-delays"},
    ),
    (
        "customers were charged twice when the new invoicing platform went live",
        {"engineering-2024-compass-duplicate-invoices-pir", "finance-2024-compass-duplicate-invoices-after-cutover",
         "customer-support-2024-compass-invoice-ticket-surge", "sales-2024-compass-duplicate-invoices-account-escalations"},
    ),
    (
        "new employees had no computer or system access when they started",
        {"hr-2020-remote-onboarding-day-one", "operations-2023-ops-new-hire-onboarding-retrospective"},
    ),
    (
        "teams disagree on how many clients we have and on yearly subscription revenue",
        {"sales-2025-northstar-arr-definition-dispute", "finance-2025-northstar-arr-active-customer-definitions",
         "engineering-2025-northstar-metric-definitions-workshop"},
    ),
    (
        "commitments from the sales process were unknown to the people setting up the account",
        {"sales-2023-handoff-to-onboarding-lost-context", "customer-support-2023-vantora-onboarding-escalation-postmortem"},
    ),
    (
        "operating procedures that are out of date and that nobody maintains",
        {"operations-2022-runbook-drift", "engineering-2025-runbooks-nobody-reads"},
    ),
]  # fmt: skip


@pytest.fixture(scope="module")
def example_kb(tmp_path_factory):
    settings = Settings(kb_dir=tmp_path_factory.mktemp("examples") / "kb", progress=False)
    run = run_index([EXAMPLES / "corpus"], settings)
    assert run.errors == []
    return KnowledgeBase(settings)


def test_example_corpus_indexes_every_document(example_kb):
    stats = example_kb.stats()
    assert stats["counts"]["documents"] >= 60
    assert len(stats["departments"]) >= 6
    assert (stats["embedder"], stats["dimension"]) == ("sentence-transformers", 384)


@pytest.mark.parametrize(("query", "expected"), THEMES, ids=[q[:40] for q, _ in THEMES])
def test_search_real_model_finds_the_theme_in_top_3(example_kb, query, expected):
    top3 = [hit.id for hit in example_kb.search(SearchRequest(query, k=3, mode="semantic"))]
    assert expected & set(top3), f"{query!r}: top 3 were {top3}"


@pytest.mark.parametrize(("query", "expected"), THEMES, ids=[q[:40] for q, _ in THEMES])
def test_search_real_model_hybrid_keeps_the_theme_near_the_top(example_kb, query, expected):
    # Hybrid adds BM25 over a paraphrase's common words ("sales", "process", "account"), which
    # can push the theme's document a little down: measured ranks are 1, 1, 1, 1, 4 and 2.
    top5 = [hit.id for hit in example_kb.search(SearchRequest(query, k=5))]
    assert expected & set(top5), f"{query!r}: top 5 were {top5}"
