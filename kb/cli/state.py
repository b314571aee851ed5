"""`kb db upgrade|current`: the state database's schema. Alembic is imported only by
`kb db upgrade` (it takes ~0.25 s to load)."""

from __future__ import annotations

from typing import Annotated

import typer

from kb.cli.common import KbDir, fail, load_settings

db_app = typer.Typer(
    help="The state database (KB_DATABASE_URL): schema upgrades.", no_args_is_help=True
)


@db_app.command("upgrade")
def upgrade(
    kb_dir: KbDir = None,
    revision: Annotated[str, typer.Option(help="Target revision.")] = "head",
) -> None:
    """Migrate the state database to the newest schema (an empty one is created, and
    accounts from an older KB_DIR/glossary.sqlite are imported, once)."""
    from sqlalchemy.exc import SQLAlchemyError

    from kb.state import StateDB, StateError
    from kb.state.migrate import upgrade as run_upgrade

    state = StateDB.from_settings(load_settings(kb_dir=kb_dir))
    try:
        before, after = run_upgrade(state, revision)
    except (StateError, SQLAlchemyError) as exc:
        fail(f"state database {state.shown_url}: upgrade failed, nothing changed ({exc})")
    if before == after:
        typer.echo(f"{state.shown_url}: already at revision {after}.")
    else:
        typer.echo(f"{state.shown_url}: upgraded from {before or 'empty'} to {after}.")


@db_app.command("current")
def current(kb_dir: KbDir = None) -> None:
    """Show the state database's schema revision and whether it is the newest."""
    from kb.state import HEAD, StateDB, StateError

    state = StateDB.from_settings(load_settings(kb_dir=kb_dir))
    try:
        revision = state.revision()
    except StateError as exc:
        fail(exc.message)
    status = "newest" if revision == HEAD else f"needs `kb db upgrade` to {HEAD}"
    typer.echo(f"{state.shown_url}: revision {revision or 'none (empty)'} ({status})")
    if revision != HEAD:
        raise typer.Exit(1)
