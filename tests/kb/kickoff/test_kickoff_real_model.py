"""Integration: kickoff packs with the real model on the example corpus find what a careful
reader expects (examples/briefs/expected.yaml) and include other departments' lessons."""

from __future__ import annotations

import pytest

from indexer import run_index
from kb.kickoff import KickoffRequest, build_pack
from kb.kickoff.evaluation import evaluate, load_expectations, mean_recall, topic_coverage
from kb.kickoff.topics import MAX_TOPICS
from kb.knowledge_base import KnowledgeBase
from kb.settings import Settings
from tests.conftest import EXAMPLES

pytestmark = pytest.mark.slow

BRIEFS = EXAMPLES / "briefs"


@pytest.fixture(scope="module")
def example_kb(tmp_path_factory):
    settings = Settings(kb_dir=tmp_path_factory.mktemp("kickoff-real") / "kb", progress=False)
    run = run_index([EXAMPLES / "corpus"], settings)
    assert run.errors == []
    return KnowledgeBase(settings)


@pytest.fixture(scope="module")
def results(example_kb):
    return evaluate(example_kb, BRIEFS, load_expectations(BRIEFS / "expected.yaml"))


def test_kickoff_real_model_briefs_cover_the_examples():
    expectations = load_expectations(BRIEFS / "expected.yaml")
    assert len(expectations) >= 8
    assert {e.brief for e in expectations} == {p.name for p in BRIEFS.glob("*.md")}
    assert all(4 <= len(e.expected) <= 8 and e.department for e in expectations)


def test_kickoff_real_model_finds_most_expected_documents(results):
    assert mean_recall(results) >= 0.6, [(r.brief, r.recall, r.missing) for r in results]
    assert all(r.recall >= 0.4 for r in results), [(r.brief, r.recall) for r in results]


def test_kickoff_real_model_covers_the_risks_of_multi_risk_briefs(results):
    covered, listed = topic_coverage(results)
    assert listed >= 12 and covered >= listed - 1, [(r.brief, r.missed_topics) for r in results]


def test_kickoff_real_model_every_pack_has_other_departments(results):
    for result in results:
        assert result.other_departments >= 1, result.brief


def test_kickoff_real_model_pack_is_complete(example_kb):
    text = (BRIEFS / "pricing-change-invoicing.md").read_text(encoding="utf-8")
    pack = build_pack(example_kb, KickoffRequest(text, department="Sales"))
    assert 2 <= len(pack.themes) <= MAX_TOPICS and len(pack.lessons) == 12  # one per topic
    assert pack.checklist and pack.actions and pack.jargon
    billing = next(t for t in pack.themes if any("compass" in m.id for m in t.lessons))
    assert sum("compass" in m.id for m in billing.lessons) >= 3
    assert all(m.reason.brief_sentence for m in pack.lessons)
