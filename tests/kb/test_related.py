import pytest

from indexer import run_index
from kb.knowledge_base import KnowledgeBase
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


def test_related_explains_with_passages_and_approved_glossary_terms(kb):
    kb.use_glossary(lambda: {"rack vendor": ["rack vendors"], "migration": []})
    best = kb.related("ops-racks", k=1)[0]
    assert best.this_passage.section == "What happened"
    assert "vendor" in best.their_passage.text
    assert best.shared_terms[:2] == ["rack vendor", "migration"]


def test_related_shows_no_generic_words_as_shared_terms(kb):
    best = kb.related("ops-racks", k=1)[0]
    assert not {"rack vendor", "servers", "weeks late", "delivered"} & set(best.shared_terms)


def test_related_unknown_document_is_none(kb):
    assert kb.related("no-such-doc") is None


BIBLIOGRAPHY = (
    'References: Smith, J., "Reliability Engineering," John Wiley & Sons, New York, 1998.'
)


@pytest.fixture
def named_kb(write_doc, fake_settings):
    """Lessons sharing named things, a bibliography entry and generic or split phrases."""
    shared = (
        "The ESD event on the Mars Climate Orbiter damaged a board. Strategy, general "
        "computer, maintain the date four times. Around EUR 400 was collected EUR in fees."
    )
    for name, dept, extra in [("a", "JPL", "Ground straps were missing."),
                              ("b", "KSC", "Ground straps were worn.")]:  # fmt: skip
        write_doc(f"{name}.md", markdown_doc(
            f"Board damage story {name}", department=dept,
            sections={"What happened": f"{shared} {extra}", "Recommendation": BIBLIOGRAPHY},
        ))  # fmt: skip
    for i, topic in enumerate(["payroll codes", "badge printing", "desk booking", "coffee"]):
        write_doc(f"o{i}.md", markdown_doc(topic.title(), department="HR",
                                           sections={"Lesson": f"Plan the {topic} in 1998."}))  # fmt: skip
    run_index([write_doc.root], fake_settings)
    return KnowledgeBase(fake_settings)


def test_related_shared_terms_are_named_things_not_references_or_fragments(named_kb):
    best = named_kb.related("a", k=1)[0]
    assert best.id == "b"
    assert {"Mars Climate Orbiter", "ESD"} <= set(best.shared_terms)
    spoken = " | ".join(best.shared_terms).lower()
    for junk in ("wiley", "new york", "smith", "reliability engineering", "eur", "four",
                 "strategy", "general", "maintain", "collected"):  # fmt: skip
        assert junk not in spoken


def test_related_finds_a_lesson_that_names_another_by_title(write_doc, fake_settings):
    title = "Torque Stripes Hid a Loose Fastener on the Antenna"
    write_doc(
        "cited.md",
        markdown_doc(
            title,
            department="JPL",
            sections={
                "What happened": "A fastener backed out during vibration testing of the antenna."
            },
        ),
    )
    write_doc(
        "citing.md",
        markdown_doc(
            "Flight Readiness Review Findings",
            department="GSFC",
            sections={"Lesson": f"See the lesson {title.lower()} for a similar case."},
        ),
    )
    for i in range(8):
        write_doc(f"x{i}.md", markdown_doc(f"Antenna fastener vibration test {i}",
            department="KSC", sections={"Lesson": "A fastener on the antenna backed out in "
                                        f"vibration testing, case {i}."}))  # fmt: skip
    run_index([write_doc.root], fake_settings)
    kb = KnowledgeBase(fake_settings)
    assert kb.related("cited", k=1)[0].id == "citing"
    assert kb.related("citing", k=1)[0].id == "cited"


def test_related_finds_lessons_sharing_distinctive_words(write_doc, fake_settings):
    words = "hypergolic propellant cart quick disconnect leaked during servicing"
    write_doc("p.md", markdown_doc("Cart leak", department="KSC", sections={"Lesson": words}))
    write_doc("q.md", markdown_doc("Servicing", department="JSC",
                                   sections={"Lesson": f"Again the {words}."}))  # fmt: skip
    for i, topic in enumerate(["badge printing", "desk booking", "coffee budget", "parking"]):
        write_doc(f"o{i}.md", markdown_doc(topic.title(), department="HR",
                                           sections={"Lesson": f"Plan the {topic} early."}))  # fmt: skip
    run_index([write_doc.root], fake_settings)
    assert KnowledgeBase(fake_settings).related("p", k=1)[0].id == "q"
