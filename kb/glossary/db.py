"""KB_DIR/glossary.sqlite: the editorial database beside the index generations.

Index runs replace generations; they never touch this file, so decisions, edits, users and
history survive every `kb index`. WAL mode lets the server read while a write is in progress.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from kb.glossary.errors import GlossaryError

GLOSSARY_DB = "glossary.sqlite"
SCHEMA_VERSION = 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS users (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL CHECK (role IN ('reader', 'editor', 'admin')),
    password_hash TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS sessions (
    token_hash TEXT PRIMARY KEY,        -- sha256 of the cookie value; the value is never stored
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    csrf_token TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS terms (
    key TEXT PRIMARY KEY,               -- the candidate's lemma-normalized key
    label TEXT NOT NULL,
    definition TEXT NOT NULL DEFAULT '',
    acronym TEXT NOT NULL DEFAULT '',
    synonyms TEXT NOT NULL DEFAULT '[]',  -- JSON list
    related TEXT NOT NULL DEFAULT '[]',   -- JSON list of term keys
    owner TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL CHECK (status IN ('draft', 'approved', 'deprecated')),
    decision TEXT NOT NULL CHECK (decision IN ('accepted', 'rejected', 'deferred', 'merged')),
    reason TEXT NOT NULL DEFAULT '',
    merged_into TEXT NOT NULL DEFAULT '',
    version INTEGER NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS terms_decision ON terms(decision);
CREATE TABLE IF NOT EXISTS history (
    id INTEGER PRIMARY KEY,
    term_key TEXT NOT NULL,
    version INTEGER NOT NULL,
    user TEXT NOT NULL,
    at TEXT NOT NULL,
    action TEXT NOT NULL,
    changes TEXT NOT NULL               -- JSON {field: [old, new]}
);
CREATE INDEX IF NOT EXISTS history_term ON history(term_key, version);
"""

Clock = Callable[[], dt.datetime]


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def timestamp(moment: dt.datetime) -> str:
    """ISO 8601 in UTC to the second; such strings sort in time order."""
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_timestamp(text: str) -> dt.datetime:
    return dt.datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.UTC)


class GlossaryDB:
    """Per-thread connections to one glossary file, in autocommit mode with explicit writes."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        self._all: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        try:
            self.conn.executescript(_SCHEMA)  # every statement is idempotent
            self.conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        except sqlite3.Error as exc:
            raise GlossaryError(
                f"{self.path}: cannot open the glossary database ({exc}); "
                "it must be a writable SQLite file in the index directory"
            ) from None

    @property
    def conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(
                self.path, isolation_level=None, check_same_thread=False, timeout=15
            )
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("PRAGMA busy_timeout = 15000")
            self._local.conn = conn
            with self._lock:
                self._all.append(conn)
        return conn

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, taken up front so a read-check-write cannot interleave."""
        conn = self.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    def close(self) -> None:
        with self._lock:
            for conn in self._all:
                conn.close()
            self._all.clear()
        self._local = threading.local()
