"""Rows written behind the caller's back: `add` queues a row (microseconds) and a background
thread inserts what is queued every `flush_seconds`, in one transaction per batch.

Shared by the record of restricted reads (kb/audit.py) and the usage events of insights
(kb/insights/events.py): on the example corpus, an INSERT and COMMIT on each page view added
13-32 ms to a 36-48 ms page on the shared 2 cores (benchmarks/bench_restricted_reads.py). A
crash loses at most the last `flush_seconds`; a database error keeps the rows queued.
SQLAlchemy is imported at the first flush, not with this module (kb/state/database.py).
"""

from __future__ import annotations

import atexit
import sys
import threading

from kb.state.database import StateDB

MAX_QUEUED = 100_000  # a database down for long: the oldest rows go first, memory stays bounded


class WriteBehind:
    """Rows for the state database table `table` (a name in kb/state/tables.py); `what`
    names them in the warning printed when they cannot be written yet."""

    def __init__(self, state: StateDB, table: str, what: str, flush_seconds: float = 1.0):
        self.state = state
        self.table = table
        self.what = what
        self.flush_seconds = flush_seconds
        self._queue: list[dict] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._writer: threading.Thread | None = None
        state.on_dispose(self.close)

    def add(self, row: dict) -> None:
        with self._lock:
            self._queue.append(row)
            del self._queue[:-MAX_QUEUED]
            if self._writer is None:
                self._writer = threading.Thread(target=self._write_often, daemon=True)
                self._writer.start()
                atexit.register(self.close)

    def flush(self) -> None:
        """Write every queued row now; on a database error they stay queued for next time."""
        with self._lock:
            rows, self._queue = self._queue, []
        if not rows:
            return
        from sqlalchemy import insert
        from sqlalchemy.exc import SQLAlchemyError

        from kb.state import tables

        try:
            with self.state.engine.begin() as conn:
                conn.execute(insert(getattr(tables, self.table)), rows)
        except SQLAlchemyError:
            with self._lock:
                self._queue[:0] = rows
            raise

    def close(self) -> None:
        """Stop the writer and write what is queued (at exit, too)."""
        self._stop.set()
        self._flush_or_warn(failing=False)

    def _write_often(self) -> None:
        failing = False
        while not self._stop.wait(self.flush_seconds):
            failing = self._flush_or_warn(failing)

    def _flush_or_warn(self, failing: bool) -> bool:
        """flush(); True while it fails (said once per run of failures, rows kept queued)."""
        from sqlalchemy.exc import SQLAlchemyError

        try:
            self.flush()
        except SQLAlchemyError as exc:
            if not failing:
                print(f"{self.what} not recorded yet (kept queued): {exc}", file=sys.stderr)
            return True
        return False
