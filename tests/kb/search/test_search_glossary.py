"""Search that speaks the glossary: approved synonyms and acronyms expand keyword search;
the glossary is read from the state database the settings name (SQLite or PostgreSQL)."""

from dataclasses import replace

import pytest

from indexer import run_index
from kb.glossary import Glossary
from kb.knowledge_base import KnowledgeBase
from kb.search import SearchRequest
from kb.search.query import glossary_expansions
from kb.state import StateDB
from tests.conftest import markdown_doc


@pytest.fixture
def settings(write_doc, fake_settings, state_url):
    write_doc(
        "eng/a.md",
        markdown_doc(
            "March outage review", sections={"Lesson": "Our RCA found a stale DNS record."}
        ),
    )
    write_doc("ops/b.md", markdown_doc("Cutover weekend", department="Operations",
              sections={"Lesson": "The root cause analysis blamed the change freeze."}))  # fmt: skip
    write_doc(
        "fin/c.md",
        markdown_doc("Close", department="Finance", sections={"Lesson": "Accruals were late."}),
    )
    run_index([write_doc.root], fake_settings)
    return replace(fake_settings, database_url=state_url)


def approve(settings, status="approved"):
    """Bring the term in as an editor would, through a glossary import."""
    glossary = Glossary(settings.kb_dir, state=StateDB.from_settings(settings))
    editor = glossary.auth.create_user("ed", "a long passphrase", "editor")
    csv = (
        "key,label,definition,acronym,synonyms,related,owner,status\n"
        f"root-cause-analysis,root cause analysis,Finding why it failed,RCA,,,ed,{status}\n"
    )
    report = glossary.import_file(editor, csv.encode(), "terms.csv")
    assert not getattr(report, "errors", None), report
    glossary.close()


def keyword_ids(settings, q):
    kb = KnowledgeBase(settings)
    return {h.id for h in kb.search(SearchRequest(q, mode="keyword"))}


def test_search_glossary_acronym_finds_the_expansion_and_back(settings):
    assert keyword_ids(settings, "RCA") == {"eng-a"}
    approve(settings)
    assert keyword_ids(settings, "RCA") == {"eng-a", "ops-b"}
    assert keyword_ids(settings, "root cause analysis") >= {"eng-a", "ops-b"}


def test_search_glossary_draft_terms_do_not_expand(settings):
    approve(settings, status="draft")
    assert keyword_ids(settings, "RCA") == {"eng-a"}


def test_search_glossary_expanded_hit_names_the_form_it_matched(settings):
    approve(settings)
    hits = KnowledgeBase(settings).search(SearchRequest("RCA", mode="keyword"))
    ops = next(h for h in hits if h.id == "ops-b")
    assert ops.terms == ["root cause analysis"]
    assert "root cause analysis" in ops.snippet


def test_search_glossary_expansions_match_multi_word_runs():
    expansions = {
        "root cause analysis": ["rca"],
        "rca": ["root cause analysis"],
        "sla": ["service level agreement"],
    }
    assert glossary_expansions("why do we do Root Cause Analysis?", expansions) == ["rca"]
    assert glossary_expansions("RCA and SLA", expansions) == [
        "root cause analysis",
        "service level agreement",
    ]
    assert glossary_expansions("nothing here", expansions) == []


def test_search_glossary_search_without_a_glossary_creates_no_state_database(settings):
    if not settings.database_url.startswith("sqlite"):
        pytest.skip("the embedded file only")
    assert keyword_ids(settings, "RCA") == {"eng-a"}
    assert not (settings.kb_dir.parent / "state.sqlite").exists()
