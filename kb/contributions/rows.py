"""SQL for the contribution tables of the state database (kb/state/tables.py): one
transaction per change, which writes the contribution's row and its history entry together."""

from __future__ import annotations

import json

from sqlalchemy import insert, select, update

from kb.contributions.model import Change, Contribution
from kb.state import StateDB
from kb.state.tables import contribution_changes, contributions


class ContributionRows:
    def __init__(self, state: StateDB):
        self.state = state

    def add(self, item: Contribution, change: Change) -> None:
        row = _row(item)
        with self.state.current_engine().begin() as conn:
            conn.execute(insert(contributions).values(row))
            conn.execute(insert(contribution_changes).values(_change_row(item, change, None)))

    def save(self, item: Contribution, change: Change | None, published: dict | None = None):
        """Write the contribution as it now is, and the change that made it (if a state
        changed); `published`: the document of the version just published, kept."""
        row = _row(item)
        with self.state.current_engine().begin() as conn:
            conn.execute(update(contributions).where(contributions.c.id == item.id).values(row))
            if change is not None:
                conn.execute(
                    insert(contribution_changes).values(_change_row(item, change, published))
                )

    def get(self, contribution_id: str) -> Contribution | None:
        query = select(contributions).where(contributions.c.id == contribution_id)
        with self.state.current_engine().connect() as conn:
            row = conn.execute(query).first()
            if row is None:
                return None
            return _contribution(row, self._history(conn, [row.id]).get(row.id, []))

    def listing(self, author: str = "", statuses: tuple[str, ...] = ()) -> list[Contribution]:
        """Newest change first; of one author and in some states, if given."""
        query = select(contributions).order_by(contributions.c.updated_at.desc())
        if author:
            query = query.where(contributions.c.author == author)
        if statuses:
            query = query.where(contributions.c.status.in_(statuses))
        with self.state.current_engine().connect() as conn:
            rows = list(conn.execute(query))
            history = self._history(conn, [row.id for row in rows])
        return [_contribution(row, history.get(row.id, [])) for row in rows]

    def published_versions(self, contribution_id: str) -> list[dict]:
        """Each version published: its number, when, by whom and its document, oldest first."""
        table = contribution_changes
        query = (
            select(table)
            .where(table.c.contribution_id == contribution_id, table.c.document.is_not(None))
            .order_by(table.c.seq)
        )
        with self.state.current_engine().connect() as conn:
            return [
                {"version": row.version, "at": row.at, "published_by": row.user_name,
                 "document": json.loads(row.document)}
                for row in conn.execute(query)
            ]  # fmt: skip

    @staticmethod
    def _history(conn, ids: list[str]) -> dict[str, list[Change]]:
        if not ids:
            return {}
        table = contribution_changes
        query = select(table).where(table.c.contribution_id.in_(ids)).order_by(table.c.seq)
        found: dict[str, list[Change]] = {}
        for row in conn.execute(query):
            change = Change(
                row.user_name, row.at, row.from_status, row.to_status, row.comment, row.version
            )
            found.setdefault(row.contribution_id, []).append(change)
        return found


def _row(item: Contribution) -> dict:
    return {
        "id": item.id,
        "author": item.author,
        "department": item.department,
        "doc_type": item.doc_type,
        "status": item.status,
        "document": json.dumps(item.document, ensure_ascii=False),
        "created_at": item.created_at,
        "updated_at": item.updated_at,
        "published_path": item.published_path,
        "version": item.version,
    }


def _change_row(item: Contribution, change: Change, published: dict | None) -> dict:
    return {
        "contribution_id": item.id,
        "user_name": change.user,
        "at": change.at,
        "from_status": change.from_status,
        "to_status": change.to_status,
        "comment": change.comment,
        "version": change.version,
        "document": json.dumps(published, ensure_ascii=False) if published else None,
    }


def _contribution(row, history: list[Change]) -> Contribution:
    return Contribution(
        row.id, row.author, row.department, row.doc_type, row.status, json.loads(row.document),
        row.created_at, row.updated_at, row.published_path, row.version, history,
    )  # fmt: skip
