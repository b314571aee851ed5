"""Rows of older Lessonbase files, imported into the state database once: when its schema
is created (kb/state/schema.py) or migrated from empty (`kb db upgrade`).

Before the state database, accounts, sessions, glossary terms and their history lived in
KB_DIR/glossary.sqlite, saved kickoff packs in KB_DIR/kickoff.sqlite. The files are only
read, never changed, so they stay as a backup of what was imported.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from sqlalchemy import Column, Connection, Table, func, select, text

from kb.state.tables import history, packs, sessions, terms, users

LEGACY_GLOSSARY = "glossary.sqlite"
LEGACY_PACKS = "kickoff.sqlite"
BATCH = 500
_ACCOUNT_TABLES = (
    (users, ("id", "name", "role", "password_hash", "created_at")),
    (sessions, ("token_hash", "user_id", "created_at", "expires_at", "csrf_token")),
)
_GLOSSARY_TABLES = (
    (terms, tuple(column.name for column in terms.columns)),
    (history, ("id", "term_key", "version", "user", "at", "action", "changes")),
)
# The old file's rowid becomes seq, so packs created in the same second keep their order.
_PACK_COLUMNS = ("seq", "id", "title", "department", "created_at", "lessons", "themes", "content")


def import_accounts(conn: Connection, kb_dir: Path) -> dict[str, int]:
    """Copy users and sessions from KB_DIR/glossary.sqlite, ids kept; {table: rows copied}."""
    return _import(conn, kb_dir, _ACCOUNT_TABLES, users)


def import_glossary(conn: Connection, kb_dir: Path) -> dict[str, int]:
    """Copy terms and their history from KB_DIR/glossary.sqlite, history ids kept (their
    order is the order of the edits); {table: rows copied}."""
    return _import(conn, kb_dir, _GLOSSARY_TABLES, history)


def import_packs(conn: Connection, kb_dir: Path) -> dict[str, int]:
    """Copy saved kickoff packs from KB_DIR/kickoff.sqlite, in the order they were saved,
    their author read from the pack's JSON (the old table had no column for it)."""
    path = Path(kb_dir) / LEGACY_PACKS
    if not path.is_file():
        return {}
    source = _read_only(path)
    try:
        if not _has_table(source, packs.name):
            return {packs.name: 0}
        cursor = source.execute(
            f"SELECT rowid, {', '.join(_PACK_COLUMNS[1:])} FROM packs ORDER BY rowid"
        )
        copied = 0
        while rows := cursor.fetchmany(BATCH):
            conn.execute(packs.insert(), [_pack_row(row) for row in rows])
            copied += len(rows)
    finally:
        source.close()
    _advance_sequence(conn, packs.c.seq)
    return {packs.name: copied}


def _pack_row(row: tuple) -> dict:
    values = dict(zip(_PACK_COLUMNS, row, strict=True))
    try:
        author = json.loads(values["content"]).get("author", "")
    except (ValueError, AttributeError):  # copied as it is; only the author stays unknown
        author = ""
    return {**values, "author": author if isinstance(author, str) else ""}


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
    _advance_sequence(conn, numbered.c.id)
    return copied


def _read_only(path: Path) -> sqlite3.Connection:
    try:
        return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise sqlite3.Error(f"{path}: cannot read this older Lessonbase file ({exc})") from None


def _has_table(source: sqlite3.Connection, name: str) -> bool:
    found = source.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)
    ).fetchone()
    return found is not None


def _copy(source: sqlite3.Connection, conn: Connection, table: Table, columns: tuple) -> int:
    if not _has_table(source, table.name):
        return 0
    quoted = ", ".join(f'"{name}"' for name in columns)
    cursor = source.execute(f"SELECT {quoted} FROM {table.name} ORDER BY 1")
    copied = 0
    while rows := cursor.fetchmany(BATCH):
        conn.execute(table.insert(), [dict(zip(columns, row, strict=True)) for row in rows])
        copied += len(rows)
    return copied


def _advance_sequence(conn: Connection, column: Column) -> None:
    """PostgreSQL hands out ids from a sequence that explicit ids do not move: move it past
    the largest imported id, so the next new user does not collide with an old one."""
    if conn.dialect.name != "postgresql":
        return
    largest = conn.execute(select(func.max(column))).scalar()
    if largest is not None:
        conn.execute(
            text("SELECT setval(pg_get_serial_sequence(:table, :column), :value)"),
            {"table": column.table.name, "column": column.name, "value": largest},
        )
