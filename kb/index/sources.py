"""The source files an index was built from (`sources`): each one's content hash and whether
it parsed without errors, so that the next index run reads only the files that changed."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kb.index.db import Database


@dataclass(frozen=True)
class SourceRecord:
    path: str
    content_hash: str
    has_errors: bool


class Sources:
    def __init__(self, db: Database):
        self.db = db

    def all(self) -> dict[str, SourceRecord]:
        """{path: its record} of every file indexed."""
        rows = self.db.conn.execute("SELECT path, content_hash, has_errors FROM sources")
        return {r[0]: SourceRecord(r[0], r[1], bool(r[2])) for r in rows}

    def set(self, path: str, content_hash: str, has_errors: bool) -> None:
        """Record a file as indexed now."""
        self.db.conn.execute(
            "INSERT OR REPLACE INTO sources VALUES (?,?,?,?)",
            (path, content_hash, int(has_errors), dt.datetime.now(dt.UTC).isoformat()),
        )

    def forget(self, path: str) -> None:
        """Drop a file's record (its documents are deleted by `Store.delete_source`)."""
        self.db.conn.execute("DELETE FROM sources WHERE path = ?", (path,))

    def count(self) -> int:
        return self.db.conn.execute("SELECT COUNT(*) FROM sources").fetchone()[0]
