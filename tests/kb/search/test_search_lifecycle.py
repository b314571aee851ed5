"""The lifecycle status as a facet and a filter; archived documents hidden from search,
related lessons and kickoff packs unless asked for; an index from before statuses."""

import json
import sqlite3

import pytest
from typer.testing import CliRunner

from indexer import run_index
from kb.cli import app
from kb.index.generations import DB_NAME, current_generation
from kb.kickoff import KickoffRequest, build_pack
from kb.knowledge_base import KnowledgeBase
from kb.search import Filters, SearchParameterError, SearchRequest
from tests.conftest import markdown_doc

QUERY = "pump seal failure"
TEXT = "The pump seal failure stopped the line before winter."
DOCS = {
    # id: (department, status)
    "obs": ("Engineering", "observation"),
    "ident": ("Engineering", "lesson-identified"),
    "acting": ("Operations", "action-in-progress"),
    "learned": ("Operations", "lesson-learned"),
    "old-1": ("Finance", "archived"),
    "old-2": ("Operations", "archived"),
}


@pytest.fixture
def settings(write_doc, fake_settings):
    for doc_id, (department, status) in DOCS.items():
        sections = {"What happened": TEXT, "Lesson": "Check pump seals before winter."}
        sections["Evidence"] = "Seal failures fell from 6 to 1 a year."
        front = f"id: {doc_id}\nstatus: {status}\n"
        write_doc(
            f"{doc_id}.md",
            markdown_doc(f"Seal report {doc_id}", department=department, sections=sections,
                         extra_front=front),
        )  # fmt: skip
    run_index([write_doc.root], fake_settings)
    return fake_settings


@pytest.fixture
def kb(settings):
    return KnowledgeBase(settings)


def search(kb, q=QUERY, include_archived=False, **chosen):
    """A search as the page and the CLI make it: archived lessons hidden unless included."""
    filters = Filters(hide_archived=not include_archived, **chosen)
    return kb.run_search(SearchRequest(q, 20, mode="keyword", filters=filters, with_facets=True))


def ids(result) -> set[str]:
    return {hit.id for hit in result.hits}


def counts(result, facet: str) -> dict[str, int]:
    return {v.value: v.count for v in result.facets[facet]}


def test_search_lifecycle_status_facet_counts_without_archived(kb):
    result = search(kb)
    assert ids(result) == {"obs", "ident", "acting", "learned"}
    assert counts(result, "status") == {
        "observation": 1,
        "lesson-identified": 1,
        "action-in-progress": 1,
        "lesson-learned": 1,
    }
    assert counts(result, "department") == {"Engineering": 2, "Operations": 2}


def test_search_lifecycle_include_archived_shows_them_and_facets_follow(kb):
    result = search(kb, include_archived=True)
    assert ids(result) == set(DOCS) and result.total == len(DOCS)
    assert counts(result, "status")["archived"] == 2
    assert counts(result, "department") == {"Engineering": 2, "Operations": 3, "Finance": 1}


def test_search_lifecycle_status_filter_keeps_other_states_in_its_facet(kb):
    result = search(kb, statuses=("lesson-learned", "observation"))
    assert ids(result) == {"learned", "obs"}
    assert counts(result, "status")["action-in-progress"] == 1  # to switch to or add
    assert counts(result, "department") == {"Engineering": 1, "Operations": 1}


def test_search_lifecycle_choosing_archived_is_asking_for_it(kb):
    result = search(kb, statuses=("archived",))
    assert ids(result) == {"old-1", "old-2"}
    assert counts(result, "status")["archived"] == 2
    assert counts(result, "department") == {"Finance": 1, "Operations": 1}


def test_search_lifecycle_browsing_hides_archived_unless_asked(kb):
    listed = search(kb, q="", departments=("Operations",))
    assert ids(listed) == {"acting", "learned"}
    listed = search(kb, q="", departments=("Operations",), include_archived=True)
    assert ids(listed) == {"acting", "learned", "old-2"}


@pytest.mark.parametrize("hide", [True, False])
def test_search_lifecycle_archived_alone_is_not_a_filter_to_browse_by(hide):
    with pytest.raises(SearchParameterError, match="the query is empty"):
        SearchRequest("", filters=Filters(hide_archived=hide))


def test_search_lifecycle_a_request_without_filters_hides_archived(kb):
    assert {h.id for h in kb.search(SearchRequest(QUERY, 20, mode="keyword"))} == {
        "obs", "ident", "acting", "learned",
    }  # fmt: skip


def test_search_lifecycle_related_lessons_leave_archived_out(kb):
    related = kb.related("obs", k=10)
    assert {r.id for r in related} == {"acting", "learned"}  # other departments, not archived
    assert {r.id for r in kb.related("old-1", k=10)} == {"obs", "ident", "acting", "learned"}


def test_search_lifecycle_kickoff_packs_leave_archived_out(kb):
    brief = "# Pump refit\n\n## Risks\n- A pump seal failure could stop the line before winter."
    pack = build_pack(kb, KickoffRequest(brief, k=10))
    found = {lesson.id for lesson in pack.lessons}
    assert found and not found & {"old-1", "old-2"}


def test_search_lifecycle_department_counts_leave_archived_out_stats_keep_them(kb):
    assert dict(kb.departments()) == {"Engineering": 2, "Operations": 2}
    assert kb.stats()["departments"] == {"Engineering": 2, "Finance": 1, "Operations": 3}


def test_search_lifecycle_cli_status_and_include_archived(settings):
    def cli(*args):
        return CliRunner().invoke(app, ["search", QUERY, "--kb", str(settings.kb_dir), *args])

    hits = json.loads(cli("--json").output)
    assert {h["id"] for h in hits} == {"obs", "ident", "acting", "learned"}
    hits = json.loads(cli("--include-archived", "--json").output)
    assert {h["id"] for h in hits} == set(DOCS)
    hits = json.loads(cli("--status", "Lesson learned", "--json").output)
    assert [h["id"] for h in hits] == ["learned"]
    faceted = json.loads(cli("--facets", "--json").output)
    assert {v["value"] for v in faceted["facets"]["status"]} == {
        "observation", "lesson-identified", "action-in-progress", "lesson-learned",
    }  # fmt: skip
    bad = cli("--status", "final")
    assert bad.exit_code == 2
    assert "--status: unknown status 'final'" in bad.output and "lesson-learned" in bad.output


def test_search_lifecycle_an_index_from_before_statuses_works_and_is_revalidated(settings):
    database = current_generation(settings.kb_dir) / DB_NAME
    with sqlite3.connect(database) as conn:  # as an index written before lifecycle statuses
        conn.executescript(
            "DROP INDEX documents_status; UPDATE documents SET status = 'final' WHERE id = 'obs';"
            " PRAGMA user_version = 2;"
        )
    old = search(KnowledgeBase(settings))
    assert ids(old) == {"obs", "ident", "acting", "learned"}  # still served, archived hidden
    assert counts(old, "status")["final"] == 1
    run = run_index([settings.kb_dir.parent / "docs"], settings)  # files unchanged
    assert run.files_indexed == len(DOCS)  # every file read again and validated
    assert counts(search(KnowledgeBase(settings)), "status")["observation"] == 1
