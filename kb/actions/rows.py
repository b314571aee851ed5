"""SQL for the action tables of the state database: actions added on the web and every
status change (kb/state/tables.py). One transaction per write."""

from __future__ import annotations

from sqlalchemy import func, insert, select

from kb.actions.model import ActionUpdate
from kb.state import StateDB
from kb.state.tables import action_items, action_updates


class ActionRows:
    def __init__(self, state: StateDB):
        self.state = state

    def add_item(self, row: dict) -> None:
        with self.state.current_engine().begin() as conn:
            conn.execute(insert(action_items).values(row))

    def added_items(self) -> list[dict]:
        with self.state.current_engine().connect() as conn:
            rows = conn.execute(select(action_items).order_by(action_items.c.created_at))
            return [dict(row._mapping) for row in rows]

    def add_update(self, update: ActionUpdate) -> None:
        row = {
            "action_id": update.action_id,
            "status": update.status,
            "note": update.note,
            "user_name": update.user,
            "at": update.at,
        }
        with self.state.current_engine().begin() as conn:
            conn.execute(insert(action_updates).values(row))

    def latest_updates(self) -> dict[str, ActionUpdate]:
        """Each changed action's newest change (one query for the whole list)."""
        newest = select(func.max(action_updates.c.seq)).group_by(action_updates.c.action_id)
        query = select(action_updates).where(action_updates.c.seq.in_(newest))
        with self.state.current_engine().connect() as conn:
            return {row.action_id: _update(row) for row in conn.execute(query)}

    def history(self, action_ids: list[str]) -> dict[str, list[ActionUpdate]]:
        """The changes of these actions, oldest first."""
        if not action_ids:
            return {}
        query = (
            select(action_updates)
            .where(action_updates.c.action_id.in_(action_ids))
            .order_by(action_updates.c.seq)
        )
        found: dict[str, list[ActionUpdate]] = {}
        with self.state.current_engine().connect() as conn:
            for row in conn.execute(query):
                found.setdefault(row.action_id, []).append(_update(row))
        return found


def _update(row) -> ActionUpdate:
    return ActionUpdate(row.action_id, row.status, row.note, row.user_name, row.at)
