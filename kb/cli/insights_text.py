"""`kb insights` as text: each figure under its heading, numbers aligned, one line a row."""

from __future__ import annotations

import typer

from kb.insights.model import Insights


def _heading(title: str) -> None:
    typer.echo("")
    typer.secho(title, bold=True)


def _days(value: float | None) -> str:
    return "-" if value is None else f"{value:g} d"


def _percent(value: float | None) -> str:
    return "-" if value is None else f"{value:.0%}"


def print_insights(found: Insights) -> None:
    period = found.period
    typer.echo(f"Insights {period.since} to {period.until}: {found.events:,} events read")
    _print_flow(found)
    _heading("Speed of transfer (lessons dated in the period: days to another department)")
    for t in found.transfer:
        typer.echo(
            f"  {t.department:<24} {t.reached:>4} of {t.lessons:<4} reached, "
            f"median {_days(t.median_days)}"
        )
    _heading("Follow-through of actions (now)")
    for f in found.follow_through:
        typer.echo(
            f"  {f.department:<24} open {f.open:>3}  in progress {f.in_progress:>3}  overdue "
            f"{f.overdue:>3}  done {f.done:>3}  dropped {f.dropped:>3}  median to close "
            f"{_days(f.median_days_to_close)}  oldest overdue {f.oldest_overdue_days} d"
        )
    _heading("Lessons by lifecycle state")
    typer.echo("  " + "  ".join(f"{state} {n}" for state, n in found.lifecycle.items()))
    _print_learning(found)


def _print_flow(found: Insights) -> None:
    _heading("Knowledge flow (reader <- author: views, related clicks, pack inclusions)")
    for c in found.flow.cells:
        typer.echo(
            f"  {c.reader:<20} <- {c.author:<20} {c.views:>6} {c.related_clicks:>6} "
            f"{c.pack_includes:>6}"
        )
    for reader, share in found.flow.share_from_others.items():
        typer.echo(f"  {reader:<24} reads other departments' lessons: {_percent(share)}")


def _print_learning(found: Insights) -> None:
    _heading("Learned again and again")
    for r in found.recurring:
        typer.echo(
            f"  {r.times}x {r.title} ({', '.join(r.departments)}; {r.first_date} to {r.last_date})"
        )
    _heading("Search gaps (asked often, little found, nothing opened)")
    for g in found.search_gaps:
        typer.echo(f"  {g.searches:>4}x {g.query!r} ({g.department or 'anonymous'})")
    for department, gaps in found.gaps_withheld.items():
        name = department or "anonymous visitors"
        typer.echo(f"  {gaps} more from {name} (too few people to list their queries)")
    _heading("Contributions (published)")
    for c in found.contributions:
        typer.echo(
            f"  {c.quarter} {c.department:<24} {c.contributions:>4}  positive "
            f"{_percent(c.positive_share)}  median review "
            f"{'-' if c.median_review_hours is None else f'{c.median_review_hours:g} h'}"
        )
    language = found.language
    _heading("Shared language")
    typer.echo(
        f"  {language.approved} of {language.frequent_terms} frequent terms approved "
        f"({_percent(language.coverage)}); contested: "
        + (", ".join(c["term"] for c in language.contested) or "none")
    )
    typer.echo(f"\nComputed in {found.seconds * 1000:.0f} ms.", err=True)
