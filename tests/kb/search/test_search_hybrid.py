import pytest

from indexer import run_index
from kb.knowledge_base import KnowledgeBase
from kb.search import Filters, SearchParameterError, SearchRequest
from kb.search.fusion import reciprocal_rank_fusion, score_blend
from kb.search.retrievers import DocMatch
from tests.conftest import markdown_doc

DOCS = {
    "eng/rca.md": ("RCA of the March outage", "Engineering", "2021-03-01", "lesson",
                   {"What happened": "The RCA found a stale DNS record.", "Recommendation": "Lower the DNS TTL before cutovers."}),
    "ops/cutover.md": ("Cutover weekend", "Operations", "2022-05-01", "retrospective",
                       {"What did not go well": "DNS changes took a day to spread.", "Actions": "- [ ] Lower TTL (owner: Ana, due: 2022-06-01)"}),
    "fin/close.md": ("Quarter close slipped", "Finance", "2023-01-10", "retrospective",
                     {"What did not go well": "Accruals for the DNS vendor were late.", "Lessons": "Book accruals weekly."}),
    "hr/hiring.md": ("Hiring pause", "HR", "2024-02-02", "meeting-notes",
                     {"Decisions": "Pause hiring for cloud roles.", "Risks": "Attrition in the platform team."}),
    "legal/dpa.md": ("DPA checklist", "Legal", "2020-07-07", "lesson",
                     {"Lesson": "Sign the data processing agreement before the kickoff.", "Recommendation": "Check the DPA first."}),
}  # fmt: skip


@pytest.fixture
def kb(write_doc, fake_settings):
    for path, (title, dept, date, kind, sections) in DOCS.items():
        write_doc(
            path,
            markdown_doc(
                title,
                kind,
                dept,
                date,
                sections,
                "tags: [dns, cutover]\n" if "dns" in str(sections).lower() else "",
            ),
        )
    run_index([write_doc.root], fake_settings)
    return KnowledgeBase(fake_settings)


def run(kb, q, **kwargs):
    return kb.run_search(SearchRequest(q, **{"k": 10, "with_facets": True, **kwargs}))


def test_search_hybrid_acronym_finds_the_document_that_uses_it(kb):
    for mode in ("hybrid", "keyword"):
        assert run(kb, "RCA", mode=mode).hits[0].id == "eng-rca"


def test_search_hybrid_facet_counts_agree_with_the_documents(kb):
    result = run(kb, "DNS")
    departments = {v.value: v.count for v in result.facets["department"]}
    assert sum(departments.values()) == result.total == len(result.hits)
    for department, count in departments.items():
        filtered = run(kb, "DNS", filters=Filters(departments=(department,)))
        assert len(filtered.hits) == filtered.total == count
        assert {h.department for h in filtered.hits} == {department}
        # Datasette-style: the other departments stay listed, with their counts.
        shown = {v.value: (v.count, v.selected) for v in filtered.facets["department"]}
        assert shown == {d: (n, d == department) for d, n in departments.items()}
    years = {v.value: v.count for v in result.facets["year"]}
    assert years == {hit.date[:4]: 1 for hit in result.hits}


def test_search_hybrid_section_filter_searches_only_that_section(kb):
    result = run(kb, "DNS TTL", filters=Filters(sections=("recommendation",)))
    assert [h.id for h in result.hits] == ["eng-rca"]
    assert result.hits[0].section_key == "recommendation"


def test_search_hybrid_date_range_and_sort_by_date(kb):
    result = run(kb, "DNS accruals hiring DPA", mode="keyword", sort="date")
    dates = [h.date for h in result.hits]
    assert dates == sorted(dates, reverse=True) and len(dates) == 5
    ranged = run(kb, "DNS accruals hiring DPA", mode="keyword",
                 filters=Filters(date_from="2021-01-01", date_to="2023-12-31"))  # fmt: skip
    assert {h.id for h in ranged.hits} == {"eng-rca", "ops-cutover", "fin-close"}


@pytest.mark.parametrize("mode", ["keyword", "semantic"])
def test_search_hybrid_date_bounds_are_inclusive(kb, mode):
    # The range's ends are two documents' own dates: both must be inside it.
    ends = Filters(date_from="2021-03-01", date_to="2023-01-10")
    ranged = run(kb, "DNS accruals hiring DPA", mode=mode, filters=ends)
    assert {h.id for h in ranged.hits} == {"eng-rca", "ops-cutover", "fin-close"}
    one_day = Filters(date_from="2022-05-01", date_to="2022-05-01")
    assert [h.id for h in run(kb, "DNS", mode=mode, filters=one_day).hits] == ["ops-cutover"]


def test_search_hybrid_exclude_departments(kb):
    result = run(kb, "DNS", filters=Filters(exclude_departments=("Engineering", "Operations")))
    assert [h.department for h in result.hits] == ["Finance"]


def test_search_hybrid_keyword_mode_needs_the_words(kb):
    assert run(kb, "zebra giraffe", mode="keyword").hits == []
    assert run(kb, "zebra giraffe", mode="semantic").hits  # nearest documents are still shown


def test_search_hybrid_hits_explain_how_they_matched(kb):
    hit = run(kb, "accruals").hits[0]
    assert hit.id == "fin-close"
    assert "keyword" in hit.matched_by and hit.snippet_reason == "terms"
    assert hit.terms == ["accruals"]


@pytest.mark.parametrize(
    ("kwargs", "parameter"),
    [({"mode": "fuzzy"}, "mode"), ({"sort": "size"}, "sort"), ({"k": 0}, "k")],
)
def test_search_hybrid_bad_parameters_are_named(kwargs, parameter):
    with pytest.raises(SearchParameterError) as err:
        SearchRequest("x", **kwargs)
    assert err.value.parameter == parameter


def test_search_hybrid_bad_date_is_named():
    with pytest.raises(SearchParameterError) as err:
        Filters(date_from="last week")
    assert err.value.parameter == "date_from"


def _m(doc, score):
    return DocMatch(doc, doc * 10, score)


def test_search_fusion_rrf_rewards_agreement():
    fused = reciprocal_rank_fusion([_m(1, 9), _m(2, 8)], [_m(2, 0.9), _m(3, 0.8)])
    assert [f.doc_rowid for f in fused] == [2, 1, 3]
    assert fused[0].matched_by == ["keyword", "meaning"]


def test_search_fusion_blend_weights_the_retrievers():
    keyword, semantic = [_m(1, 10), _m(2, 1)], [_m(2, 0.9), _m(1, 0.1)]
    assert score_blend(keyword, semantic, semantic_weight=0.9)[0].doc_rowid == 2
    assert score_blend(keyword, semantic, semantic_weight=0.1)[0].doc_rowid == 1
