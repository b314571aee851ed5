import pytest

from indexer import run_index
from kb.knowledge_base import KnowledgeBase
from kb.text.statistics import shared_terms
from tests.conftest import markdown_doc

VENDOR = "The rack vendor delivered the servers twelve weeks late and the migration slipped."


@pytest.fixture
def kb(write_doc, fake_settings):
    write_doc(
        "ops/racks.md",
        markdown_doc("Racks late", department="Operations", sections={"What happened": VENDOR}),
    )
    for i, dept in enumerate(
        ["Finance", "Finance", "Finance", "Legal", "Engineering", "Operations"]
    ):
        write_doc(f"{dept.lower()}/v{i}.md", markdown_doc(
            f"Vendor story {i}", department=dept,
            sections={"What happened": VENDOR.replace("twelve", str(i + 2)), "Lesson": f"Lesson number {i}."},
        ))  # fmt: skip
    # Unrelated documents, so that vendor words are distinctive in this corpus.
    for i, topic in enumerate(
        [
            "summer party venue",
            "payroll codes",
            "badge printing",
            "desk booking",
            "coffee budget",
            "parking rules",
            "travel policy",
        ]
    ):
        write_doc(
            f"hr/other{i}.md",
            markdown_doc(
                topic.title(), department="HR", sections={"Lesson": f"Plan the {topic} early."}
            ),
        )
    run_index([write_doc.root], fake_settings)
    return KnowledgeBase(fake_settings)


def test_related_excludes_own_department_and_itself_by_default(kb):
    related = kb.related("ops-racks", k=5)
    assert related
    assert all(r.department != "Operations" for r in related)
    assert "ops-racks" not in {r.id for r in related}


def test_related_can_include_own_department_but_never_itself(kb):
    related = kb.related("ops-racks", k=10, include_same_department=True)
    ids = {r.id for r in related}
    assert "operations-v5" in ids and "ops-racks" not in ids


def test_related_is_diversified_across_departments(kb):
    related = kb.related("ops-racks", k=3)
    assert len({r.department for r in related}) == 3  # three Finance stories would fit, but not all


def test_related_explains_with_passages_and_shared_terms(kb):
    best = kb.related("ops-racks", k=1)[0]
    assert best.this_passage.section == "What happened"
    assert "vendor" in best.their_passage.text
    assert {"rack vendor", "migration"} & set(best.shared_terms)


def test_related_unknown_document_is_none(kb):
    assert kb.related("no-such-doc") is None


def test_related_shared_terms_prefers_rare_terms():
    df = {"vendor": 2, "rack vendor": 2, "the": 9, "late": 8, "servers": 3}
    terms = shared_terms("the rack vendor was late", "a rack vendor, late again", df, documents=10)
    assert terms[0] == "rack vendor"
    assert "vendor" not in terms  # already inside the chosen pair
