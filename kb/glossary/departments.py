"""The departments an account belongs to (table user_departments), read with the account.

Departments are free text as in the documents' `department:` field, bounded so that a
header from a proxy or a command-line option cannot grow the table without limit.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Connection, delete, insert, select

from kb.glossary.errors import GlossaryError
from kb.state.tables import user_departments

MAX_DEPARTMENTS = 50
MAX_DEPARTMENT_CHARS = 64


def clean_departments(names: Iterable[str], option: str = "--department") -> tuple[str, ...]:
    """Stripped, sorted and without duplicates; a clear error naming `option` otherwise."""
    cleaned = sorted({name.strip() for name in names})
    if len(cleaned) > MAX_DEPARTMENTS:
        raise GlossaryError(f"{option}: at most {MAX_DEPARTMENTS} departments per account")
    for name in cleaned:
        if not name or len(name) > MAX_DEPARTMENT_CHARS:
            raise GlossaryError(f"{option}: a department has 1-{MAX_DEPARTMENT_CHARS} characters")
        if "," in name or not name.isprintable():
            raise GlossaryError(f"{option} {name!r}: no commas or control characters")
    return tuple(cleaned)


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
