"""`kb insights prune`: summarize usage events past retention into monthly counts and drop
them (kb/insights/retention.py), as servers do at start and daily; for a cron job where
servers restart rarely. (`kb insights` reading the figures joins this sub-app.)"""

from __future__ import annotations

import json
from dataclasses import asdict

import typer

from kb.cli.common import JsonOpt, KbDir, load_settings, open_state

insights_app = typer.Typer(
    help="Insights: is the organization learning across departments.", no_args_is_help=True
)


@insights_app.command("prune")
def prune(as_json: JsonOpt = False, kb_dir: KbDir = None) -> None:
    """Summarize usage events older than KB_USAGE_RETENTION_DAYS and drop them."""
    from kb.insights.events import EventRecorder

    settings = load_settings(kb_dir=kb_dir)
    recorder = EventRecorder.from_settings(settings, open_state(settings))
    result = recorder.prune()
    if as_json:
        typer.echo(json.dumps(asdict(result), indent=2))
        return
    typer.echo(
        f"{result.events} usage events before {result.cutoff} summarized into "
        f"{result.summaries} monthly counts and dropped "
        f"(KB_USAGE_RETENTION_DAYS={settings.usage_retention_days})."
    )
