"""StateDB: the state database on KB_DATABASE_URL, and the schema check every user of it
makes before its first query.

SQLAlchemy (kb/state/engine.py) is imported when the engine is first needed, not here: on
the embedded SQLite default, `kb serve` checks the schema through the standard library, and
the ~0.15 s SQLAlchemy takes to import is paid by the first sign-in, not by every start.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from kb.settings import Settings
from kb.state.schema import (
    HEAD,
    SQLITE_PREFIX,
    UNKNOWN,
    StaleSchemaError,
    StateError,
    sqlite_file_revision,
)

if TYPE_CHECKING:
    from sqlalchemy import Engine

KB_DIR_MARK = "<KB_DIR>"
UPGRADE_HINT = "run `kb db upgrade` (with the same KB_DATABASE_URL and --kb)"


def state_url(settings: Settings) -> str:
    """settings.database_url with <KB_DIR> replaced by the absolute index directory."""
    return settings.database_url.replace(KB_DIR_MARK, str(Path(settings.kb_dir).resolve()))


class StateDB:
    """The state database at `url`; `kb_dir` is where files of older versions may wait to
    be imported (KB_DIR/glossary.sqlite, KB_DIR/kickoff.sqlite)."""

    def __init__(self, url: str, kb_dir: Path):
        self.url = url
        self.kb_dir = Path(kb_dir)
        self._engine: Engine | None = None
        self._checked = False
        self._closers: list[Callable[[], None]] = []

    @classmethod
    def from_settings(cls, settings: Settings) -> StateDB:
        return cls(state_url(settings), settings.kb_dir)

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            from kb.state.engine import build_engine

            self._engine = build_engine(self.url)
        return self._engine

    def current_engine(self) -> Engine:
        """The engine, once the schema is checked to be the newest (checked once per StateDB)."""
        self.require_current()
        return self.engine

    @property
    def is_sqlite(self) -> bool:
        return self.url.startswith("sqlite")

    @property
    def shown_url(self) -> str:
        """The URL with any password hidden, for messages."""
        if self.url.startswith(SQLITE_PREFIX):
            return self.url
        from sqlalchemy.engine import make_url
        from sqlalchemy.exc import ArgumentError

        try:
            return make_url(self.url).render_as_string(hide_password=True)
        except ArgumentError:
            return "(KB_DATABASE_URL, not a database URL)"

    def revision(self) -> str | None:
        """The schema revision the database is at; None for an empty database."""
        revision = sqlite_file_revision(self.url)
        if revision != UNKNOWN:
            return revision
        from sqlalchemy.exc import SQLAlchemyError

        from kb.state.engine import read_revision

        try:
            with self.engine.connect() as conn:
                return read_revision(conn)
        except SQLAlchemyError as exc:
            raise StateError(f"state database {self.shown_url}: cannot open it ({exc})") from None

    def require_current(self, create_empty: bool = True) -> None:
        """Return if the schema is the newest; an empty database is created at the newest
        (importing older files) when `create_empty`; anything else raises StaleSchemaError."""
        if self._checked:
            return
        revision = self.revision()
        if revision is None and create_empty:
            self._create()
            revision = HEAD
        if revision == HEAD:
            self._checked = True
            return
        found = f"is at revision {revision}" if revision else "has no schema yet"
        raise StaleSchemaError(
            f"state database {self.shown_url} {found}; this Lessonbase needs revision {HEAD}: "
            f"{UPGRADE_HINT}"
        )

    def _create(self) -> None:
        from sqlalchemy.exc import SQLAlchemyError

        from kb.state.engine import create_at_head

        try:
            with self.engine.begin() as conn:
                create_at_head(conn, self.kb_dir)
        except SQLAlchemyError:
            if self.revision() != HEAD:  # not another process creating it at the same time
                raise

    def on_dispose(self, close: Callable[[], None]) -> None:
        """Call `close` first when this database is disposed (rows written behind)."""
        self._closers.append(close)

    def dispose(self) -> None:
        closers, self._closers = self._closers, []
        for close in closers:  # write what is queued while the database is still there
            close()
        if self._engine is not None:
            self._engine.dispose()
