"""Accounts: users and their sign-in sessions, imported from KB_DIR/glossary.sqlite.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import context, op

from kb.state import legacy

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(64), nullable=False, unique=True),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("password_hash", sa.Text, nullable=False),
        sa.Column("created_at", sa.String(20), nullable=False),
    )
    op.create_table(
        "sessions",
        sa.Column("token_hash", sa.String(64), primary_key=True),
        sa.Column(
            "user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("created_at", sa.String(20), nullable=False),
        sa.Column("expires_at", sa.String(20), nullable=False),
        sa.Column("csrf_token", sa.String(64), nullable=False),
    )
    op.create_index("sessions_expires", "sessions", ["expires_at"])
    kb_dir = context.config.attributes.get("kb_dir")
    if kb_dir is not None:
        legacy.import_accounts(op.get_bind(), kb_dir)


def downgrade() -> None:
    op.drop_table("sessions")
    op.drop_table("users")
