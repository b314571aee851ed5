"""`kb user ...` and `kb glossary export|import|contested`: users, glossary files and the
contested terms.

Users and terms live in the state database (KB_DATABASE_URL); these commands load no model,
and only `contested` reads the index (as everything, or `--as USER` as that account).
"""

from __future__ import annotations

import getpass
import sqlite3
import sys
from pathlib import Path
from typing import Annotated

import typer

from kb.cli.common import AsUser, JsonOpt, KbDir, fail, load_settings, open_state, viewer_as

user_app = typer.Typer(
    help="Accounts: readers, contributors, editors and admins, with their departments.",
    no_args_is_help=True,
)

RoleOpt = Annotated[str, typer.Option("--role", help="reader, contributor, editor or admin.")]
DepartmentOpt = Annotated[
    list[str] | None,
    typer.Option("--department", help="A department of the account; repeat for several."),
]


def _open(kb_dir: Path | None):
    """The glossary, its state database opened and checked first."""
    from kb.glossary import Glossary

    settings = load_settings(kb_dir=kb_dir)
    state = open_state(settings)
    return Glossary(settings.kb_dir, session_hours=settings.session_hours, state=state)


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return typer.prompt("Password", hide_input=True, confirmation_prompt=True)


@user_app.command("add")
def add_user(
    name: Annotated[str, typer.Argument(help="Sign-in name.")],
    role: RoleOpt = "reader",
    department: DepartmentOpt = None,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input.")
    ] = False,
    kb_dir: KbDir = None,
) -> None:
    """Add a user; the password is asked for twice (hidden) unless --password-stdin."""
    from kb.glossary import GlossaryError
    from kb.glossary.auth import check_new_user
    from kb.glossary.names import clean_departments

    try:
        check_new_user(name, "x" * 64, role)  # name and role first, before asking a password
        departments = clean_departments(department or ())
        glossary = _open(kb_dir)
        password = _read_password(password_stdin)
        user = glossary.auth.create_user(name, password, role, departments)
    except GlossaryError as exc:
        fail(exc.message, 2)
    typer.echo(f"Added {user.role} {user.name}{_in_departments(user)}.")


@user_app.command("edit")
def edit_user(
    name: Annotated[str, typer.Argument(help="Sign-in name.")],
    role: Annotated[
        str | None, typer.Option("--role", help="reader, contributor, editor or admin.")
    ] = None,
    department: DepartmentOpt = None,
    kb_dir: KbDir = None,
) -> None:
    """Change a user's role; --department (repeatable) replaces all their departments."""
    from kb.glossary import GlossaryError

    departments = tuple(department) if department else None
    try:
        user = _open(kb_dir).auth.edit_user(name, role, departments)
    except GlossaryError as exc:
        fail(exc.message, 2)
    typer.echo(f"{user.name} is now a {user.role}{_in_departments(user)}.")


def _in_departments(user) -> str:
    return f" in {', '.join(user.departments)}" if user.departments else ""


@user_app.command("list")
def list_users(kb_dir: KbDir = None) -> None:
    """List users with their roles."""
    auth = _open(kb_dir).auth
    users, disabled = auth.users(), auth.disabled_users()
    if not users:
        typer.echo("No users yet; add one with: kb user add NAME --role editor")
    for user in users:
        departments = ", ".join(user.departments) or "-"
        state = "  (disabled)" if user.name in disabled else ""
        line = f"{user.name:<24} {user.role:<11} {departments:<30} since {user.created_at}"
        typer.echo(line + state)


def export_glossary(
    fmt: Annotated[str, typer.Option("--format", help="csv, json or skos (Turtle).")] = "csv",
    out: Annotated[Path | None, typer.Option("--out", help="Write here instead of stdout.")] = None,
    kb_dir: KbDir = None,
) -> None:
    """Export the glossary's accepted terms."""
    from kb.glossary import GlossaryError

    try:
        text = _open(kb_dir).export(fmt)
    except GlossaryError as exc:
        fail(exc.message, 2)
    if out is None:
        sys.stdout.write(text)
        return
    out.write_bytes(text.encode("utf-8"))
    typer.echo(f"Wrote {out}.", err=True)


def import_glossary(
    file: Annotated[Path, typer.Argument(help="A .csv or .json glossary file.")],
    as_user: Annotated[
        str | None, typer.Option("--as", help="Record the import as this glossary user.")
    ] = None,
    kb_dir: KbDir = None,
) -> None:
    """Import terms; every row is checked first and nothing is written if any row fails."""
    from kb.glossary import GlossaryError, ImportFailedError

    glossary = _open(kb_dir)
    user = _acting_user(glossary, as_user)
    try:
        report = glossary.import_file(user, file.read_bytes(), file.name)
    except ImportFailedError as exc:
        for problem in exc.problems:
            typer.secho(f"  {file}: {problem}", fg="red", err=True)
        fail(exc.message)
    except (GlossaryError, OSError) as exc:
        fail(getattr(exc, "message", None) or str(exc))
    typer.echo(
        f"Imported {file}: {len(report.created)} new, {len(report.updated)} changed, "
        f"{len(report.unchanged)} unchanged."
    )


def _acting_user(glossary, name: str | None):
    """The named editor, or the person at the terminal (recorded as cli:NAME)."""
    from kb.glossary import User

    if name is None:
        return User(f"cli:{getpass.getuser()}", "admin")
    user = glossary.auth.user(name)
    if user is None:
        fail(f"--as: no glossary user {name!r}; add one with `kb user add`", 2)
    if not user.can_edit:
        fail(f"--as: {name} is a {user.role}; only editors and admins may import", 2)
    return user


def contested_terms(
    page: Annotated[int, typer.Option("--page", min=1, help="Page to show, from 1.")] = 1,
    per_page: Annotated[int, typer.Option("--per-page", min=1, max=100, help="Terms a page.")] = 20,
    as_user: AsUser = None,
    as_json: JsonOpt = False,
    kb_dir: KbDir = None,
) -> None:
    """List the candidates departments use in different senses, most contested first; with
    --as USER, judged on the documents that account may read, as its web page shows them."""
    import json

    from kb.glossary import Glossary
    from kb.index.candidates import Access
    from kb.index.filters import Filters

    settings = load_settings(kb_dir=kb_dir)
    viewer = viewer_as(settings, as_user)
    access = Access.of(Filters(viewer=viewer, default_sensitivity=settings.default_sensitivity))
    store = _live_store(settings)
    glossary = Glossary(settings.kb_dir, lambda: store, state=open_state(settings))
    try:
        found = glossary.contested_page(page, per_page, access)
    finally:
        store.close()
    if as_json:
        typer.echo(json.dumps(found.to_dict(), indent=2, ensure_ascii=False))
        return
    if not found.available:
        fail("this index was written before contested terms were ranked; run `kb index`")
    first = (found.page - 1) * found.per_page
    for number, term in enumerate(found.items, start=first + 1):
        usage = "; ".join(
            f"{u.department} {u.documents} ({', '.join(u.words)})" for u in term.departments
        )
        typer.echo(f"{number:>4}. {term.display:<28} {term.score:7.3f}  {usage}")
    typer.echo(f"page {found.page} of {found.pages}, {found.total} contested terms", err=True)


def _live_store(settings):
    """The live generation's database, read only (no model is loaded); exit 1 without one."""
    from kb.index.generations import DB_NAME, require_generation
    from kb.index.store import Store
    from kb.problems import IndexUnavailableError

    try:
        return Store(require_generation(settings.kb_dir) / DB_NAME, read_only=True)
    except (IndexUnavailableError, sqlite3.Error) as exc:
        fail(str(exc))


def add_glossary_commands(glossary_app: typer.Typer) -> None:
    """Register `export`, `import` and `contested` on the `kb glossary` app."""
    glossary_app.command("export")(export_glossary)
    glossary_app.command("import")(import_glossary)
    glossary_app.command("contested")(contested_terms)
