"""Who a document names (`person_names` and the documents' people fields): what the
redaction of names (kb.redaction) reads, for one document or a page of hits at once."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass

from kb.index.db import Database

# Lower-case words inside names ("Pieter de Wit"): never a name on their own.
PARTICLES = frozenset({"de", "van", "von", "der", "den", "da", "di", "del", "la", "le", "du"})


@dataclass(frozen=True)
class DocumentPeople:
    """The people of one document: its fields, its action owners and the names found in
    its title and text (None: the index has not looked for them yet)."""

    department: str
    authors: tuple[str, ...] = ()
    participants: tuple[str, ...] = ()
    owners: tuple[str, ...] = ()
    text_names: tuple[str, ...] | None = None


class PersonNames:
    def __init__(self, db: Database):
        self.db = db
        self._has_table: bool | None = None

    @property
    def has_table(self) -> bool:
        """False in a generation written before the table (read-only: never migrated)."""
        if self._has_table is None:
            row = self.db.conn.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'person_names'"
            ).fetchone()
            self._has_table = row is not None
        return self._has_table

    def put(self, rowid: int, names: list[str]) -> None:
        self.db.conn.execute(
            "INSERT OR REPLACE INTO person_names VALUES (?, ?)", (rowid, json.dumps(names))
        )

    def unread(self) -> list[int]:
        """Rowids of the documents not yet read for names (all of them without the table)."""
        if not self.has_table:
            return [r[0] for r in self.db.conn.execute("SELECT rowid FROM documents")]
        sql = (
            "SELECT d.rowid FROM documents d LEFT JOIN person_names p"
            " ON p.doc_rowid = d.rowid WHERE p.doc_rowid IS NULL ORDER BY d.rowid"
        )
        return [r[0] for r in self.db.conn.execute(sql)]

    def corpus_people(self) -> tuple[set[str], set[str]]:
        """(every name in the people fields and action owners, every word of a department
        or project name) of the whole index."""
        people, words = set(), set()
        sql = "SELECT department, project, authors, participants FROM documents"
        for department, project, authors, participants in self.db.conn.execute(sql):
            people.update([*_list(authors), *_list(participants)])
            words.update(f"{department} {project or ''}".split())
        sql = "SELECT DISTINCT owner FROM actions WHERE owner != ''"
        people.update(row[0] for row in self.db.conn.execute(sql))
        return people, words

    def people(self, doc_ids: list[str]) -> dict[str, DocumentPeople]:
        """{doc id: its people} for the ids that exist, in one query per batch."""
        names = "p.names" if self.has_table else "NULL"
        sql = (
            f"SELECT d.rowid, d.id, d.department, d.authors, d.participants, {names} AS names"
            " FROM documents d"
            + (" LEFT JOIN person_names p ON p.doc_rowid = d.rowid" if self.has_table else "")
            + " WHERE d.id IN ({marks})"
        )
        rows = list(self.db.rows_in(sql, list(dict.fromkeys(doc_ids))))
        owners = self._owners([r["rowid"] for r in rows])
        return {r["id"]: _people(r, owners.get(r["rowid"], ())) for r in rows}

    def _owners(self, rowids: list[int]) -> dict[int, tuple[str, ...]]:
        found: dict[int, list[str]] = {}
        sql = "SELECT doc_rowid, owner FROM actions WHERE owner != '' AND doc_rowid IN ({marks})"
        for rowid, owner in self.db.rows_in(sql, rowids):
            found.setdefault(rowid, []).append(owner)
        return {rowid: tuple(dict.fromkeys(names)) for rowid, names in found.items()}


def _people(row: sqlite3.Row, owners: tuple[str, ...]) -> DocumentPeople:
    names = row["names"]
    return DocumentPeople(
        row["department"],
        tuple(_list(row["authors"])),
        tuple(_list(row["participants"])),
        owners,
        None if names is None else tuple(json.loads(names)),
    )


def _list(raw: str | None) -> list[str]:
    return [str(item) for item in json.loads(raw)] if raw else []
