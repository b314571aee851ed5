import pytest

from kb.documents.actions import extract_actions, parse_action
from kb.documents.schema import Document, Section


@pytest.mark.parametrize(
    ("line", "text", "owner", "due"),
    [
        (
            "Publish checklist (owner: Priya Shah, due: 2024-03-15)",
            "Publish checklist",
            "Priya Shah",
            "2024-03-15",
        ),
        ("Fix alerts (owner: Tom; due 2024-02-01)", "Fix alerts", "Tom", "2024-02-01"),
        ("Just do it", "Just do it", "", ""),
    ],
)
def test_actions_owner_and_due_are_parsed(line, text, owner, due):
    action = parse_action(line)
    assert (action.text, action.owner, action.due) == (text, owner, due)


def test_actions_checkboxes_mark_open_and_done():
    doc = Document(
        id="r", title="R", type="retrospective", department="Ops", date=None,
        sections=[Section("actions", "Actions", "- [ ] Open one (owner: A)\n- [x] Done one\nprose")],
    )  # fmt: skip
    assert [(a.text, a.done) for a in extract_actions(doc)] == [
        ("Open one", False),
        ("Done one", True),
    ]
