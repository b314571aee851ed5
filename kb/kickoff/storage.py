"""Saved kickoff packs in the state database (table `packs`, kb/state), each under a stable id.

A pack is stored as its JSON at save time, so it reads back the same after server restarts
and after any number of index runs (which never touch the state database). Servers sharing
the database share the packs: one saved on one server is listed by the other.

SQLAlchemy (kb/kickoff/pack_rows.py) is imported on the first query, not here, so the web
app starts without it, as the glossary does.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass, replace
from functools import cached_property
from typing import TYPE_CHECKING

from kb.kickoff.model import KickoffPack
from kb.state import StateDB
from kb.text import slug

if TYPE_CHECKING:
    from kb.kickoff.pack_rows import PackRows

SLUG_CHARS = 48
# 8 hex digits: one in 4 billion that a draw is taken; after this many, something else is wrong
MAX_DRAWS = 5


@dataclass(frozen=True)
class PackSummary:
    id: str
    title: str
    department: str
    created_at: str
    lessons: int
    themes: int


class PackIdError(Exception):
    """No free id after MAX_DRAWS draws (a broken random source, not bad luck)."""


class PackStore:
    """Saved packs in `state`, checked to be at the newest schema on first use."""

    def __init__(self, state: StateDB):
        self.state = state

    @cached_property
    def _rows(self) -> PackRows:
        from kb.kickoff.pack_rows import PackRows

        return PackRows(self.state)

    def save(self, pack: KickoffPack) -> KickoffPack:
        """Store the pack under a new id; returns it with the id set. The INSERT claims the
        id: if another save took it (here or on another server), a new one is drawn."""
        for _ in range(MAX_DRAWS):
            saved = replace(pack, id=new_id(pack.title))
            if self._rows.insert(pack_row(saved)):
                return saved
        raise PackIdError(f"kickoff pack {pack.title!r}: no free id in {MAX_DRAWS} draws")

    def get(self, pack_id: str) -> KickoffPack | None:
        content = self._rows.content(pack_id)
        return None if content is None else KickoffPack.from_dict(json.loads(content))

    def delete(self, pack_id: str) -> bool:
        """Remove a saved pack; False if no pack has that id."""
        return self._rows.delete(pack_id)

    def newest(self, limit: int = 200) -> list[KickoffPack]:
        """Saved packs in full, newest first (for a list that must re-check each lesson)."""
        return [KickoffPack.from_dict(json.loads(c)) for c in self._rows.newest_contents(limit)]

    def list(self, limit: int = 200) -> list[PackSummary]:
        """Saved packs, newest first (the latest saved first among those made the same second)."""
        return [PackSummary(*row) for row in self._rows.newest(limit)]


def pack_row(pack: KickoffPack) -> dict:
    """The `packs` row of a pack with its id set."""
    return {
        "id": pack.id,
        "title": pack.title,
        "department": pack.department,
        "author": pack.author,
        "created_at": pack.created_at,
        "lessons": len(pack.lessons),
        "themes": len(pack.themes),
        "content": json.dumps(pack.to_dict(), ensure_ascii=False),
    }


def new_id(title: str) -> str:
    """A readable id: the title's slug and eight random hex digits."""
    readable = slug(title, default="untitled")[:SLUG_CHARS].strip("-") or "pack"
    return f"{readable}-{secrets.token_hex(4)}"
