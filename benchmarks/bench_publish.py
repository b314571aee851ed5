"""Publish-to-searchable time: contributions published one after another into a copy of
the NASA index, each polled through a running `kb serve` until search finds it.

    .venv/bin/python benchmarks/bench_publish.py --nasa-index DIR [-n 20] [--no-mining]

DIR is an index built by bench_index_nasa.py (real model); it is copied, never written.
The first publish loads the model (a server loads it once) and is reported apart; the
other N give p50/p95 from the call to the first search that finds the new document.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import load_average, percentile, served  # noqa: E402
from figures import emit  # noqa: E402

from indexer.publish import index_published  # noqa: E402
from kb.settings import Settings  # noqa: E402

POLL_SECONDS = 0.02
GIVE_UP_SECONDS = 60.0


def contribution(folder: Path, number: int) -> tuple[Path, str]:
    """A new lesson with a word no other document has; (its path, the word)."""
    word = f"zorblax{number:03d}qv"
    path = folder / "engineering" / f"bench-{number:03d}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        f"---\ntitle: The {word} valve seized after a cold soak\ntype: lesson\n"
        "department: Engineering\ndate: 2026-12-01\nsensitivity: public\n---\n\n"
        f"## What happened\n\nThe {word} valve seized after twelve hours in the thermal "
        "vacuum chamber at minus forty degrees.\n\n## Lesson\n\nQualify valves at the "
        "coldest soak temperature they will see in flight, not at the chamber's default.\n"
    )
    return path, word


def publish_until_found(client: httpx.Client, base: str, settings: Settings, n: int) -> dict:
    """Seconds from the call to the first search that finds document ``n``; the call's own."""
    path, word = contribution(Path(settings.kb_dir) / "contributions", n)
    started = time.perf_counter()
    run = index_published([path], settings)
    returned = time.perf_counter() - started
    while time.perf_counter() - started < GIVE_UP_SECONDS:
        hits = client.get(f"{base}/api/search", params={"q": word, "mode": "keyword"})
        if any(word in hit["title"] for hit in hits.json()):
            return {"searchable": time.perf_counter() - started, "call": returned, "run": run}
        time.sleep(POLL_SECONDS)
    raise RuntimeError(f"{word} not searchable after {GIVE_UP_SECONDS} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nasa-index", type=Path, required=True)
    parser.add_argument("-n", type=int, default=20)
    parser.add_argument("--no-mining", action="store_true")
    args = parser.parse_args()
    # A mining round may still be writing when the run ends: the copy goes regardless.
    with tempfile.TemporaryDirectory(
        prefix="bench-publish-", ignore_cleanup_errors=True
    ) as scratch:
        kb_dir = Path(scratch) / "kb"
        shutil.copytree(args.nasa_index, kb_dir, symlinks=True)
        settings = Settings(kb_dir=kb_dir, progress=False, glossary_mining=not args.no_mining)
        with served(kb_dir) as base, httpx.Client(timeout=30) as client:
            first = publish_until_found(client, base, settings, 0)
            timed = [publish_until_found(client, base, settings, n) for n in range(1, args.n + 1)]
        report(first, timed, args)


def report(first: dict, timed: list[dict], args) -> None:
    searchable = [t["searchable"] for t in timed]
    calls = [t["call"] for t in timed]
    p50, p95 = percentile(searchable, 50), percentile(searchable, 95)
    mining = "off" if args.no_mining else "in the background"
    print(f"publish into a NASA index copy, glossary mining {mining} ({load_average()})")
    print(f"  first publish (loads the model): {first['searchable']:.2f} s to searchable")
    print(f"  {len(timed)} publishes: call-to-searchable p50 {p50:.2f} s, p95 {p95:.2f} s, "
          f"max {max(searchable):.2f} s")  # fmt: skip
    print(
        f"  the call itself: p50 {percentile(calls, 50):.2f} s, p95 {percentile(calls, 95):.2f} s"
    )
    emit(
        f"Publish to searchable, NASA index, glossary mining {mining}",
        f"p50 {p50:.2f} s, p95 {p95:.2f} s over {len(timed)} publishes "
        f"(first, loading the model: {first['searchable']:.1f} s)",
        target="p50 within 5 s",
        values={"p50": p50, "p95": p95, "first": first["searchable"], "n": len(timed)},
    )


if __name__ == "__main__":
    main()
