"""`kb glossary extract` and `kb eval terms`: glossary-candidate mining from the command line.

kb/cli/__init__.py registers both functions on its `glossary` and `eval` groups. The indexer (and
spaCy) are imported inside the commands so that importing kb stays fast.

`extract` writes the same list glossary editors see: candidates ranked best first and cut
where the learned model expects the best F1 (see indexer/terms/ranking.py). `--limit N`
keeps at most the first N of those; `--all` drops the cut-off and writes every candidate.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

TEXT_SUFFIXES = (".txt", ".md", ".text")


def _read_folder(folder: Path):
    """One SourceDocument per text file under ``folder``, id = path relative to it."""
    from indexer.terms import SourceDocument

    if not folder.is_dir():
        typer.secho(f"error: {folder} is not a folder", fg="red", err=True)
        raise typer.Exit(2)
    files = sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix in TEXT_SUFFIXES)
    if not files:
        typer.secho(f"error: no {', '.join(TEXT_SUFFIXES)} files in {folder}", fg="red", err=True)
        raise typer.Exit(2)
    return [
        SourceDocument(str(p.relative_to(folder)), p.read_text(encoding="utf-8", errors="replace"))
        for p in files
    ]


def _mine(folder: Path):
    from indexer.terms import mine_terms

    return mine_terms(_read_folder(folder))


def extract(
    text_dir: Annotated[Path, typer.Argument(help="Folder of plain-text files (.txt, .md).")],
    out: Annotated[Path, typer.Option("--out", help="File to write, one term a line.")],
    limit: Annotated[int | None, typer.Option("--limit", min=1, help="Keep the best N.")] = None,
    all_candidates: Annotated[
        bool, typer.Option("--all", help="Write every candidate, ignoring the cut-off.")
    ] = False,
) -> None:
    """Write unique lower-cased term candidates, best first."""
    result = _mine(text_dir)
    terms = result.ranked_strings(accepted_only=not all_candidates)
    if limit is not None:
        terms = terms[:limit]
    out.write_text("".join(f"{term}\n" for term in terms), encoding="utf-8")
    typer.echo(f"wrote {len(terms)} terms from {result.n_documents} documents to {out}")


def terms(
    texts: Annotated[Path, typer.Option("--texts", help="Folder of plain-text files.")],
    gold: Annotated[
        Path, typer.Option("--gold", exists=True, dir_okay=False, help="term<TAB>label a line.")
    ],
) -> None:
    """Precision, recall and F1 of the extracted terms (TermEval 2020 protocol)."""
    from indexer.terms import load_gold, score_terms

    scores = score_terms(_mine(texts).ranked_strings(), load_gold(gold))
    typer.echo(f"precision  {scores.precision:.4f}")
    typer.echo(f"recall     {scores.recall:.4f}")
    typer.echo(f"f1         {scores.f1:.4f}")
    typer.echo(f"candidates {scores.n_candidates}")
    typer.echo(f"gold       {scores.n_gold}")
