"""Editorial actions on candidates and terms: each with its history, conflicts, permissions."""

from __future__ import annotations

from dataclasses import replace

import pytest

from indexer import run_index
from kb.glossary import (
    ConcurrentEditError,
    GlossaryError,
    InvalidFieldsError,
    NotFoundError,
    PermissionDeniedError,
    QueueFilters,
    TermFields,
    User,
)
from tests.kb.glossary.glossary_support import (
    CANDIDATES,
    ENGINEERING,
    build_index,
    candidate,
    copy_index,
    open_glossary,
    set_candidates,
)

ED, EVE, RITA = User("ed", "editor"), User("eve", "editor"), User("rita", "reader")


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    return build_index(tmp_path_factory.mktemp("glossary-service"))


@pytest.fixture
def settings(template, tmp_path, state_url):
    """A private copy of the index, its glossary on SQLite or PostgreSQL."""
    return replace(copy_index(template, tmp_path), database_url=state_url)


@pytest.fixture
def glossary(settings):
    glossary, _ = open_glossary(settings)
    yield glossary
    glossary.close()


def actions(glossary, key):
    return [(e.version, e.user, e.action) for e in reversed(glossary.terms.history(key))]


def test_glossary_service_queue_lists_candidates_best_first_with_decisions(glossary):
    page = glossary.review_queue()
    assert [item.candidate.term for item in page.items] == [c["term"] for c in CANDIDATES]
    assert {item.status for item in page.items} == {"pending"}
    assert page.departments == ["Engineering", "Finance", "Operations"]
    assert page.documents[ENGINEERING].title.startswith("Vendor lead times")


def test_glossary_service_queue_filters_by_department_status_cutoff_and_pages(glossary):
    glossary.editor.reject(ED, "handover", "too vague")
    operations = glossary.review_queue(QueueFilters(department="Operations"))
    assert [i.candidate.term for i in operations.items] == ["shift handover", "edi"]
    rejected = glossary.review_queue(QueueFilters(status="rejected"))
    assert [i.candidate.term for i in rejected.items] == ["handover"]
    assert rejected.items[0].term.reason == "too vague"
    above = glossary.review_queue(QueueFilters(status="all", above_cutoff=True))
    assert "reconciliation checklist" not in [i.candidate.term for i in above.items]
    second = glossary.review_queue(QueueFilters(status="all", page=2, per_page=4))
    assert (second.total, second.pages, len(second.items)) == (6, 2, 2)


def test_glossary_service_queue_quotes_each_sentence_once(settings):
    sentence = "The acceptance criteria were signed off late."
    criteria = candidate(
        "acceptance criterion",
        7,
        [(ENGINEERING, sentence), (ENGINEERING, sentence), (ENGINEERING, "Criteria changed.")],
        {"Engineering": 3},
    )
    set_candidates(settings, [*CANDIDATES, criteria])
    glossary, _ = open_glossary(settings)
    (item,) = glossary.review_queue(QueueFilters(status="all", query="criterion")).items
    assert [c.sentence for c in item.candidate.contexts] == [sentence, "Criteria changed."]


def test_glossary_service_queue_term_contains_searches_the_label_shown(settings):
    criteria = candidate(
        "acceptance criterion",
        7,
        [(ENGINEERING, "The acceptance criteria were signed off late.")],
        {"Engineering": 1},
        display="Acceptance Criteria",
    )
    set_candidates(settings, [*CANDIDATES, criteria])
    glossary, _ = open_glossary(settings)
    found = glossary.review_queue(QueueFilters(status="all", query="CRITERIA")).items
    assert [item.candidate.term for item in found] == ["acceptance criterion"]
    glossary.editor.accept(ED, "edi", 0, TermFields(label="Electronic data interchange"))
    found = glossary.review_queue(QueueFilters(status="all", query="interchange")).items
    assert [item.candidate.term for item in found] == ["edi"]
    assert glossary.review_queue(QueueFilters(status="all", query="time")).total == 1  # by key
    glossary.close()


def test_glossary_service_accept_creates_a_draft_term_with_history(glossary):
    term = glossary.editor.accept(ED, "lead time")
    assert (term.label, term.status, term.decision, term.version) == (
        "lead time",
        "draft",
        "accepted",
        1,
    )
    assert term.synonyms == ("lead times",)
    [entry] = glossary.terms.history("lead time")
    assert (entry.user, entry.action, entry.version) == ("ed", "accept", 1)
    assert entry.changes["decision"] == [None, "accepted"]


def test_glossary_service_accept_with_edited_fields_and_approved_status(glossary):
    fields = TermFields(
        label="Electronic data interchange",
        definition="Orders sent machine to machine.",
        acronym="EDI",
        synonyms=("e-commerce feed",),
        status="approved",
    )
    term = glossary.editor.accept(ED, "edi", 0, fields)
    assert (term.label, term.acronym, term.status) == (
        "Electronic data interchange",
        "EDI",
        "approved",
    )
    assert term.synonyms == ("e-commerce feed",)


def test_glossary_service_accept_suggests_the_expansion_of_an_acronym(glossary):
    suggestion = glossary.editor.suggestion("edi")
    assert (suggestion.label, suggestion.acronym) == ("electronic data interchange", "EDI")


def test_glossary_service_reject_needs_a_reason_and_records_it(glossary):
    with pytest.raises(InvalidFieldsError, match="reason"):
        glossary.editor.reject(ED, "vendor", "  ")
    term = glossary.editor.reject(ED, "vendor", "too general")
    assert (term.decision, term.reason) == ("rejected", "too general")
    assert actions(glossary, "vendor") == [(1, "ed", "reject")]
    assert glossary.public.search("vendor") == []


def test_glossary_service_defer_then_accept_later(glossary):
    glossary.editor.defer(ED, "vendor")
    assert (
        glossary.review_queue(QueueFilters(status="deferred")).items[0].candidate.term == "vendor"
    )
    glossary.editor.accept(EVE, "vendor", 1)
    assert actions(glossary, "vendor") == [(1, "ed", "defer"), (2, "eve", "accept")]


def test_glossary_service_merge_adds_display_form_and_variants_as_synonyms(glossary):
    glossary.editor.accept(ED, "shift handover")
    merged = glossary.editor.merge(ED, "handover", "shift handover")
    assert (merged.decision, merged.merged_into) == ("merged", "shift handover")
    target = glossary.terms.get("shift handover")
    assert target.synonyms == ("shift handovers", "handover", "hand-over")
    assert actions(glossary, "shift handover") == [(1, "ed", "accept"), (2, "ed", "merge-in")]
    assert glossary.terms.history("shift handover")[0].changes["synonyms"][1][-2:] == [
        "handover",
        "hand-over",
    ]
    assert glossary.public.resolve("handover") == "shift handover"


def test_glossary_service_merge_into_a_term_by_its_label(glossary):
    glossary.editor.accept(ED, "lead time", 0, TermFields(label="Lead time"))
    glossary.editor.merge(ED, "vendor", "LEAD TIME")
    assert glossary.terms.get("vendor").merged_into == "lead time"


def test_glossary_service_merge_refuses_unknown_or_same_target(glossary):
    with pytest.raises(InvalidFieldsError, match="into"):
        glossary.editor.merge(ED, "handover", "shift handover")  # not accepted yet
    glossary.editor.accept(ED, "handover")
    with pytest.raises(InvalidFieldsError, match="into"):
        glossary.editor.merge(ED, "handover", "handover")
    assert glossary.terms.get("handover").decision == "accepted"


def test_glossary_service_unmerge_restores_an_accepted_term_and_its_target(glossary):
    glossary.editor.accept(ED, "shift handover")
    glossary.editor.accept(
        ED, "handover", 0, TermFields(label="Handover", definition="Passing on.")
    )
    before = glossary.terms.get("shift handover").synonyms
    glossary.editor.merge(ED, "handover", "shift handover", expected=1)
    restored = glossary.editor.unmerge(EVE, "handover", expected=2)
    assert (restored.decision, restored.merged_into) == ("accepted", "")
    assert restored.definition == "Passing on." and restored.version == 3
    assert glossary.terms.get("shift handover").synonyms == before
    assert glossary.public.resolve("handover") == "handover"
    assert actions(glossary, "handover") == [
        (1, "ed", "accept"),
        (2, "ed", "merge"),
        (3, "eve", "unmerge"),
    ]
    assert [a for *_, a in actions(glossary, "shift handover")] == ["accept", "merge-in", "unmerge"]
    assert glossary.public.term_page("handover").history[0].action == "unmerge"


def test_glossary_service_unmerge_makes_a_pending_candidate_pending_again(glossary):
    glossary.editor.accept(
        ED, "shift handover", 0, TermFields(label="Shift handover", synonyms=("hand-over",))
    )
    glossary.editor.merge(ED, "handover", "shift handover")
    assert glossary.editor.unmerge(ED, "handover") is None
    assert glossary.terms.get("handover") is None
    assert glossary.terms.get("shift handover").synonyms == ("hand-over",)  # had it before
    pending = glossary.review_queue(QueueFilters(query="handover")).items
    assert "handover" in [item.candidate.term for item in pending]
    accepted = glossary.editor.accept(ED, "handover", 0)  # the queue's version for a pending one
    assert accepted.version == 3  # after merge (1) and unmerge (2): versions never repeat
    assert [a for *_, a in actions(glossary, "handover")] == ["merge", "unmerge", "accept"]
    glossary.editor.merge(ED, "edi", "shift handover")
    glossary.editor.unmerge(ED, "edi")
    glossary.import_file(ED, b"key,label\nedi,EDI\n", "g.csv")
    assert [v for v, *_ in actions(glossary, "edi")] == [1, 2, 3]  # imported after: 3, not 1


def test_glossary_service_unmerge_refuses_what_is_not_merged_or_changed_since(glossary):
    glossary.editor.accept(ED, "shift handover")
    with pytest.raises(InvalidFieldsError, match="not merged"):
        glossary.editor.unmerge(ED, "shift handover")
    glossary.editor.merge(ED, "handover", "shift handover")
    with pytest.raises(ConcurrentEditError):
        glossary.editor.unmerge(ED, "handover", expected=7)
    with pytest.raises(PermissionDeniedError):
        glossary.editor.unmerge(RITA, "handover")
    assert glossary.terms.get("handover").decision == "merged"


def test_glossary_service_bulk_accept_and_reject(glossary):
    result = glossary.editor.bulk_accept(ED, {"lead time": 0, "vendor": 0})
    assert result.done == ["lead time", "vendor"] and not result.skipped
    result = glossary.editor.bulk_reject(ED, {"edi": 0, "handover": 0, "lead time": 0}, "noise")
    assert result.done == ["edi", "handover"]
    assert "lead time" in result.skipped  # someone (here: the bulk accept) decided meanwhile
    assert glossary.terms.get("lead time").decision == "accepted"
    assert glossary.terms.get("edi").reason == "noise"


def test_glossary_service_edit_saves_fields_and_history(glossary):
    glossary.editor.accept(ED, "lead time")
    glossary.editor.accept(ED, "vendor")
    fields = TermFields(
        label="Lead time",
        definition="Order to delivery.",
        acronym="LT",
        synonyms=("lead times", "delivery time"),
        related=("vendor",),
        owner="Procurement",
        status="approved",
    )
    term = glossary.editor.edit(EVE, "lead time", fields, expected=1)
    assert term.version == 2 and term.fields == fields
    entry = glossary.terms.history("lead time")[0]
    assert (entry.user, entry.action) == ("eve", "edit")
    assert entry.changes["status"] == ["draft", "approved"]
    assert entry.changes["related"] == [[], ["vendor"]]
    assert "acronym" in entry.changes and "decision" not in entry.changes


def test_glossary_service_edit_without_changes_keeps_the_version(glossary):
    term = glossary.editor.accept(ED, "lead time")
    assert glossary.editor.edit(ED, "lead time", term.fields, expected=1).version == 1
    assert len(glossary.terms.history("lead time")) == 1


def test_glossary_service_concurrent_edit_is_refused_with_the_current_version(glossary):
    glossary.editor.accept(ED, "lead time")
    mine = TermFields(label="Lead time", definition="Mine.")
    theirs = TermFields(label="Lead time", definition="Theirs.")
    glossary.editor.edit(EVE, "lead time", theirs, expected=1)
    with pytest.raises(ConcurrentEditError) as refused:
        glossary.editor.edit(ED, "lead time", mine, expected=1)
    assert refused.value.current_version == 2
    assert refused.value.current.definition == "Theirs."
    assert glossary.terms.get("lead time").definition == "Theirs."
    assert [e.version for e in glossary.terms.history("lead time")] == [2, 1]


def test_glossary_service_two_editors_deciding_the_same_candidate_conflict(glossary):
    glossary.editor.accept(ED, "vendor", 0)
    with pytest.raises(ConcurrentEditError):
        glossary.editor.reject(EVE, "vendor", "dup", 0)
    assert glossary.terms.get("vendor").decision == "accepted"


def test_glossary_service_edit_validates_fields(glossary):
    glossary.editor.accept(ED, "lead time")
    bad = TermFields(label=" ", status="final", related=("no such term", "lead time"))
    with pytest.raises(InvalidFieldsError) as refused:
        glossary.editor.edit(ED, "lead time", bad, expected=1)
    assert set(refused.value.errors) == {"label", "status", "related"}
    assert glossary.terms.get("lead time").version == 1


def test_glossary_service_readers_may_not_change_anything(glossary):
    for attempt in (
        lambda: glossary.editor.accept(RITA, "vendor"),
        lambda: glossary.editor.reject(RITA, "vendor", "no"),
        lambda: glossary.editor.defer(RITA, "vendor"),
        lambda: glossary.editor.bulk_accept(RITA, {"vendor": 0}),
    ):
        with pytest.raises(PermissionDeniedError):
            attempt()
    assert glossary.terms.get("vendor") is None


def test_glossary_service_unknown_key_is_not_found(glossary):
    with pytest.raises(NotFoundError):
        glossary.editor.accept(ED, "no such candidate")
    with pytest.raises(NotFoundError):
        glossary.editor.edit(ED, "vendor", TermFields(label="Vendor"), expected=0)


def test_glossary_service_accepting_an_accepted_term_is_refused(glossary):
    glossary.editor.accept(ED, "vendor")
    with pytest.raises(GlossaryError, match="already"):
        glossary.editor.accept(ED, "vendor", 1)


def test_glossary_service_decisions_survive_an_index_run_that_changes_candidates(
    template, settings
):
    glossary, kb = open_glossary(settings)
    glossary.editor.accept(ED, "lead time", 0, TermFields(label="Lead time", status="approved"))
    glossary.editor.reject(ED, "vendor", "too general")
    glossary.editor.defer(ED, "edi")
    first = kb.manifest.generation
    run = run_index([template.kb_dir.parent / "corpus"], settings, rebuild=True)  # a new one
    assert not run.errors
    new_rows = [
        candidate("vendor", 1, [(ENGINEERING, "The rack vendor was late.")], {"Engineering": 1}),
        candidate("rack", 2, [(ENGINEERING, "The rack vendor was late.")], {"Engineering": 1}),
    ]
    set_candidates(settings, new_rows)  # the miner's new candidates: lead time and edi are gone
    assert kb.manifest.generation == first + 1
    assert glossary.terms.get("lead time").decision == "accepted"
    assert glossary.terms.get("vendor").reason == "too general"
    assert glossary.terms.get("edi").decision == "deferred"
    assert [i.candidate.term for i in glossary.review_queue().items] == ["rack"]
    assert [
        i.candidate.term for i in glossary.review_queue(QueueFilters(status="rejected")).items
    ] == ["vendor"]
    page = glossary.public.term_page("lead time")  # still in the glossary, with its history
    assert page.term.status == "approved" and page.documents == []
    assert len(page.history) == 1
    glossary.close()
