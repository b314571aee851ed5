"""`kb db upgrade` and a new state database import saved kickoff packs from an older
KB_DIR/kickoff.sqlite, every row, once, in their order; on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import sqlite3

from sqlalchemy import text
from typer.testing import CliRunner

from kb.cli import app
from kb.state import StateDB
from kb.state.legacy import LEGACY_PACKS
from kb.state.migrate import upgrade

# The table of kickoff.sqlite as Lessonbase wrote it before the state database.
OLD_PACKS = """
CREATE TABLE IF NOT EXISTS packs (id TEXT PRIMARY KEY, title TEXT NOT NULL,
    department TEXT NOT NULL, created_at TEXT NOT NULL, lessons INTEGER NOT NULL,
    themes INTEGER NOT NULL, content TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS packs_created ON packs(created_at);
"""
PACKS = 1_100  # more than two import batches
OLD = "SELECT id, title, department, created_at, lessons, themes, content FROM packs"
NEW = OLD + " ORDER BY created_at DESC, seq DESC"


def old_pack(i: int) -> tuple:
    """Packs with accents and quotes, many created in the same second, some with an author."""
    content = {"title": f'Pack "{i}" à', "author": f"user{i % 7}" if i % 3 else "", "id": i}
    created = f"2025-03-{1 + i % 28:02d}T10:00:{i % 2:02d}Z"
    return (f"pack-{i:04x}", f'Pack "{i}" à', "Finance" if i % 2 else "", created,
            i % 13, i % 5, json.dumps(content, ensure_ascii=False))  # fmt: skip


def write_old_packs(kb_dir) -> None:
    with sqlite3.connect(kb_dir / LEGACY_PACKS) as conn:
        conn.executescript(OLD_PACKS)
        conn.executemany("INSERT INTO packs VALUES (?,?,?,?,?,?,?)", map(old_pack, range(PACKS)))
    conn.close()


def old_rows(kb_dir) -> list[tuple]:
    """The rows as the old PackStore listed them: newest first, then latest saved."""
    with sqlite3.connect(kb_dir / LEGACY_PACKS) as conn:
        rows = conn.execute(OLD + " ORDER BY created_at DESC, rowid DESC").fetchall()
    conn.close()
    return rows


def new_rows(db: StateDB, sql: str = NEW) -> list[tuple]:
    with db.engine.connect() as conn:
        return [tuple(row) for row in conn.execute(text(sql))]


def test_state_legacy_packs_db_upgrade_imports_every_pack_once(state_url, tmp_path):
    write_old_packs(tmp_path)
    env = {"KB_DATABASE_URL": state_url}
    for _ in range(2):  # the second run finds nothing to do and imports nothing again
        result = CliRunner().invoke(app, ["db", "upgrade", "--kb", str(tmp_path)], env=env)
        assert result.exit_code == 0, result.output
    db = StateDB(state_url, tmp_path)
    assert new_rows(db) == old_rows(tmp_path)
    authors = new_rows(db, "SELECT author FROM packs ORDER BY seq")
    assert authors == [(json.loads(row[6])["author"],) for row in map(old_pack, range(PACKS))]
    db.dispose()


def test_state_legacy_packs_arrive_when_upgrading_from_the_glossary_revision(state_url, tmp_path):
    db = StateDB(state_url, tmp_path)
    upgrade(db, "0003")  # a state database of the last version, before packs moved
    write_old_packs(tmp_path)
    upgrade(db)
    upgrade(db)
    assert new_rows(db) == old_rows(tmp_path)
    db.dispose()


def test_state_legacy_packs_empty_database_created_on_first_use_imports_them(state_url, tmp_path):
    write_old_packs(tmp_path)
    db = StateDB(state_url, tmp_path)
    db.require_current()
    assert new_rows(db) == old_rows(tmp_path)
    again = StateDB(state_url, tmp_path)  # a second server: the schema is there, no import
    again.require_current()
    assert len(new_rows(again)) == PACKS
    db.dispose()
    again.dispose()
