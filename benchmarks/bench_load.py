"""Load test on loopback: concurrent clients searching `kb serve` for a fixed time.

    .venv/bin/python benchmarks/bench_load.py [--kb DIR] [--clients 20] [--duration 30]
        [--max-requests 50000] [--endpoint api|page] [--k 10] [--server-env NAME=VALUE ...]

`kb serve` runs in a child process on the NASA index (.bench/nasa-index, built by
bench_index_nasa.py if missing) with the embedding backend the index was built with. This
process runs `--clients` threads, each with its own HTTP connection, sending the queries of
bench_search_http.py (leader questions and sampled lesson titles, each client starting at a
different one) back to back to `/api/search` (or the search page's JSON, `/?format=json`)
until `--duration` seconds have passed or `--max-requests` have been sent. Every response
that is not a 200, and every timeout or connection error, counts as an error.

Printed: requests, throughput (requests/s), latency p50/p95/p99/max, errors by kind, and the
server's peak memory (VmHWM). Clients and server share the machine's cores, as they would
on a small server with a local reverse proxy.
"""

from __future__ import annotations

import argparse
import itertools
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_search_http import sample_queries  # noqa: E402
from bench_search_scale import index_for, server_env, urls  # noqa: E402
from common import (  # noqa: E402
    BENCH_DIR,
    env_pairs,
    load_average,
    memory_mb,
    percentile,
    served_process,
)
from figures import emit, met  # noqa: E402


@dataclass
class Tally:
    """What all clients saw; `budget` hands out request numbers up to the cap."""

    deadline: float
    max_requests: int
    budget: itertools.count = field(default_factory=itertools.count)
    timings: list[float] = field(default_factory=list)
    errors: Counter = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def next_request(self) -> bool:
        return time.monotonic() < self.deadline and next(self.budget) < self.max_requests

    def record(self, milliseconds: float, error: str | None) -> None:
        with self.lock:
            self.timings.append(milliseconds)
            if error:
                self.errors[error] += 1


def client(base: str, paths: list[str], offset: int, tally: Tally) -> None:
    """One connection sending requests back to back until time or the budget runs out."""
    with httpx.Client(base_url=base, timeout=30) as http:
        for path in itertools.islice(itertools.cycle(paths), offset, None):
            if not tally.next_request():
                return
            started = time.perf_counter()
            error = None
            try:
                status = http.get(path).status_code
                error = None if status == 200 else f"HTTP {status}"
            except httpx.HTTPError as exc:
                error = type(exc).__name__
            tally.record((time.perf_counter() - started) * 1000, error)


def run_load(base: str, paths: list[str], clients: int, duration: float, cap: int) -> tuple:
    """(tally, wall seconds) of `clients` concurrent clients for `duration` seconds."""
    started = time.monotonic()
    tally = Tally(deadline=started + duration, max_requests=cap)
    step = max(1, len(paths) // clients)
    with ThreadPoolExecutor(max_workers=clients) as pool:
        futures = [pool.submit(client, base, paths, i * step, tally) for i in range(clients)]
        for future in futures:
            future.result()
    return tally, time.monotonic() - started


def report(tally: Tally, seconds: float, memory: dict, what: str) -> None:
    timings, errors = tally.timings, sum(tally.errors.values())
    print(f"  requests     {len(timings):,} in {seconds:.1f} s")
    print(f"  throughput   {len(timings) / seconds:.1f} requests/s")
    print(
        f"  latency_ms   p50 {percentile(timings, 50):.1f}   p95 {percentile(timings, 95):.1f}"
        f"   p99 {percentile(timings, 99):.1f}   max {max(timings):.1f}"
    )
    kinds = ", ".join(f"{kind} {n}" for kind, n in tally.errors.most_common()) or "none"
    print(f"  errors       {errors} ({kinds})")
    print(f"  server peak RSS (VmHWM) {memory['VmHWM']:,.0f} MiB")
    p50, p95, p99 = (percentile(timings, p) for p in (50, 95, 99))
    emit(
        what,
        f"{len(timings):,} requests, {len(timings) / seconds:.1f} requests/s, p50 {p50:.0f} ms,"
        f" p99 {p99:.0f} ms, {errors} errors; server peak {memory['VmHWM']:,.0f} MiB",
        target=f"0 errors: {met(errors == 0)}",
        values={
            "requests": len(timings),
            "seconds": round(seconds, 1),
            "errors": errors,
            "p50_ms": round(p50, 1),
            "p95_ms": round(p95, 1),
            "p99_ms": round(p99, 1),
            "server_peak_mib": round(memory["VmHWM"]),
        },
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kb", type=Path, default=BENCH_DIR / "nasa-index")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--duration", type=float, default=30.0, help="seconds")
    parser.add_argument("--max-requests", type=int, default=50_000)
    parser.add_argument("--endpoint", choices=("api", "page"), default="api")
    parser.add_argument("--k", type=int, default=10)
    parser.add_argument("--server-env", nargs="*", default=[], metavar="NAME=VALUE")
    args = parser.parse_args()
    kb_dir = index_for("nasa") if args.kb == BENCH_DIR / "nasa-index" else args.kb
    paths = urls(args.endpoint, sample_queries(200), args.k)
    env = server_env(kb_dir, env_pairs(args.server_env))
    print(f"load test: {args.clients} clients, {args.duration:.0f} s, {args.endpoint}, {kb_dir}")
    print(f"  server environment {env}; {load_average()} before")
    with served_process(kb_dir, timeout=600, env=env) as (base, proc):
        run_load(base, paths[:20], 2, 5.0, 40)  # warm-up: model, caches
        tally, seconds = run_load(base, paths, args.clients, args.duration, args.max_requests)
        memory = memory_mb(proc.pid)
    page = "" if args.endpoint == "api" else ", search page"
    report(
        tally, seconds, memory, f"load test, {args.clients} clients, {args.duration:.0f} s{page}"
    )
    print(f"  {load_average()} after")


if __name__ == "__main__":
    main()
