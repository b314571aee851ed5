"""Pieces every `kb` command shares: option types, settings, errors, opening the index."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kb.problems import IndexUnavailableError, Problem
from kb.settings import Settings

KbDir = Annotated[Path | None, typer.Option("--kb", help="Index directory [env KB_KB_DIR].")]
MappingOpt = Annotated[
    Path | None, typer.Option("--mapping", help="YAML mapping file for another system's export.")
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")]
AsUser = Annotated[
    str | None,
    typer.Option(
        "--as",
        metavar="USER",
        help="See exactly what this account sees (its role and departments in the state "
        "database); without it, everything.",
    ),
]


def load_settings(**overrides) -> Settings:
    try:
        return Settings.from_env(**overrides)
    except ValueError as exc:
        fail(str(exc))


def fail(message: str, code: int = 1) -> None:
    typer.secho(f"error: {message}", fg="red", err=True)
    raise typer.Exit(code)


def load_mapping(path: Path | None):
    from kb.documents.mapping import IDENTITY, Mapping, MappingError

    if path is None:
        return IDENTITY
    try:
        return Mapping.load(path)
    except MappingError as exc:
        fail(str(exc))


def print_problems(problems: list[Problem]) -> None:
    for problem in problems:
        color = "red" if problem.is_error else "yellow"
        typer.secho(f"  {problem}", fg=color, err=True)


def open_state(settings: Settings):
    """The state database, at the newest schema (an empty one is created there)."""
    from kb.state import StateDB, StateError

    state = StateDB.from_settings(settings)
    try:
        state.require_current()
    except StateError as exc:
        fail(exc.message)
    return state


def open_kb(settings: Settings):
    from kb.knowledge_base import KnowledgeBase
    from models.base import ModelUnavailableError

    try:
        return KnowledgeBase(settings)
    except (IndexUnavailableError, ModelUnavailableError) as exc:
        fail(str(exc))


def viewer_as(settings: Settings, name: str | None):
    """Who reads for a command: everything (the system viewer: the shell has the files), or
    with `--as USER` that account as the web app sees it; exit 2 for an unknown user."""
    from kb.access import Viewer
    from kb.glossary.auth import Auth

    if name is None:
        return Viewer.system()
    state = open_state(settings)
    try:
        user = Auth(state, settings.session_hours).user(name)
    finally:
        state.dispose()
    if user is None:
        fail(f"--as: no user named {name!r} in the state database (see `kb user list`)", 2)
    return Viewer(True, user.name, user.departments, admin=user.is_admin)
