"""`kb user add|list` and `kb glossary export|import`."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from kb.cli import app
from kb.glossary import Glossary
from tests.kb.glossary.glossary_support import PASSWORD

runner = CliRunner()
CSV = "key,label,definition,acronym,synonyms,related,owner,status\n"


def invoke(*args, input: str | None = None):
    return runner.invoke(app, [str(a) for a in args], input=input)


def test_cli_glossary_user_add_reads_password_from_stdin(tmp_path):
    result = invoke(
        "user",
        "add",
        "ed",
        "--role",
        "editor",
        "--password-stdin",
        "--kb",
        tmp_path,
        input=PASSWORD + "\n",
    )
    assert result.exit_code == 0, result.output
    assert "Added editor ed" in result.output
    assert Glossary(tmp_path).auth.verify_password("ed", PASSWORD).role == "editor"
    listed = invoke("user", "list", "--kb", tmp_path)
    assert listed.exit_code == 0 and "ed" in listed.output and "editor" in listed.output


def test_cli_glossary_user_add_prompts_twice_without_echo(tmp_path):
    result = invoke("user", "add", "rita", "--kb", tmp_path, input=f"{PASSWORD}\n{PASSWORD}\n")
    assert result.exit_code == 0, result.output
    assert PASSWORD not in result.output  # hidden input
    assert "Repeat for confirmation" in result.output
    assert Glossary(tmp_path).auth.user("rita").role == "reader"


def test_cli_glossary_user_add_refuses_bad_role_and_short_password(tmp_path):
    bad_role = invoke(
        "user", "add", "ed", "--role", "boss", "--password-stdin", "--kb", tmp_path, input=PASSWORD
    )
    assert (
        bad_role.exit_code == 2
        and "--role" in bad_role.output
        and "reader, contributor, editor, admin" in bad_role.output
    )
    short = invoke("user", "add", "ed", "--password-stdin", "--kb", tmp_path, input="short\n")
    assert short.exit_code == 2 and "at least 8" in short.output
    assert Glossary(tmp_path).auth.users() == []


def test_cli_glossary_import_then_export_round_trips(tmp_path):
    source = tmp_path / "in.csv"
    source.write_bytes(
        (CSV + 'rca,Root cause analysis,"Find the cause, not ""who""",RCA,,,,approved\n').encode()
    )
    invoke(
        "user",
        "add",
        "ed",
        "--role",
        "editor",
        "--password-stdin",
        "--kb",
        tmp_path / "kb",
        input=PASSWORD,
    )
    imported = invoke("glossary", "import", source, "--as", "ed", "--kb", tmp_path / "kb")
    assert imported.exit_code == 0, imported.output
    assert "1 new, 0 changed, 0 unchanged" in imported.output
    out = tmp_path / "out.csv"
    exported = invoke(
        "glossary", "export", "--format", "csv", "--out", out, "--kb", tmp_path / "kb"
    )
    assert exported.exit_code == 0
    assert out.read_bytes() == source.read_bytes()
    history = Glossary(tmp_path / "kb").terms.history("rca")
    assert [(e.user, e.action) for e in history] == [("ed", "import")]


def test_cli_glossary_export_formats_to_stdout(tmp_path):
    source = tmp_path / "in.json"
    source.write_text(json.dumps([{"key": "kpi", "label": "KPI", "status": "approved"}]))
    assert invoke("glossary", "import", source, "--kb", tmp_path / "kb").exit_code == 0
    as_json = invoke("glossary", "export", "--format", "json", "--kb", tmp_path / "kb")
    assert json.loads(as_json.output)["terms"][0]["key"] == "kpi"
    skos = invoke("glossary", "export", "--format", "skos", "--kb", tmp_path / "kb")
    assert "skos:Concept" in skos.output and '"KPI"@en' in skos.output
    bad = invoke("glossary", "export", "--format", "xml", "--kb", tmp_path / "kb")
    assert bad.exit_code == 2


def test_cli_glossary_import_lists_problems_and_writes_nothing(tmp_path):
    source = tmp_path / "in.csv"
    source.write_text(CSV + "ok,OK,,,,,,draft\nbad,,,,,,,maybe\n")
    result = invoke("glossary", "import", source, "--kb", tmp_path / "kb")
    assert result.exit_code == 1
    assert "line 3, field label: is required" in result.output
    assert "line 3, field status" in result.output
    assert Glossary(tmp_path / "kb").terms.accepted() == []


def test_cli_glossary_import_as_requires_an_editor(tmp_path):
    source = tmp_path / "in.csv"
    source.write_text(CSV + "ok,OK,,,,,,draft\n")
    invoke("user", "add", "rita", "--password-stdin", "--kb", tmp_path, input=PASSWORD)
    assert invoke("glossary", "import", source, "--as", "rita", "--kb", tmp_path).exit_code == 2
    assert invoke("glossary", "import", source, "--as", "nobody", "--kb", tmp_path).exit_code == 2


def test_cli_glossary_user_departments_add_edit_and_list(tmp_path):
    args = ("--role", "reader", "--department", "Finance", "--department", "Legal")
    added = invoke(
        "user", "add", "fay", *args, "--password-stdin", "--kb", tmp_path, input=PASSWORD
    )
    assert added.exit_code == 0, added.output
    assert "Added reader fay in Finance, Legal" in added.output
    edited = invoke(
        "user", "edit", "fay", "--role", "editor", "--department", "Safety", "--kb", tmp_path
    )
    assert edited.exit_code == 0, edited.output
    listed = invoke("user", "list", "--kb", tmp_path).output
    assert "editor" in listed and "Safety" in listed and "Finance" not in listed
    bad = invoke("user", "edit", "fay", "--role", "boss", "--kb", tmp_path)
    assert bad.exit_code == 2 and "--role 'boss'" in bad.output


def test_cli_glossary_user_list_shows_disabled_accounts(tmp_path):
    for name in ("fay", "gil"):
        invoke("user", "add", name, "--password-stdin", "--kb", tmp_path, input=PASSWORD)
    Glossary(tmp_path).auth.disable_user("gil")
    lines = invoke("user", "list", "--kb", tmp_path).output.splitlines()
    assert [line.endswith("(disabled)") for line in lines] == [False, True]
