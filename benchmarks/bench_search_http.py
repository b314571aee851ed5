"""Search and related-lessons latency over HTTP on the NASA lessons index: p50 and p95.

    .venv/bin/python benchmarks/bench_search_http.py [--kb DIR] [--queries N]

Builds the index first (bench_index_nasa.py) if it does not exist. Queries are the titles of
a seeded random sample of the lessons, plus questions a leader might type; every query is run
once after a warm-up, sequentially, against `kb serve` in a separate process. Measured:

- `/api/search`: the JSON API (hits only);
- `/?format=json`: the search page's data, with facet counts and the "other departments" box;
- `/api/documents/{id}/related`: related lessons from other departments, for sampled lessons.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path
from urllib.parse import urlencode

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_index_nasa import build_nasa_index  # noqa: E402
from common import BENCH_DIR, NASA, percentile, served, time_requests  # noqa: E402
from figures import emit  # noqa: E402

LABELS = {"api_search": "`/api/search`", "page_with_facets": "search page JSON",
          "related": "related lessons"}  # fmt: skip

LEADER_QUESTIONS = [
    "hydrogen leak during fueling",
    "software configuration changes not tested",
    "contractor hand-off lost information",
    "schedule pressure and safety",
    "ground support equipment damaged during transport",
    "lessons about requirements verification",
    "budget overrun on facility construction",
    "training new operators",
    "single point failure in flight hardware",
    "procurement delays from vendors",
]


def sample_queries(count: int, seed: int = 7) -> list[str]:
    titles = [json.loads(line)["title"] for line in NASA.read_text().splitlines()]
    rng = random.Random(seed)
    return LEADER_QUESTIONS + rng.sample(titles, max(0, count - len(LEADER_QUESTIONS)))


def sample_ids(count: int, seed: int = 11) -> list[str]:
    numbers = [json.loads(line)["lesson_number"] for line in NASA.read_text().splitlines()]
    return [f"llis-{n}" for n in random.Random(seed).sample(numbers, count)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kb", type=Path, default=BENCH_DIR / "nasa-index")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--k", type=int, default=10)
    args = parser.parse_args()
    if not (args.kb / "current").exists():
        print(f"building {args.kb} first ...")
        build_nasa_index(args.kb)
    queries = sample_queries(args.queries)
    endpoints = {
        "api_search": [f"/api/search?{urlencode({'q': q, 'k': args.k})}" for q in queries],
        "page_with_facets": [
            f"/?{urlencode({'q': q, 'k': args.k, 'format': 'json'})}" for q in queries
        ],
        "related": [f"/api/documents/{doc_id}/related?k=5" for doc_id in sample_ids(args.queries)],
    }
    print(f"HTTP latency, index {args.kb}, {args.queries} requests per endpoint, k={args.k}")
    latencies = {}
    with served(args.kb) as base, httpx.Client(base_url=base, timeout=30) as client:
        for name, urls in endpoints.items():
            time_requests(client, urls[:20])  # warm-up: model, caches
            timings = time_requests(client, urls)
            latencies[name] = [round(percentile(timings, p), 1) for p in (50, 95)]
            print(
                f"  {name:<17} p50_ms {percentile(timings, 50):6.1f}   "
                f"p95_ms {percentile(timings, 95):6.1f}   max_ms {max(timings):6.1f}"
            )
    emit(
        "NASA over HTTP, one request at a time, p50 / p95",
        "; ".join(f"{LABELS[name]} {p50} / {p95} ms" for name, (p50, p95) in latencies.items()),
        values={"p50_p95_ms": latencies, "requests": args.queries, "k": args.k},
    )


if __name__ == "__main__":
    main()
