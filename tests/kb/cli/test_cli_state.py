"""`kb db upgrade|current` and `kb token create|list|revoke`, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import make_url
from typer.testing import CliRunner

from kb.cli import app
from kb.glossary import Glossary
from kb.state import HEAD, StateDB
from tests.kb.glossary.glossary_support import FAST_HASHER, PASSWORD

runner = CliRunner()


@pytest.fixture
def kb(tmp_path, state_url):
    """invoke(*args): `kb ARGS --kb tmp_path` with KB_DATABASE_URL=state_url."""

    def invoke(*args: str):
        env = {"KB_DATABASE_URL": state_url}
        return runner.invoke(app, [*args, "--kb", str(tmp_path)], env=env)

    return invoke


def test_cli_state_db_current_and_upgrade_report_the_revision(kb, state_url):
    before = kb("db", "current")
    assert before.exit_code == 1 and "none (empty)" in before.output
    assert "kb db upgrade" in before.output
    upgraded = kb("db", "upgrade")
    assert upgraded.exit_code == 0 and f"upgraded from empty to {HEAD}" in upgraded.output
    password = make_url(state_url).password
    assert password is None or password not in upgraded.output
    after = kb("db", "current")
    assert after.exit_code == 0 and f"revision {HEAD} (newest)" in after.output


def test_cli_state_token_create_prints_a_token_that_acts_as_the_user(kb, tmp_path, state_url):
    assert kb("db", "upgrade").exit_code == 0
    state = StateDB(state_url, tmp_path)
    Glossary(tmp_path, hasher=FAST_HASHER, state=state).auth.create_user("ed", PASSWORD, "editor")
    created = kb("token", "create", "ed", "--name", "ci", "--expires", "30")
    assert created.exit_code == 0, created.output
    token = created.stdout.splitlines()[0]
    tokens = Glossary(tmp_path, state=state).tokens
    assert tokens.user_for(token).name == "ed"
    listed = kb("token", "list")
    assert "ed" in listed.output and "ci" in listed.output and token not in listed.output
    token_id = listed.output.split()[0]
    assert kb("token", "revoke", token_id).exit_code == 0
    assert tokens.user_for(token) is None
    again = kb("token", "revoke", token_id)
    assert again.exit_code == 2 and f"no API token with id {token_id}" in again.output
    state.dispose()


def test_cli_state_token_create_refuses_an_unknown_user(kb):
    result = kb("token", "create", "zed")
    assert result.exit_code == 2 and "no user 'zed'" in result.output


@pytest.mark.parametrize(
    "url, message",
    [
        ("not a url", "not a database URL"),
        ("nosuchdb://user:secret-pw@host/db", "nosuchdb://user:***@host/db"),
    ],
)
def test_cli_state_bad_database_url_is_named_without_its_password(tmp_path, url, message):
    for command in (["db", "current"], ["db", "upgrade"], ["user", "list"]):
        args = [*command, "--kb", str(tmp_path)]
        result = runner.invoke(app, args, env={"KB_DATABASE_URL": url})
        assert result.exit_code == 1, (command, result.output)
        assert message in result.output and "secret-pw" not in result.output
