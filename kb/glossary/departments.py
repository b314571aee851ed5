"""The departments an account belongs to (table user_departments), read with the account;
kb/glossary/names.py checks them first."""

from __future__ import annotations

from sqlalchemy import Connection, delete, insert, select

from kb.state.tables import user_departments


def load_departments(conn: Connection, user_id: int) -> tuple[str, ...]:
    query = (
        select(user_departments.c.department)
        .where(user_departments.c.user_id == user_id)
        .order_by(user_departments.c.department)
    )
    return tuple(conn.execute(query).scalars())


def replace_departments(conn: Connection, user_id: int, departments: tuple[str, ...]) -> None:
    conn.execute(delete(user_departments).where(user_departments.c.user_id == user_id))
    if departments:
        rows = [dict(user_id=user_id, department=name) for name in departments]
        conn.execute(insert(user_departments), rows)
