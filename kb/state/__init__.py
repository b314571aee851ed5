"""The state database: everything people create (accounts, sessions, API tokens), in one
SQLAlchemy database reached by KB_DATABASE_URL: embedded SQLite by default, PostgreSQL when
several servers share it. Alembic migrations (kb/state/migrations) version its schema.
"""

from kb.state.database import StateDB, state_url
from kb.state.schema import HEAD, StaleSchemaError, StateError

__all__ = ["HEAD", "StaleSchemaError", "StateDB", "StateError", "state_url"]
