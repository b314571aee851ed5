"""Recurrence through the KnowledgeBase: a lesson learned again, by other departments, later."""

from __future__ import annotations

import pytest

from indexer import run_index
from kb.access import Viewer
from kb.knowledge_base import KnowledgeBase
from tests.conftest import fake_index_settings
from tests.kb.recurrence_corpus import recurrence_corpus


@pytest.fixture(scope="module")
def kb(tmp_path_factory) -> KnowledgeBase:
    base = tmp_path_factory.mktemp("recurrence")
    for name, text in recurrence_corpus().items():
        (base / "docs").mkdir(exist_ok=True)
        (base / "docs" / name).write_text(text, encoding="utf-8")
    settings = fake_index_settings(base / "kb")
    run_index([base / "docs"], settings)
    return KnowledgeBase(settings)


def test_recurrence_later_lesson_lists_the_earlier_ones_newest_first(kb):
    group = kb.recurrence("ops-2021")
    earlier = group.before("ops-2021")
    assert [(lesson.id, lesson.date) for lesson in earlier] == [
        ("man-2018", "2018-05-02"), ("leg-2016", "2016-07-19"), ("eng-2014", "2014-03-01"),
    ]  # fmt: skip
    assert group.times == 4
    assert group.departments == ["Engineering", "Legal", "Manufacturing", "Operations"]


def test_recurrence_first_time_a_lesson_was_learned_has_nothing_before(kb):
    group = kb.recurrence("eng-2014")
    assert group.before("eng-2014") == []
    assert group.times == 4


def test_recurrence_same_event_with_another_lesson_is_not_a_recurrence(kb):
    assert kb.recurrence("ops-2021-clamps").times == 1
    assert "ops-2021-clamps" not in [lesson.id for lesson in kb.recurrence("ops-2021").lessons]


def test_recurrence_recurring_orders_by_times_then_departments(kb):
    groups = kb.recurring()
    assert [(g.times, len(g.departments)) for g in groups] == [(4, 4), (2, 2), (2, 1)]
    assert [g.first_date for g in groups] == ["2014-03-01", "2019-01-15", "2017-02-01"]
    assert groups[0].last_date == "2021-09-10"


def test_recurrence_hides_an_unreadable_lesson_and_its_count(kb):
    anonymous = Viewer.anonymous()
    group = kb.recurrence("ops-2021", anonymous)
    assert [lesson.id for lesson in group.before("ops-2021")] == ["man-2018", "eng-2014"]
    assert group.times == 3
    assert kb.recurring(anonymous)[0].times == 3
    assert kb.recurrence("leg-2016", anonymous) is None


def test_recurrence_unknown_document_is_none(kb):
    assert kb.recurrence("no-such-lesson") is None


def test_recurrence_titles_hide_names_from_other_departments_when_redacting(tmp_path):
    from dataclasses import replace

    from tests.conftest import markdown_doc
    from tests.kb.recurrence_corpus import VENDOR

    docs = tmp_path / "docs"
    docs.mkdir()
    for doc_id, department, date, title in (
        ("fin-2019", "Finance", "2019-01-15", "Mei Tanaka on vendor lead times"),
        ("eng-2022", "Engineering", "2022-11-30", "Vendor lead times again"),
    ):
        front = f"id: {doc_id}\nsensitivity: public\nauthors: [Mei Tanaka]\n"
        text = markdown_doc(title, department=department, date=date,
                            sections={"Lesson": VENDOR}, extra_front=front)  # fmt: skip
        (docs / f"{doc_id}.md").write_text(text, encoding="utf-8")
    settings = replace(fake_index_settings(tmp_path / "kb"), redact_names_outside_department=True)
    run_index([docs], settings)
    kb = KnowledgeBase(settings)
    outsider = Viewer(True, "eve", ("Engineering",))
    titles = [o.title for g in kb.recurring(outsider) for o in g.lessons]
    assert "Vendor lead times again" in titles and not any("Mei" in t for t in titles)
    member = Viewer(True, "fay", ("Finance",))
    assert "Mei Tanaka on vendor lead times" in [
        o.title for o in kb.recurrence("fin-2019", member).lessons
    ]
    assert "Mei" not in str(kb.recurrence("fin-2019", outsider).lessons)
