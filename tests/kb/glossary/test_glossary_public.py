"""What everyone reads: search, a term's page with its documents, and query expansions."""

from __future__ import annotations

from dataclasses import replace

import pytest

from kb.glossary import NotFoundError, TermFields, User
from kb.glossary.model import Usage
from tests.kb.glossary.glossary_support import (
    ENGINEERING,
    FINANCE,
    OPERATIONS,
    build_index,
    copy_index,
    open_glossary,
)

ED = User("ed", "editor")


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    return build_index(tmp_path_factory.mktemp("glossary-public"))


@pytest.fixture
def glossary(template, tmp_path, state_url):
    """A glossary over a private copy of the index, on SQLite or PostgreSQL."""
    glossary, _ = open_glossary(replace(copy_index(template, tmp_path), database_url=state_url))
    yield glossary
    glossary.close()


def accept(glossary, key, **fields):
    return glossary.editor.accept(ED, key, 0, TermFields(**fields))


def test_glossary_public_search_matches_label_synonym_acronym_and_definition(glossary):
    accept(
        glossary,
        "edi",
        label="Electronic data interchange",
        acronym="EDI",
        definition="Orders exchanged between systems.",
        synonyms=("B2B feed",),
    )
    accept(glossary, "lead time", label="Lead time", definition="From order to EDI receipt.")
    assert [t.key for t in glossary.public.search("edi")] == [
        "edi",
        "lead time",
    ]  # exact form first
    assert [t.key for t in glossary.public.search("b2b")] == ["edi"]
    assert [t.key for t in glossary.public.search("ELECTRONIC")] == ["edi"]
    assert [t.key for t in glossary.public.search("between systems")] == ["edi"]
    assert [t.key for t in glossary.public.search("")] == ["edi", "lead time"]  # by label
    assert glossary.public.search("nothing like it") == []


def test_glossary_public_search_leaves_out_rejected_and_merged(glossary):
    accept(glossary, "shift handover", label="Shift handover")
    glossary.editor.merge(ED, "handover", "shift handover")
    glossary.editor.reject(ED, "vendor", "too general")
    assert [t.key for t in glossary.public.search()] == ["shift handover"]


def test_glossary_public_term_page_lists_documents_and_departments_of_synonyms(glossary):
    accept(glossary, "lead time", label="Lead time", synonyms=("Vendor",))
    page = glossary.public.term_page("lead time")
    assert [d.id for d in page.documents] == [ENGINEERING, FINANCE]
    assert page.departments == {"Engineering": Usage(1, 5), "Finance": Usage(1, 1)}


def test_glossary_public_term_page_includes_merged_candidates(glossary):
    accept(glossary, "lead time", label="Lead time")
    glossary.editor.merge(ED, "edi", "lead time")
    page = glossary.public.term_page("lead time")
    assert page.merged == ["edi"]
    assert {d.id for d in page.documents} == {ENGINEERING, OPERATIONS}
    assert [e.action for e in page.history] == ["merge-in", "accept"]


def test_glossary_public_term_page_resolves_related_terms(glossary):
    accept(glossary, "vendor", label="Vendor")
    accept(glossary, "lead time", label="Lead time", related=("Vendor",))
    page = glossary.public.term_page("lead time")
    assert page.term.related == ("vendor",)
    assert [t.label for t in page.related] == ["Vendor"]


def test_glossary_public_term_page_of_a_non_term_is_not_found(glossary):
    glossary.editor.reject(ED, "vendor", "no")
    for key in ("vendor", "edi", "nothing"):
        with pytest.raises(NotFoundError):
            glossary.public.term_page(key)


def test_glossary_public_expansions_cover_approved_terms_only(glossary):
    accept(
        glossary,
        "edi",
        label="Root cause analysis",
        acronym="RCA",
        synonyms=("root-cause analysis",),
        status="approved",
    )
    accept(glossary, "lead time", label="Lead time", acronym="LT", status="draft")
    accept(glossary, "vendor", label="Vendor", synonyms=("supplier",), status="approved")
    glossary.editor.edit(
        ED,
        "vendor",
        TermFields(label="Vendor", synonyms=("supplier",), status="deprecated"),
        expected=1,
    )
    assert glossary.expansions() == {
        "root cause analysis": ["rca", "root-cause analysis"],
        "rca": ["root cause analysis", "root-cause analysis"],
        "root-cause analysis": ["root cause analysis", "rca"],
    }


def test_glossary_public_expansions_merge_terms_that_share_a_form(glossary):
    accept(glossary, "edi", label="Purchase order", acronym="PO", status="approved")
    accept(glossary, "vendor", label="Product owner", acronym="PO", status="approved")
    assert glossary.expansions()["po"] == ["purchase order", "product owner"]
