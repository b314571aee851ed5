"""Term tables: each chunk's terms as FTS5 indexes them, packed (`keyword_terms`,
`chunk_terms`: what the keyword postings are built from), and the corpus term statistics
(`term_stats`: documents per word or word pair, for related lessons and kickoff packs)."""

from __future__ import annotations

import sqlite3

from kb.index.db import Database


class ChunkTerms:
    def __init__(self, db: Database):
        self.db = db

    def pending(self) -> sqlite3.Cursor:
        """(chunk id, title, heading, text), as chunks_fts holds them, of the chunks whose
        terms are not stored yet (new ones; all in an index written before they were), in
        chunk id order: storing a chunk's terms while reading on does not disturb the rest."""
        return self.db.conn.execute(
            "SELECT c.id, d.title, c.section_heading, c.text FROM chunks c"
            " JOIN documents d ON d.rowid = c.doc_rowid"
            " WHERE NOT EXISTS (SELECT 1 FROM chunk_terms t WHERE t.chunk_id = c.id)"
            " ORDER BY c.id"
        )

    def term_ids(self) -> dict[str, int]:
        """{term: id} of every term stored so far."""
        rows = self.db.conn.execute("SELECT id, term FROM keyword_terms ORDER BY id")
        return {r[1]: r[0] for r in rows}

    def add_terms(self, terms: dict[str, int]) -> None:
        self.db.conn.executemany(
            "INSERT INTO keyword_terms (term, id) VALUES (?, ?)", terms.items()
        )

    def put(self, rows: list[tuple[int, bytes]]) -> None:
        """Store (chunk id, packed terms) records."""
        self.db.conn.executemany("INSERT OR REPLACE INTO chunk_terms VALUES (?, ?)", rows)

    def all(self) -> sqlite3.Cursor:
        """(chunk id, packed terms) of every chunk, in chunk id order."""
        return self.db.conn.execute("SELECT chunk_id, terms FROM chunk_terms ORDER BY chunk_id")

    def of(self, ids: list[int]) -> list[tuple[int, bytes]]:
        """(chunk id, packed terms) of those of ``ids`` that exist, in chunk id order."""
        sql = (
            "SELECT chunk_id, terms FROM chunk_terms WHERE chunk_id IN ({marks}) ORDER BY chunk_id"
        )
        return [tuple(row) for row in self.db.rows_in(sql, sorted(set(ids)))]  # batches in order

    def extent(self) -> tuple[int, int]:
        """How many chunks have terms stored, and one more than the largest of their ids."""
        row = self.db.conn.execute("SELECT COUNT(*), MAX(chunk_id) FROM chunk_terms").fetchone()
        return row[0], (row[1] + 1 if row[1] is not None else 0)


class TermStatistics:
    def __init__(self, db: Database):
        self.db = db

    def replace(self, df: dict[str, int]) -> None:
        """Store ``df`` (documents per term) in place of every stored count."""
        self.db.conn.execute("DELETE FROM term_stats")
        self.db.conn.executemany("INSERT INTO term_stats VALUES (?, ?)", df.items())

    def change(self, deltas: dict[str, int]) -> None:
        """Add each term's change of document frequency; a term in no document is dropped."""
        self.db.conn.executemany(
            "INSERT INTO term_stats VALUES (?, ?) ON CONFLICT (term) DO UPDATE SET df = df + ?",
            [(term, n, n) for term, n in deltas.items()],
        )
        self.db.conn.execute("DELETE FROM term_stats WHERE df <= 0")

    def df(self, terms: list[str]) -> dict[str, int]:
        """{term: documents holding it} of those of ``terms`` that any document holds."""
        sql = "SELECT term, df FROM term_stats WHERE term IN ({marks})"
        return {row[0]: row[1] for row in self.db.rows_in(sql, terms)}
