"""Chunks (`chunks`) and their full-text index (`chunks_fts`): which document each belongs
to, and which pass a search's filters."""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING

from kb.documents.chunking import Chunk, embedding_text
from kb.index.db import Database
from kb.index.filters import Filters, filter_sql

if TYPE_CHECKING:
    import numpy as np

# numpy is imported by the methods that use it: `kb index` on an unchanged corpus opens a
# store but never needs an array, and importing numpy would be a fifth of that command's time.


class Chunks:
    def __init__(self, db: Database):
        self.db = db
        self._owners: np.ndarray | None = None  # read-only: document rowid by chunk id
        self._sections: list[tuple[str, int]] | None = None  # read-only: section_counts()

    def add(self, doc_rowid: int, title: str, chunks: list[Chunk]) -> list[int]:
        """Insert a document's chunks, full-text indexed under its title; their ids."""
        ids = []
        for chunk in chunks:
            cur = self.db.conn.execute(
                "INSERT INTO chunks (doc_rowid, section_key, section_heading, position,"
                " section_position, text, char_start, char_end, content_hash)"
                " VALUES (?,?,?,?,?,?,?,?,?)",
                (
                    doc_rowid, chunk.section_key, chunk.section_heading, chunk.position,
                    chunk.section_position, chunk.text, chunk.char_start, chunk.char_end,
                    chunk.content_hash,
                ),
            )  # fmt: skip
            ids.append(cur.lastrowid)
            self.db.conn.execute(
                "INSERT INTO chunks_fts (rowid, title, heading, text) VALUES (?,?,?,?)",
                (cur.lastrowid, title, chunk.section_heading, chunk.text),
            )
        return ids

    def ids_of(self, doc_rowid: int) -> list[int]:
        sql = "SELECT id FROM chunks WHERE doc_rowid = ?"
        return [row[0] for row in self.db.conn.execute(sql, (doc_rowid,))]

    def documents_with_chunks(self, doc_rowids: list[int]) -> set[int]:
        """Those of ``doc_rowids`` that have a chunk."""
        sql = "SELECT DISTINCT doc_rowid FROM chunks WHERE doc_rowid IN ({marks})"
        return {row[0] for row in self.db.rows_in(sql, doc_rowids)}

    def forget_text(self, doc_rowid: int) -> None:
        """Drop a document's chunks from the full-text index (deleting the document takes
        the chunks themselves along)."""
        self.db.conn.execute(
            "DELETE FROM chunks_fts WHERE rowid IN (SELECT id FROM chunks WHERE doc_rowid = ?)",
            (doc_rowid,),
        )

    def count(self) -> int:
        return self.db.conn.execute("SELECT COUNT(*) FROM chunks").fetchone()[0]

    def stored_as(self, doc_id: str) -> list[tuple]:
        """A document's chunks as `Chunk` fields (section key, heading, position, section
        position, text, start, end, hash), in order: to compare with new ones."""
        rows = self.db.conn.execute(
            "SELECT c.section_key, c.section_heading, c.position, c.section_position, c.text,"
            " c.char_start, c.char_end, c.content_hash FROM chunks c"
            " JOIN documents d ON d.rowid = c.doc_rowid WHERE d.id = ? ORDER BY c.position",
            (doc_id,),
        )
        return [tuple(row) for row in rows]

    def by_id(self, chunk_ids: list[int]) -> dict[int, sqlite3.Row]:
        sql = "SELECT * FROM chunks WHERE id IN ({marks})"
        return {row["id"]: row for row in self.db.rows_in(sql, chunk_ids)}

    def embedding_texts(self) -> dict[str, str]:
        """{chunk hash: the text its vector is computed from} for every stored chunk."""
        rows = self.db.conn.execute(
            "SELECT c.content_hash, d.title, c.section_heading, c.text "
            "FROM chunks c JOIN documents d ON d.rowid = c.doc_rowid"
        )
        return {row[0]: embedding_text(row[1], row[2], row[3]) for row in rows}

    def owners(self, chunk_ids: list[int]) -> dict[int, int]:
        """{chunk id: document rowid}; from memory when the database is read-only (a server)."""
        import numpy as np

        if not self.db.read_only:
            sql = "SELECT id, doc_rowid FROM chunks WHERE id IN ({marks})"
            return {row[0]: row[1] for row in self.db.rows_in(sql, chunk_ids)}
        owners = self._owner_array()
        ids = np.asarray(chunk_ids, dtype=np.int64)
        ids = ids[(ids >= 0) & (ids < len(owners))]
        docs = owners[ids]
        known = docs >= 0
        return dict(zip(ids[known].tolist(), docs[known].tolist(), strict=True))

    def _owner_array(self) -> np.ndarray:
        """Document rowid by chunk id (-1: no such chunk), read once: every semantic search
        looks up hundreds of chunks' documents (8 bytes a chunk: 8 MB at a million)."""
        if self._owners is None:
            self._owners = self.all_owners()
        return self._owners

    def all_owners(self) -> np.ndarray:
        """Document rowid by chunk id (-1: no such chunk), as stored now."""
        import numpy as np

        rows = self.db.conn.execute("SELECT id, doc_rowid FROM chunks").fetchall()
        pairs = np.array(rows, dtype=np.int64).reshape(-1, 2)
        owners = np.full(int(pairs[:, 0].max()) + 1 if len(pairs) else 0, -1, np.int64)
        owners[pairs[:, 0]] = pairs[:, 1]
        return owners

    def with_phrase(self, words: list[str], limit: int) -> list[tuple[int, str]]:
        """(document rowid, chunk text) of up to ``limit`` chunks whose text holds these words
        in a row, as FTS5 matches a phrase (stems, any case); ``words`` are FTS5 tokens."""
        if not words:
            return []
        phrase = '"' + " ".join(w.replace('"', "") for w in words) + '"'
        rows = self.db.conn.execute(
            "SELECT c.doc_rowid, c.text FROM chunks_fts f JOIN chunks c ON c.id = f.rowid"
            " WHERE chunks_fts MATCH ? LIMIT ?",
            (f"text : {phrase}", limit),
        )
        return [(row[0], row[1]) for row in rows]

    def owners_passing(self, chunk_ids: list[int], filters: Filters) -> dict[int, int]:
        """{chunk id: document rowid} of those of ``chunk_ids`` that pass ``filters``."""
        where, params = filter_sql(filters)
        # CROSS JOIN keeps SQLite from starting at the documents (a department's index) and
        # looking up every chunk of theirs: a thousand times slower for a few chunk ids.
        sql = (
            "SELECT c.id, c.doc_rowid FROM chunks c CROSS JOIN documents d"
            f" ON d.rowid = c.doc_rowid WHERE c.id IN ({{marks}}) AND {where}"
        )
        return {row[0]: row[1] for row in self.db.rows_in(sql, chunk_ids, params)}

    def ids_passing(self, filters: Filters, except_document: int | None = None) -> np.ndarray:
        """Ids of the chunks that pass ``filters`` (and are not of ``except_document``)."""
        import numpy as np

        where, params = filter_sql(filters)
        if except_document is not None:
            where, params = f"{where} AND d.rowid != ?", [*params, except_document]
        if self.db.read_only and not filters.on_chunks:
            return self._chunks_of_documents_where(where, params)
        rows = self.db.conn.execute(
            f"SELECT c.id FROM chunks c JOIN documents d ON d.rowid = c.doc_rowid WHERE {where}",
            params,
        )
        return np.fromiter((r[0] for r in rows), dtype=np.int64)

    def _chunks_of_documents_where(self, where: str, params: list) -> np.ndarray:
        """A server's way to list them: SQL lists only the documents that pass and the owner
        array maps them to their chunks. Joining every chunk to its document took 300 ms at a
        million chunks for "every department but these six" (the other-departments box);
        listing the documents, a fifth as many rows, in one string, takes about 25."""
        import numpy as np

        sql = f"SELECT group_concat(d.rowid) FROM documents d WHERE {where}"
        listed = self.db.conn.execute(sql, params).fetchone()[0]
        owners = self._owner_array()
        if not listed or not len(owners):
            return np.empty(0, dtype=np.int64)
        documents = np.fromstring(listed, dtype=np.int64, sep=",")
        # One slot past the largest rowid stays False: owners[-1 for "no such chunk"] hits it.
        passing = np.zeros(max(int(owners.max()), int(documents.max())) + 2, dtype=bool)
        passing[documents] = True
        return np.flatnonzero(passing[owners])

    def section_counts(self, filters: Filters | None = None) -> list[tuple[str, int]]:
        """(section key, documents having it) of every section of the documents passing
        ``filters`` (all by default), most first. The unfiltered answer is kept by a
        read-only store (a server's), whose generation never changes."""
        if filters is None and self._sections is not None:
            return self._sections
        where, params = filter_sql(filters or Filters())
        rows = self.db.conn.execute(
            "SELECT c.section_key, COUNT(DISTINCT c.doc_rowid) AS n FROM chunks c"
            f" JOIN documents d ON d.rowid = c.doc_rowid WHERE {where}"
            " GROUP BY c.section_key ORDER BY n DESC, c.section_key",
            params,
        )
        counts = [(row[0], row[1]) for row in rows]
        if filters is None and self.db.read_only:
            self._sections = counts
        return counts

    def forget_cached(self) -> None:
        """Drop what is kept in memory (the database is being closed)."""
        self._owners = None
        self._sections = None
