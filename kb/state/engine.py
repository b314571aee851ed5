"""The SQLAlchemy side of the state database: the engine for a URL, reading the revision
through it, and creating an empty database at the newest revision.

An empty database is created from tables.py in one transaction and stamped HEAD: what
Alembic's documentation advises for new databases; `kb db upgrade` (kb/state/migrate.py)
runs the migrations on older ones.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import (
    Column,
    Connection,
    Engine,
    MetaData,
    String,
    Table,
    create_engine,
    event,
    inspect,
    select,
)
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError

from kb.state import legacy
from kb.state.schema import HEAD, VERSION_TABLE, StateError
from kb.state.tables import metadata


def build_engine(url: str) -> Engine:
    """An engine for `url`; plain postgresql:// means psycopg 3 (the driver we ship)."""
    try:
        parsed = make_url(url)
    except ArgumentError:  # the message would repeat the URL, and with it any password
        raise StateError("KB_DATABASE_URL: not a database URL (see `kb settings`)") from None
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    try:
        return _engine_for(parsed)
    except (ArgumentError, NoSuchModuleError, ImportError) as exc:
        shown = parsed.render_as_string(hide_password=True)
        raise StateError(f"KB_DATABASE_URL {shown}: {exc}") from None


def _engine_for(parsed: URL) -> Engine:
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


_version_metadata = MetaData()
alembic_version = Table(
    VERSION_TABLE,
    _version_metadata,
    Column("version_num", String(32), primary_key=True),
)


def read_revision(conn: Connection) -> str | None:
    if not inspect(conn).has_table(VERSION_TABLE):
        return None
    return conn.execute(select(alembic_version.c.version_num)).scalar()


def create_at_head(conn: Connection, kb_dir: Path) -> None:
    """All tables at HEAD, stamped HEAD, with the rows of older files in kb_dir imported."""
    metadata.create_all(conn)
    _version_metadata.create_all(conn)
    conn.execute(alembic_version.insert().values(version_num=HEAD))
    legacy.import_accounts(conn, kb_dir)
    legacy.import_glossary(conn, kb_dir)
    legacy.import_packs(conn, kb_dir)
