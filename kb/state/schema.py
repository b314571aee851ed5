"""Schema revisions without Alembic at run time: reading the revision a database is at, and
creating an empty database at the newest one.

Importing Alembic costs about 0.25 s, so `kb serve` compares the stored revision with HEAD
here instead (a test holds HEAD equal to the migrations' head). An empty database is created
from tables.py in one transaction and stamped HEAD: what Alembic's documentation advises for
new databases; `kb db upgrade` (kb/state/migrate.py) runs the migrations on older ones.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Column, Connection, MetaData, String, Table, inspect, select

from kb.state import legacy
from kb.state.tables import metadata

HEAD = "0002"
VERSION_TABLE = "alembic_version"

_version_metadata = MetaData()
alembic_version = Table(
    VERSION_TABLE,
    _version_metadata,
    Column("version_num", String(32), primary_key=True),
)


class StateError(Exception):
    """The state database cannot be used; `message` names the database and the fix."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class StaleSchemaError(StateError):
    """The database's schema is not the one this Lessonbase needs (older, or unknown)."""


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
