"""`kb new`, `kb validate`, `kb index`: writing documents and indexing them.

The indexer is imported inside the commands, so that `kb search` never loads it and
`kb validate` never loads torch.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from kb.cli.common import (
    JsonOpt,
    KbDir,
    MappingOpt,
    fail,
    load_mapping,
    load_settings,
    print_problems,
)
from kb.documents.limits import InputLimits
from kb.documents.schema import DOC_TYPES
from kb.problems import IndexUnavailableError
from kb.settings import Settings


def new(
    doc_type: Annotated[
        str, typer.Argument(metavar="TYPE", help="lesson, retrospective or meeting-notes")
    ],
    file: Annotated[Path, typer.Argument(help="Markdown file to create.")],
    title: Annotated[str, typer.Option(help="Title to fill in.")] = "",
    department: Annotated[str, typer.Option(help="Department to fill in.")] = "",
    force: Annotated[bool, typer.Option(help="Overwrite an existing file.")] = False,
) -> None:
    """Start a new document from the standard template."""
    from kb.documents.schema import normalize_type
    from kb.documents.templates import new_document

    kind = normalize_type(doc_type)
    if kind is None:
        fail(f"TYPE: unknown document type {doc_type!r}; choose one of {', '.join(DOC_TYPES)}", 2)
    if file.exists() and not force:
        fail(f"{file} already exists; pass --force to overwrite it", 2)
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_text(new_document(kind, title, department, dt.date.today()), encoding="utf-8")
    typer.echo(f"Created {file}. Fill in the sections, then run: kb validate {file}")


def validate(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders to check.")],
    mapping: MappingOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Check documents against the standard formats; exits non-zero on any error."""
    from indexer.validate import ChunkSizes, validate_paths

    settings = load_settings()
    limits, chunk_sizes = InputLimits.from_settings(settings), ChunkSizes.from_settings(settings)
    report = validate_paths(paths, load_mapping(mapping), limits, chunk_sizes)
    if as_json:
        payload = {
            "files": report.files,
            "documents": report.documents,
            "problems": [p.to_dict() for p in report.problems],
        }
        typer.echo(json.dumps(payload, indent=2))
    else:
        print_problems(report.problems)
        errors, warnings = len(report.errors), len(report.problems) - len(report.errors)
        typer.echo(
            f"{report.files} files, {report.documents} valid documents, "
            f"{errors} errors, {warnings} warnings"
        )
    if not report.ok:
        raise typer.Exit(1)


def index(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders to index.")],
    kb_dir: KbDir = None,
    mapping: MappingOpt = None,
    rebuild: Annotated[bool, typer.Option(help="Start from an empty index.")] = False,
    embedder: Annotated[str | None, typer.Option(help="Embedding backend.")] = None,
    model: Annotated[str | None, typer.Option(help="Embedding model name or directory.")] = None,
    embedding_backend: Annotated[
        str | None,
        typer.Option(help="How the model runs: auto, torch, torch-bf16, onnx or onnx-int8."),
    ] = None,
    strict: Annotated[
        bool, typer.Option(help="Exit non-zero if any document was rejected.")
    ] = False,
) -> None:
    """Index documents: new and changed files are added, deleted files are removed."""
    from indexer import run_index
    from models.base import ModelUnavailableError

    settings = load_settings(
        kb_dir=kb_dir,
        embedder=embedder,
        model=model,
        embedding_backend=embedding_backend,
        progress=sys.stderr.isatty(),
    )
    try:
        run = run_index(paths, settings, load_mapping(mapping), rebuild=rebuild)
    except (IndexUnavailableError, ModelUnavailableError, FileNotFoundError) as exc:
        fail(str(exc))
    _print_index_summary(run, settings)
    if strict and run.errors:
        raise typer.Exit(1)


def _print_index_summary(run, settings: Settings) -> None:
    rate = run.chunks_embedded / run.seconds if run.seconds else 0.0
    typer.echo(
        f"Indexed {run.documents_indexed} documents from {run.files_indexed} files in "
        f"{run.seconds:.1f}s ({run.chunks_embedded} chunks embedded, {rate:.0f} chunks/s; "
        f"{run.chunks_reused} reused)"
    )
    if run.rebuilt_because:
        typer.secho(f"Rebuilt: {run.rebuilt_because}", fg="yellow", err=True)
    typer.echo(
        f"Unchanged: {run.files_unchanged} files. Removed: {run.documents_removed} documents."
    )
    phases = ", ".join(f"{name} {seconds:.1f}s" for name, seconds in run.phase_seconds.items())
    typer.echo(f"Time: {phases}.")
    if run.glossary_candidates is not None:
        typer.echo(
            f"Glossary: {run.glossary_candidates} term candidates mined "
            f"({run.glossary_texts_parsed} documents parsed, "
            f"{run.glossary_documents_reused} reused from the cache; "
            f"{run.glossary_rows_kept} unchanged candidates only re-scored)."
        )
    errors = run.errors
    if errors:
        typer.secho(
            f"Rejected: {len(errors)} problems in {len(run.rejected_files)} files:",
            fg="red",
            err=True,
        )
        print_problems(errors)
    warnings = [p for p in run.problems if not p.is_error]
    if warnings:
        typer.secho(f"Warnings: {len(warnings)}", fg="yellow", err=True)
        print_problems(warnings)
    kept = ", unchanged: nothing to publish" if run.generation_kept else ""
    typer.echo(
        f"Index {settings.kb_dir}: {run.documents_total} documents, {run.chunks_total} chunks "
        f"({Path(run.generation).name}{kept})."
    )
