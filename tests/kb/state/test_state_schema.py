"""Schema revisions of the state database, on SQLite and PostgreSQL: migrations build what
tables.py declares, an empty database is created at the newest revision, an older one is
refused with the command that fixes it."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from kb.state import HEAD, StaleSchemaError, StateDB
from kb.state.migrate import head_revision, upgrade
from kb.state.tables import metadata


def schema_differences(db: StateDB) -> list:
    with db.engine.connect() as conn:
        return compare_metadata(MigrationContext.configure(conn), metadata)


def test_state_schema_head_constant_is_the_migrations_head():
    assert head_revision() == HEAD


def test_state_schema_migrations_build_the_declared_tables(state_url, tmp_path):
    db = StateDB(state_url, tmp_path)
    assert upgrade(db) == (None, HEAD)
    assert schema_differences(db) == []
    assert upgrade(db) == (HEAD, HEAD)  # a second run changes nothing
    db.dispose()


def test_state_schema_empty_database_is_created_at_head_like_the_migrations(state_url, tmp_path):
    db = StateDB(state_url, tmp_path)
    db.require_current()
    assert db.revision() == HEAD
    assert schema_differences(db) == []
    db.dispose()


def test_state_schema_older_revision_is_refused_naming_the_upgrade_command(state_url, tmp_path):
    db = StateDB(state_url, tmp_path)
    upgrade(db, "0001")
    fresh = StateDB(state_url, tmp_path)  # as a server started afterwards
    with pytest.raises(StaleSchemaError, match=r"revision 0001.*kb db upgrade"):
        fresh.require_current()
    upgrade(db)
    fresh.require_current()
    db.dispose()
    fresh.dispose()


def test_state_schema_empty_database_is_refused_when_creating_is_not_allowed(state_url, tmp_path):
    db = StateDB(state_url, tmp_path)
    with pytest.raises(StaleSchemaError, match="no schema yet.*kb db upgrade"):
        db.require_current(create_empty=False)
    assert db.revision() is None
    db.dispose()
