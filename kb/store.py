"""SQLite storage for documents, sections, chunks, embeddings and indexed sources."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import sqlite3
import threading
import weakref
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from kb.actions import extract_actions
from kb.chunking import Chunk, embedding_text
from kb.schema import Document, Section
from kb.store_candidates import CandidateRows, dump_json
from kb.store_changes import StoreChanges

if TYPE_CHECKING:
    import numpy as np

# numpy is imported by the methods that use it: `kb index` on an unchanged corpus opens a
# store but never needs an array, and importing numpy would be a fifth of that command's time.

DB_NAME = "kb.sqlite"
PHRASE_COUNTS_KEPT = 100_000
_CHUNK_COLUMN = re.compile(r"\bc\.")  # a filter condition on `chunks c`, not only `documents d`
READ_MMAP_BYTES = 2**31
# Reader threads for the queries of one search that run side by side (see fetch_many).
PARALLEL_READERS = min(4, os.cpu_count() or 1)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    rowid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    type TEXT NOT NULL,
    department TEXT NOT NULL,
    date TEXT NOT NULL,
    project TEXT, phase TEXT, status TEXT, sensitivity TEXT, url TEXT,
    authors TEXT, participants TEXT, tags TEXT, extra TEXT,
    source_path TEXT NOT NULL,
    source_line INTEGER
);
CREATE INDEX IF NOT EXISTS documents_source ON documents(source_path);
CREATE INDEX IF NOT EXISTS documents_department ON documents(department);
CREATE TABLE IF NOT EXISTS sections (
    doc_rowid INTEGER NOT NULL REFERENCES documents(rowid) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    key TEXT NOT NULL,
    heading TEXT NOT NULL,
    text TEXT NOT NULL,
    PRIMARY KEY (doc_rowid, position)
);
CREATE TABLE IF NOT EXISTS doc_tags (
    doc_rowid INTEGER NOT NULL REFERENCES documents(rowid) ON DELETE CASCADE,
    tag TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS doc_tags_doc ON doc_tags(doc_rowid);
CREATE TABLE IF NOT EXISTS actions (
    doc_rowid INTEGER NOT NULL REFERENCES documents(rowid) ON DELETE CASCADE,
    text TEXT NOT NULL, owner TEXT, due TEXT, done INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS chunks (
    id INTEGER PRIMARY KEY,
    doc_rowid INTEGER NOT NULL REFERENCES documents(rowid) ON DELETE CASCADE,
    section_key TEXT NOT NULL,
    section_heading TEXT NOT NULL,
    position INTEGER NOT NULL,
    section_position INTEGER NOT NULL,
    text TEXT NOT NULL,
    char_start INTEGER NOT NULL,
    char_end INTEGER NOT NULL,
    content_hash TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS chunks_doc ON chunks(doc_rowid);
CREATE TABLE IF NOT EXISTS embeddings (
    content_hash TEXT PRIMARY KEY,
    vector BLOB NOT NULL
);
CREATE VIRTUAL TABLE IF NOT EXISTS chunks_fts USING fts5(
    title, heading, text, tokenize = 'porter unicode61'
);
-- Each chunk's terms as FTS5 indexes them (kb.text.fts), for the keyword postings
-- (kb.keyword_index): packed (term id, counts in title, heading, text) records.
CREATE TABLE IF NOT EXISTS keyword_terms (
    id INTEGER PRIMARY KEY,
    term TEXT NOT NULL UNIQUE
);
CREATE TABLE IF NOT EXISTS chunk_terms (
    chunk_id INTEGER PRIMARY KEY REFERENCES chunks(id) ON DELETE CASCADE,
    terms BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS term_stats (
    term TEXT PRIMARY KEY,
    df INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS term_candidates (
    term TEXT PRIMARY KEY,          -- lemma-normalized key
    display TEXT NOT NULL,          -- most frequent surface form
    score REAL NOT NULL,
    rank INTEGER NOT NULL,
    accepted INTEGER NOT NULL,      -- passed the miner's cut-off
    frequency INTEGER NOT NULL,
    document_frequency INTEGER NOT NULL,
    departments TEXT NOT NULL,      -- JSON {department: occurrences}
    variants TEXT NOT NULL,         -- JSON {surface form: occurrences}
    acronym TEXT, expansion TEXT,
    contexts TEXT NOT NULL,         -- JSON [{doc_id, sentence}]
    doc_ids TEXT NOT NULL           -- JSON [doc id]
);
-- What term_candidates was mined from, so that the next index run rebuilds only the rows
-- whose documents changed (indexer.candidate_reuse): the settings and acronyms by name, and
-- every document's id, text digest and metadata.
CREATE TABLE IF NOT EXISTS mining_basis (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS mined_documents (
    doc_id TEXT NOT NULL,
    text_sha256 TEXT NOT NULL,
    metadata TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS sources (
    path TEXT PRIMARY KEY,
    content_hash TEXT NOT NULL,
    has_errors INTEGER NOT NULL,
    indexed_at TEXT NOT NULL
);
"""


@dataclass(frozen=True)
class SourceRecord:
    path: str
    content_hash: str
    has_errors: bool


class _Connection(sqlite3.Connection):
    """A connection that can be weakly referenced: a Store tracks every thread's own, to
    close them all, without keeping those of threads that have ended."""


def connect(path: Path, read_only: bool = False) -> sqlite3.Connection:
    if read_only:
        conn = sqlite3.connect(
            f"file:{path}?mode=ro", uri=True, check_same_thread=False, factory=_Connection
        )
        # Read pages straight from the OS page cache (shared by every connection) instead of
        # copying them into each connection's small cache: lookups of scattered chunk ids
        # at a million chunks take a third of the time (SQLite caps this at 2 GB).
        conn.execute(f"PRAGMA mmap_size = {READ_MMAP_BYTES}")
    else:
        conn = sqlite3.connect(path, check_same_thread=False, factory=_Connection)
        conn.executescript(_SCHEMA)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


class Store(CandidateRows):
    """Writes happen once per index run on a fresh copy; reads are per-thread connections."""

    def __init__(self, path: Path, read_only: bool = False):
        self.path = Path(path)
        self.read_only = read_only
        self._local = threading.local()
        self._phrase_counts: dict[str, int] = {}  # read-only stores never change: kept
        self._owners: np.ndarray | None = None  # read-only: document rowid by chunk id
        self._readers: ThreadPoolExecutor | None = None  # made on first use by fetch_many
        self._connections: weakref.WeakSet[sqlite3.Connection] = weakref.WeakSet()
        self._connections_lock = threading.Lock()
        self.closed = False
        self.changes = StoreChanges()  # what this store's writer added and removed
        _ = self.conn  # open now so a missing file fails here, not mid-request

    @property
    def conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._local.conn = connect(self.path, self.read_only)
            with self._connections_lock:
                self._connections.add(conn)
        return conn

    def close(self) -> None:
        """Close every thread's connection (each holds the file open, and a read-only one
        maps it) and stop the reader threads. Other threads may not use the store again."""
        self.closed = True
        if self._readers is not None:
            self._readers.shutdown(wait=False)
            self._readers = None
        with self._connections_lock:
            connections = list(self._connections)
        for conn in connections:
            conn.close()
        self._local.conn = None
        self._owners, self._phrase_counts = None, {}

    @property
    def reader_threads(self) -> int:
        """Statements fetch_many runs at once: one unless the store is read-only."""
        return PARALLEL_READERS if self.read_only else 1

    def fetch_many(self, queries: list[tuple[str, list]]) -> list[list]:
        """The rows of each (sql, params), in order. A read-only store runs them side by side:
        the first on the calling thread, the others on reader threads with their own
        connections (SQLite runs a statement without holding Python's GIL), so a search's
        independent FTS5 scorings take the longest one's time rather than the sum."""
        if len(queries) < 2 or self.reader_threads < 2:
            return [self._fetch_all(sql, params) for sql, params in queries]
        if self._readers is None:
            self._readers = ThreadPoolExecutor(PARALLEL_READERS, thread_name_prefix="kb-read")
        pending = [self._readers.submit(self._fetch_all, *query) for query in queries[1:]]
        first = self._fetch_all(*queries[0])
        return [first, *(future.result() for future in pending)]

    def _fetch_all(self, sql: str, params: list) -> list:
        return self.conn.execute(sql, params).fetchall()

    # -- writing -----------------------------------------------------------------------

    def add_document(self, doc: Document, chunks: list[Chunk]) -> list[int]:
        """Insert a document with its chunks; returns the chunk ids (also the vector ids)."""
        cur = self.conn.execute(
            "INSERT INTO documents (id, title, type, department, date, project, phase, status,"
            " sensitivity, url, authors, participants, tags, extra, source_path, source_line)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                doc.id, doc.title, doc.type, doc.department, doc.date.isoformat(),
                doc.project, doc.phase, doc.status, doc.sensitivity, doc.url,
                dump_json(doc.authors), dump_json(doc.participants), dump_json(doc.tags),
                dump_json(doc.extra),
                doc.source_path, doc.source_line,
            ),
        )  # fmt: skip
        rowid = cur.lastrowid
        self.conn.executemany(
            "INSERT INTO sections VALUES (?,?,?,?,?)",
            [(rowid, i, s.key, s.heading, s.text) for i, s in enumerate(doc.sections)],
        )
        self.conn.executemany("INSERT INTO doc_tags VALUES (?,?)", [(rowid, t) for t in doc.tags])
        self.conn.executemany(
            "INSERT INTO actions VALUES (?,?,?,?,?)",
            [(rowid, a.text, a.owner, a.due, int(a.done)) for a in extract_actions(doc)],
        )
        ids = []
        for chunk in chunks:
            cur = self.conn.execute(
                "INSERT INTO chunks (doc_rowid, section_key, section_heading, position,"
                " section_position, text, char_start, char_end, content_hash)"
                " VALUES (?,?,?,?,?,?,?,?,?)",
                (
                    rowid, chunk.section_key, chunk.section_heading, chunk.position,
                    chunk.section_position, chunk.text, chunk.char_start, chunk.char_end,
                    chunk.content_hash,
                ),
            )  # fmt: skip
            ids.append(cur.lastrowid)
            self.conn.execute(
                "INSERT INTO chunks_fts (rowid, title, heading, text) VALUES (?,?,?,?)",
                (cur.lastrowid, doc.title, chunk.section_heading, chunk.text),
            )
        self.changes.document_added(rowid, ids)
        return ids

    def delete_documents(self, doc_ids: list[str]) -> None:
        for doc_id in doc_ids:
            rowid = self.document_rowid(doc_id)
            if rowid is None:
                continue
            chunk_ids = [row[0] for row in self.conn.execute(_CHUNK_IDS, (rowid,))]
            text = partial(self.statistics_text, rowid)
            self.changes.document_removed(rowid, chunk_ids, text)
            self.conn.execute(
                "DELETE FROM chunks_fts WHERE rowid IN (SELECT id FROM chunks WHERE doc_rowid = ?)",
                (rowid,),
            )
            self.conn.execute("DELETE FROM documents WHERE rowid = ?", (rowid,))

    def put_embeddings(self, hashes: list[str], vectors: np.ndarray) -> None:
        import numpy as np

        self.conn.executemany(
            "INSERT OR REPLACE INTO embeddings VALUES (?, ?)",
            [(h, v.astype(np.float32).tobytes()) for h, v in zip(hashes, vectors, strict=True)],
        )

    def _rows_in(self, sql: str, values: list, params: list = ()):
        """Rows of `sql`, whose `{marks}` is an IN list, for all values (SQLite caps parameters);
        `params` are those of the SQL after the list."""
        for batch in _batches(values, 500):
            marks = ",".join("?" * len(batch))
            yield from self.conn.execute(sql.format(marks=marks), [*batch, *params])

    def known_embeddings(self, hashes: list[str]) -> set[str]:
        sql = "SELECT content_hash FROM embeddings WHERE content_hash IN ({marks})"
        return {row[0] for row in self._rows_in(sql, hashes)}

    def forget_embeddings(self) -> None:
        """Drop every stored vector (the model changed): all chunks will be embedded again."""
        self.conn.execute("DELETE FROM embeddings")

    def chunk_embedding_texts(self) -> dict[str, str]:
        """{chunk hash: the text its vector is computed from} for every stored chunk."""
        rows = self.conn.execute(
            "SELECT c.content_hash, d.title, c.section_heading, c.text "
            "FROM chunks c JOIN documents d ON d.rowid = c.doc_rowid"
        )
        return {row[0]: embedding_text(row[1], row[2], row[3]) for row in rows}

    def prune_embeddings(self) -> None:
        self.conn.execute(
            "DELETE FROM embeddings WHERE content_hash NOT IN (SELECT content_hash FROM chunks)"
        )

    def set_source(self, path: str, content_hash: str, has_errors: bool) -> None:
        self.conn.execute(
            "INSERT OR REPLACE INTO sources VALUES (?,?,?,?)",
            (path, content_hash, int(has_errors), dt.datetime.now(dt.UTC).isoformat()),
        )

    def delete_source(self, path: str) -> None:
        self.delete_documents(self.source_document_ids(path))
        self.conn.execute("DELETE FROM sources WHERE path = ?", (path,))

    def commit(self) -> None:
        self.conn.commit()

    # -- reading -----------------------------------------------------------------------

    def sources(self) -> dict[str, SourceRecord]:
        rows = self.conn.execute("SELECT path, content_hash, has_errors FROM sources")
        return {r[0]: SourceRecord(r[0], r[1], bool(r[2])) for r in rows}

    def source_document_ids(self, path: str) -> list[str]:
        rows = self.conn.execute("SELECT id FROM documents WHERE source_path = ?", (path,))
        return [r[0] for r in rows]

    def document_sources(self) -> dict[str, str]:
        return {r[0]: r[1] for r in self.conn.execute("SELECT id, source_path FROM documents")}

    def all_vectors(self) -> tuple[np.ndarray, np.ndarray]:
        """(chunk ids, vectors) for every chunk, in chunk id order."""
        rows = self.conn.execute(
            "SELECT c.id, e.vector FROM chunks c JOIN embeddings e USING (content_hash) ORDER BY c.id"
        ).fetchall()
        return _ids_and_vectors(rows)

    def counts(self) -> dict[str, int]:
        return {
            name: self.conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
            for name, table in (
                ("documents", "documents"),
                ("chunks", "chunks"),
                ("sources", "sources"),
            )
        }

    def get_document(self, doc_id: str) -> Document | None:
        row = self.conn.execute("SELECT * FROM documents WHERE id = ?", (doc_id,)).fetchone()
        if row is None:
            return None
        sections = [
            Section(r["key"], r["heading"], r["text"])
            for r in self.conn.execute(
                "SELECT key, heading, text FROM sections WHERE doc_rowid = ? ORDER BY position",
                (row["rowid"],),
            )
        ]
        return row_to_document(row, sections)

    def holds(self, doc: Document, chunks: list[Chunk]) -> bool:
        """True when ``doc`` is stored exactly so, with exactly these chunks."""
        if self.get_document(doc.id) != doc:
            return False
        rows = self.conn.execute(
            "SELECT c.section_key, c.section_heading, c.position, c.section_position, c.text,"
            " c.char_start, c.char_end, c.content_hash FROM chunks c"
            " JOIN documents d ON d.rowid = c.doc_rowid WHERE d.id = ? ORDER BY c.position",
            (doc.id,),
        )
        stored = [tuple(row) for row in rows]
        return stored == [
            (c.section_key, c.section_heading, c.position, c.section_position, c.text,
             c.char_start, c.char_end, c.content_hash)
            for c in chunks
        ]  # fmt: skip

    def document_rows(self, rowids: list[int]) -> dict[int, sqlite3.Row]:
        sql = "SELECT * FROM documents WHERE rowid IN ({marks})"
        return {row["rowid"]: row for row in self._rows_in(sql, rowids)}

    def chunks_by_id(self, chunk_ids: list[int]) -> dict[int, sqlite3.Row]:
        sql = "SELECT * FROM chunks WHERE id IN ({marks})"
        return {row["id"]: row for row in self._rows_in(sql, chunk_ids)}

    def chunk_owners(self, chunk_ids: list[int]) -> dict[int, int]:
        """{chunk id: document rowid}; from memory when the store is read-only (a server)."""
        import numpy as np

        if not self.read_only:
            sql = "SELECT id, doc_rowid FROM chunks WHERE id IN ({marks})"
            return {row[0]: row[1] for row in self._rows_in(sql, chunk_ids)}
        owners = self._owner_array()
        ids = np.asarray(chunk_ids, dtype=np.int64)
        ids = ids[(ids >= 0) & (ids < len(owners))]
        docs = owners[ids]
        known = docs >= 0
        return dict(zip(ids[known].tolist(), docs[known].tolist(), strict=True))

    def _owner_array(self) -> np.ndarray:
        """Document rowid by chunk id (-1: no such chunk), read once: every semantic search
        looks up hundreds of chunks' documents (8 bytes a chunk: 8 MB at a million)."""
        import numpy as np

        if self._owners is None:
            rows = self.conn.execute("SELECT id, doc_rowid FROM chunks").fetchall()
            pairs = np.array(rows, dtype=np.int64).reshape(-1, 2)
            owners = np.full(int(pairs[:, 0].max()) + 1 if len(pairs) else 0, -1, np.int64)
            owners[pairs[:, 0]] = pairs[:, 1]
            self._owners = owners
        return self._owners

    def chunk_owners_where(self, chunk_ids: list[int], where: str, params: list) -> dict[int, int]:
        """{chunk id: document rowid} of the chunks whose documents `d` (and chunk `c`) pass."""
        # CROSS JOIN keeps SQLite from starting at the documents (a department's index) and
        # looking up every chunk of theirs: a thousand times slower for a few chunk ids.
        sql = (
            "SELECT c.id, c.doc_rowid FROM chunks c CROSS JOIN documents d"
            f" ON d.rowid = c.doc_rowid WHERE c.id IN ({{marks}}) AND {where}"
        )
        return {row[0]: row[1] for row in self._rows_in(sql, chunk_ids, params)}

    def phrase_counts(self, phrases: list[str]) -> dict[str, int]:
        """{FTS5 phrase: passages (chunks) holding it}; remembered when the store is read-only."""
        cache = self._phrase_counts if self.read_only else {}
        if len(cache) > PHRASE_COUNTS_KEPT:
            cache.clear()
        for phrase in phrases:
            if phrase not in cache:
                sql = "SELECT count(*) FROM chunks_fts WHERE chunks_fts MATCH ?"
                cache[phrase] = self.conn.execute(sql, (phrase,)).fetchone()[0]
        return {phrase: cache[phrase] for phrase in phrases}

    def chunk_ids_where(self, where: str, params: list) -> np.ndarray:
        """Chunk ids of documents matching a SQL condition on `documents d` (and `chunks c`)."""
        import numpy as np

        if self.read_only and not _CHUNK_COLUMN.search(where):
            return self._chunks_of_documents_where(where, params)
        rows = self.conn.execute(
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
        listed = self.conn.execute(sql, params).fetchone()[0]
        owners = self._owner_array()
        if not listed or not len(owners):
            return np.empty(0, dtype=np.int64)
        documents = np.fromstring(listed, dtype=np.int64, sep=",")
        # One slot past the largest rowid stays False: owners[-1 for "no such chunk"] hits it.
        passing = np.zeros(max(int(owners.max()), int(documents.max())) + 2, dtype=bool)
        passing[documents] = True
        return np.flatnonzero(passing[owners])

    def chunks_without_terms(self) -> sqlite3.Cursor:
        """(chunk id, title, heading, text), as chunks_fts holds them, of the chunks whose
        terms are not stored yet (new ones; all in an index written before they were), in
        chunk id order: storing a chunk's terms while reading on does not disturb the rest."""
        return self.conn.execute(
            "SELECT c.id, d.title, c.section_heading, c.text FROM chunks c"
            " JOIN documents d ON d.rowid = c.doc_rowid"
            " WHERE NOT EXISTS (SELECT 1 FROM chunk_terms t WHERE t.chunk_id = c.id)"
            " ORDER BY c.id"
        )

    def keyword_term_ids(self) -> dict[str, int]:
        rows = self.conn.execute("SELECT id, term FROM keyword_terms ORDER BY id")
        return {r[1]: r[0] for r in rows}

    def add_keyword_terms(self, terms: dict[str, int]) -> None:
        self.conn.executemany("INSERT INTO keyword_terms (term, id) VALUES (?, ?)", terms.items())

    def put_chunk_terms(self, rows: list[tuple[int, bytes]]) -> None:
        self.conn.executemany("INSERT OR REPLACE INTO chunk_terms VALUES (?, ?)", rows)

    def chunk_terms(self):
        """(chunk id, packed terms) of every chunk, in chunk id order."""
        return self.conn.execute("SELECT chunk_id, terms FROM chunk_terms ORDER BY chunk_id")

    def chunk_terms_of(self, ids: list[int]) -> list[tuple[int, bytes]]:
        """(chunk id, packed terms) of those of ``ids`` that exist, in chunk id order."""
        sql = (
            "SELECT chunk_id, terms FROM chunk_terms WHERE chunk_id IN ({marks}) ORDER BY chunk_id"
        )
        return [tuple(row) for row in self._rows_in(sql, sorted(set(ids)))]  # batches in order

    def chunk_terms_extent(self) -> tuple[int, int]:
        """How many chunks have terms stored, and one more than the largest of their ids."""
        row = self.conn.execute("SELECT COUNT(*), MAX(chunk_id) FROM chunk_terms").fetchone()
        return row[0], (row[1] + 1 if row[1] is not None else 0)

    def replace_term_stats(self, df: dict[str, int]) -> None:
        self.conn.execute("DELETE FROM term_stats")
        self.conn.executemany("INSERT INTO term_stats VALUES (?, ?)", df.items())

    def change_term_stats(self, deltas: dict[str, int]) -> None:
        """Add each term's change of document frequency; a term in no document is dropped."""
        self.conn.executemany(
            "INSERT INTO term_stats VALUES (?, ?) ON CONFLICT (term) DO UPDATE SET df = df + ?",
            [(term, n, n) for term, n in deltas.items()],
        )
        self.conn.execute("DELETE FROM term_stats WHERE df <= 0")

    def chunk_vectors(self, ids: list[int]) -> tuple[np.ndarray, np.ndarray]:
        """(chunk ids, vectors) of those of ``ids`` that exist, in chunk id order."""
        sql = (
            "SELECT c.id, e.vector FROM chunks c JOIN embeddings e USING (content_hash)"
            " WHERE c.id IN ({marks}) ORDER BY c.id"
        )
        return _ids_and_vectors(list(self._rows_in(sql, sorted(set(ids)))))  # batches in order

    def term_df(self, terms: list[str]) -> dict[str, int]:
        sql = "SELECT term, df FROM term_stats WHERE term IN ({marks})"
        return {row[0]: row[1] for row in self._rows_in(sql, terms)}

    _TEXTS = (
        "SELECT d.rowid, d.id, d.department, d.title, group_concat(s.text, char(10) || char(10))"
        " FROM documents d JOIN sections s ON s.doc_rowid = d.rowid"
    )

    def document_texts(self):
        """(rowid, id, department, title, body) of every document, in id order."""
        return self.conn.execute(f"{self._TEXTS} GROUP BY d.rowid ORDER BY d.id")

    def document_text(self, rowid: int) -> str:
        """A document's title and sections as one text."""
        row = self._text_row(rowid)
        return f"{row[3]}\n{row[4] or ''}"

    def statistics_texts(self):
        """Each document's text as the corpus term statistics count it (none without
        sections), in id order."""
        return (f"{title}\n{body}" for _, _, _, title, body in self.document_texts())

    def statistics_text(self, rowid: int) -> str:
        row = self._text_row(rowid)
        return "" if row is None or row[4] is None else f"{row[3]}\n{row[4]}"

    def _text_row(self, rowid: int) -> sqlite3.Row | None:
        return self.conn.execute(f"{self._TEXTS} WHERE d.rowid = ?", (rowid,)).fetchone()

    def document_rowid(self, doc_id: str) -> int | None:
        row = self.conn.execute("SELECT rowid FROM documents WHERE id = ?", (doc_id,)).fetchone()
        return None if row is None else row[0]

    def document_chunks(self, doc_rowid: int) -> tuple[list, np.ndarray]:
        """A document's chunk rows (in order) and their vectors."""
        import numpy as np

        rows = self.conn.execute(
            "SELECT c.*, e.vector FROM chunks c JOIN embeddings e USING (content_hash)"
            " WHERE c.doc_rowid = ? ORDER BY c.position",
            (doc_rowid,),
        ).fetchall()
        if not rows:
            return [], np.zeros((0, 0), dtype=np.float32)
        return rows, np.stack([np.frombuffer(r["vector"], dtype=np.float32) for r in rows])

    def document_dates(self, rowids: list[int]) -> dict[int, str]:
        return {rowid: row["date"] for rowid, row in self.document_rows(rowids).items()}

    def departments(self) -> list[tuple[str, int]]:
        rows = self.conn.execute(
            "SELECT department, COUNT(*) FROM documents GROUP BY department ORDER BY department"
        )
        return [(r[0], r[1]) for r in rows]

    def actions_for(self, doc_rowid: int) -> list[sqlite3.Row]:
        return self.conn.execute(
            "SELECT * FROM actions WHERE doc_rowid = ?", (doc_rowid,)
        ).fetchall()


def row_to_document(row: sqlite3.Row, sections: list[Section]) -> Document:
    return Document(
        id=row["id"],
        title=row["title"],
        type=row["type"],
        department=row["department"],
        date=dt.date.fromisoformat(row["date"]),
        sections=sections,
        project=row["project"] or "",
        phase=row["phase"] or "",
        status=row["status"] or "",
        sensitivity=row["sensitivity"] or "",
        url=row["url"] or "",
        authors=json.loads(row["authors"] or "[]"),
        participants=json.loads(row["participants"] or "[]"),
        tags=json.loads(row["tags"] or "[]"),
        extra=json.loads(row["extra"] or "{}"),
        source_path=row["source_path"],
        source_line=row["source_line"] or 0,
    )


_CHUNK_IDS = "SELECT id FROM chunks WHERE doc_rowid = ?"


def _ids_and_vectors(rows: list) -> tuple[np.ndarray, np.ndarray]:
    import numpy as np

    if not rows:
        return np.zeros(0, dtype=np.int64), np.zeros((0, 0), dtype=np.float32)
    ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
    return ids, np.stack([np.frombuffer(r[1], dtype=np.float32) for r in rows])


def _batches(items: list, size: int):
    for start in range(0, len(items), size):
        yield list(items[start : start + size])
