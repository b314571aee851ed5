"""`kb eval ...`: evaluation commands, each printing its figures."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated

import typer

eval_app = typer.Typer(help="Measure retrieval and glossary quality on test collections.")

ModeChoice = Annotated[str, typer.Option("--mode", help="hybrid, keyword, semantic, or all three.")]


@eval_app.command("retrieval")
def retrieval(
    corpus: Annotated[Path, typer.Option(help="BEIR corpus.jsonl (_id, title, text).")],
    queries: Annotated[Path, typer.Option(help="BEIR queries.jsonl (_id, text).")],
    qrels: Annotated[Path, typer.Option(help="qrels TSV: query-id, corpus-id, score.")],
    mode: ModeChoice = "hybrid",
    run_out: Annotated[
        Path | None, typer.Option("--run-out", help="Write a TREC run file (per mode when 'all').")
    ] = None,
    index_dir: Annotated[
        Path | None, typer.Option(help="Keep the corpus index here and reuse it next time.")
    ] = None,
) -> None:
    """nDCG@10 and recall@100 of the judged queries; optionally a TREC run file."""
    from indexer.evaluation import build_index, evaluate, load_qrels, load_queries, write_trec_run
    from kb.search import MODES
    from kb.settings import Settings

    modes = list(MODES) if mode == "all" else [mode]
    if any(m not in MODES for m in modes):
        typer.secho(f"error: --mode must be one of {', '.join(MODES)} or all", fg="red", err=True)
        raise typer.Exit(2)
    settings = Settings.from_env(progress=False)
    with tempfile.TemporaryDirectory(prefix="kb-eval-") as scratch:
        kb = build_index(corpus, index_dir or Path(scratch) / "index", settings)
        judged_queries, judgments = load_queries(queries), load_qrels(qrels)
        for name in modes:
            scores = evaluate(kb, judged_queries, judgments, name)
            typer.echo(
                f"{name:<9} nDCG@10 {scores.ndcg_at_10:.4f}  recall@100 {scores.recall_at_100:.4f}"
                f"  ({scores.queries} queries, {1000 * scores.seconds / max(1, scores.queries):.1f} ms/query)"
            )
            if run_out is not None:
                target = run_out if len(modes) == 1 else run_out.with_suffix(f".{name}.tsv")
                write_trec_run(scores, target)
                typer.echo(f"          run written to {target}")
