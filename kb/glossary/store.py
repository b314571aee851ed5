"""SQL for the editorial tables `terms` and `history`; callers hold the transaction."""

from __future__ import annotations

import json
import sqlite3

from kb.glossary.db import GlossaryDB
from kb.glossary.model import HistoryEntry, Term

_COLUMNS = (
    "key",
    "label",
    "definition",
    "acronym",
    "synonyms",
    "related",
    "owner",
    "status",
    "decision",
    "reason",
    "merged_into",
    "version",
    "updated_at",
    "updated_by",
)
_LISTS = ("synonyms", "related")
# Fields a history entry compares, in the order they are shown: all but the bookkeeping.
_BOOKKEEPING = ("key", "version", "updated_at", "updated_by")
TRACKED = tuple(name for name in _COLUMNS if name not in _BOOKKEEPING)


def row_to_term(row: sqlite3.Row) -> Term:
    values = {name: row[name] for name in _COLUMNS}
    for name in _LISTS:
        values[name] = tuple(json.loads(values[name]))
    return Term(**values)


def term_to_params(term: Term) -> tuple:
    return tuple(
        json.dumps(list(getattr(term, name)), ensure_ascii=False)
        if name in _LISTS
        else getattr(term, name)
        for name in _COLUMNS
    )


def changes(old: Term | None, new: Term) -> dict[str, list]:
    """{field: [old, new]} for every tracked field that differs (old is None for a new term)."""
    out = {}
    for name in TRACKED:
        before = None if old is None else _plain(getattr(old, name))
        after = _plain(getattr(new, name))
        if before != after and not (old is None and after in ("", [])):
            out[name] = [before, after]
    return out


def _plain(value):
    return list(value) if isinstance(value, tuple) else value


class TermStore:
    def __init__(self, db: GlossaryDB):
        self.db = db

    def get(self, key: str, conn: sqlite3.Connection | None = None) -> Term | None:
        row = (conn or self.db.conn).execute("SELECT * FROM terms WHERE key = ?", (key,)).fetchone()
        return row_to_term(row) if row else None

    def get_many(self, keys: list[str]) -> dict[str, Term]:
        out: dict[str, Term] = {}
        for start in range(0, len(keys), 500):
            batch = keys[start : start + 500]
            marks = ",".join("?" * len(batch))
            rows = self.db.conn.execute(f"SELECT * FROM terms WHERE key IN ({marks})", batch)
            out.update((row["key"], row_to_term(row)) for row in rows)
        return out

    def decisions(self) -> dict[str, str]:
        return {r[0]: r[1] for r in self.db.conn.execute("SELECT key, decision FROM terms")}

    def labels(self) -> dict[str, str]:
        """{key: label} of every decided key (an editor may have relabelled a candidate)."""
        return dict(self.db.conn.execute("SELECT key, label FROM terms"))

    def accepted(self, conn: sqlite3.Connection | None = None) -> list[Term]:
        rows = (conn or self.db.conn).execute(
            "SELECT * FROM terms WHERE decision = 'accepted' ORDER BY key"
        )
        return [row_to_term(row) for row in rows]

    def merged_into(self, key: str) -> list[str]:
        rows = self.db.conn.execute(
            "SELECT key FROM terms WHERE decision = 'merged' AND merged_into = ? ORDER BY key",
            (key,),
        )
        return [row[0] for row in rows]

    def save(self, conn: sqlite3.Connection, old: Term | None, new: Term, action: str) -> None:
        """Write `new` (whose version the caller has bumped) and its history entry."""
        marks = ",".join("?" * len(_COLUMNS))
        conn.execute(
            f"INSERT OR REPLACE INTO terms ({','.join(_COLUMNS)}) VALUES ({marks})",
            term_to_params(new),
        )
        entry = HistoryEntry(
            new.key, new.version, new.updated_by, new.updated_at, action, changes(old, new)
        )
        self._log(conn, entry)

    def forget(self, conn: sqlite3.Connection, old: Term, entry: HistoryEntry) -> None:
        """Delete the row of `old` (back to a pending candidate), its history kept and extended."""
        conn.execute("DELETE FROM terms WHERE key = ?", (old.key,))
        self._log(conn, entry)

    def last_version(self, key: str, conn: sqlite3.Connection) -> int:
        """The highest version the history holds for `key` (0 if none): a forgotten row's
        next version continues from it, so versions never repeat."""
        row = conn.execute("SELECT MAX(version) FROM history WHERE term_key = ?", (key,)).fetchone()
        return row[0] or 0

    def last_merge(self, key: str, into: str, conn: sqlite3.Connection) -> tuple[dict, dict] | None:
        """The changes of `key`'s latest merge and of `into`'s merge-in (written just after
        it in the same transaction; {} when the target gained no synonym), or None."""
        merge = conn.execute(
            "SELECT id, changes FROM history WHERE term_key = ? AND action = 'merge'"
            " ORDER BY id DESC LIMIT 1",
            (key,),
        ).fetchone()
        if merge is None:
            return None
        merge_in = conn.execute(
            "SELECT changes FROM history WHERE id = ? AND term_key = ? AND action = 'merge-in'",
            (merge[0] + 1, into),
        ).fetchone()
        return json.loads(merge[1]), json.loads(merge_in[0]) if merge_in else {}

    def _log(self, conn: sqlite3.Connection, entry: HistoryEntry) -> None:
        conn.execute(
            "INSERT INTO history (term_key, version, user, at, action, changes)"
            " VALUES (?,?,?,?,?,?)",
            (
                entry.term_key,
                entry.version,
                entry.user,
                entry.at,
                entry.action,
                json.dumps(entry.changes, ensure_ascii=False),
            ),
        )

    def history(self, key: str) -> list[HistoryEntry]:
        rows = self.db.conn.execute(
            "SELECT term_key, version, user, at, action, changes FROM history"
            " WHERE term_key = ? ORDER BY id DESC",
            (key,),
        )
        return [HistoryEntry(r[0], r[1], r[2], r[3], r[4], json.loads(r[5])) for r in rows]
