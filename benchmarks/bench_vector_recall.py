"""Approximate (IVF) against exact vector search: recall@10 and latency at a given size.

    .venv/bin/python benchmarks/bench_vector_recall.py [--size 100000] [--queries 200]

Vectors are the real MiniLM chunk embeddings of the SciFact and NASA indexes kept under
.bench/ (built by `kb eval retrieval --index-dir` and bench_index_nasa.py), grown to the
requested size with variations: each copy is a real vector plus small Gaussian noise,
renormalized. Queries are other real vectors with their own noise.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import BENCH_DIR, percentile  # noqa: E402

from kb.index.generations import DB_NAME, current_generation  # noqa: E402
from kb.index.store import Store  # noqa: E402
from kb.index.vectors import VectorIndex, create_vector_index  # noqa: E402


def real_vectors() -> np.ndarray:
    parts = []
    for name in ("scifact-index", "nasa-index"):
        gen = current_generation(BENCH_DIR / name)
        if gen is not None:
            parts.append(Store(gen / DB_NAME, read_only=True).embeddings.of_all_chunks()[1])
    if not parts:
        raise SystemExit("no index under .bench/: run bench_index_nasa.py first")
    return np.concatenate(parts)


def grown(base: np.ndarray, size: int, noise: float, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    picks = base[rng.integers(0, len(base), size)]
    noisy = picks + noise * rng.normal(size=picks.shape).astype(np.float32)
    return (noisy / np.linalg.norm(noisy, axis=1, keepdims=True)).astype(np.float32)


def timed_search(index: VectorIndex, queries: np.ndarray) -> tuple[list[set[int]], list[float]]:
    results, timings = [], []
    for query in queries:
        started = time.perf_counter()
        results.append({i for i, _ in index.search(query, 10)})
        timings.append((time.perf_counter() - started) * 1000)
    return results, timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--noise", type=float, default=0.02)
    args = parser.parse_args()
    vectors = grown(real_vectors(), args.size, args.noise, seed=0)
    ids = np.arange(len(vectors), dtype=np.int64)
    queries = grown(real_vectors(), args.queries, args.noise * 2, seed=1)
    exact = create_vector_index("flat", ids, vectors, vectors.shape[1])
    started = time.perf_counter()
    approx = create_vector_index("ivf", ids, vectors, vectors.shape[1])
    build_seconds = time.perf_counter() - started
    truth, exact_ms = timed_search(exact, queries)
    found, approx_ms = timed_search(approx, queries)
    recall = np.mean([len(t & f) / 10 for t, f in zip(truth, found, strict=True)])
    print(
        f"{args.size:,} vectors, {args.queries} queries, index {approx.kind} (built in {build_seconds:.1f}s)"
    )
    print(f"  recall@10 vs exact  {recall:.4f}")
    print(f"  exact  p50_ms {percentile(exact_ms, 50):.2f}  p95_ms {percentile(exact_ms, 95):.2f}")
    print(
        f"  ivf    p50_ms {percentile(approx_ms, 50):.2f}  p95_ms {percentile(approx_ms, 95):.2f}"
    )


if __name__ == "__main__":
    main()
