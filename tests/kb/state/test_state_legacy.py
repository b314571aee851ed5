"""`kb db upgrade` imports accounts, sessions, glossary terms and history from an older
KB_DIR/glossary.sqlite, every row, once; on SQLite and PostgreSQL."""

from __future__ import annotations

import sqlite3
from dataclasses import replace

from sqlalchemy import text
from typer.testing import CliRunner

from kb.cli import app
from kb.glossary import Glossary, User
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
CREATE TABLE IF NOT EXISTS terms (key TEXT PRIMARY KEY, label TEXT NOT NULL,
    definition TEXT NOT NULL DEFAULT '', acronym TEXT NOT NULL DEFAULT '',
    synonyms TEXT NOT NULL DEFAULT '[]', related TEXT NOT NULL DEFAULT '[]',
    owner TEXT NOT NULL DEFAULT '', status TEXT NOT NULL, decision TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT '', merged_into TEXT NOT NULL DEFAULT '',
    version INTEGER NOT NULL, updated_at TEXT NOT NULL, updated_by TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS history (id INTEGER PRIMARY KEY, term_key TEXT NOT NULL,
    version INTEGER NOT NULL, user TEXT NOT NULL, at TEXT NOT NULL, action TEXT NOT NULL,
    changes TEXT NOT NULL);
"""
USERS = "SELECT id, name, role, password_hash, created_at FROM users ORDER BY id"
SESSIONS = "SELECT token_hash, user_id, created_at, expires_at, csrf_token FROM sessions ORDER BY 1"
TERMS = "SELECT * FROM terms ORDER BY key"
HISTORY = 'SELECT id, term_key, version, "user", at, action, changes FROM history ORDER BY id'
DECISIONS = ("accepted", "rejected", "deferred", "merged")


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
    write_old_terms(conn)
    conn.commit()
    conn.close()


def write_old_terms(conn: sqlite3.Connection) -> None:
    """700 terms at version 2 in every decision, and their 1,400 history entries (ids with
    gaps), text with quotes and accents included."""
    terms = [
        (f"term {i:03d}", f"Térm \"{i}\"", f"What {i} means.", "" if i % 2 else f"T{i}",
         f'["t{i}", "T-{i}"]', f'["term {(i + 1) % 700:03d}"]', "ops", "approved",
         DECISIONS[i % 4], "" if i % 4 != 1 else "too general",
         "" if i % 4 != 3 else "term 000", 2, "2025-02-01T09:00:00Z", "user1")
        for i in range(700)
    ]  # fmt: skip
    conn.executemany(f"INSERT INTO terms VALUES ({','.join('?' * 14)})", terms)
    history = [
        (2 * n + 1, f"term {n // 2:03d}", 1 + n % 2, "user1", "2025-02-01T09:00:00Z",
         "accept" if n % 2 == 0 else "edit", '{"label": [null, "Térm"]}')
        for n in range(1400)
    ]  # fmt: skip
    conn.executemany("INSERT INTO history VALUES (?,?,?,?,?,?,?)", history)


def old_rows(kb_dir, sql: str) -> list[tuple]:
    with sqlite3.connect(kb_dir / LEGACY_GLOSSARY) as conn:
        return conn.execute(sql).fetchall()


def new_rows(db: StateDB, sql: str) -> list[tuple]:
    with db.engine.connect() as conn:
        return [tuple(row) for row in conn.execute(text(sql))]


def test_state_legacy_db_upgrade_imports_every_row_once(state_url, tmp_path):
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
    assert new_rows(db, TERMS) == old_rows(kb_dir, TERMS)
    assert new_rows(db, HISTORY) == old_rows(kb_dir, HISTORY)
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
    assert new_rows(db, TERMS) == old_rows(tmp_path, TERMS)
    assert new_rows(db, HISTORY) == old_rows(tmp_path, HISTORY)
    db.dispose()


def test_state_legacy_imported_terms_edit_on_with_their_history(state_url, tmp_path):
    write_old_glossary(tmp_path)
    db = StateDB(state_url, tmp_path)
    glossary = Glossary(tmp_path, state=db)
    term = glossary.terms.get("term 004")
    assert (term.label, term.synonyms, term.version) == ('Térm "4"', ("t4", "T-4"), 2)
    editor = User("user1", "editor")
    edited = glossary.editor.edit(editor, "term 004", replace(term.fields, related=()), 2)
    assert edited.version == 3  # a fresh history id too, past the imported ones
    assert [e.action for e in glossary.terms.history("term 004")] == ["edit", "edit", "accept"]
    assert len(glossary.expansions()) > 0  # imported approved terms expand searches
    glossary.close()
