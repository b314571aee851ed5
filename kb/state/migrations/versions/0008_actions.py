"""Action items added on the web and the status changes of every action item.

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "action_items",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("doc_id", sa.Text, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("owner", sa.Text, nullable=False, server_default=""),
        sa.Column("due", sa.String(10), nullable=False, server_default=""),
        sa.Column("created_by", sa.Text, nullable=False),
        sa.Column("created_at", sa.String(20), nullable=False),
    )
    op.create_index("action_items_doc", "action_items", ["doc_id"])
    op.create_table(
        "action_updates",
        sa.Column("seq", sa.Integer, primary_key=True),
        sa.Column("action_id", sa.String(32), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("note", sa.Text, nullable=False, server_default=""),
        sa.Column("user_name", sa.Text, nullable=False),
        sa.Column("at", sa.String(20), nullable=False),
    )
    op.create_index("action_updates_action", "action_updates", ["action_id", "seq"])


def downgrade() -> None:
    op.drop_table("action_updates")
    op.drop_table("action_items")
