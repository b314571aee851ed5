"""A saved pack opened by someone else (kb.kickoff.as_read_by): what they may not read, or
what is no longer indexed, is left out and counted, and nothing derived from it remains."""

from __future__ import annotations

import pytest

from indexer import run_index
from kb.access import Viewer
from kb.kickoff import KickoffPack, Readable, as_read_by, summary_as_read_by, to_markdown
from kb.knowledge_base import KnowledgeBase
from tests.conftest import fake_index_settings, markdown_doc

WORDS = {"pub": "Engineering public zephyrine", "res": "Finance restricted brambleton"}


@pytest.fixture(scope="module")
def kb(tmp_path_factory) -> KnowledgeBase:
    base = tmp_path_factory.mktemp("kickoff-reading")
    for doc_id, words in WORDS.items():
        department, level, marker = words.split()
        (base / "docs").mkdir(exist_ok=True)
        (base / "docs" / f"{doc_id}.md").write_text(
            markdown_doc(
                f"Gasket {marker}",
                department=department,
                sections={"What happened": f"The valve gasket cracked near the {marker} pump."},
                extra_front=f"id: {doc_id}\nsensitivity: {level}\n",
            )
        )
    settings = fake_index_settings(base / "kb")
    assert not run_index([base / "docs"], settings).errors
    return KnowledgeBase(settings)


def lesson(doc_id: str, marker: str, score: float) -> dict:
    return {"id": doc_id, "title": f"Gasket {marker}", "type": "lesson", "department": "X",
            "date": "2023-06-14", "score": score, "advice": [f"Check the {marker} pump."]}  # fmt: skip


def saved_pack() -> KickoffPack:
    """As a Finance member saved it: the restricted lesson named its theme, and a lesson
    an index run has removed since."""
    themes = [
        {"label": "Gasket brambleton", "terms": [], "lessons": [lesson("res", "brambleton", 0.9),
                                                                lesson("pub", "zephyrine", 0.8)]},
        {"label": "Valve gasket · brambleton pump", "terms": ["valve gasket", "brambleton pump"],
         "lessons": [lesson("gone", "vanished", 0.7), lesson("pub", "zephyrine", 0.6)]},
    ]  # fmt: skip
    checklist = [{"text": f"Check the {m} pump.", "doc_id": d, "doc_title": f"Gasket {m}"}
                 for d, m in (("res", "brambleton"), ("pub", "zephyrine"))]  # fmt: skip
    topics = [{"text": "The valve gasket", "phrase": "valve gasket", "lessons": ["res", "pub"]}]
    return KickoffPack.from_dict(
        {
            "title": "Cold test",
            "brief": "The valve gasket cracked.",
            "themes": themes,
            "checklist": checklist,
            "topics": topics,
            "id": "cold-test-1",
        }  # fmt: skip
    )


def test_kickoff_reading_leaves_out_unreadable_and_vanished_lessons_and_their_traces(kb):
    opened = as_read_by(saved_pack(), Readable(kb, Viewer.anonymous()))
    assert [lesson.id for lesson in opened.lessons] == ["pub", "pub"]
    assert opened.hidden == 2 and "2 lessons" in opened.hidden_note
    assert [theme.label for theme in opened.themes] == ["Gasket zephyrine", "Valve gasket"]
    assert [item.doc_id for item in opened.checklist] == ["pub"]
    assert opened.topics[0].lessons == ["pub"]
    text = str(opened.to_dict()) + to_markdown(opened)
    assert "brambleton" not in text and "vanished" not in text
    assert "2 lessons of this pack are hidden" in to_markdown(opened)


def test_kickoff_reading_a_member_sees_the_pack_as_saved_but_what_is_gone(kb):
    member = Viewer(True, "fiona", ("Finance",))
    opened = as_read_by(saved_pack(), Readable(kb, member))
    assert opened.themes[0] == saved_pack().themes[0]
    assert opened.hidden == 1 and "vanished" not in str(opened.to_dict())
    assert opened.checklist == saved_pack().checklist


def test_kickoff_reading_list_line_counts_what_the_viewer_may_read(kb):
    anonymous = summary_as_read_by(saved_pack(), Readable(kb, Viewer.anonymous()))
    assert (anonymous.lessons, anonymous.themes) == (2, 2)
    admin = summary_as_read_by(saved_pack(), Readable(kb, Viewer.system()))
    assert (admin.lessons, admin.themes) == (3, 2)
