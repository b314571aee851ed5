"""Failed sign-ins in the state database (table `sign_in_failures`): one row per account name
and per source address with a current run of failures, shared by every server process on
that database, so that they count together and a lock survives a restart.

Writes are optimistic, as in the term store: a row is replaced only if it still holds what
was read, and a write that lost to another server's reads again, so both failures count.

The table is bounded. A row is forgotten once its run is over (`expires_at`: the lock has
ended and the counting window has passed), and expired rows are purged whenever a new row is
added. Rows of one kind never exceed `max_tracked` (default 10,000; about 150 bytes each):
a new row beyond that evicts the rows closest to expiring, so a flood of made-up names or
addresses costs at most 2 x max_tracked rows, and each row costs its sender a password check.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable

from sqlalchemy import Connection, Engine, and_, delete, func, insert, or_, select, update
from sqlalchemy.exc import IntegrityError, OperationalError

from kb.glossary.clock import Clock, parse_timestamp, timestamp, utc_now
from kb.glossary.throttle import FailureRun, SignInLimits, SignInThrottle
from kb.state.tables import sign_in_failures as table

RACES = 10  # writes that may lose to other servers' before one gives up (each loser counted)


class _LostRace(Exception):
    """Another server changed the row between our read and our write."""


def key_hash(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def _where(kind: str, value: str):
    return and_(table.c.kind == kind, table.c.key_hash == key_hash(value))


def _run(row) -> FailureRun:
    return FailureRun(
        row.failures,
        parse_timestamp(row.first_at),
        parse_timestamp(row.retry_at),
        parse_timestamp(row.expires_at),
    )


def _values(run: FailureRun) -> dict:
    return {
        "failures": run.failures,
        "first_at": timestamp(run.first_at),
        "retry_at": timestamp(run.retry_at),
        "expires_at": timestamp(run.expires_at),
    }


class FailureStore:
    def __init__(self, engine: Engine, max_tracked: int):
        self.engine = engine
        self.max_tracked = max_tracked

    def runs(self, keys: dict[str, str]) -> list[FailureRun]:
        """The runs on record for {kind: value}, in one query."""
        query = select(table).where(or_(*(_where(kind, value) for kind, value in keys.items())))
        with self.engine.connect() as conn:
            return [_run(row) for row in conn.execute(query)]

    def record(
        self,
        kind: str,
        value: str,
        change: Callable[[FailureRun | None], FailureRun],
        now: dt.datetime,
    ) -> None:
        """Replace the run of (kind, value) by change(run on record or None)."""
        for race in range(RACES):
            try:
                with self.engine.begin() as conn:
                    added = self._replace(conn, kind, value, change)
            except (_LostRace, IntegrityError):
                continue  # another server recorded first: read its run and add ours
            except OperationalError:
                if race == RACES - 1:
                    raise
                continue  # SQLite: another process wrote since we read (SQLITE_BUSY_SNAPSHOT)
            if added:
                self._bound(kind, now)
            return

    def _replace(self, conn: Connection, kind: str, value: str, change) -> bool:
        """True if a new row was added."""
        row = conn.execute(select(table).where(_where(kind, value))).first()
        new = _values(change(_run(row) if row else None))
        if row is None:
            conn.execute(insert(table).values(kind=kind, key_hash=key_hash(value), **new))
            return True
        unchanged = and_(table.c.failures == row.failures, table.c.first_at == row.first_at)
        done = conn.execute(update(table).where(_where(kind, value), unchanged).values(**new))
        if done.rowcount != 1:
            raise _LostRace
        return False

    def _bound(self, kind: str, now: dt.datetime) -> None:
        """Purge expired rows; then evict the rows of `kind` closest to expiring beyond
        max_tracked."""
        with self.engine.begin() as conn:
            conn.execute(delete(table).where(table.c.expires_at <= timestamp(now)))
            count = conn.execute(select(func.count()).where(table.c.kind == kind)).scalar()
            if count <= self.max_tracked:
                return
            closest = (
                select(table.c.key_hash)
                .where(table.c.kind == kind)
                .order_by(table.c.expires_at, table.c.key_hash)
                .limit(count - self.max_tracked)
            )
            evict = list(conn.execute(closest).scalars())
            conn.execute(delete(table).where(table.c.kind == kind, table.c.key_hash.in_(evict)))

    def forget(self, kind: str, value: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(delete(table).where(_where(kind, value)))

    def count(self, kind: str) -> int:
        with self.engine.connect() as conn:
            return conn.execute(select(func.count()).where(table.c.kind == kind)).scalar()


def database_throttle(
    engine: Engine, limits: SignInLimits | None = None, clock: Clock = utc_now
) -> SignInThrottle:
    """The sign-in throttle keeping its failures in the state database on `engine`."""
    limits = limits or SignInLimits()
    return SignInThrottle(FailureStore(engine, limits.max_tracked), limits, clock)
