import json

import pytest
from typer.testing import CliRunner

from kb.cli import app
from kb.documents.lifecycle import STATUSES
from kb.documents.mapping import Mapping, MappingError
from kb.documents.records import build_document
from kb.documents.templates import new_document
from kb.problems import DocumentError
from tests.conftest import EXAMPLES, markdown_doc
from tests.kb.documents.test_records import record as base_record

EVIDENCE = {"Lesson": "Quotes are estimates.", "Evidence": "Lead time fell from 12 to 7 weeks."}


def record(**overrides):
    return base_record(**{"type": "lesson", "sections": dict(EVIDENCE), **overrides})


def validate(*args):
    return CliRunner().invoke(app, ["validate", *map(str, args)])


@pytest.mark.parametrize("status", STATUSES)
def test_lifecycle_each_state_is_accepted(status):
    doc, _ = build_document(record(status=status), "f.md", "f")
    assert doc.status == status


@pytest.mark.parametrize(
    ("written", "state"),
    [("Lesson learned", "lesson-learned"), ("ACTION_IN_PROGRESS", "action-in-progress")],
)
def test_lifecycle_case_and_separators_are_spelling_not_guessing(written, state):
    assert build_document(record(status=written), "f.md", "f")[0].status == state


def test_lifecycle_absent_status_is_the_documented_default():
    assert build_document(record(), "f.md", "f")[0].status == "lesson-identified"
    assert "status: lesson-identified" in new_document("lesson")


def test_lifecycle_unknown_status_names_file_field_value_and_allowed(write_doc):
    path = write_doc("old.md", markdown_doc(extra_front="status: final\n"))
    result = validate(path)
    assert result.exit_code == 1
    assert f"{path}:6 [status]" in result.output
    assert "unknown status 'final'" in result.output
    assert ", ".join(STATUSES) in result.output


def test_lifecycle_lesson_learned_needs_evidence():
    bare = record(status="lesson-learned", sections={"Lesson": "Quotes are estimates."})
    with pytest.raises(DocumentError, match="needs evidence") as refused:
        build_document(bare, "f.md", "f")
    assert refused.value.field == "status"
    with_field = {**bare, "evidence": "https://tickets.example/OPS-12"}
    assert build_document(with_field, "f.md", "f")[0].status == "lesson-learned"
    with_section = record(status="lesson-learned")
    assert build_document(with_section, "f.md", "f")[0].status == "lesson-learned"


def test_lifecycle_blank_evidence_is_no_evidence():
    bare = record(status="lesson-learned", sections={"Lesson": "x"}, evidence=["", " "])
    with pytest.raises(DocumentError, match="needs evidence"):
        build_document(bare, "f.md", "f")


def test_lifecycle_mapping_table_maps_an_exports_own_words():
    mapping = Mapping.from_dict({"status": {"Final": "lesson-learned", "draft": "observation"}})
    assert mapping.apply({"status": "final"})["status"] == "lesson-learned"
    assert mapping.apply({"status": "Draft"})["status"] == "observation"
    assert mapping.apply({"status": "archived"})["status"] == "archived"
    assert "status" not in mapping.apply({"title": "x"})


def test_lifecycle_mapping_table_refuses_an_unmapped_word(write_doc, tmp_path):
    table = tmp_path / "export.yaml"
    table.write_text("status:\n  final: lesson-learned\n")
    path = write_doc("rows.jsonl", json.dumps(record(status="in review")) + "\n")
    result = validate(path, "--mapping", table)
    assert result.exit_code == 1
    assert f"{path}:1 [status]" in result.output
    assert "unknown status 'in review'" in result.output
    assert f"`status:` table of {table}" in result.output and "'final'" in result.output


def test_lifecycle_mapping_table_targets_must_be_states(tmp_path):
    with pytest.raises(MappingError, match=r"status\.final: 'done' is not a lifecycle state"):
        Mapping.from_dict({"status": {"final": "done"}}, source="m.yaml")
    with pytest.raises(MappingError, match="status: expected a table"):
        Mapping.from_dict({"status": ["final"]}, source="m.yaml")


def test_lifecycle_example_corpus_declares_a_mix_of_states():
    found = {}
    for path in (EXAMPLES / "corpus").rglob("*.md"):
        status = next(line for line in path.read_text().splitlines() if line.startswith("status:"))
        found[status.split(": ")[1]] = found.get(status.split(": ")[1], 0) + 1
    assert set(found) == set(STATUSES)
    assert validate(EXAMPLES / "corpus").exit_code == 0
