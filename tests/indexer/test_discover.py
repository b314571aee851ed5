"""Discovery: only regular files are documents; anything else found is named with its reason."""

import json
import os
import socket
from pathlib import Path

import pytest
from typer.testing import CliRunner

from indexer import run_index
from indexer.discover import discover
from kb.cli import app
from tests.conftest import markdown_doc

LOOP = "a symbolic-link loop; it names no file"
# What `add_bad_entries` makes, and the reason discovery gives for each.
BAD_ENTRIES = {
    "loop.md": LOOP, "ping.md": LOOP, "pong.md": LOOP,
    "gone.md": "a symbolic link to nowhere.md, which does not exist",
    "pipe.md": "a FIFO (named pipe), not a regular file; only regular files are read",
    "sock.md": "a socket, not a regular file; only regular files are read",
}  # fmt: skip


def add_bad_entries(root: Path) -> None:
    """Every kind of entry that is not a file to read (`BAD_ENTRIES`)."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "loop.md").symlink_to("loop.md")
    (root / "ping.md").symlink_to("pong.md")
    (root / "pong.md").symlink_to("ping.md")
    (root / "gone.md").symlink_to("nowhere.md")
    os.mkfifo(root / "pipe.md")
    with socket.socket(socket.AF_UNIX) as listener:
        listener.bind(str(root / "sock.md"))


@pytest.fixture
def odd_folder(write_doc) -> Path:
    """Two good documents beside every kind of entry that is not one."""
    write_doc("good.md", markdown_doc("Pumps fail in the cold"))
    write_doc("sub/other.md", markdown_doc("Valves stick when dry"))
    write_doc("notes.txt", "not a document type")
    root = write_doc.root
    add_bad_entries(root)
    (root / "loop").symlink_to("loop")  # no suffix: a loop all the same
    (root / "linked.md").symlink_to("good.md")
    (root / "folder-link").symlink_to("sub")
    return root


def reasons(root: Path, found) -> dict[str, str]:
    return {Path(entry.shown).relative_to(root).as_posix(): entry.reason for entry in found}


def test_discover_skips_what_is_not_a_regular_file_with_its_reason(odd_folder):
    found = discover([odd_folder])
    assert [f.relative for f in found.files] == ["good.md", "sub/other.md"]
    skipped = reasons(odd_folder, found.skipped)
    assert skipped.keys() == {*BAD_ENTRIES, "loop", "folder-link", "notes.txt"}
    assert {name: skipped[name] for name in BAD_ENTRIES} == BAD_ENTRIES
    assert skipped["loop"] == LOOP
    assert skipped["folder-link"] == "a symbolic link to a folder; linked folders are not followed"
    assert skipped["notes.txt"].startswith(".txt files are not documents; supported: .md")


def test_discover_reads_a_linked_regular_file_under_its_target(write_doc, tmp_path):
    target = tmp_path / "elsewhere" / "kept.md"
    target.parent.mkdir()
    target.write_text(markdown_doc("Kept elsewhere"))
    write_doc.root.mkdir(parents=True)
    (write_doc.root / "link.md").symlink_to(target)
    found = discover([write_doc.root])
    assert [(f.path, f.relative) for f in found.files] == [(target, "link.md")]
    assert found.skipped == []


def test_discover_names_odd_paths_given_directly(odd_folder):
    given = [odd_folder / name for name in ("pipe.md", "ping.md", "gone.md", "good.md")]
    found = discover([*given, odd_folder / "absent.md"])
    assert [f.relative for f in found.files] == ["good.md"]
    assert reasons(odd_folder, found.skipped).keys() == {"pipe.md", "ping.md", "gone.md"}
    assert found.missing == [str(odd_folder / "absent.md")]


def test_discover_reports_a_folder_it_cannot_list(write_doc):
    if os.geteuid() == 0:
        pytest.skip("root lists every folder")
    write_doc("good.md", markdown_doc())
    locked = write_doc.root / "locked"
    locked.mkdir()
    locked.chmod(0)
    try:
        found = discover([write_doc.root])
    finally:
        locked.chmod(0o755)
    assert reasons(write_doc.root, found.skipped) == {
        "locked": "folder cannot be listed: Permission denied"
    }


def test_discover_index_run_reports_each_skipped_entry_as_a_warning(odd_folder, fake_settings):
    run = run_index([odd_folder], fake_settings)
    assert run.documents_total == 2 and run.errors == []
    warned = {p.path: p.message for p in run.problems if p.severity == "warning"}
    assert warned.keys() == {entry.shown for entry in run.skipped}
    assert "symbolic-link loop" in warned[str(odd_folder / "loop")]


def test_discover_cli_validate_and_index_name_each_skipped_file(odd_folder, tmp_path):
    env = {"KB_EMBEDDER": "fake", "KB_GLOSSARY_MINING": "0"}
    runner = CliRunner()
    checked = runner.invoke(app, ["validate", str(odd_folder), "--json"], env=env)
    assert checked.exit_code == 0, checked.output
    report = json.loads(checked.output)
    warned = {p["path"]: p["message"] for p in report["problems"] if p["severity"] == "warning"}
    assert "a socket, not a regular file" in warned[str(odd_folder / "sock.md")]
    assert report["documents"] == 2
    indexed = runner.invoke(app, ["index", str(odd_folder), "--kb", str(tmp_path / "kb")], env=env)
    assert indexed.exit_code == 0, indexed.output
    assert f"{odd_folder / 'pipe.md'}: warning: skipped: a FIFO" in indexed.output
    assert "2 documents" in indexed.output
