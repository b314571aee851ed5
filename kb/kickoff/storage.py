"""Saved kickoff packs in KB_DIR/kickoff.sqlite, each under a stable id.

A pack is stored as its JSON at save time, so it reads back the same after server restarts
and after any number of index runs (which never touch this file).
"""

from __future__ import annotations

import json
import secrets
import sqlite3
from contextlib import closing
from dataclasses import dataclass, replace
from pathlib import Path

from kb.kickoff.model import KickoffPack
from kb.text import slug

PACKS_DB = "kickoff.sqlite"
SLUG_CHARS = 48
_SCHEMA = """
CREATE TABLE IF NOT EXISTS packs (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    department TEXT NOT NULL,
    created_at TEXT NOT NULL,
    lessons INTEGER NOT NULL,
    themes INTEGER NOT NULL,
    content TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS packs_created ON packs(created_at);
"""


@dataclass(frozen=True)
class PackSummary:
    id: str
    title: str
    department: str
    created_at: str
    lessons: int
    themes: int


class PackStore:
    def __init__(self, kb_dir: Path):
        self.path = Path(kb_dir) / PACKS_DB

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, timeout=10)
        conn.executescript(_SCHEMA)
        return conn

    def save(self, pack: KickoffPack) -> KickoffPack:
        """Store the pack under a new id; returns it with the id set."""
        with closing(self._connect()) as conn, conn:
            while True:
                saved = replace(pack, id=new_id(pack.title))
                try:
                    conn.execute(
                        "INSERT INTO packs VALUES (?,?,?,?,?,?,?)",
                        (
                            saved.id, saved.title, saved.department, saved.created_at,
                            len(saved.lessons), len(saved.themes),
                            json.dumps(saved.to_dict(), ensure_ascii=False),
                        ),
                    )  # fmt: skip
                    return saved
                except sqlite3.IntegrityError:  # the random suffix collided; draw again
                    continue

    def get(self, pack_id: str) -> KickoffPack | None:
        if not self.path.exists():
            return None
        with closing(self._connect()) as conn:
            row = conn.execute("SELECT content FROM packs WHERE id = ?", (pack_id,)).fetchone()
        return None if row is None else KickoffPack.from_dict(json.loads(row[0]))

    def delete(self, pack_id: str) -> bool:
        """Remove a saved pack; False if no pack has that id."""
        if not self.path.exists():
            return False
        with closing(self._connect()) as conn, conn:
            return conn.execute("DELETE FROM packs WHERE id = ?", (pack_id,)).rowcount > 0

    def list(self, limit: int = 200) -> list[PackSummary]:
        """Saved packs, newest first."""
        if not self.path.exists():
            return []
        with closing(self._connect()) as conn:
            rows = conn.execute(
                "SELECT id, title, department, created_at, lessons, themes FROM packs"
                " ORDER BY created_at DESC, rowid DESC LIMIT ?",
                (limit,),
            ).fetchall()
        return [PackSummary(*row) for row in rows]


def new_id(title: str) -> str:
    """A readable id: the title's slug and eight random hex digits."""
    readable = slug(title, default="untitled")[:SLUG_CHARS].strip("-") or "pack"
    return f"{readable}-{secrets.token_hex(4)}"
