"""Retention of usage events: those older than `usage_retention_days` become monthly counts
(usage_summaries: month, kind, actor's department, document's department) and are dropped,
in one transaction, so the figures of past years survive without the events behind them.

Events are deleted with RETURNING and counted from what each DELETE returned: two servers
pruning at once (several share one PostgreSQL) each count only the rows they deleted, so no
event is summarized twice. Counts are added to existing summary rows with an upsert.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from kb.glossary.clock import timestamp
from kb.state import StateDB

BATCH = 5000  # events deleted per statement: memory stays bounded on a first, large prune


@dataclass(frozen=True)
class PruneResult:
    cutoff: str  # events before this moment were summarized and dropped
    events: int  # how many
    summaries: int  # summary rows added to or created


def prune_events(state: StateDB, retention_days: int, now: dt.datetime) -> PruneResult:
    """Summarize and drop the events older than `retention_days` before `now`."""
    from sqlalchemy import select

    from kb.state.tables import usage_events

    cutoff = timestamp(now - dt.timedelta(days=retention_days))
    counts: Counter = Counter()
    old = select(usage_events.c.seq).where(usage_events.c.at < cutoff)
    with state.current_engine().begin() as conn:
        while deleted := _delete_batch(conn, old.order_by(usage_events.c.seq).limit(BATCH)):
            counts.update((at[:7], kind, dep, doc_dep or "") for at, kind, dep, doc_dep in deleted)
        for key, events in counts.items():
            _add_to_summary(conn, key, events)
    return PruneResult(cutoff, sum(counts.values()), len(counts))


def _delete_batch(conn, seqs) -> list:
    from sqlalchemy import delete

    from kb.state.tables import usage_events

    c = usage_events.c
    statement = (
        delete(usage_events)
        .where(c.seq.in_(seqs.scalar_subquery()))
        .returning(c.at, c.kind, c.department, c.doc_department)
    )
    return conn.execute(statement).all()


def _add_to_summary(conn, key: tuple[str, str, str, str], events: int) -> None:
    """events += `events` on the summary row of `key`, created if there is none."""
    from kb.state.tables import usage_summaries

    month, kind, department, doc_department = key
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    statement = insert(usage_summaries).values(
        month=month, kind=kind, department=department, doc_department=doc_department,
        events=events,
    )  # fmt: skip
    conn.execute(
        statement.on_conflict_do_update(
            index_elements=["month", "kind", "department", "doc_department"],
            set_={"events": usage_summaries.c.events + statement.excluded.events},
        )
    )
