"""Search latency over HTTP at 1,292 documents, 100k and 1M chunks, and the server's peak memory.

    .venv/bin/python benchmarks/bench_search_scale.py [--sizes nasa,100000,1000000]
        [--queries 200] [--k 10] [--endpoints api,page] [--server-env NAME=VALUE ...]

Indexes: `nasa` is the real NASA lessons index (1,292 documents, 6,470 chunks, real model;
.bench/nasa-index, built by bench_index_nasa.py if missing); a number is a generated index of
that many chunks (.bench/scaled-<chunks>, built by scaled_index.py on first use and reused;
its docstring says what is real and what is generated). Queries are those of
bench_search_http.py: ten questions a leader might type plus the titles of a seeded sample of
lessons; the server embeds each one with the real model.

For each size, `kb serve` runs in a child process (with the embedding backend the index was
built with); after a warm-up of 20 queries, every query is sent once, sequentially, to
`/api/search` (hits only) and `/?format=json` (the search page's data: hits, facet counts and
the "other departments" box). Peak memory is the server's VmHWM from /proc/<pid>/status,
read after the last request (with the current RSS split into private memory and mapped
files). `--server-env` adds environment variables to the server (e.g. OMP_NUM_THREADS=1).
The load average is printed too: other jobs on the cores skew latencies. Targets from the issue: p50 <= 30 ms at 100k chunks and
<= 100 ms at 1M chunks, over HTTP, on 2 cores.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from urllib.parse import urlencode

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_index_nasa import build_nasa_index  # noqa: E402
from bench_search_http import sample_queries  # noqa: E402
from common import (  # noqa: E402
    BENCH_DIR,
    env_pairs,
    load_average,
    memory_mb,
    percentile,
    served_process,
    time_requests,
)
from figures import emit, met  # noqa: E402
from scaled_index import describe, scaled_index  # noqa: E402

from kb.index.generations import Manifest, current_generation  # noqa: E402

WARM_UP = 20
P50_TARGETS = ((100_000, 30), (1_000_000, 100))  # `/api/search` p50 ms at chunks (issue target)
SERVED = {"api": "`/api/search`", "page": "the search page"}
ENDPOINT_LABELS = {"api": "`/api/search` over HTTP, p50 / p95",
                   "page": "search page JSON (`/?format=json`), p50 / p95"}  # fmt: skip
ENDPOINTS = {
    "api": ("/api/search", {}),
    "page": ("/", {"format": "json"}),
}


def index_for(size: str) -> Path:
    """The index directory for a size (`nasa` or a chunk count), built if missing."""
    if size == "nasa":
        kb_dir = BENCH_DIR / "nasa-index"
        if current_generation(kb_dir) is None:
            print(f"building {kb_dir} first ...", flush=True)
            build_nasa_index(kb_dir)
        return kb_dir
    kb_dir, record = scaled_index(int(size))
    print(f"  {describe(kb_dir, record)}", flush=True)
    return kb_dir


def urls(endpoint: str, queries: list[str], k: int) -> list[str]:
    path, extra = ENDPOINTS[endpoint]
    return [f"{path}?{urlencode({'q': q, 'k': k, **extra})}" for q in queries]


def server_env(kb_dir: Path, extra: dict) -> dict:
    """The index's own embedding backend (the default may differ), plus `extra`."""
    return {"KB_EMBEDDING_BACKEND": Manifest.read(current_generation(kb_dir)).backend, **extra}


def measure(kb_dir: Path, endpoints: list[str], queries: list[str], k: int, env: dict) -> dict:
    """{endpoint: timings in ms} plus "memory": the server's resident memory afterwards."""
    figures = {}
    with served_process(kb_dir, timeout=600, env=env) as (base, proc):
        with httpx.Client(base_url=base, timeout=120) as client:
            for endpoint in endpoints:
                time_requests(client, urls(endpoint, queries[:WARM_UP], k))
                figures[endpoint] = time_requests(client, urls(endpoint, queries, k))
        figures["memory"] = memory_mb(proc.pid)
    return figures


def report(size: str, kb_dir: Path, figures: dict) -> dict:
    """Print one size's figures; returns them in milliseconds and MiB, for `emit_figures`."""
    counts = Manifest.read(current_generation(kb_dir)).counts
    mb = figures.pop("memory")
    print(
        f"{size}: {counts['documents']:,} documents, {counts['chunks']:,} chunks; {load_average()}"
    )
    print(
        f"  server peak RSS (VmHWM) {mb['VmHWM']:,.0f} MiB; RSS after {mb['VmRSS']:,.0f} MiB"
        f" = {mb['RssAnon']:,.0f} private + {mb['RssFile']:,.0f} mapped files"
    )
    for endpoint, timings in figures.items():
        print(
            f"  {ENDPOINTS[endpoint][0]:<12} p50_ms {percentile(timings, 50):7.1f}   "
            f"p95_ms {percentile(timings, 95):7.1f}   max_ms {max(timings):7.1f}",
            flush=True,
        )
    chunks = counts["chunks"] if size == "nasa" else int(size)  # as asked, for the targets
    label = f"{counts['documents']:,} docs" if size == "nasa" else size_label(chunks)
    latency = {e: [round(percentile(t, p), 1) for p in (50, 95)] for e, t in figures.items()}
    return {"size": label, "chunks": chunks, "p50_p95_ms": latency,
            "server_peak_mib": round(mb["VmHWM"])}  # fmt: skip


def size_label(chunks: int) -> str:
    return f"{chunks / 1e6:g}M chunks" if chunks >= 1e6 else f"{chunks / 1e3:g}k chunks"


def emit_figures(sizes: list[dict], endpoints: list[str]) -> None:
    """One row per endpoint across the sizes, and the server's peak memory."""
    for endpoint in endpoints:
        p50 = {s["chunks"]: s["p50_p95_ms"][endpoint][0] for s in sizes}
        targets = P50_TARGETS if endpoint == "api" else ()
        checks = [f"≤ {limit} ms at {size_label(chunks)}: {met(p50[chunks] <= limit)}"
                  for chunks, limit in targets if chunks in p50]  # fmt: skip
        emit(
            ENDPOINT_LABELS[endpoint],
            "; ".join(
                f"{s['size']} {' / '.join(map(str, s['p50_p95_ms'][endpoint]))} ms" for s in sizes
            ),
            target=("p50 " + ", ".join(checks)) if checks else "",
            values={s["size"]: s["p50_p95_ms"][endpoint] for s in sizes},
        )
    emit(
        "server peak memory (VmHWM)",
        f"serving {' and '.join(SERVED[e] for e in endpoints)}: "
        + "; ".join(f"{s['size']} {s['server_peak_mib']:,} MiB" for s in sizes),
        values={s["size"]: s["server_peak_mib"] for s in sizes},
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="nasa,100000,1000000")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--k", type=int, default=10)
    parser.add_argument("--endpoints", default="api,page", help="api, page or both")
    parser.add_argument("--server-env", nargs="*", default=[], metavar="NAME=VALUE")
    args = parser.parse_args()
    queries = sample_queries(args.queries)
    endpoints = args.endpoints.split(",")
    print(
        f"HTTP search latency, {args.queries} queries per endpoint, k={args.k}, sequential; "
        f"{load_average()}"
    )
    sizes = []
    for size in args.sizes.split(","):
        kb_dir = index_for(size)
        env = server_env(kb_dir, env_pairs(args.server_env))
        sizes.append(report(size, kb_dir, measure(kb_dir, endpoints, queries, args.k, env)))
    emit_figures(sizes, endpoints)


if __name__ == "__main__":
    main()
