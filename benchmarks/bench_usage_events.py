"""The cost of recording usage events (issue #24): what `record` costs a request, how fast
the background writer stores them, the size of the table per event, and how long
`prune` takes to summarize and drop them.

    .venv/bin/python benchmarks/bench_usage_events.py [--events N] [--database-url URL]

Records N views and searches spread over departments through EventRecorder (the web's
recorder), times the calls (they only queue), then the flushes, then a prune that finds
every event past retention. The state database is a new embedded SQLite file under a
temporary directory unless --database-url names another (an empty one).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from figures import emit  # noqa: E402

DEPARTMENTS = ("Engineering", "Finance", "Operations", "HR", "Legal", "Sales")
FLUSH_EVERY = 5000  # about what a busy server queues between two writes


def record(recorder, events: int) -> float:
    """Seconds spent in the recording calls alone (they queue), flushing every FLUSH_EVERY."""
    from kb.access import Viewer

    spent = 0.0
    for n in range(events):
        viewer = Viewer(True, "", (DEPARTMENTS[n % 6],))
        started = time.perf_counter()
        if n % 4:
            recorder.view(viewer, f"doc-{n % 997}", DEPARTMENTS[n % 5], via="")
        else:
            recorder.search(viewer, f"valve gasket {n % 113}", {"departments": []}, n % 7)
        spent += time.perf_counter() - started
        if n % FLUSH_EVERY == FLUSH_EVERY - 1:
            recorder.flush()
    return spent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    if not 1 <= args.events <= 5_000_000:
        parser.error("--events: from 1 to 5,000,000")
    from kb.insights.events import EventRecorder
    from kb.state import StateDB

    with tempfile.TemporaryDirectory(prefix="bench-usage-") as folder:
        url = args.database_url or f"sqlite:///{folder}/state.sqlite"
        state = StateDB(url, Path(folder))
        state.require_current()
        start = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
        ticks = iter(start + dt.timedelta(seconds=30 * n) for n in range(args.events))
        recorder = EventRecorder(state, retention_days=1, clock=lambda: next(ticks))
        before = time.perf_counter()
        calls = record(recorder, args.events)
        recorder.flush()
        total = time.perf_counter() - before
        size = Path(folder, "state.sqlite").stat().st_size if not args.database_url else 0
        pruned_at = time.perf_counter()
        result = recorder.prune(start + dt.timedelta(days=3650))
        prune_seconds = time.perf_counter() - pruned_at
        state.dispose()
    per_call_us = calls / args.events * 1e6
    written_per_s = args.events / max(total - calls, 1e-9)
    print(f"events:        {args.events:,}")
    print(f"record call:   {per_call_us:.1f} µs each (queue only)")
    print(f"stored:        {written_per_s:,.0f} events/s in batches of {FLUSH_EVERY:,}")
    if size:
        print(f"SQLite file:   {size / 1e6:.1f} MB, {size / args.events:.0f} bytes per event")
    print(f"prune:         {result.events:,} events into {result.summaries} monthly counts "
          f"in {prune_seconds:.2f} s")  # fmt: skip
    values = {"events": args.events, "record_us": round(per_call_us, 1),
              "stored_per_s": round(written_per_s), "bytes_per_event": round(size / args.events),
              "prune_s": round(prune_seconds, 2)}  # fmt: skip
    emit(f"Usage events: record call, storage, prune ({args.events:,} events)",
         f"{per_call_us:.1f} µs per call; {written_per_s:,.0f} stored/s; "
         f"{size / args.events:.0f} B/event; prune {prune_seconds:.2f} s", values=values)  # fmt: skip


if __name__ == "__main__":
    main()
