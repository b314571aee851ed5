"""Contested glossary candidates (`contested_terms`), ranked once per mining so a page of
them is one indexed range read."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator

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

    def replace_evidence(
        self, evidence: list[tuple[str, str, str, str]], words: Iterable[tuple[str, str]]
    ) -> None:
        """Store (term, display, doc ids, data) evidence and (doc id, words) rows in place
        of the old ones."""
        conn = self.db.conn
        conn.execute("DELETE FROM contested_evidence")
        conn.execute("DELETE FROM contested_words")
        conn.executemany("INSERT INTO contested_evidence VALUES (?, ?, ?, ?)", evidence)
        conn.executemany("INSERT INTO contested_words VALUES (?, ?)", words)

    def evidence_documents(self) -> Iterator[tuple[str, str, str]]:
        """(term, display, doc ids) of every candidate with evidence kept."""
        yield from self.db.conn.execute("SELECT term, display, doc_ids FROM contested_evidence")

    def evidence(self, terms: list[str]) -> Iterator[tuple[str, str]]:
        """(term, evidence data) of those of `terms` with evidence kept."""
        sql = "SELECT term, data FROM contested_evidence WHERE term IN ({marks})"
        yield from self.db.rows_in(sql, terms)

    def readable_words(self, access_sql: str, params: tuple) -> list[tuple] | None:
        """(doc id, department, words) of the documents passing the access condition (on
        `documents d`); None when the index kept no words (see kb.index.schema)."""
        try:
            if self.db.conn.execute("SELECT 1 FROM contested_words LIMIT 1").fetchone() is None:
                return None
        except sqlite3.OperationalError:  # a generation written before the table
            return None
        sql = (
            "SELECT d.id, d.department, w.words FROM contested_words w"
            f" JOIN documents d ON d.id = w.doc_id WHERE {access_sql}"
        )
        return [tuple(row) for row in self.db.conn.execute(sql, params)]

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
