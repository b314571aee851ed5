"""`kb db upgrade|current` and `kb token create|list|revoke`: the state database and the API
tokens kept in it. Alembic is imported only by `kb db upgrade` (it takes ~0.25 s to load)."""

from __future__ import annotations

from typing import Annotated

import typer

from kb.cli.common import KbDir, fail, load_settings, open_state

db_app = typer.Typer(
    help="The state database (KB_DATABASE_URL): schema upgrades.", no_args_is_help=True
)
token_app = typer.Typer(
    help="API tokens: `Authorization: Bearer <token>` acts as the token's user on /api.",
    no_args_is_help=True,
)


@db_app.command("upgrade")
def upgrade(
    kb_dir: KbDir = None,
    revision: Annotated[str, typer.Option(help="Target revision.")] = "head",
) -> None:
    """Migrate the state database to the newest schema (an empty one is created, and
    accounts, glossary terms and history from an older KB_DIR/glossary.sqlite and saved
    kickoff packs from KB_DIR/kickoff.sqlite are imported, once)."""
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


def _tokens(kb_dir):
    from kb.glossary.tokens import ApiTokens

    return ApiTokens(open_state(load_settings(kb_dir=kb_dir)))


@token_app.command("create")
def create(
    user: Annotated[str, typer.Argument(help="The user the token acts as.")],
    name: Annotated[str, typer.Option("--name", help="What the token is for.")] = "token",
    expires: Annotated[
        int | None, typer.Option("--expires", help="Days until it expires [default: never].")
    ] = None,
    kb_dir: KbDir = None,
) -> None:
    """Create a token and print it, this once: it is stored hashed and cannot be shown again."""
    from kb.glossary import GlossaryError

    try:
        token, record = _tokens(kb_dir).create(user, name, expires)
    except GlossaryError as exc:
        fail(exc.message, 2)
    typer.echo(token)
    until = f"until {record.expires_at}" if record.expires_at else "without expiry"
    typer.echo(f"Token {record.id} ({record.name}) acts as {user} {until}.", err=True)


@token_app.command("list")
def list_tokens(
    user: Annotated[str | None, typer.Option("--user", help="Only this user's tokens.")] = None,
    kb_dir: KbDir = None,
) -> None:
    """List tokens: id, user, name, created and expiry; never the tokens themselves."""
    records = _tokens(kb_dir).list(user)
    if not records:
        typer.echo("No API tokens; create one with: kb token create USER")
    for r in records:
        expiry = r.expires_at or "never"
        typer.echo(f"{r.id:<6} {r.user:<24} {r.name:<24} created {r.created_at} expires {expiry}")


@token_app.command("revoke")
def revoke(
    token_id: Annotated[int, typer.Argument(help="The token's id (from `kb token list`).")],
    kb_dir: KbDir = None,
) -> None:
    """Revoke a token: requests carrying it are refused from now on, on every server."""
    if not _tokens(kb_dir).revoke(token_id):
        fail(f"no API token with id {token_id}; `kb token list` shows them", 2)
    typer.echo(f"Revoked token {token_id}.")
