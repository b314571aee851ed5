"""Contested terms: departments whose contexts for the same word hardly overlap."""

from __future__ import annotations

from collections import Counter

from kb.glossary.contested import contested_terms, cosine, department_bags
from kb.glossary.model import Candidate
from tests.kb.glossary.glossary_support import candidate

DEPARTMENTS = {"e1": "Engineering", "e2": "Engineering", "h1": "HR", "f1": "Finance"}


def make(term, contexts) -> Candidate:
    departments = Counter(DEPARTMENTS[doc] for doc, _ in contexts)
    return Candidate.from_row(candidate(term, 1, contexts, dict(departments)))


RELEASE = make(
    "release",
    [
        ("e1", "The release pipeline deployed the build to production servers."),
        ("e2", "A failed release rolled back the production deployment."),
        ("h1", "The staff release form needs a manager signature before payroll."),
    ],
)
BUDGET = make(
    "budget",
    [
        ("e1", "The project budget covered the vendor contract and the servers."),
        ("f1", "The budget for the vendor contract covered servers and licences."),
    ],
)
LOCAL = make(
    "runbook", [("e1", "The runbook lists rollback steps."), ("e2", "Update the runbook.")]
)


def test_glossary_contested_flags_a_word_used_in_different_senses():
    [found] = contested_terms([RELEASE, BUDGET, LOCAL], DEPARTMENTS)
    assert found.term == "release" and found.similarity < 0.15
    usage = {u.department: u.words for u in found.departments}
    assert set(usage) == {"Engineering", "HR"}
    assert "production" in usage["Engineering"] and "payroll" in usage["HR"]
    assert all(len(words) <= 5 for words in usage.values())


def test_glossary_contested_bags_leave_out_the_term_and_stopwords():
    bags = department_bags(RELEASE, DEPARTMENTS)
    assert "release" not in bags["Engineering"] and "the" not in bags["Engineering"]
    assert bags["Engineering"]["production"] == 2


def test_glossary_contested_shared_contexts_are_not_flagged():
    assert cosine(*department_bags(BUDGET, DEPARTMENTS).values()) > 0.5
    assert contested_terms([BUDGET], DEPARTMENTS) == []


def test_glossary_contested_ignores_single_department_and_unknown_documents():
    unknown = make("release", [("e1", "The release shipped."), ("h1", "Staff release form.")])
    assert contested_terms([LOCAL], DEPARTMENTS) == []
    assert contested_terms([unknown], {"e1": "Engineering"}) == []


def test_glossary_contested_terms_of_the_live_index(tmp_path):
    from tests.kb.glossary.glossary_support import build_index, open_glossary

    glossary, _ = open_glossary(build_index(tmp_path))
    [found] = glossary.contested_terms()
    assert found.term == "vendor"
    assert [u.department for u in found.departments] == ["Engineering", "Finance"]
