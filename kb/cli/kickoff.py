"""`kb kickoff BRIEF_FILE`: a kickoff pack for a project brief, as Markdown or JSON.

kb/cli/__init__.py registers `kickoff` as a command. The knowledge base and the model are loaded
inside the command, so `kb --help` stays fast.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from kb.cli.common import AsUser, KbDir, fail, load_settings, open_kb, open_state, viewer_as
from kb.settings import Settings

FORMATS = ("md", "json")


def _read_brief(path: Path, settings: Settings) -> str:
    """The brief's text from a file ('-' for standard input), with the upload checks."""
    from kb.kickoff import BriefError, read_upload

    if str(path) == "-":
        data, name = sys.stdin.buffer.read(settings.max_upload_bytes + 1), "stdin.md"
    elif not path.is_file():
        fail(f"{path}: no such file", 2)
    else:
        data, name = path.read_bytes(), path.name
    try:
        return read_upload(data, name, settings.max_upload_bytes)
    except BriefError as exc:
        fail(exc.message, 2)


def _glossary_terms(settings) -> list:
    """Accepted glossary terms from the state database, or none without a glossary."""
    from kb.glossary.glossary import existing_glossary

    glossary = existing_glossary(settings)
    if glossary is None:
        return []
    try:
        return glossary.terms.accepted()
    finally:
        glossary.close()


BriefArg = Annotated[
    Path, typer.Argument(metavar="BRIEF_FILE", help="The brief: .md, .txt or .docx; - for stdin.")
]
Department = Annotated[str, typer.Option(help="The project's own department.")]
Phase = Annotated[str, typer.Option(help="The project's phase, e.g. initiation.")]
Tags = Annotated[list[str] | None, typer.Option(help="A tag for the project (repeatable).")]
Count = Annotated[int, typer.Option("--k", help="How many prior lessons.")]
Format = Annotated[str, typer.Option("--format", help="md or json.")]
Save = Annotated[bool, typer.Option(help="Save the pack (in the state database).")]


def kickoff(
    brief_file: BriefArg,
    kb_dir: KbDir = None,
    department: Department = "",
    phase: Phase = "",
    tag: Tags = None,
    k: Count = 12,
    output_format: Format = "md",
    save: Save = False,
    as_user: AsUser = None,
) -> None:
    """A kickoff pack: the prior lessons a new project needs, grouped into themes, with a
    checklist, glossary terms, unexplained jargon and open actions."""
    from kb.kickoff import KickoffRequest, to_markdown

    _check_options(output_format, k)
    settings = load_settings(kb_dir=kb_dir)
    viewer = viewer_as(settings, as_user)  # an unknown user is refused before any reading
    text = _read_brief(brief_file, settings)
    tags = tuple(tag or ())
    request = KickoffRequest(
        text, department, phase, tags, k, source_name=brief_file.name, viewer=viewer
    )
    pack = _make_pack(settings, request, save)
    if output_format == "json":
        typer.echo(json.dumps(pack.to_dict(), indent=2, ensure_ascii=False))
    else:
        typer.echo(to_markdown(pack), nl=False)


def _check_options(output_format: str, k: int) -> None:
    from kb.kickoff import MAX_K

    if output_format not in FORMATS:
        fail(f"--format: choose md or json, got {output_format!r}", 2)
    if not 1 <= k <= MAX_K:
        fail(f"--k: must be between 1 and {MAX_K}, got {k}", 2)


def _make_pack(settings: Settings, request, save: bool):
    """Build the pack (and save it when asked); exits with a message for a refused brief."""
    from kb.kickoff import BriefError, build_pack

    kb = open_kb(settings)
    try:
        pack = build_pack(kb, request, _glossary_terms(settings))
    except BriefError as exc:
        fail(exc.message, 2)
    if save:
        pack = _save(settings, pack)
        typer.echo(f"Saved as {pack.id} (/kickoff/packs/{pack.id})", err=True)
    return pack


def _save(settings: Settings, pack):
    """The pack saved in the state database (created there if empty), with its id."""
    from kb.kickoff import PackStore

    state = open_state(settings)
    try:
        return PackStore(state).save(pack)
    finally:
        state.dispose()
