"""Documents with their sections, tags and action items (`documents`, `sections`,
`doc_tags`, `actions`), and facet counts over them."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from dataclasses import replace

from kb.documents.actions import extract_actions
from kb.documents.lifecycle import ARCHIVED
from kb.documents.schema import Document, Section
from kb.index.db import Database
from kb.index.filters import Filters, filter_sql

# Facets, Datasette-style: facet -> the filter that selects its values.
FACET_FILTERS = {
    "department": "departments",
    "type": "types",
    "status": "statuses",
    "year": "years",
    "tags": "tags",
}
_COUNTS = {
    "department": "SELECT d.department AS value, COUNT(*) FROM documents d",
    "type": "SELECT d.type AS value, COUNT(*) FROM documents d",
    "status": "SELECT d.status AS value, COUNT(*) FROM documents d",
    "year": "SELECT substr(d.date, 1, 4) AS value, COUNT(*) FROM documents d",
    "tags": (
        "SELECT t.tag AS value, COUNT(DISTINCT d.rowid) FROM documents d"
        " JOIN doc_tags t ON t.doc_rowid = d.rowid"
    ),
}


class Documents:
    def __init__(self, db: Database):
        self.db = db

    def add(self, doc: Document) -> int:
        """Insert a document with its sections, tags and action items; its rowid."""
        conn = self.db.conn
        cur = conn.execute(
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
        conn.executemany(
            "INSERT INTO sections VALUES (?,?,?,?,?)",
            [(rowid, i, s.key, s.heading, s.text) for i, s in enumerate(doc.sections)],
        )
        conn.executemany("INSERT INTO doc_tags VALUES (?,?)", [(rowid, t) for t in doc.tags])
        conn.executemany(
            "INSERT INTO actions VALUES (?,?,?,?,?)",
            [(rowid, a.text, a.owner, a.due, int(a.done)) for a in extract_actions(doc)],
        )
        return rowid

    def delete(self, rowid: int) -> None:
        """The document and (by cascade) its sections, tags, actions and chunks."""
        self.db.conn.execute("DELETE FROM documents WHERE rowid = ?", (rowid,))

    def rowid(self, doc_id: str) -> int | None:
        row = self.db.conn.execute("SELECT rowid FROM documents WHERE id = ?", (doc_id,))
        found = row.fetchone()
        return None if found is None else found[0]

    def get(self, doc_id: str) -> Document | None:
        conn = self.db.conn
        row = conn.execute("SELECT * FROM documents WHERE id = ?", (doc_id,)).fetchone()
        if row is None:
            return None
        sections = [
            Section(r["key"], r["heading"], r["text"])
            for r in conn.execute(
                "SELECT key, heading, text FROM sections WHERE doc_rowid = ? ORDER BY position",
                (row["rowid"],),
            )
        ]
        return row_to_document(row, sections)

    def rows(self, rowids: list[int]) -> dict[int, sqlite3.Row]:
        """{rowid: the `documents` row} of those that exist."""
        sql = "SELECT * FROM documents WHERE rowid IN ({marks})"
        return {row["rowid"]: row for row in self.db.rows_in(sql, rowids)}

    def rowids_in(self, department: str) -> list[int]:
        sql = "SELECT rowid FROM documents WHERE department = ?"
        return [row[0] for row in self.db.conn.execute(sql, (department,))]

    def dates(self, rowids: list[int]) -> dict[int, str]:
        return {rowid: row["date"] for rowid, row in self.rows(rowids).items()}

    def titles(self, doc_ids: list[str]) -> list[tuple[str, str, str]]:
        """(id, title, department) of those of ``doc_ids`` that exist."""
        sql = "SELECT id, title, department FROM documents WHERE id IN ({marks})"
        return [tuple(row) for row in self.db.rows_in(sql, doc_ids)]

    def ids_passing(self, doc_ids: list[str], filters: Filters) -> set[str]:
        """Those of ``doc_ids`` that exist and pass ``filters`` (a reader's access rule)."""
        where, params = filter_sql(filters)
        sql = "SELECT d.id FROM documents d WHERE d.id IN ({marks}) AND " + where
        return {row[0] for row in self.db.rows_in(sql, doc_ids, params)}

    def sources(self) -> dict[str, str]:
        """{document id: the source file it came from} of every document."""
        rows = self.db.conn.execute("SELECT id, source_path FROM documents")
        return {r[0]: r[1] for r in rows}

    def ids_from(self, path: str) -> list[str]:
        """The ids of the documents a source file gave."""
        rows = self.db.conn.execute("SELECT id FROM documents WHERE source_path = ?", (path,))
        return [r[0] for r in rows]

    def count(self) -> int:
        return self.db.conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0]

    def hiding_archived(self, filters: Filters) -> Filters:
        """``filters``, without the rule that hides archived documents when this index holds
        none: a rule that hides nothing would still send every search down the filtered path
        (ids_passing over every chunk) instead of the unfiltered one."""
        if not filters.hides_archived:
            return filters
        sql = "SELECT EXISTS (SELECT 1 FROM documents WHERE status = ?)"
        present = self.db.conn.execute(sql, (ARCHIVED,)).fetchone()[0]
        return filters if present else replace(filters, hide_archived=False)

    def departments(self, filters: Filters | None = None) -> list[tuple[str, int]]:
        """(department, documents passing ``filters``) of every department, by name."""
        where, params = filter_sql(filters or Filters())
        rows = self.db.conn.execute(
            f"SELECT d.department, COUNT(*) FROM documents d WHERE {where}"
            " GROUP BY d.department ORDER BY d.department",
            params,
        )
        return [(r[0], r[1]) for r in rows]

    def listing(self, filters: Filters) -> list[tuple[int, int]]:
        """(rowid, first chunk id) of the documents passing ``filters``, newest first (by id
        within a day); the chunk is the first in the chosen sections when they are filtered."""
        where, params = filter_sql(filters)
        rows = self.db.conn.execute(
            "SELECT d.rowid, MIN(c.id) FROM documents d JOIN chunks c ON c.doc_rowid = d.rowid"
            f" WHERE {where} GROUP BY d.rowid ORDER BY d.date DESC, d.id",
            params,
        )
        return [(row[0], row[1]) for row in rows]

    def status_counts(self, filters: Filters) -> dict[str, int]:
        """{lifecycle status: documents passing ``filters``} ("" for none declared)."""
        where, params = filter_sql(filters)
        sql = f"SELECT COALESCE(d.status, ''), COUNT(*) FROM documents d WHERE {where} GROUP BY 1"
        return {row[0]: row[1] for row in self.db.conn.execute(sql, params)}

    def dated(self, filters: Filters) -> list[tuple[str, str, str]]:
        """(id, department, date) of the documents passing ``filters``, oldest first."""
        where, params = filter_sql(filters)
        sql = f"SELECT d.id, d.department, d.date FROM documents d WHERE {where} ORDER BY d.date"
        return [tuple(row) for row in self.db.conn.execute(sql, params)]

    def rowids_failing(self, filters: Filters) -> list[int]:
        """Rowids of the documents that do not pass ``filters`` (on documents only)."""
        where, params = filter_sql(filters)
        rows = self.db.conn.execute(f"SELECT d.rowid FROM documents d WHERE NOT ({where})", params)
        return [row[0] for row in rows]

    def action_listing(self, filters: Filters) -> list[sqlite3.Row]:
        """Every action item of the documents passing ``filters`` (on documents only), with
        its document's id, title, department and date, oldest document first."""
        where, params = filter_sql(filters)
        sql = (
            "SELECT d.id AS doc_id, d.title, d.department, d.date, a.text, a.owner, a.due,"
            f" a.done FROM actions a JOIN documents d ON d.rowid = a.doc_rowid WHERE {where}"
            " ORDER BY d.date, d.id"
        )
        return self.db.conn.execute(sql, params).fetchall()

    def cards(self, doc_ids: list[str], filters: Filters) -> dict[str, sqlite3.Row]:
        """{id: (id, title, department, date)} of those documents that pass ``filters``."""
        where, params = filter_sql(filters)
        sql = (
            "SELECT d.id, d.title, d.department, d.date FROM documents d"
            f" WHERE d.id IN ({{marks}}) AND {where}"
        )
        return {row["id"]: row for row in self.db.rows_in(sql, doc_ids, params)}

    def actions(self, rowid: int) -> list[sqlite3.Row]:
        """A document's action items (text, owner, due, done)."""
        sql = "SELECT * FROM actions WHERE doc_rowid = ?"
        return self.db.conn.execute(sql, (rowid,)).fetchall()

    def facet_counts(
        self, doc_rowids: list[int], filters: Filters, limits: dict[str, int]
    ) -> dict[str, list[tuple[str, int]]]:
        """{facet: (value, documents) of its commonest ``limits[facet]`` values, most first} among
        ``doc_rowids`` (which must not be empty); each facet applies the facet filters of
        ``filters`` but not its own, so a selected department still shows the others."""
        conn = self.db.conn  # the temporary table is this connection's own
        conn.execute("CREATE TEMP TABLE IF NOT EXISTS matched (rowid INTEGER PRIMARY KEY)")
        conn.execute("DELETE FROM temp.matched")
        conn.executemany("INSERT INTO temp.matched VALUES (?)", [(r,) for r in doc_rowids])
        facet_only = Filters(
            **{name: getattr(filters, name) for name in FACET_FILTERS.values()},
            hide_archived=filters.hide_archived,
        )
        out = {}
        for name, select in _COUNTS.items():
            where, params = filter_sql(facet_only, skip=FACET_FILTERS[name])
            rows = conn.execute(
                f"{select} WHERE d.rowid IN (SELECT rowid FROM temp.matched) AND {where}"
                f" GROUP BY value ORDER BY COUNT(*) DESC, value LIMIT {int(limits[name])}",
                params,
            ).fetchall()
            out[name] = [(row[0], row[1]) for row in rows]
        return out

    _TEXTS = (
        "SELECT d.rowid, d.id, d.department, d.title, group_concat(s.text, char(10) || char(10))"
        " FROM documents d JOIN sections s ON s.doc_rowid = d.rowid"
    )

    def texts(self) -> sqlite3.Cursor:
        """(rowid, id, department, title, body) of every document with sections, in id order."""
        return self.db.conn.execute(f"{self._TEXTS} GROUP BY d.rowid ORDER BY d.id")

    def text(self, rowid: int) -> str:
        """A document's title and sections as one text."""
        row = self._text_row(rowid)
        return f"{row[3]}\n{row[4] or ''}"

    def statistics_texts(self):
        """Each document's text as the corpus term statistics count it (none without
        sections), in id order."""
        return (f"{title}\n{body}" for _, _, _, title, body in self.texts())

    def statistics_text(self, rowid: int) -> str:
        row = self._text_row(rowid)
        return "" if row is None or row[4] is None else f"{row[3]}\n{row[4]}"

    def _text_row(self, rowid: int) -> sqlite3.Row | None:
        return self.db.conn.execute(f"{self._TEXTS} WHERE d.rowid = ?", (rowid,)).fetchone()


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


def dump_json(value) -> str:
    """A value as the store keeps JSON columns: any type as its string, non-ASCII as is."""
    return json.dumps(value, default=str, ensure_ascii=False)
