"""Alembic's environment: the connection `kb db upgrade` passes in, or, when Alembic's own
command line runs these scripts, a StateDB from the Lessonbase settings (KB_* variables)."""

from __future__ import annotations

from alembic import context

from kb.settings import Settings
from kb.state.database import StateDB
from kb.state.tables import metadata

config = context.config


def run_on(connection) -> None:
    context.configure(connection=connection, target_metadata=metadata)
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    run_on(connection)
else:
    db = StateDB.from_settings(Settings.from_env())
    config.attributes.setdefault("kb_dir", db.kb_dir)
    with db.engine.begin() as conn:
        run_on(conn)
    db.dispose()
