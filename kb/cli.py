"""The `kb` command line.

This is the composition root: the one place that wires the layers together. `index` and
`validate` run the indexer and `serve` runs the web app; those imports are lazy so that
`kb search` never loads FastAPI and `kb validate` never loads torch.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from kb.problems import IndexUnavailableError, Problem
from kb.schema import DOC_TYPES
from kb.settings import Settings

app = typer.Typer(
    help="Lessonbase: index lessons, retrospectives and meeting notes; search them.",
    no_args_is_help=True,
    add_completion=False,
)

KbDir = Annotated[Path | None, typer.Option("--kb", help="Index directory [env KB_KB_DIR].")]
MappingOpt = Annotated[
    Path | None, typer.Option("--mapping", help="YAML mapping file for another system's export.")
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")]


def _settings(**overrides) -> Settings:
    try:
        return Settings.from_env(**overrides)
    except ValueError as exc:
        _fail(str(exc))


def _fail(message: str, code: int = 1) -> None:
    typer.secho(f"error: {message}", fg="red", err=True)
    raise typer.Exit(code)


def _load_mapping(path: Path | None):
    from kb.mapping import IDENTITY, Mapping, MappingError

    if path is None:
        return IDENTITY
    try:
        return Mapping.load(path)
    except MappingError as exc:
        _fail(str(exc))


def _print_problems(problems: list[Problem]) -> None:
    for problem in problems:
        color = "red" if problem.is_error else "yellow"
        typer.secho(f"  {problem}", fg=color, err=True)


@app.command()
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
    from kb.schema import normalize_type
    from kb.templates import new_document

    kind = normalize_type(doc_type)
    if kind is None:
        _fail(f"TYPE: unknown document type {doc_type!r}; choose one of {', '.join(DOC_TYPES)}", 2)
    if file.exists() and not force:
        _fail(f"{file} already exists; pass --force to overwrite it", 2)
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_text(new_document(kind, title, department, dt.date.today()), encoding="utf-8")
    typer.echo(f"Created {file}. Fill in the sections, then run: kb validate {file}")


@app.command()
def validate(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders to check.")],
    mapping: MappingOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Check documents against the standard formats; exits non-zero on any error."""
    from indexer.validate import validate_paths

    report = validate_paths(paths, _load_mapping(mapping), _settings().max_file_bytes)
    if as_json:
        payload = {
            "files": report.files,
            "documents": report.documents,
            "problems": [p.to_dict() for p in report.problems],
        }
        typer.echo(json.dumps(payload, indent=2))
    else:
        _print_problems(report.problems)
        errors, warnings = len(report.errors), len(report.problems) - len(report.errors)
        typer.echo(
            f"{report.files} files, {report.documents} valid documents, "
            f"{errors} errors, {warnings} warnings"
        )
    if not report.ok:
        raise typer.Exit(1)


@app.command()
def index(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders to index.")],
    kb_dir: KbDir = None,
    mapping: MappingOpt = None,
    rebuild: Annotated[bool, typer.Option(help="Start from an empty index.")] = False,
    embedder: Annotated[str | None, typer.Option(help="Embedding backend.")] = None,
    model: Annotated[str | None, typer.Option(help="Embedding model name or directory.")] = None,
    embedding_backend: Annotated[
        str | None, typer.Option(help="How the model runs: torch, onnx or onnx-int8.")
    ] = None,
    strict: Annotated[
        bool, typer.Option(help="Exit non-zero if any document was rejected.")
    ] = False,
) -> None:
    """Index documents: new and changed files are added, deleted files are removed."""
    from indexer import run_index
    from models.base import ModelUnavailableError

    settings = _settings(
        kb_dir=kb_dir,
        embedder=embedder,
        model=model,
        embedding_backend=embedding_backend,
        progress=sys.stderr.isatty(),
    )
    try:
        run = run_index(paths, settings, _load_mapping(mapping), rebuild=rebuild)
    except (IndexUnavailableError, ModelUnavailableError, FileNotFoundError) as exc:
        _fail(str(exc))
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
    typer.echo(
        f"Unchanged: {run.files_unchanged} files. Removed: {run.documents_removed} documents."
    )
    phases = ", ".join(f"{name} {seconds:.1f}s" for name, seconds in run.phase_seconds.items())
    typer.echo(f"Time: {phases}.")
    if run.glossary_candidates is not None:
        typer.echo(f"Glossary: {run.glossary_candidates} term candidates mined.")
    if run.skipped:
        typer.echo(
            f"Skipped {len(run.skipped)} files of unsupported types (e.g. {run.skipped[0]})."
        )
    errors = run.errors
    if errors:
        typer.secho(
            f"Rejected: {len(errors)} problems in {len(run.rejected_files)} files:",
            fg="red",
            err=True,
        )
        _print_problems(errors)
    warnings = [p for p in run.problems if not p.is_error]
    if warnings:
        typer.secho(f"Warnings: {len(warnings)}", fg="yellow", err=True)
        _print_problems(warnings)
    typer.echo(
        f"Index {settings.kb_dir}: {run.documents_total} documents, {run.chunks_total} chunks "
        f"({Path(run.generation).name})."
    )


def _open_kb(settings: Settings):
    from kb.knowledge_base import KnowledgeBase
    from models.base import ModelUnavailableError

    try:
        return KnowledgeBase(settings)
    except (IndexUnavailableError, ModelUnavailableError) as exc:
        _fail(str(exc))


Multi = list[str] | None


@app.command()
def search(
    query: Annotated[str, typer.Argument(help="What to look for, in your own words.")],
    kb_dir: KbDir = None,
    k: Annotated[int, typer.Option("--k", help="How many documents to return.")] = 10,
    mode: Annotated[
        str | None, typer.Option(help="hybrid, keyword or semantic [setting search_mode].")
    ] = None,
    department: Annotated[Multi, typer.Option(help="Only this department (repeatable).")] = None,
    doc_type: Annotated[Multi, typer.Option("--type", help="Only this type (repeatable).")] = None,
    project: Annotated[Multi, typer.Option(help="Only this project (repeatable).")] = None,
    tag: Annotated[Multi, typer.Option(help="Only documents with this tag (repeatable).")] = None,
    status: Annotated[Multi, typer.Option(help="Only this status (repeatable).")] = None,
    section: Annotated[
        Multi, typer.Option(help="Search only this section, e.g. recommendation (repeatable).")
    ] = None,
    since: Annotated[str, typer.Option(help="Only documents dated on or after YYYY-MM-DD.")] = "",
    until: Annotated[str, typer.Option(help="Only documents dated on or before YYYY-MM-DD.")] = "",
    sort: Annotated[str, typer.Option(help="relevance or date (newest first).")] = "relevance",
    facets: Annotated[bool, typer.Option(help="Also print facet counts.")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Search the index; one hit per document, from its best-matching section."""
    from kb.search import Filters, SearchParameterError, SearchRequest

    settings = _settings(kb_dir=kb_dir)
    if k > settings.max_k:
        _fail(f"--k: at most {settings.max_k} (the max_k setting), got {k}", 2)
    try:
        filters = Filters(
            departments=tuple(department or ()),
            types=tuple(doc_type or ()),
            projects=tuple(project or ()),
            tags=tuple(tag or ()),
            statuses=tuple(status or ()),
            sections=tuple(_section_keys(section or ())),
            date_from=since,
            date_to=until,
        )
        request = SearchRequest(
            query,
            k,
            mode=mode or settings.search_mode,
            filters=filters,
            sort=sort,
            with_facets=facets,
        )
    except SearchParameterError as exc:
        option = {"date_from": "since", "date_to": "until", "q": "QUERY"}.get(
            exc.parameter, exc.parameter
        )
        _fail(f"{'' if option == 'QUERY' else '--'}{option}: {exc.message}", 2)
    result = _open_kb(settings).run_search(request)
    if as_json:
        payload = result.to_dict() if facets else [h.to_dict() for h in result.hits]
        typer.echo(json.dumps(payload, indent=2, ensure_ascii=False))
        return
    _print_hits(result)


def _section_keys(names) -> list[str]:
    from kb.schema import SECTION_SPECS, section_key_for_heading

    keys = []
    for name in names:
        key = name if name in SECTION_SPECS else section_key_for_heading(name)
        if key is None:
            _fail(f"--section: unknown section {name!r}; known: {', '.join(SECTION_SPECS)}", 2)
        keys.append(key)
    return keys


def _print_hits(result) -> None:
    if not result.hits:
        typer.echo("No documents match.")
    for rank, hit in enumerate(result.hits, start=1):
        typer.secho(f"{rank:>2}. {hit.title}", bold=True)
        typer.echo(
            f"    {hit.department} · {hit.type} · {hit.date} · score {hit.score:.3f} · id {hit.id}"
        )
        typer.echo(f"    matched in: {hit.section} (by {' and '.join(hit.matched_by)})")
        typer.echo(f"    {hit.snippet}")
    for name, values in result.facets.items():
        counts = ", ".join(f"{v.value} ({v.count})" for v in values)
        typer.echo(f"{name}: {counts}")


@app.command()
def show(
    doc_id: Annotated[str, typer.Argument(metavar="ID")],
    kb_dir: KbDir = None,
    as_json: JsonOpt = False,
) -> None:
    """Print one indexed document."""
    view = _open_kb(_settings(kb_dir=kb_dir)).document(doc_id)
    if view is None:
        _fail(f"no document with id {doc_id!r}")
    data = view.to_dict()
    if as_json:
        typer.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    typer.secho(data["title"], bold=True)
    typer.echo(f"{data['type_label']} · {data['department']} · {data['date']}")
    for section in data["sections"]:
        typer.secho(f"\n## {section['heading']}", bold=True)
        typer.echo(section["text"])


@app.command()
def related(
    doc_id: Annotated[str, typer.Argument(metavar="ID")],
    kb_dir: KbDir = None,
    k: Annotated[int, typer.Option("--k", help="How many related documents.")] = 5,
    same_department: Annotated[
        bool, typer.Option(help="Also include documents from the document's own department.")
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Documents related to one document, from other departments unless asked otherwise."""
    if k < 1:
        _fail(f"--k: must be at least 1, got {k}", 2)
    found = _open_kb(_settings(kb_dir=kb_dir)).related(doc_id, k, same_department)
    if found is None:
        _fail(f"no document with id {doc_id!r}")
    if as_json:
        typer.echo(json.dumps([r.to_dict() for r in found], indent=2, ensure_ascii=False))
        return
    for rank, item in enumerate(found, start=1):
        typer.secho(f"{rank:>2}. {item.title}", bold=True)
        typer.echo(
            f"    {item.department} · {item.type} · {item.date} · score {item.score:.3f} · id {item.id}"
        )
        typer.echo(f"    this document, {item.this_passage.section}: {item.this_passage.text}")
        typer.echo(f"    theirs, {item.their_passage.section}: {item.their_passage.text}")
        if item.shared_terms:
            typer.echo(f"    shared terms: {', '.join(item.shared_terms)}")


@app.command()
def info(kb_dir: KbDir = None) -> None:
    """Describe an index: model, counts, departments."""
    typer.echo(json.dumps(_open_kb(_settings(kb_dir=kb_dir)).stats(), indent=2))


@app.command()
def serve(
    kb_dir: KbDir = None,
    host: Annotated[str | None, typer.Option(help="Address to listen on.")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on.")] = None,
) -> None:
    """Serve the search pages and the JSON API."""
    import uvicorn

    from web.app import create_app

    settings = _settings(kb_dir=kb_dir, host=host, port=port)
    from kb.glossary.errors import GlossaryError

    try:
        application = create_app(settings)
    except (IndexUnavailableError, GlossaryError) as exc:
        _fail(str(exc))
    typer.echo(f"Serving {settings.kb_dir} on http://{settings.host}:{settings.port}")
    uvicorn.run(application, host=settings.host, port=settings.port, log_level="warning")


@app.command("settings")
def list_settings() -> None:
    """List every setting with its type, default and help."""
    for name, kind, default, help_text in Settings.describe():
        typer.echo(f"KB_{name.upper():<22} {kind:<5} default {default!s:<24} {help_text}")


def main() -> None:
    app()


def _register_subcommands() -> None:
    from kb import cli_terms
    from kb.cli_eval import eval_app
    from kb.cli_glossary import add_glossary_commands, user_app
    from kb.cli_kickoff import kickoff

    app.command("kickoff")(kickoff)

    eval_app.command("terms")(cli_terms.terms)
    app.add_typer(eval_app, name="eval")
    app.add_typer(user_app, name="user")
    glossary_app = typer.Typer(
        help="The glossary: mine candidates from texts; export and import accepted terms.",
        no_args_is_help=True,
    )
    glossary_app.command("extract")(cli_terms.extract)
    add_glossary_commands(glossary_app)
    app.add_typer(glossary_app, name="glossary")


_register_subcommands()
