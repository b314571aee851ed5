"""`kb kickoff BRIEF_FILE`: Markdown and JSON packs, saving, and refused briefs."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from kb.cli import app
from kb.kickoff import PackStore
from kb.settings import Settings
from kb.state import StateDB
from tests.kb.kickoff.kickoff_support import BRIEF, KESTREL, build_example_index

runner = CliRunner()


@pytest.fixture(scope="module")
def kb_dir(tmp_path_factory):
    return build_example_index(tmp_path_factory.mktemp("kickoff-cli")).kb_dir


def saved_packs(kb_dir) -> PackStore:
    """The packs in the state database `kb kickoff --kb kb_dir` uses (the default one)."""
    return PackStore(StateDB.from_settings(Settings(kb_dir=kb_dir)))


def invoke(*args):
    return runner.invoke(app, ["kickoff", *[str(a) for a in args]])


def test_cli_kickoff_prints_the_pack_as_markdown(kb_dir, tmp_path):
    brief = tmp_path / "meridian.md"
    brief.write_text(BRIEF, encoding="utf-8")
    result = invoke(brief, "--kb", kb_dir, "--department", "Finance")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("# Kickoff pack: Project Meridian")
    assert f"(`{KESTREL}`)" in result.output
    assert "## Checklist for the kickoff meeting" in result.output
    assert "**Change freeze**: A period in which no changes go to production." in result.output
    assert saved_packs(kb_dir).list() == []  # not saved unless asked


def test_cli_kickoff_json_lists_each_part_of_the_brief_and_what_found_nothing(kb_dir, tmp_path):
    brief = tmp_path / "meridian.md"
    lunar = "Lunar regolith abrades the rover's wheel bearings on every traverse."
    brief.write_text(f"{BRIEF}\n{lunar}\n", encoding="utf-8")
    data = json.loads(invoke(brief, "--kb", kb_dir, "--format", "json").stdout)
    assert [t["text"] for t in data["topics"] if not t["lessons"] and "regolith" in t["text"]] == [
        lunar
    ]
    ids = {lesson["id"] for theme in data["themes"] for lesson in theme["lessons"]}
    assert KESTREL in {doc for topic in data["topics"] for doc in topic["lessons"]} & ids
    markdown = invoke(brief, "--kb", kb_dir).output
    uncovered = markdown.split("## Parts of the brief with no matching lessons\n\n", 1)[1]
    assert f"- {lunar}" in uncovered.split("\n\n", 1)[0].splitlines()


def test_cli_kickoff_json_and_save(kb_dir, tmp_path):
    brief = tmp_path / "meridian.txt"
    brief.write_text(BRIEF, encoding="utf-8")
    result = invoke(
        brief, "--kb", kb_dir, "--format", "json", "--k", "6", "--tag", "procurement", "--save"
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert len([lesson for theme in data["themes"] for lesson in theme["lessons"]]) == 6
    assert data["tags"] == ["procurement"] and data["id"]
    assert saved_packs(kb_dir).get(data["id"]).title == data["title"]
    assert f"Saved as {data['id']}" in result.stderr


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"", "empty.md", "The brief is empty"),
        (b"the and of it", "stop.md", "no words to search with"),
        (b"\x00\x01binary", "blob.md", "binary file"),
        (b"not a zip", "charter.docx", "not a DOCX file"),
        (b"%PDF", "charter.pdf", "upload a Markdown"),
    ],
)
def test_cli_kickoff_refuses_bad_briefs(kb_dir, tmp_path, content, name, message):
    brief = tmp_path / name
    brief.write_bytes(content)
    result = invoke(brief, "--kb", kb_dir)
    assert result.exit_code == 2
    assert message in result.output


def test_cli_kickoff_refuses_bad_options(kb_dir, tmp_path):
    assert "no such file" in invoke(tmp_path / "missing.md", "--kb", kb_dir).output
    brief = tmp_path / "b.md"
    brief.write_text(BRIEF)
    assert "--format" in invoke(brief, "--kb", kb_dir, "--format", "pdf").output
    assert "--k" in invoke(brief, "--kb", kb_dir, "--k", "0").output
