"""`kb audit reads`: who read which restricted document, when and through which route, from
the record the web app keeps in the state database (kb/audit.py)."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from kb.cli.common import JsonOpt, KbDir, fail, load_settings, open_state

audit_app = typer.Typer(
    help="The record of reads of restricted documents (admins' audit).", no_args_is_help=True
)


@audit_app.command("reads")
def reads(
    user: Annotated[str, typer.Option("--user", help="Only this user's reads.")] = "",
    document: Annotated[str, typer.Option("--document", help="Only reads of this id.")] = "",
    since: Annotated[
        str, typer.Option("--since", help="From this date (2026-12-01) or UTC time on.")
    ] = "",
    page: Annotated[int, typer.Option("--page", help="Which page of results.")] = 1,
    per_page: Annotated[int, typer.Option("--per-page", help="Reads per page (max 200).")] = 50,
    as_json: JsonOpt = False,
    kb_dir: KbDir = None,
) -> None:
    """List reads of restricted documents, newest first."""
    from kb.audit import AuditFilterError, ReadFilters, ReadLog

    try:
        filters = ReadFilters(user, document, since, page, per_page)
    except AuditFilterError as exc:
        fail(f"--{str(exc).replace('per_page', 'per-page')}", 2)
    listed = ReadLog(open_state(load_settings(kb_dir=kb_dir))).list(filters)
    if as_json:
        typer.echo(json.dumps(listed.to_dict(), indent=2))
        return
    if not listed.reads:
        typer.echo(
            "No reads of restricted documents recorded"
            + (" that match." if user or document or since else ".")
        )
        return
    for read in listed.reads:
        typer.echo(f"{read.at}  {read.user:<24} {read.route:<5} {read.document_id}")
    if listed.pages > 1:
        typer.echo(f"Page {filters.page} of {listed.pages} ({listed.total} reads).", err=True)
