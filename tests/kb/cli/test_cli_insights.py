"""`kb insights` over the seeded year (tests/insights_events.py): text, JSON, one figure as
CSV, as another account, and clear refusals of a bad period or figure."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from kb.actions import ActionBook
from kb.cli import app
from kb.glossary import Glossary
from kb.knowledge_base import KnowledgeBase
from kb.state import StateDB
from tests.insights_events import TODAY, build_insights_index, seed

runner = CliRunner()
YEAR = ["--since", "2025-01-01", "--until", "2025-12-31"]


@pytest.fixture(scope="module")
def env(tmp_path_factory) -> dict[str, str]:
    settings = build_insights_index(tmp_path_factory.mktemp("cli-insights"))
    kb, state = KnowledgeBase(settings), StateDB.from_settings(settings)
    state.require_current()
    glossary = Glossary(settings.kb_dir, lambda: kb.store, state=state)
    seed(state, ActionBook(kb, state, clock=lambda: TODAY), glossary)
    state.dispose()
    return {"KB_EMBEDDER": "fake", "KB_KB_DIR": str(settings.kb_dir)}


def test_cli_insights_json_of_a_period(env):
    done = runner.invoke(app, ["insights", "--json", *YEAR], env=env)
    assert done.exit_code == 0, done.output
    found = json.loads(done.output)
    assert found["period"] == {"since": "2025-01-01", "until": "2025-12-31"}
    assert found["events"] == 111
    cells = {(c["reader"], c["author"]): c["views"] for c in found["flow"]["cells"]}
    assert cells["Sales", "Engineering"] == 20


def test_cli_insights_text_lists_search_gaps(env):
    done = runner.invoke(app, ["insights", "show", *YEAR], env=env)
    assert done.exit_code == 0, done.output
    assert "5x 'vendor escrow' (Engineering)" in done.output
    assert "1 more from Finance (too few people to list their queries)" in done.output


def test_cli_insights_one_figure_as_csv(env):
    done = runner.invoke(app, ["insights", "--csv", "flow", *YEAR], env=env)
    assert done.exit_code == 0, done.output
    lines = done.output.splitlines()
    assert lines[0].startswith("reader,author,views,related_clicks,pack_includes,total")
    assert "Sales,Engineering,20,0,0,20,1.0" in lines
    assert len(lines) == 1 + 10


def test_cli_insights_as_a_department_reader(env):
    done = runner.invoke(app, ["insights", "--json", *YEAR, "--as", "sal"], env=env)
    assert done.exit_code == 0, done.output
    assert "hr-2025-exit-interviews-knowledge-loss" not in done.output
    transfer = {t["department"]: t["lessons"] for t in json.loads(done.output)["transfer"]}
    assert transfer["HR"] == 1  # of two, one restricted


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--since", "2025-13-01"], "--since: expected a date YYYY-MM-DD, got '2025-13-01'"),
        (["--since", "2025-06-01", "--until", "2025-01-01"], "--since: 2025-06-01 is after"),
        (["--csv", "charts"], "--csv: unknown figure 'charts'; choose one of flow,"),
    ],
)
def test_cli_insights_refuses_bad_input_naming_it(env, args, message):
    done = runner.invoke(app, ["insights", *args], env=env)
    assert done.exit_code == 2
    assert message in done.output
