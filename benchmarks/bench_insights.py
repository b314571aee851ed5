"""Time to compute the insights (kb/insights/figures.py) over one year of usage events, at
10,000 and at 1,000,000 events, and the size of the event tables.

    .venv/bin/python benchmarks/bench_insights.py [--kb DIR] [--events 10000 1000000]
        [--runs 5] [--postgres]

The NASA index is built once with the fake embedder (the figures never embed). For each
count, a fresh state database (SQLite beside the index; with --postgres also a database on
a throwaway PostgreSQL server, tests/postgres.py) gets 10 accounts per NASA department and
that many synthetic events, bulk-inserted, spread over the year ending on the newest NASA
document: views (30% opened from a search), related and other-departments clicks, pack
inclusions, searches over 3,000 queries, contributions and action changes. compute_insights
then runs --runs times as the system viewer and as a reader of one department; the script
prints the first (cold) run and the median of the others, and the tables' bytes on disk.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench_actions_page import nasa_settings  # noqa: E402
from common import BENCH_DIR, load_average  # noqa: E402
from figures import emit  # noqa: E402

from kb.access import Viewer  # noqa: E402
from kb.insights.model import Period  # noqa: E402
from kb.knowledge_base import KnowledgeBase  # noqa: E402

KINDS = (  # (kind, share of events)
    ("view", 0.45), ("related_click", 0.08), ("other_departments_click", 0.03),
    ("pack_include", 0.02), ("search", 0.37), ("contribution", 0.03), ("action_change", 0.02),
)  # fmt: skip
QUERIES = 3_000
BATCH = 20_000
TARGETS = {10_000: 0.5, 1_000_000: 3.0}  # seconds, from the issue


def synthetic_events(count: int, docs: list[tuple[str, str]], period: Period, seed: int = 7):
    """`count` event rows over the period, in batches (never all in memory)."""
    rng = random.Random(seed)
    kinds = [kind for kind, _ in KINDS]
    weights = [share for _, share in KINDS]
    departments = sorted({department for _, department in docs})
    first = date.fromisoformat(period.since)
    batch = []
    for n in range(count):
        kind = rng.choices(kinds, weights)[0]
        doc_id, doc_department = rng.choice(docs)
        day = first + timedelta(days=rng.randrange(365))
        row = {
            "at": f"{day}T{rng.randrange(24):02d}:{rng.randrange(60):02d}:00Z",
            "kind": kind,
            "department": rng.choice(departments) if n % 10 else "",
            "user_name": None,
            "doc_id": None,
            "doc_department": None,
            "query": None,
            "results": None,
            "detail": "",
        }
        _fill(row, rng, doc_id, doc_department)
        batch.append(row)
        if len(batch) == BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def _fill(row: dict, rng: random.Random, doc_id: str, doc_department: str) -> None:
    kind, query = row["kind"], f"query {int(rng.paretovariate(1.2)) % QUERIES}"
    if kind == "search":
        row.update(query=query, results=rng.choice((0, 0, 1, 3, 10, 25, 50)))
    elif kind == "contribution":  # as kb/insights/events.py records them: one a change
        state = rng.choice(("submitted", "published", "returned"))
        detail = {"contribution": f"c{rng.randrange(5_000)}", "state": state}
        if state == "published":
            detail["positive"] = rng.random() < 0.3
        row.update(doc_department=doc_department, detail=json.dumps(detail))
    elif kind == "action_change":
        row["detail"] = json.dumps({"status": rng.choice(("in-progress", "done", "dropped"))})
    else:
        row.update(doc_id=doc_id, doc_department=doc_department)
        if kind == "view" and rng.random() < 0.3:
            row["query"] = query


def seed(state, kb: KnowledgeBase, count: int, period: Period) -> float:
    """Accounts and `count` events in `state`; the seconds it took."""
    from sqlalchemy import insert

    from kb.state.tables import usage_events, user_departments, users

    docs = [(row[0], row[1]) for row in kb.store.documents.dated(_all(kb))]
    departments = sorted({department for _, department in docs})
    started = time.perf_counter()
    with state.current_engine().begin() as conn:
        ids = {i * 10 + j + 1: department for i, department in enumerate(departments)
               for j in range(10)}  # fmt: skip
        conn.execute(insert(users), [
            {"id": n, "name": f"u{n}", "role": "reader", "password_hash": "-",
             "created_at": "2025-01-01T00:00:00Z"} for n in ids
        ])  # fmt: skip
        conn.execute(
            insert(user_departments), [{"user_id": n, "department": d} for n, d in ids.items()]
        )
        for batch in synthetic_events(count, docs, period):
            conn.execute(insert(usage_events), batch)
    return time.perf_counter() - started


def _all(kb: KnowledgeBase):
    from kb.index.filters import Filters

    return Filters(default_sensitivity=kb.settings.default_sensitivity)


def table_bytes(state) -> int:
    """Bytes on disk of the event tables with their indexes."""
    from sqlalchemy import text

    with state.current_engine().connect() as conn:
        if not state.is_sqlite:
            sql = (
                "SELECT pg_total_relation_size('usage_events')"
                " + pg_total_relation_size('usage_summaries')"
            )
            return int(conn.execute(text(sql)).scalar())
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        sql = (
            "SELECT SUM(pgsize) FROM dbstat WHERE name LIKE 'usage%'"
            " OR name LIKE 'sqlite_autoindex_usage%'"
        )
        return int(conn.execute(text(sql)).scalar())


def timed(kb, state, viewer: Viewer, period: Period, runs: int) -> tuple[float, float, float]:
    """(first run, median of the others, median CPU time of the others) in seconds: on a
    crowded machine the CPU time says what the work costs, the wall time what one waits."""
    from kb.actions import ActionBook
    from kb.insights.figures import compute_insights

    times, cpu = [], []
    for _ in range(runs):
        book = ActionBook(kb, state)
        started, used = time.perf_counter(), time.process_time()
        compute_insights(kb, state, book, viewer, period)
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - used)
    return times[0], statistics.median(times[1:] or times), statistics.median(cpu[1:] or cpu)


def measure(kb, state, backend: str, count: int, period: Period, runs: int) -> None:
    seconds = seed(state, kb, count, period)
    size = table_bytes(state)
    print(f"{backend}, {count:,} events: inserted in {seconds:.1f} s; event tables "
          f"{size / 1e6:.1f} MB ({size / count:.0f} bytes an event)")  # fmt: skip
    department = kb.store.documents.departments()[0][0]
    for label, viewer in (
        ("system viewer", Viewer.system()),
        (f"reader of {department}", Viewer(True, "u1", (department,))),
    ):
        first, warm, cpu = timed(kb, state, viewer, period, runs)
        target = TARGETS.get(count)
        met = (
            ""
            if target is None
            else f" (target < {target:g} s: {'met' if warm < target else 'MISSED'})"
        )
        print(f"  compute_insights as {label}: first {first * 1000:.0f} ms, median "
              f"{warm * 1000:.0f} ms (CPU {cpu * 1000:.0f} ms){met}; {load_average()}")  # fmt: skip
        emit(
            f"compute insights, {count:,} events, {backend}, {label.split(' of ')[0]}",
            f"first {first * 1000:.0f} ms, median {warm * 1000:.0f} ms (CPU {cpu * 1000:.0f} ms)",
            target="" if target is None else f"< {target:g} s",
            values={"events": count, "first_ms": round(first * 1000), "median_ms":
                    round(warm * 1000), "cpu_ms": round(cpu * 1000), "table_bytes": size},
        )  # fmt: skip


def year_of(kb: KnowledgeBase) -> Period:
    """The year ending on the newest document's date."""
    newest = max(row[2] for row in kb.store.documents.dated(_all(kb)))
    last = date.fromisoformat(newest)
    return Period((last - timedelta(days=364)).isoformat(), last.isoformat())


def sqlite_state(folder: Path, count: int):
    from kb.state import StateDB

    path = folder / f"insights-state-{count}.sqlite"
    for stale in folder.glob(f"{path.name}*"):
        stale.unlink()
    state = StateDB(f"sqlite:///{path}", folder)
    state.require_current()
    return state


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kb", type=Path, default=BENCH_DIR / "nasa-insights-index")
    parser.add_argument("--events", type=int, nargs="+", default=[10_000, 1_000_000])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--postgres", action="store_true", help="also on PostgreSQL")
    args = parser.parse_args()
    kb = KnowledgeBase(nasa_settings(args.kb))
    period = year_of(kb)
    print(f"NASA index: {kb.store.documents.count():,} documents; period {period.since} to "
          f"{period.until}")  # fmt: skip
    server = _postgres() if args.postgres else None
    try:
        for count in args.events:
            state = sqlite_state(args.kb.parent, count)
            measure(kb, state, "SQLite", count, period, args.runs)
            state.dispose()
            if server is not None:
                from kb.state import StateDB

                url = server.create_database()
                state = StateDB(url, args.kb.parent)
                state.require_current()
                measure(kb, state, "PostgreSQL", count, period, args.runs)
                state.dispose()
                server.drop_database(url)
    finally:
        if server is not None:
            server.stop()


def _postgres():
    from tests.postgres import PostgresServer, postgres_bin

    bin_dir = postgres_bin()
    if bin_dir is None:
        sys.exit("--postgres: PostgreSQL is not installed (/usr/lib/postgresql/*/bin)")
    return PostgresServer(bin_dir)


if __name__ == "__main__":
    main()
