"""Contested glossary candidates (`contested_terms`), ranked once per mining so a page of
them is one indexed range read."""

from __future__ import annotations

import json
import sqlite3

from kb.index.db import Database


class ContestedRows:
    def __init__(self, db: Database):
        self.db = db

    def replace(self, items: list[tuple[str, dict]]) -> None:
        """Store (term, data) pairs, most contested first."""
        conn = self.db.conn
        conn.execute("DELETE FROM contested_terms")
        conn.executemany(
            "INSERT INTO contested_terms VALUES (?, ?, ?)",
            [(n, term, json.dumps(data, ensure_ascii=False)) for n, (term, data) in
             enumerate(items, start=1)],
        )  # fmt: skip

    def available(self) -> bool:
        """False for an index written before contested terms were ranked."""
        try:
            self.db.conn.execute("SELECT 1 FROM contested_terms LIMIT 0")
        except sqlite3.OperationalError:
            return False
        return True

    def count(self) -> int:
        return self.db.conn.execute("SELECT COUNT(*) FROM contested_terms").fetchone()[0]

    def page(self, offset: int, limit: int) -> list[dict]:
        rows = self.db.conn.execute(
            "SELECT data FROM contested_terms WHERE position > ? ORDER BY position LIMIT ?",
            (offset, limit),
        )
        return [json.loads(row[0]) for row in rows]
