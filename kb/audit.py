"""The record of reads of restricted documents: who was shown which one in full, when, and
through which route; admins list it (`kb audit reads`, /admin/reads).

SQLAlchemy is imported when a read is first recorded or listed, not with this module, so
the web app still starts without it (as kb/state/database.py explains). Rows go to the state
database (kb/state/tables.py `restricted_reads`) in batches written
behind the reader's back (ReadLog, kb/state/write_behind.py), and keep the reader's name rather than a key to the account, so the
record outlives a deleted account.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass

from kb.glossary.clock import Clock, timestamp, utc_now
from kb.state import StateDB
from kb.state.write_behind import WriteBehind

ROUTES = ("page", "json", "api")
MAX_PER_PAGE = 200
MAX_PAGE = 10_000
MAX_NAME_CHARS = 64
MAX_DOCUMENT_CHARS = 1000


class AuditFilterError(ValueError):
    """A filter of the read list is not valid; the message names it."""


@dataclass(frozen=True)
class RestrictedRead:
    user: str
    document_id: str
    route: str
    at: str


@dataclass(frozen=True)
class ReadFilters:
    user: str = ""
    document: str = ""
    since: str = ""  # a date (2026-12-01) or a timestamp (2026-12-01T08:00:00Z)
    page: int = 1
    per_page: int = 50

    def __post_init__(self):
        check_filters(self)


@dataclass(frozen=True)
class ReadPage:
    filters: ReadFilters
    reads: list[RestrictedRead]
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.filters.per_page))

    def to_dict(self) -> dict:
        return {
            "filters": asdict(self.filters),
            "total": self.total,
            "pages": self.pages,
            "reads": [asdict(read) for read in self.reads],
        }


def check_filters(filters: ReadFilters) -> None:
    if len(filters.user) > MAX_NAME_CHARS:
        raise AuditFilterError(f"user: at most {MAX_NAME_CHARS} characters")
    if len(filters.document) > MAX_DOCUMENT_CHARS:
        raise AuditFilterError(f"document: at most {MAX_DOCUMENT_CHARS} characters")
    if not 1 <= filters.page <= MAX_PAGE:
        raise AuditFilterError(f"page: a number from 1 to {MAX_PAGE}")
    if not 1 <= filters.per_page <= MAX_PER_PAGE:
        raise AuditFilterError(f"per_page: a number from 1 to {MAX_PER_PAGE}")
    if filters.since:
        since_timestamp(filters.since)


def since_timestamp(text: str) -> str:
    """The stored-timestamp form of `since`: a date means its first second (UTC)."""
    for pattern in ("%Y-%m-%d", "%Y-%m-%dT%H:%M:%SZ", "%Y-%m-%dT%H:%M:%S"):
        try:
            moment = dt.datetime.strptime(text, pattern).replace(tzinfo=dt.UTC)
        except ValueError:
            continue
        return timestamp(moment)
    raise AuditFilterError(
        f"since {text[:40]!r}: expected a date (2026-12-01) or a UTC time (2026-12-01T08:00:00Z)"
    )


class ReadLog:
    """Records reads without making the reader wait: `record` queues the row and a background
    thread writes the queue every `flush_seconds` (kb/state/write_behind.py says why and what
    a crash may lose); `list` and `close` write the queue first."""

    def __init__(self, state: StateDB, clock: Clock = utc_now, flush_seconds: float = 1.0):
        self.state = state
        self.clock = clock
        self._rows = WriteBehind(state, "restricted_reads", "restricted reads", flush_seconds)

    def record(self, user: str, document_id: str, route: str) -> None:
        """One read, now. `route` is page, json or api."""
        row = dict(user=user, document_id=document_id, route=route, at=timestamp(self.clock()))
        self._rows.add(row)

    def flush(self) -> None:
        """Write every queued read now; on a database error they stay queued for next time."""
        self._rows.flush()

    def close(self) -> None:
        """Stop the writer and write what is queued (at exit, too)."""
        self._rows.close()

    def list(self, filters: ReadFilters) -> ReadPage:
        """The reads matching `filters`, newest first, one page of them."""
        from sqlalchemy import func, select

        from kb.state.tables import restricted_reads

        self.flush()
        conditions = _conditions(filters, restricted_reads)
        columns = [restricted_reads.c[name] for name in ("user", "document_id", "route", "at")]
        query = (
            select(*columns)
            .where(*conditions)
            .order_by(restricted_reads.c.at.desc(), restricted_reads.c.id.desc())
            .limit(filters.per_page)
            .offset((filters.page - 1) * filters.per_page)
        )
        count = select(func.count()).select_from(restricted_reads).where(*conditions)
        with self.state.engine.connect() as conn:
            reads = [RestrictedRead(*row) for row in conn.execute(query)]
            total = conn.execute(count).scalar() or 0
        return ReadPage(filters, reads, total)


def _conditions(filters: ReadFilters, restricted_reads) -> list:
    conditions = []
    if filters.user:
        conditions.append(restricted_reads.c.user == filters.user)
    if filters.document:
        conditions.append(restricted_reads.c.document_id == filters.document)
    if filters.since:
        conditions.append(restricted_reads.c.at >= since_timestamp(filters.since))
    return conditions
