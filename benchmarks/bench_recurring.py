"""Recurring lessons on the NASA index: pairing time at index time, and `/recurring` and
document pages ("Learned before") over HTTP, p50 and p95.

    .venv/bin/python benchmarks/bench_recurring.py [--kb DIR] [--requests N]

Builds the index first (bench_index_nasa.py) if it does not exist. Pairing every lesson
(kb.index.lesson_pairs) is timed alone: it is what each request would pay if the pairs were
not written into the generation. Then, as an anonymous visitor after a warm-up, one request
at a time: the pages of `/recurring` (HTML and JSON twin), and the document pages of the
lessons it lists.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_index_nasa import build_nasa_index  # noqa: E402
from common import BENCH_DIR, percentile, served, time_requests  # noqa: E402
from figures import emit, met  # noqa: E402

from kb.index.generations import DB_NAME, require_generation  # noqa: E402
from kb.index.lesson_pairs import build_lesson_pairs  # noqa: E402
from kb.index.store import Store  # noqa: E402

TARGET_MS = 300


def pairing_seconds(kb_dir: Path) -> tuple[float, int]:
    """(seconds to pair every lesson of the live generation, pairs kept)."""
    store = Store(require_generation(kb_dir) / DB_NAME, read_only=True)
    started = time.perf_counter()
    pairs = build_lesson_pairs(store)
    seconds = time.perf_counter() - started
    store.close()
    return seconds, len(pairs.first)


def p50_p95(client: httpx.Client, urls: list[str]) -> list[float]:
    time_requests(client, urls[:3])  # warm-up
    timings = time_requests(client, urls)
    return [round(percentile(timings, p), 1) for p in (50, 95)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kb", type=Path, default=BENCH_DIR / "nasa-index")
    parser.add_argument("--requests", type=int, default=40)
    args = parser.parse_args()
    if not (args.kb / "current").exists():
        print(f"building {args.kb} first ...")
        build_nasa_index(args.kb)
    seconds, pairs = pairing_seconds(args.kb)
    print(f"Recurring lessons, index {args.kb}: pairing {seconds:.2f} s ({pairs} pairs kept)")
    results = {}
    with served(args.kb) as base, httpx.Client(base_url=base, timeout=60) as client:
        first = client.get("/recurring", params={"format": "json"}).json()
        numbers = [1 + n % first["pages"] for n in range(args.requests)]
        ids = [lesson["id"] for item in first["items"] for lesson in item["lessons"]]
        pages = {
            "recurring html": [f"/recurring?page={n}" for n in numbers],
            "recurring json": [f"/recurring?page={n}&format=json" for n in numbers],
            "document html": [f"/documents/{ids[n % len(ids)]}" for n in range(args.requests)],
        }
        print(
            f"  {first['total']} groups in {first['pages']} page(s); {args.requests} requests each"
        )
        for name, urls in pages.items():
            results[name] = p50_p95(client, urls)
            print(f"  {name:<15} p50_ms {results[name][0]:7.1f}   p95_ms {results[name][1]:7.1f}")
    worst = max(p95 for p50, p95 in results.values())
    emit(
        "NASA recurring lessons over HTTP, p50 / p95",
        "; ".join(f"{name} {p50} / {p95} ms" for name, (p50, p95) in results.items())
        + f"; pairing at index time {seconds:.2f} s",
        target=f"under {TARGET_MS} ms per page: {met(worst < TARGET_MS)}",
        values={"p50_p95_ms": results, "pairing_seconds": round(seconds, 2), "pairs": pairs},
    )


if __name__ == "__main__":
    main()
