"""SQL for the editorial tables `terms` and `history` in the state database (kb/state).

Writers pass the connection of their transaction; readers may leave it out. Every write of a
term row names the version it replaces (`UPDATE ... WHERE key = :k AND version = :v`, or an
INSERT that fails on the key), so of two servers saving the same term from the same version,
the database lets one win and the other gets ConcurrentEditError: nothing is locked between
a read and a write, and nothing is overwritten.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, Engine, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from kb.glossary.errors import ConcurrentEditError
from kb.glossary.model import HistoryEntry, Term
from kb.state import StateDB
from kb.state.tables import history, terms

_COLUMNS = tuple(column.name for column in terms.columns)
_LISTS = ("synonyms", "related")
# Fields a history entry compares, in the order they are shown: all but the bookkeeping.
_BOOKKEEPING = ("key", "version", "updated_at", "updated_by")
TRACKED = tuple(name for name in _COLUMNS if name not in _BOOKKEEPING)
_ENTRY = (history.c.term_key, history.c.version, history.c.user, history.c.at, history.c.action)
BATCH = 500  # keys per IN (...) query: well under every database's parameter limit


def row_to_term(row) -> Term:
    values = {name: row._mapping[name] for name in _COLUMNS}
    for name in _LISTS:
        values[name] = tuple(json.loads(values[name]))
    return Term(**values)


def term_to_row(term: Term) -> dict:
    return {
        name: json.dumps(list(getattr(term, name)), ensure_ascii=False)
        if name in _LISTS
        else getattr(term, name)
        for name in _COLUMNS
    }


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
    """Terms and history in `state`, checked to be at the newest schema on first use."""

    def __init__(self, state: StateDB):
        self.state = state

    @property
    def engine(self) -> Engine:
        self.state.require_current()  # checks once, then returns at once
        return self.state.engine

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """One write transaction: committed at the end, rolled back on any exception."""
        with self.engine.begin() as conn:
            yield conn

    @contextmanager
    def _reading(self, conn: Connection | None) -> Iterator[Connection]:
        if conn is not None:
            yield conn
            return
        with self.engine.connect() as own:
            yield own

    def _terms(self, query, conn: Connection | None = None) -> list[Term]:
        with self._reading(conn) as reading:
            return [row_to_term(row) for row in reading.execute(query)]

    def get(self, key: str, conn: Connection | None = None) -> Term | None:
        found = self._terms(select(terms).where(terms.c.key == key), conn)
        return found[0] if found else None

    def get_many(self, keys: list[str]) -> dict[str, Term]:
        out: dict[str, Term] = {}
        with self._reading(None) as conn:
            for start in range(0, len(keys), BATCH):
                query = select(terms).where(terms.c.key.in_(keys[start : start + BATCH]))
                out.update((term.key, term) for term in self._terms(query, conn))
        return out

    def decisions(self) -> dict[str, str]:
        with self._reading(None) as conn:
            return dict(conn.execute(select(terms.c.key, terms.c.decision)).all())

    def labels(self) -> dict[str, str]:
        """{key: label} of every decided key (an editor may have relabelled a candidate)."""
        with self._reading(None) as conn:
            return dict(conn.execute(select(terms.c.key, terms.c.label)).all())

    def accepted(self, conn: Connection | None = None) -> list[Term]:
        query = select(terms).where(terms.c.decision == "accepted").order_by(terms.c.key)
        return self._terms(query, conn)

    def merged_into(self, key: str) -> list[str]:
        query = select(terms.c.key).where(terms.c.decision == "merged", terms.c.merged_into == key)
        with self._reading(None) as conn:
            return list(conn.execute(query.order_by(terms.c.key)).scalars())

    def save(self, conn: Connection, old: Term | None, new: Term, action: str) -> None:
        """Write `new` in place of `old` (None: no row yet) and its history entry; raise
        ConcurrentEditError if the stored row is no longer `old` (another writer won)."""
        row = term_to_row(new)
        if old is None:
            try:
                conn.execute(insert(terms).values(row))
            except IntegrityError:  # another server inserted the key first
                raise ConcurrentEditError(new.key, 0, self.get(new.key)) from None
        else:
            self._check(conn.execute(update(terms).where(*self._unchanged(old)).values(row)), old)
        entry = HistoryEntry(
            new.key, new.version, new.updated_by, new.updated_at, action, changes(old, new)
        )
        self._log(conn, entry)

    def forget(self, conn: Connection, old: Term, entry: HistoryEntry) -> None:
        """Delete the row of `old` (back to a pending candidate), its history kept and extended."""
        self._check(conn.execute(delete(terms).where(*self._unchanged(old))), old)
        self._log(conn, entry)

    @staticmethod
    def _unchanged(old: Term) -> tuple:
        return terms.c.key == old.key, terms.c.version == old.version

    def _check(self, result, old: Term) -> None:
        if result.rowcount != 1:  # the row moved past old.version since it was read
            raise ConcurrentEditError(old.key, old.version, self.get(old.key))

    def last_version(self, key: str, conn: Connection) -> int:
        """The highest version the history holds for `key` (0 if none): a forgotten row's
        next version continues from it, so versions never repeat."""
        query = select(func.max(history.c.version)).where(history.c.term_key == key)
        return conn.execute(query).scalar() or 0

    def last_merge(self, key: str, into: str, conn: Connection) -> tuple[dict, dict] | None:
        """The changes of `key`'s latest merge and of `into`'s merge-in (written after it in
        the same transaction, so by the same user at the same second; {} when the target
        gained no synonym), or None. Ids may interleave across PostgreSQL transactions, so
        the merge-in is not simply the next id."""
        merge = conn.execute(
            select(history.c.id, history.c.user, history.c.at, history.c.changes)
            .where(history.c.term_key == key, history.c.action == "merge")
            .order_by(history.c.id.desc())
            .limit(1)
        ).first()
        if merge is None:
            return None
        merge_in = conn.execute(
            select(history.c.action, history.c.changes)
            .where(history.c.id > merge.id, history.c.term_key == into)
            .where(history.c.user == merge.user, history.c.at == merge.at)
            .order_by(history.c.id)
            .limit(1)
        ).first()
        found = merge_in is not None and merge_in.action == "merge-in"
        return json.loads(merge.changes), json.loads(merge_in.changes) if found else {}

    def _log(self, conn: Connection, entry: HistoryEntry) -> None:
        values = entry.to_dict()
        values["changes"] = json.dumps(entry.changes, ensure_ascii=False)
        conn.execute(insert(history).values(**values))

    def history(self, key: str) -> list[HistoryEntry]:
        query = select(*_ENTRY, history.c.changes).where(history.c.term_key == key)
        with self._reading(None) as conn:
            rows = conn.execute(query.order_by(history.c.id.desc())).all()
        return [HistoryEntry(*row[:5], json.loads(row[5])) for row in rows]
