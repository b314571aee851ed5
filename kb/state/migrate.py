"""`kb db upgrade`: Alembic migrations shipped inside this package, run without alembic.ini."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory

from kb.state.database import StateDB

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config(db: StateDB | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if db is not None:
        config.attributes["kb_dir"] = db.kb_dir
    return config


def head_revision() -> str:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def upgrade(db: StateDB, revision: str = "head") -> tuple[str | None, str | None]:
    """Migrate to `revision` in one transaction; (revision before, revision after)."""
    before = db.revision()
    config = alembic_config(db)
    with db.engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, revision)
    return before, db.revision()
