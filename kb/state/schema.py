"""Schema revisions without Alembic or SQLAlchemy: the newest revision, the errors of a
database at another one, and the revision an embedded SQLite file is at.

Importing Alembic costs about 0.25 s and SQLAlchemy about 0.15 s, so `kb serve` compares the
revision stored in a SQLite file with HEAD through the standard library (a test holds HEAD
equal to the migrations' head), and SQLAlchemy loads only when accounts are first used.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

HEAD = "0010"
VERSION_TABLE = "alembic_version"
SQLITE_PREFIX = "sqlite:///"
UNKNOWN = "?"  # sqlite_file_revision could not tell: ask through SQLAlchemy


class StateError(Exception):
    """The state database cannot be used; `message` names the database and the fix."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class StaleSchemaError(StateError):
    """The database's schema is not the one this Lessonbase needs (older, or unknown)."""


def sqlite_path(url: str) -> Path | None:
    """The file a sqlite:/// URL names; None for other URLs (and in-memory databases)."""
    path = url[len(SQLITE_PREFIX) :].split("?", 1)[0] if url.startswith(SQLITE_PREFIX) else ""
    return Path(path) if path and path != ":memory:" else None


def sqlite_file_revision(url: str) -> str | None:
    """The revision of the existing SQLite file `url` names (None: no schema yet), or UNKNOWN
    for any other URL, a missing file or an error (the caller then asks SQLAlchemy)."""
    path = sqlite_path(url)
    if path is None or not path.is_file():
        return UNKNOWN
    try:
        with sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True) as conn:
            found = conn.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (VERSION_TABLE,)
            ).fetchone()
            if not found:
                return None
            row = conn.execute(f"SELECT version_num FROM {VERSION_TABLE}").fetchone()
            return row[0] if row else None
    except sqlite3.Error:
        return UNKNOWN
