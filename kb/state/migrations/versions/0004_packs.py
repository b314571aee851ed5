"""Saved kickoff packs, imported from KB_DIR/kickoff.sqlite.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import context, op

from kb.state import legacy

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "packs",
        sa.Column("seq", sa.Integer, primary_key=True),
        sa.Column("id", sa.Text, nullable=False, unique=True),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("department", sa.Text, nullable=False),
        sa.Column("author", sa.Text, nullable=False, server_default=""),
        sa.Column("created_at", sa.String(20), nullable=False),
        sa.Column("lessons", sa.Integer, nullable=False),
        sa.Column("themes", sa.Integer, nullable=False),
        sa.Column("content", sa.Text, nullable=False),
    )
    op.create_index("packs_created", "packs", ["created_at"])
    kb_dir = context.config.attributes.get("kb_dir")
    if kb_dir is not None:
        legacy.import_packs(op.get_bind(), kb_dir)


def downgrade() -> None:
    op.drop_table("packs")
