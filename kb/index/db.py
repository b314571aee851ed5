"""The one SQLite access helper: opening, per-thread connections, transactions, batched
`IN (...)` queries, parallel reads and schema migrations through `PRAGMA user_version`.

A database file's `user_version` counts the migrations it has had (kb.index.schema). A
writable open applies the missing ones, each in one transaction with its new version number;
a read-only open (a server) never writes and reads the file as it is. This is the version of
the database file alone: the manifest's `schema_version` (kb.index.generations) says whether
this Lessonbase can read a generation at all, and a migration that older code could not read
bumps it too (kb.documents.schema.SCHEMA_VERSION, keeping the old value in UPGRADABLE_SCHEMA_VERSIONS
when `kb index` can upgrade a copy in place).
"""

from __future__ import annotations

import os
import sqlite3
import threading
import weakref
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

from kb.problems import IndexUnavailableError

READ_MMAP_BYTES = 2**31
# Reader threads for the queries of one search that run side by side (see fetch_many).
PARALLEL_READERS = min(4, os.cpu_count() or 1)
IN_BATCH = 500  # values per `IN (...)` list: SQLite caps a statement's parameters


class _Connection(sqlite3.Connection):
    """A connection that can be weakly referenced: a Database tracks every thread's own, to
    close them all, without keeping those of threads that have ended."""


class Database:
    """One SQLite file, with a connection per thread. Writes happen on a writable database
    (an index run's copy); read-only ones (a server's) run independent reads side by side."""

    def __init__(
        self,
        path: Path,
        read_only: bool = False,
        migrations: Sequence[str] = (),
        readers: int = PARALLEL_READERS,
    ):
        self.path = Path(path)
        self.read_only = read_only
        self.migrations = tuple(migrations)
        self.reader_threads = readers if read_only else 1
        self._local = threading.local()
        self._pool: ThreadPoolExecutor | None = None  # made on first use by fetch_many
        self._connections: weakref.WeakSet[sqlite3.Connection] = weakref.WeakSet()
        self._lock = threading.Lock()
        self.closed = False
        _ = self.conn  # open now so a missing file fails here, not mid-request

    @property
    def conn(self) -> sqlite3.Connection:
        """The calling thread's connection, opened on its first use."""
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._local.conn = self._connect()
            with self._lock:
                self._connections.add(conn)
        return conn

    def _connect(self) -> sqlite3.Connection:
        if self.read_only:
            conn = sqlite3.connect(
                f"file:{self.path}?mode=ro", uri=True, check_same_thread=False, factory=_Connection
            )
            # Read pages straight from the OS page cache (shared by every connection) instead
            # of copying them into each connection's small cache: lookups of scattered chunk
            # ids at a million chunks take a third of the time (SQLite caps this at 2 GB).
            conn.execute(f"PRAGMA mmap_size = {READ_MMAP_BYTES}")
        else:
            conn = sqlite3.connect(self.path, check_same_thread=False, factory=_Connection)
            self._migrate(conn)
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA foreign_keys = ON")
        return conn

    def _migrate(self, conn: sqlite3.Connection) -> None:
        """Apply the migrations the file has not had, each with its version, atomically."""
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version > len(self.migrations):
            conn.close()
            raise IndexUnavailableError(
                f"{self.path}: database version {version} is newer than this Lessonbase "
                f"({len(self.migrations)}); rebuild it with `kb index --rebuild`"
            )
        for number, script in enumerate(self.migrations[version:], start=version + 1):
            conn.executescript(f"BEGIN;\n{script}\nPRAGMA user_version = {number};\nCOMMIT;")

    @property
    def version(self) -> int:
        """The migrations the file has had (`PRAGMA user_version`)."""
        return self.conn.execute("PRAGMA user_version").fetchone()[0]

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """The calling thread's connection, committed when the block ends, rolled back when
        it raises."""
        conn = self.conn
        try:
            yield conn
        except BaseException:
            conn.rollback()
            raise
        conn.commit()

    def commit(self) -> None:
        self.conn.commit()

    def rollback(self) -> None:
        self.conn.rollback()

    @property
    def changed(self) -> bool:
        """True once the calling thread's connection inserted, updated or deleted a row."""
        return self.conn.total_changes > 0

    def rows_in(self, sql: str, values: Sequence, params: Sequence = ()) -> Iterator:
        """Rows of ``sql``, whose ``{marks}`` is an `IN` list, for all ``values`` (in
        batches, in order); ``params`` are those of the SQL after the list."""
        for start in range(0, len(values), IN_BATCH):
            batch = list(values[start : start + IN_BATCH])
            marks = ",".join("?" * len(batch))
            yield from self.conn.execute(sql.format(marks=marks), [*batch, *params])

    def fetch_many(self, queries: list[tuple[str, list]]) -> list[list]:
        """The rows of each (sql, params), in order. A read-only database runs them side by
        side: the first on the calling thread, the others on reader threads with their own
        connections (SQLite runs a statement without holding Python's GIL), so independent
        FTS5 scorings take the longest one's time rather than the sum."""
        if len(queries) < 2 or self.reader_threads < 2:
            return [self._fetch_all(sql, params) for sql, params in queries]
        if self._pool is None:
            self._pool = ThreadPoolExecutor(self.reader_threads, thread_name_prefix="kb-read")
        pending = [self._pool.submit(self._fetch_all, *query) for query in queries[1:]]
        first = self._fetch_all(*queries[0])
        return [first, *(future.result() for future in pending)]

    def _fetch_all(self, sql: str, params: list) -> list:
        return self.conn.execute(sql, params).fetchall()

    def pages(self) -> tuple[int, int]:
        """(pages in the file, free pages among them)."""
        pages = self.conn.execute("PRAGMA page_count").fetchone()[0]
        return pages, self.conn.execute("PRAGMA freelist_count").fetchone()[0]

    def vacuum(self) -> None:
        """Rewrite the whole file without its free pages (seconds at 100k chunks)."""
        self.conn.execute("VACUUM")

    def close(self) -> None:
        """Close every thread's connection (each holds the file open, and a read-only one
        maps it) and stop the reader threads. Other threads may not use it again."""
        self.closed = True
        if self._pool is not None:
            self._pool.shutdown(wait=False)
            self._pool = None
        with self._lock:
            connections = list(self._connections)
        for conn in connections:
            conn.close()
        self._local.conn = None
