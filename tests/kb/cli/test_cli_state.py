"""`kb db upgrade|current`, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import make_url
from typer.testing import CliRunner

from kb.cli import app
from kb.state import HEAD

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
