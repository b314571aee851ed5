"""Filtered vector search on an IVF index: the scaled probe against exact search over the
allowed chunks, recall@10 and @100, and latency.

    .venv/bin/python benchmarks/bench_filtered_recall.py [--chunks 1000000] [--queries 200]

Index: .bench/scaled-<chunks> (scaled_index.py builds it; its docstring says what is real and
what is generated). Queries: bench_search_http.py's 200, embedded with the real model. Two
filters per query, as the search page makes them:

- other departments: every department but those of the query's 10 nearest chunks (the box
  of lessons from other departments; keeps most chunks);
- one department: the department of the query's 50th nearest chunk (keeps a few percent).

For each, `IvfIndex.search` (probing IVF_NPROBE * FILTERED_PROBE_MARGIN / share clusters)
is compared with a search of every cluster, which is exact over the allowed chunks.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from unittest.mock import patch

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_search_http import sample_queries  # noqa: E402
from common import BENCH_DIR, percentile  # noqa: E402

from kb.index.filters import Filters  # noqa: E402
from kb.index.vectors import ivf  # noqa: E402
from kb.knowledge_base import KnowledgeBase  # noqa: E402
from kb.settings import Settings  # noqa: E402


def departments_where(store, chunk_ids: list[int]) -> list[str]:
    owners = store.chunks.owners(chunk_ids)
    rows = store.documents.rows(sorted(set(owners.values())))
    return sorted({rows[rowid]["department"] for rowid in owners.values()})


def exhaustive(vectors, query, k, allowed) -> list[int]:
    """The same search probing every cluster: exact over the allowed chunks."""
    with patch.object(ivf, "FILTERED_PROBE_MARGIN", 10**9):
        return [i for i, _ in vectors.search(query, k, allowed)]


def measure(kb, queries, vectors_of) -> dict[str, dict[str, list[float]]]:
    store, vectors = kb.generation.store, kb.generation.vectors
    figures = {name: {"r10": [], "r100": [], "ms": [], "exact_ms": [], "share": []}
               for name in ("other departments", "one department")}  # fmt: skip
    for query in queries:
        vector = vectors_of[query]
        nearest = [i for i, _ in vectors.search(vector, 50)]
        shown = departments_where(store, nearest[:10])
        filters = {
            "other departments": Filters(exclude_departments=tuple(shown)),
            "one department": Filters(departments=tuple(departments_where(store, nearest[-1:]))),
        }
        for name, passing in filters.items():
            allowed = store.chunks.ids_passing(passing)
            started = time.perf_counter()
            found = [i for i, _ in vectors.search(vector, 100, allowed)]
            took = time.perf_counter() - started
            started = time.perf_counter()
            truth = exhaustive(vectors, vector, 100, allowed)
            exact_took = time.perf_counter() - started
            row = figures[name]
            row["r10"].append(len(set(found[:10]) & set(truth[:10])) / max(1, len(truth[:10])))
            row["r100"].append(len(set(found) & set(truth)) / max(1, len(truth)))
            row["ms"].append(took * 1000)
            row["exact_ms"].append(exact_took * 1000)
            row["share"].append(len(allowed) / len(vectors))
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chunks", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args()
    kb_dir = BENCH_DIR / f"scaled-{args.chunks}"
    if not (kb_dir / "current").exists():
        raise SystemExit(f"{kb_dir} missing: run scaled_index.py --chunks {args.chunks} first")
    kb = KnowledgeBase(Settings(kb_dir=kb_dir, progress=False))
    kb.prepare_for_serving()
    queries = sample_queries(args.queries)
    vectors_of = dict(zip(queries, kb.embed_queries(queries), strict=True))
    vectors = kb.generation.vectors
    print(f"{kb_dir.name}: {len(vectors):,} vectors, {vectors.kind}, {len(queries)} queries")
    for name, row in measure(kb, queries, vectors_of).items():
        share = np.mean(row["share"])
        print(f"  {name:<18} share kept {share:.3f} (probe {vectors.filtered_nprobe(int(share * len(vectors)))} "
              f"of {vectors.nlist} clusters)")  # fmt: skip
        print(f"    recall@10 {np.mean(row['r10']):.4f}  recall@100 {np.mean(row['r100']):.4f}")
        print(f"    probe p50_ms {percentile(row['ms'], 50):.1f} p95_ms {percentile(row['ms'], 95):.1f};"
              f" every cluster p50_ms {percentile(row['exact_ms'], 50):.1f}"
              f" p95_ms {percentile(row['exact_ms'], 95):.1f}")  # fmt: skip


if __name__ == "__main__":
    main()
