import pytest

from indexer import run_index
from kb.knowledge_base import KnowledgeBase
from kb.search import Filters, SearchRequest, make_snippet, query_terms
from tests.conftest import markdown_doc

DEPARTMENTS = ["Engineering", "Finance", "HR", "Legal"]


@pytest.fixture
def kb(write_doc, fake_settings):
    for i in range(12):
        dept = DEPARTMENTS[i % 4]
        write_doc(
            f"{dept.lower()}/doc{i}.md",
            markdown_doc(
                f"Vendor delay number {i}",
                department=dept,
                sections={
                    "What happened": f"The vendor shipped racks late, week {i}. " * 3,
                    "Lesson": "Get lead times in writing. Track vendor promises.",
                    "Recommendation": "Unrelated closing words about budgets.",
                },
            ),
        )
    write_doc("legal/dpa.md", markdown_doc("DPA review", department="Legal",
              sections={"Lesson": "Sign the data processing agreement before kickoff."}))  # fmt: skip
    run_index([write_doc.root], fake_settings)
    return KnowledgeBase(fake_settings)


def test_search_returns_one_hit_per_document(kb):
    hits = kb.search(SearchRequest("vendor shipped racks late", k=10))
    assert len(hits) == 10
    assert len({h.id for h in hits}) == 10
    assert hits == sorted(hits, key=lambda h: -h.score)


def test_search_hit_names_best_section_and_snippet(kb):
    [hit] = kb.search(SearchRequest("data processing agreement", k=1))
    assert hit.id == "legal-dpa"
    assert (hit.section, hit.section_key) == ("Lesson", "lesson")
    assert "data processing agreement" in hit.snippet
    assert set(hit.to_dict()) >= {
        "id",
        "title",
        "type",
        "department",
        "date",
        "score",
        "section",
        "snippet",
    }


@pytest.mark.parametrize("k", [1, 2, 3])
def test_search_department_filter_still_returns_k_hits(kb, k):
    finance = Filters(departments=("Finance",))
    hits = kb.search(SearchRequest("data processing agreement", k=k, filters=finance))
    assert len(hits) == k
    assert {h.department for h in hits} == {"Finance"}


def test_search_filter_with_fewer_matches_returns_all_of_them(kb):
    hits = kb.search(SearchRequest("vendor", k=10, filters=Filters(departments=("Legal",))))
    # Three Legal documents mention vendors; the DPA lesson does not match at all.
    assert sorted(h.id for h in hits) == ["legal-doc11", "legal-doc3", "legal-doc7"]


def test_search_type_filter(kb):
    assert kb.search(SearchRequest("vendor", filters=Filters(types=("retrospective",)))) == []


@pytest.mark.parametrize(("q", "k"), [("", 5), ("   ", 5), ("ok", 0)])
def test_search_request_rejects_bad_parameters(q, k):
    with pytest.raises(ValueError):
        SearchRequest(q, k=k)


def test_search_query_terms_drop_stopwords_and_repeats():
    assert query_terms("What is the RCA for the RCA?") == ["rca"]


def test_search_snippet_prefers_the_sentence_with_query_terms():
    text = "Nothing here. Still nothing. The Kestrel racks arrived late. After that, calm."
    snippet, reason = make_snippet(text, ["kestrel", "racks"])
    assert snippet.startswith("… The Kestrel racks arrived late.")
    assert reason == "terms"


def test_search_snippet_shows_the_words_keyword_search_matched(write_doc, fake_settings):
    # FTS5 matches "assembly" to "assemblies" (Porter stem "assembl"): the snippet must too.
    lesson = "The board met twice. Two assemblies failed the vibration test. Nothing else."
    write_doc("eng/a.md", markdown_doc("Test campaign", sections={"Lesson": lesson}))
    run_index([write_doc.root], fake_settings)
    [hit] = KnowledgeBase(fake_settings).search(SearchRequest("assembly", mode="keyword"))
    assert hit.terms == ["assembly"] and hit.snippet_reason == "terms"
    assert hit.snippet.startswith("… Two assemblies failed the vibration test.")


@pytest.mark.parametrize(("closest", "opening"), [(False, "Alpha beta"), (True, "… Kestrel racks")])
def test_search_meaning_snippet_is_the_passage_opening_or_closest_sentence(
    write_doc, fake_settings, closest, opening
):
    lesson = "Alpha beta gamma. Delta epsilon zeta. Kestrel racks arrived late at the dock."
    write_doc("ops/a.md", markdown_doc("Dock notes", sections={"Lesson": lesson}))
    run_index([write_doc.root], fake_settings)
    kb = KnowledgeBase(fake_settings)
    vector = kb.embed_queries(["Kestrel racks arrived late at the dock."])[0]
    request = SearchRequest("unmatched", mode="semantic", closest_sentences=closest)
    [hit] = kb.run_search(request, query_vector=vector).hits
    assert hit.snippet.startswith(opening) and hit.snippet_reason == "meaning"
