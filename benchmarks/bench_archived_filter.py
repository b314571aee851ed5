"""What hiding archived lessons costs a search, in process, on an index you give.

    PYTHONPATH=. .venv/bin/python benchmarks/bench_archived_filter.py --kb KB_DIR
        [--queries 100] [--archived-share 0.05]

The index is copied to a scratch directory and a seeded share of its documents is marked
archived in the copy's database (status only: chunks, vectors and postings are untouched).
Each of `--queries` lesson titles (seeded sample) is then searched, as the system viewer (the
CLI's), in hybrid mode with facets, three ways: on the original (no archived document: the
hiding rule is dropped, the unfiltered path), on the copy (the rule applies: the filtered
path), and on the copy with include_archived (no rule again), taking turns on each query.
Prints p50 and p95 in ms.
Run it with the embedder the index was built with (a fake-embedder index measures the SQL
and ranking; the real model adds the same query embedding to every variant).
"""

from __future__ import annotations

import argparse
import random
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import load_average, percentile  # noqa: E402

from kb.index.generations import DB_NAME, current_generation  # noqa: E402
from kb.knowledge_base import KnowledgeBase  # noqa: E402
from kb.search import Filters, SearchRequest  # noqa: E402
from kb.settings import Settings  # noqa: E402

SEED = 7


def archive_share(kb_dir: Path, share: float) -> int:
    """Mark `share` of the documents archived in the live generation's database; how many."""
    with sqlite3.connect(current_generation(kb_dir) / DB_NAME) as conn:
        rowids = [row[0] for row in conn.execute("SELECT rowid FROM documents ORDER BY rowid")]
        chosen = random.Random(SEED).sample(rowids, round(share * len(rowids)))
        conn.executemany(
            "UPDATE documents SET status = 'archived' WHERE rowid = ?", [(r,) for r in chosen]
        )
    return len(chosen)


def timings(variants: dict[str, tuple[KnowledgeBase, Filters]], queries: list[str]):
    """{variant: ms per query}; the variants take turns on each query, each going first in
    turn, so drift in the machine's load (other jobs on the cores) falls on all alike."""
    out: dict[str, list[float]] = {name: [] for name in variants}
    names = list(variants)
    for turn, query in enumerate([*queries[:5], *queries]):  # five warm caches and maps first
        for name in names[turn % len(names) :] + names[: turn % len(names)]:  # each goes first
            kb, filters = variants[name]
            started = time.perf_counter()
            kb.run_search(SearchRequest(query, 10, filters=filters, with_facets=True))
            out[name].append((time.perf_counter() - started) * 1000)
    return {name: values[5:] for name, values in out.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kb", type=Path, required=True)
    parser.add_argument("--queries", type=int, default=100)
    parser.add_argument("--archived-share", type=float, default=0.05)
    args = parser.parse_args()
    settings = Settings(kb_dir=args.kb, progress=False)
    original = KnowledgeBase(settings)
    titles = [row[0] for row in original.store.db.conn.execute("SELECT title FROM documents")]
    queries = random.Random(SEED).sample(titles, min(args.queries, len(titles)))
    with tempfile.TemporaryDirectory(prefix="bench-archived-") as scratch:
        copy = Path(scratch) / "kb"
        shutil.copytree(args.kb, copy, symlinks=True)
        archived = archive_share(copy, args.archived_share)
        copied = KnowledgeBase(Settings(kb_dir=copy, progress=False))
        runs = timings(
            {
                "no archived document (rule dropped)": (original, Filters(hide_archived=True)),
                f"{archived} archived, hidden (rule applies)": (
                    copied,
                    Filters(hide_archived=True),
                ),
                f"{archived} archived, include_archived": (copied, Filters()),
            },
            queries,
        )
    print(f"{len(queries)} queries, hybrid, k=10, facets; {load_average()}")
    for name, values in runs.items():
        print(f"{name}: p50 {percentile(values, 50):.1f} ms, p95 {percentile(values, 95):.1f} ms")


if __name__ == "__main__":
    main()
