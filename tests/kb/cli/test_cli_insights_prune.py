"""`kb insights prune`: events past KB_USAGE_RETENTION_DAYS become monthly counts and are
dropped, from the command line, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import func, select
from typer.testing import CliRunner

from kb.access import Viewer
from kb.cli import app as cli
from kb.insights.events import EventRecorder
from kb.state.tables import usage_events, usage_summaries


def test_cli_insights_prune_summarizes_and_drops_old_events(state_db, state_url, tmp_path):
    now = dt.datetime.now(dt.UTC)
    moments = [now - dt.timedelta(days=days) for days in (40, 40, 5)]
    clock = iter(moments)
    recorder = EventRecorder(state_db, clock=lambda: next(clock))
    for _ in moments:
        recorder.view(Viewer(True, "ana", ("Finance",)), "d", "Legal")
    recorder.flush()
    env = {"KB_DATABASE_URL": state_url, "KB_USAGE_RETENTION_DAYS": "30"}
    arguments = ["insights", "prune", "--kb", str(tmp_path), "--json"]
    result = CliRunner().invoke(cli, arguments, env=env)
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["events"] == 2
    with state_db.engine.connect() as conn:
        left = conn.execute(select(func.count()).select_from(usage_events)).scalar()
        counts = conn.execute(select(usage_summaries.c.month, usage_summaries.c.events)).all()
    assert left == 1
    assert counts == [(moments[0].strftime("%Y-%m"), 2)]
    again = CliRunner().invoke(cli, arguments[:-1], env=env)
    assert again.exit_code == 0 and again.output.startswith("0 usage events before")
