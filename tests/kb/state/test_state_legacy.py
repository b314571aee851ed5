"""`kb db upgrade` imports accounts and sessions from an older KB_DIR/glossary.sqlite, every
row, once; on SQLite and PostgreSQL."""

from __future__ import annotations

import sqlite3

from sqlalchemy import text
from typer.testing import CliRunner

from kb.cli import app
from kb.glossary import Glossary
from kb.state import StateDB
from kb.state.legacy import LEGACY_GLOSSARY
from tests.kb.glossary.glossary_support import FAST_HASHER, PASSWORD

# The accounts tables of glossary.sqlite as Lessonbase wrote them before the state database.
OLD_ACCOUNTS = """
CREATE TABLE IF NOT EXISTS users (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL, password_hash TEXT NOT NULL, created_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sessions (token_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at TEXT NOT NULL, expires_at TEXT NOT NULL, csrf_token TEXT NOT NULL);
"""
USERS = "SELECT id, name, role, password_hash, created_at FROM users ORDER BY id"
SESSIONS = "SELECT token_hash, user_id, created_at, expires_at, csrf_token FROM sessions ORDER BY 1"


def write_old_glossary(kb_dir) -> None:
    """1,200 users (ids with gaps) and 2,500 sessions, as an installation of the last version
    has them: more rows than one import batch."""
    conn = sqlite3.connect(kb_dir / LEGACY_GLOSSARY)
    conn.executescript(OLD_ACCOUNTS)
    roles = ("reader", "editor", "admin")
    hashed = FAST_HASHER.hash(PASSWORD)
    users = [
        (3 * i + 1, f"user{i}", roles[i % 3], hashed, f"2024-01-{1 + i % 28:02d}T10:00:00Z")
        for i in range(1200)
    ]
    conn.executemany("INSERT INTO users VALUES (?,?,?,?,?)", users)
    sessions = [
        (f"{i:064x}", 3 * (i % 1200) + 1, "2025-01-01T00:00:00Z", "2099-01-01T00:00:00Z", f"c{i}")
        for i in range(2500)
    ]
    conn.executemany("INSERT INTO sessions VALUES (?,?,?,?,?)", sessions)
    conn.commit()
    conn.close()


def old_rows(kb_dir, sql: str) -> list[tuple]:
    with sqlite3.connect(kb_dir / LEGACY_GLOSSARY) as conn:
        return conn.execute(sql).fetchall()


def new_rows(db: StateDB, sql: str) -> list[tuple]:
    with db.engine.connect() as conn:
        return [tuple(row) for row in conn.execute(text(sql))]


def test_state_legacy_db_upgrade_imports_every_account_and_session_once(state_url, tmp_path):
    kb_dir = tmp_path / "kb"
    kb_dir.mkdir()
    write_old_glossary(kb_dir)
    env = {"KB_DATABASE_URL": state_url}
    for _ in range(2):  # the second run finds nothing to do and imports nothing again
        result = CliRunner().invoke(app, ["db", "upgrade", "--kb", str(kb_dir)], env=env)
        assert result.exit_code == 0, result.output
    db = StateDB(state_url, kb_dir)
    assert new_rows(db, USERS) == old_rows(kb_dir, USERS)
    assert new_rows(db, SESSIONS) == old_rows(kb_dir, SESSIONS)
    glossary = Glossary(kb_dir, hasher=FAST_HASHER, state=db)
    assert glossary.auth.verify_password("user7", PASSWORD).role == "editor"
    glossary.auth.create_user("newcomer", PASSWORD, "reader")  # a fresh id, no collision
    assert new_rows(db, "SELECT id FROM users WHERE name = 'newcomer'") == [(3 * 1199 + 2,)]
    db.dispose()


def test_state_legacy_empty_database_created_on_first_use_imports_too(state_url, tmp_path):
    write_old_glossary(tmp_path)
    db = StateDB(state_url, tmp_path)
    db.require_current()
    assert new_rows(db, USERS) == old_rows(tmp_path, USERS)
    assert len(new_rows(db, SESSIONS)) == 2500
    db.dispose()
