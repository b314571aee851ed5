"""`kb glossary contested [--as USER]`: the contested terms, as everything (the shell has the
files) or as one account sees them on its web page, judged on what it may read."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from kb.cli import app
from tests.conftest import new_state_url
from tests.kb.glossary.contested_support import build_senses_index, documents

runner = CliRunner()
USERS = {"eng-ed": ("editor", "Engineering"), "hr-ed": ("editor", "HR")}


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def env(request, tmp_path_factory) -> dict[str, str]:
    """Engineering and HR use "release" and "handover" differently; HR's handover
    documents are restricted to HR. Accounts made through the CLI."""
    base = tmp_path_factory.mktemp("cli-contested")
    docs = documents({"Engineering": 4, "HR": 4})
    restricted = frozenset(d for d, _, _ in docs if d.startswith("handover-hr-"))
    settings = build_senses_index(base, docs, restricted)
    env = {"KB_KB_DIR": str(settings.kb_dir), "KB_DATABASE_URL": new_state_url(request, base)}
    assert runner.invoke(app, ["db", "upgrade"], env=env).exit_code == 0
    for name, (role, department) in USERS.items():
        add = ["user", "add", name, "--role", role, "--department", department]
        done = runner.invoke(app, [*add, "--password-stdin"], env=env, input="a passphrase!!\n")
        assert done.exit_code == 0, done.output
    return env


def contested(env: dict, *args: str):
    return runner.invoke(app, ["glossary", "contested", *args], env=env)


def terms(env: dict, *args: str) -> list[str]:
    done = contested(env, "--json", *args)
    assert done.exit_code == 0, done.output
    return sorted(item["term"] for item in json.loads(done.stdout)["items"])


def test_cli_glossary_contested_lists_everything_without_as(env):
    assert terms(env) == ["handover", "release"]
    listed = contested(env)
    assert listed.exit_code == 0, listed.output
    assert "handover" in listed.stdout and "release" in listed.stdout


def test_cli_glossary_contested_as_user_judged_on_what_they_read(env):
    assert terms(env, "--as", "hr-ed") == ["handover", "release"]
    assert terms(env, "--as", "eng-ed") == ["release"]  # HR's handover lessons unreadable
    assert "handover" not in contested(env, "--as", "eng-ed").stdout


def test_cli_glossary_contested_unknown_user_is_refused(env):
    refused = contested(env, "--as", "nobody")
    assert refused.exit_code == 2
    assert "nobody" in refused.output
