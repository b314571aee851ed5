"""`kb insights`: is the organization learning across departments, the figures of the
/insights page (kb/insights) in a shell, as text, JSON or one figure's CSV.

The group's default (`kb insights ...`) and `kb insights show ...` are the same command;
other subcommands of the group (the events' upkeep) are registered beside it.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Annotated

import typer

from kb.cli.common import (
    AsUser,
    JsonOpt,
    KbDir,
    fail,
    load_settings,
    open_kb,
    open_state,
    viewer_as,
)

insights_app = typer.Typer(
    help="Insights: knowledge flow between departments, follow-through, search gaps, ...",
)

Since = Annotated[
    str, typer.Option("--since", help="First day (YYYY-MM-DD); default a year before --until.")
]
Until = Annotated[str, typer.Option("--until", help="Last day (YYYY-MM-DD); default today.")]
CsvFigure = Annotated[
    str,
    typer.Option(
        "--csv",
        metavar="FIGURE",
        help="Print one figure as CSV: flow, transfer, follow_through, lifecycle, recurring, "
        "search_gaps, contributions or language.",
    ),
]


@insights_app.callback(invoke_without_command=True)
def insights(
    ctx: typer.Context,
    as_json: JsonOpt = False,
    since: Since = "",
    until: Until = "",
    as_user: AsUser = None,
    csv_figure: CsvFigure = "",
    kb_dir: KbDir = None,
) -> None:
    """Show the insights of a period (default: the last year)."""
    if ctx.invoked_subcommand is None:
        show(as_json, since, until, as_user, csv_figure, kb_dir)


@insights_app.command("show")
def show(
    as_json: JsonOpt = False,
    since: Since = "",
    until: Until = "",
    as_user: AsUser = None,
    csv_figure: CsvFigure = "",
    kb_dir: KbDir = None,
) -> None:
    """Show the insights of a period (default: the last year)."""
    from kb.actions import ActionBook
    from kb.insights.export import FIGURES, PeriodError, csv_text, period_from
    from kb.insights.figures import compute_insights

    settings = load_settings(kb_dir=kb_dir)
    if csv_figure and csv_figure not in FIGURES:
        fail(f"--csv: unknown figure {csv_figure!r}; choose one of {', '.join(FIGURES)}", 2)
    viewer = viewer_as(settings, as_user)
    kb, state = open_kb(settings), open_state(settings)
    book = ActionBook(kb, state)
    try:
        period = period_from(since, until, book.today())
    except PeriodError as exc:
        fail(f"--{exc}", 2)
    try:
        found = compute_insights(kb, state, book, viewer, period)
    finally:
        state.dispose()
    if csv_figure:
        typer.echo(csv_text(found, csv_figure), nl=False)
    elif as_json:
        typer.echo(json.dumps(found.to_dict(), indent=2))
    else:
        from kb.cli.insights_text import print_insights

        print_insights(found)


@insights_app.command("prune")
def prune(as_json: JsonOpt = False, kb_dir: KbDir = None) -> None:
    """Summarize usage events older than KB_USAGE_RETENTION_DAYS and drop them (servers do
    this at start and daily; this is for a cron job where servers restart rarely)."""
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
