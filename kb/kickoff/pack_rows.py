"""SQL for the `packs` table of the state database (kb/state/tables.py).

Each write is its own transaction. A new pack's id is claimed by its INSERT alone: nothing
is read first, so two servers drawing the same id cannot both get it; the loser's INSERT
fails on the unique key (on PostgreSQL that aborts its transaction, hence one per attempt).
"""

from __future__ import annotations

from sqlalchemy import delete, insert, select
from sqlalchemy.exc import IntegrityError

from kb.state import StateDB
from kb.state.tables import packs

_SUMMARY = (
    packs.c.id,
    packs.c.title,
    packs.c.department,
    packs.c.created_at,
    packs.c.lessons,
    packs.c.themes,
)


class PackRows:
    """The rows of saved packs in `state`, checked to be at the newest schema on first use."""

    def __init__(self, state: StateDB):
        self.state = state

    def insert(self, row: dict) -> bool:
        """Add the row; False if its id is taken (any other refusal is raised)."""
        try:
            with self.state.current_engine().begin() as conn:
                conn.execute(insert(packs).values(row))
        except IntegrityError:
            if self.content(row["id"]) is None:  # not the key: a broken row
                raise
            return False
        return True

    def content(self, pack_id: str) -> str | None:
        """The pack's JSON, or None if no pack has that id."""
        with self.state.current_engine().connect() as conn:
            return conn.execute(select(packs.c.content).where(packs.c.id == pack_id)).scalar()

    def delete(self, pack_id: str) -> bool:
        with self.state.current_engine().begin() as conn:
            return conn.execute(delete(packs).where(packs.c.id == pack_id)).rowcount > 0

    def newest(self, limit: int) -> list[tuple]:
        """Summary rows, newest first; `seq` orders packs created in the same second."""
        query = select(*_SUMMARY).order_by(packs.c.created_at.desc(), packs.c.seq.desc())
        with self.state.current_engine().connect() as conn:
            return [tuple(row) for row in conn.execute(query.limit(limit))]

    def newest_contents(self, limit: int) -> list[str]:
        """The packs' JSON, newest first (as `newest`)."""
        query = select(packs.c.content).order_by(packs.c.created_at.desc(), packs.c.seq.desc())
        with self.state.current_engine().connect() as conn:
            return list(conn.execute(query.limit(limit)).scalars())
