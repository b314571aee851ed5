"""StateDB: one SQLAlchemy engine on KB_DATABASE_URL, and the schema check every user of it
makes before its first query."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from kb.settings import Settings
from kb.state.schema import HEAD, StaleSchemaError, StateError, create_at_head, read_revision

KB_DIR_MARK = "<KB_DIR>"
UPGRADE_HINT = "run `kb db upgrade` (with the same KB_DATABASE_URL and --kb)"


def state_url(settings: Settings) -> str:
    """settings.database_url with <KB_DIR> replaced by the absolute index directory."""
    return settings.database_url.replace(KB_DIR_MARK, str(Path(settings.kb_dir).resolve()))


def build_engine(url: str) -> Engine:
    """An engine for `url`; plain postgresql:// means psycopg 3 (the driver we ship)."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise StateError(f"KB_DATABASE_URL {url!r}: not a database URL") from None
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(parsed, connect_args={"timeout": 15})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(parsed, pool_pre_ping=True)


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    # WAL: readers never wait for a writer; foreign keys so a deleted user's sessions go too
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA busy_timeout = 15000")
    cursor.close()


class StateDB:
    """The state database at `url`; `kb_dir` is where files of older versions may wait to
    be imported (KB_DIR/glossary.sqlite)."""

    def __init__(self, url: str, kb_dir: Path):
        self.url = url
        self.kb_dir = Path(kb_dir)
        self.engine = build_engine(url)
        self._checked = False

    @classmethod
    def from_settings(cls, settings: Settings) -> StateDB:
        return cls(state_url(settings), settings.kb_dir)

    @property
    def shown_url(self) -> str:
        """The URL with any password hidden, for messages."""
        return self.engine.url.render_as_string(hide_password=True)

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    def revision(self) -> str | None:
        """The schema revision the database is at; None for an empty database."""
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
        try:
            with self.engine.begin() as conn:
                create_at_head(conn, self.kb_dir)
        except SQLAlchemyError:
            if self.revision() != HEAD:  # not another process creating it at the same time
                raise

    def dispose(self) -> None:
        self.engine.dispose()
