"""Access levels inside retrieval: what a viewer may not read is never a hit, never counted,
and a viewer still gets k hits whenever k readable documents match."""

from dataclasses import replace

import pytest

from indexer import run_index
from kb.access import Viewer
from kb.knowledge_base import KnowledgeBase
from kb.search import Filters, SearchRequest
from tests.conftest import markdown_doc

QUERY = "pump seal failure"
# The unreadable documents say the query's words more often, so they would rank first:
# a filter applied after ranking would leave an anonymous visitor with fewer than k hits.
STRONG = "The pump seal failure stopped the line. Pump seal failure again. " * 3
WEAK = "A pump seal failure was noted once in the log."

LEGAL = Viewer(True, "dana", ("Legal",))
FINANCE = Viewer(True, "erin", ("Finance",))
CAROL = Viewer(True, "carol", ("Sales",))  # named in one restricted document's audience


def level(sensitivity: str, audience: str = "") -> str:
    return f"sensitivity: {sensitivity}\n" + (f"audience: {audience}\n" if audience else "")


DOCS = {
    # id: (department, front matter, text)
    "pub-1": ("Engineering", level("public"), WEAK),
    "pub-2": ("Engineering", level("public"), WEAK),
    "pub-3": ("Operations", level("public"), WEAK),
    "int-1": ("Finance", level("internal"), STRONG),
    "int-2": ("Finance", level("internal"), STRONG),
    "res-1": ("Legal", level("restricted"), STRONG),
    "res-2": ("Legal", level("confidential", "[HR, carol]"), STRONG),
    "nolevel": ("HR", "", STRONG),
}


@pytest.fixture
def settings(write_doc, fake_settings):
    for doc_id, (department, front, text) in DOCS.items():
        write_doc(
            f"{doc_id}.md",
            markdown_doc(
                f"Seal report {doc_id}",
                department=department,
                sections={"What happened": text, "Lesson": "Check seals before winter."},
                extra_front=f"id: {doc_id}\n{front}",
            ),
        )
    run_index([write_doc.root], fake_settings)
    return replace(fake_settings, default_sensitivity="internal")


@pytest.fixture
def kb(settings):
    return KnowledgeBase(settings)


def found(kb, viewer, mode="hybrid", k=20, **filters):
    request = SearchRequest(QUERY, k=k, mode=mode, with_facets=True, viewer=viewer,
                            filters=Filters(**filters))  # fmt: skip
    return kb.run_search(request)


def departments(result) -> dict[str, int]:
    return {value.value: value.count for value in result.facets["department"]}


@pytest.mark.parametrize("mode", ["hybrid", "keyword", "semantic"])
def test_search_access_anonymous_sees_only_public_in_hits_totals_and_facets(kb, mode):
    result = found(kb, Viewer.anonymous(), mode)
    assert result.hits
    assert {hit.id for hit in result.hits} <= {"pub-1", "pub-2", "pub-3"}
    assert result.total <= 3
    assert set(departments(result)) <= {"Engineering", "Operations"}
    assert sum(departments(result).values()) == result.total


@pytest.mark.parametrize("mode", ["hybrid", "keyword"])
def test_search_access_still_returns_k_hits_when_k_readable_documents_match(kb, mode):
    result = found(kb, Viewer.anonymous(), mode, k=3)
    assert sorted(hit.id for hit in result.hits) == ["pub-1", "pub-2", "pub-3"]
    assert result.total == 3


def test_search_access_signed_in_reads_internal_and_the_default_level(kb):
    ids = {hit.id for hit in found(kb, Viewer(True, "sam")).hits}
    assert ids == {"pub-1", "pub-2", "pub-3", "int-1", "int-2", "nolevel"}


def test_search_access_department_members_and_audience_read_restricted(kb):
    assert {"res-1", "res-2"} <= {hit.id for hit in found(kb, LEGAL).hits}
    finance = found(kb, FINANCE)
    assert not {"res-1", "res-2"} & {hit.id for hit in finance.hits}
    assert "Legal" not in departments(finance)
    carol = {hit.id for hit in found(kb, CAROL).hits}
    assert "res-2" in carol and "res-1" not in carol
    hr = {hit.id for hit in found(kb, Viewer(True, "hana", ("HR",))).hits}
    assert "res-2" in hr and "res-1" not in hr


def test_search_access_admin_and_the_cli_read_everything(kb):
    admin = found(kb, Viewer(True, "root", admin=True))
    assert {hit.id for hit in admin.hits} == set(DOCS)
    cli = kb.run_search(SearchRequest(QUERY, k=20))
    assert {hit.id for hit in cli.hits} == set(DOCS)


def test_search_access_browsing_a_facet_lists_and_counts_only_readable(kb):
    request = SearchRequest("", k=20, with_facets=True, viewer=Viewer.anonymous(),
                            filters=Filters(departments=("Legal", "Engineering")))  # fmt: skip
    result = kb.run_search(request)
    assert {hit.id for hit in result.hits} == {"pub-1", "pub-2"}
    counted = {name: n for name, n in departments(result).items() if n}  # chosen ones show 0
    assert counted == {"Engineering": 2, "Operations": 1}


def test_search_access_default_level_is_a_setting_read_when_searching(settings):
    public = KnowledgeBase(replace(settings, default_sensitivity="public"))
    assert "nolevel" in {hit.id for hit in found(public, Viewer.anonymous()).hits}
    restricted = KnowledgeBase(replace(settings, default_sensitivity="restricted"))
    assert "nolevel" not in {hit.id for hit in found(restricted, Viewer(True, "sam")).hits}
    assert "nolevel" in {hit.id for hit in found(restricted, Viewer(True, "h", ("HR",))).hits}


def test_search_access_document_is_none_for_who_may_not_read_it(kb):
    assert kb.document("res-1", Viewer.anonymous()) is None
    assert kb.document("res-1", FINANCE) is None
    assert kb.document("res-1", LEGAL).document.sensitivity == "restricted"
    assert kb.document("res-2", CAROL).document.sensitivity == "restricted"  # confidential
    assert kb.document("pub-1", Viewer.anonymous()) is not None


def related_ids(kb, doc_id, viewer):
    found = kb.related(doc_id, k=10, include_same_department=True, viewer=viewer)
    return None if found is None else {lesson.id for lesson in found}


def test_search_access_related_lessons_show_only_readable_in_both_directions(kb):
    everything = related_ids(kb, "pub-1", Viewer.system())
    assert {"int-1", "res-1"} <= everything  # they are related, for one who may read them
    assert related_ids(kb, "pub-1", Viewer.anonymous()) <= {"pub-2", "pub-3"}
    assert not {"res-1", "res-2"} & related_ids(kb, "pub-1", FINANCE)
    assert related_ids(kb, "res-1", Viewer.anonymous()) is None  # as for a missing document
    assert "res-1" in related_ids(kb, "pub-1", LEGAL)
