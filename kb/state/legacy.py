"""Rows of older Lessonbase files, imported into the state database once: when its schema
is created (kb/state/schema.py) or migrated from empty (`kb db upgrade`).

Before the state database, accounts, sessions, glossary terms and their history lived in
KB_DIR/glossary.sqlite. The file is only read, never changed, so it stays as a backup of
what was imported.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy import Connection, Table, func, select, text

from kb.state.tables import history, sessions, terms, users

LEGACY_GLOSSARY = "glossary.sqlite"
BATCH = 500
_ACCOUNT_TABLES = (
    (users, ("id", "name", "role", "password_hash", "created_at")),
    (sessions, ("token_hash", "user_id", "created_at", "expires_at", "csrf_token")),
)
_GLOSSARY_TABLES = (
    (terms, tuple(column.name for column in terms.columns)),
    (history, ("id", "term_key", "version", "user", "at", "action", "changes")),
)


def import_accounts(conn: Connection, kb_dir: Path) -> dict[str, int]:
    """Copy users and sessions from KB_DIR/glossary.sqlite, ids kept; {table: rows copied}."""
    return _import(conn, kb_dir, _ACCOUNT_TABLES, users)


def import_glossary(conn: Connection, kb_dir: Path) -> dict[str, int]:
    """Copy terms and their history from KB_DIR/glossary.sqlite, history ids kept (their
    order is the order of the edits); {table: rows copied}."""
    return _import(conn, kb_dir, _GLOSSARY_TABLES, history)


def _import(conn: Connection, kb_dir: Path, tables: tuple, numbered: Table) -> dict[str, int]:
    path = Path(kb_dir) / LEGACY_GLOSSARY
    if not path.is_file():
        return {}
    copied = {}
    source = _read_only(path)
    try:
        for table, columns in tables:
            copied[table.name] = _copy(source, conn, table, columns)
    finally:
        source.close()
    _advance_sequence(conn, numbered)
    return copied


def _read_only(path: Path) -> sqlite3.Connection:
    try:
        return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise sqlite3.Error(f"{path}: cannot read the older glossary file ({exc})") from None


def _copy(source: sqlite3.Connection, conn: Connection, table: Table, columns: tuple) -> int:
    exists = source.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (table.name,)
    ).fetchone()
    if not exists:
        return 0
    quoted = ", ".join(f'"{name}"' for name in columns)
    cursor = source.execute(f"SELECT {quoted} FROM {table.name} ORDER BY 1")
    copied = 0
    while rows := cursor.fetchmany(BATCH):
        conn.execute(table.insert(), [dict(zip(columns, row, strict=True)) for row in rows])
        copied += len(rows)
    return copied


def _advance_sequence(conn: Connection, table: Table) -> None:
    """PostgreSQL hands out ids from a sequence that explicit ids do not move: move it past
    the largest imported id, so the next new user does not collide with an old one."""
    if conn.dialect.name != "postgresql":
        return
    largest = conn.execute(select(func.max(table.c.id))).scalar()
    if largest is not None:
        conn.execute(
            text("SELECT setval(pg_get_serial_sequence(:table, 'id'), :value)"),
            {"table": table.name, "value": largest},
        )
