"""The `kb` command line: the composition root, the one place that wires kb, indexer and web.

Each module here holds the commands of one concern; this one builds the Typer app and
registers them in the order `kb --help` lists them. The indexer, the web app and the models
are imported inside the commands that use them, so that `kb search` never loads FastAPI,
`kb validate` never loads torch, and `kb --help` stays fast.
"""

from __future__ import annotations

import typer

from kb.cli import (
    audit,
    documents,
    evaluation,
    glossary,
    insights,
    kickoff,
    search,
    serve,
    state,
    terms,
)

__all__ = ["app", "main"]

app = typer.Typer(
    help="Lessonbase: index lessons, retrospectives and meeting notes; search them.",
    no_args_is_help=True,
    add_completion=False,
)


def main() -> None:
    app()


def _register_commands() -> None:
    for command in (documents.new, documents.validate, documents.index):
        app.command()(command)
    for command in (search.search, search.show, search.related, search.info, serve.serve):
        app.command()(command)
    app.command("settings")(serve.list_settings)
    app.command("kickoff")(kickoff.kickoff)

    evaluation.eval_app.command("terms")(terms.terms)
    app.add_typer(evaluation.eval_app, name="eval")
    app.add_typer(glossary.user_app, name="user")
    app.add_typer(state.token_app, name="token")
    app.add_typer(state.db_app, name="db")
    app.add_typer(audit.audit_app, name="audit")
    app.add_typer(insights.insights_app, name="insights")
    glossary_app = typer.Typer(
        help="The glossary: mine candidates from texts; export and import accepted terms.",
        no_args_is_help=True,
    )
    glossary_app.command("extract")(terms.extract)
    glossary.add_glossary_commands(glossary_app)
    app.add_typer(glossary_app, name="glossary")


_register_commands()
