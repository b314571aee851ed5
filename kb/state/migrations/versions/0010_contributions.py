"""Contributions written on the web or the API, and the history of their state changes.

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "contributions",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("author", sa.String(64), nullable=False),
        sa.Column("department", sa.Text, nullable=False),
        sa.Column("doc_type", sa.String(32), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("document", sa.Text, nullable=False),
        sa.Column("created_at", sa.String(20), nullable=False),
        sa.Column("updated_at", sa.String(20), nullable=False),
        sa.Column("published_path", sa.Text, nullable=False, server_default=""),
        sa.Column("version", sa.Integer, nullable=False, server_default="0"),
    )
    op.create_index("contributions_author", "contributions", ["author", "updated_at"])
    op.create_index("contributions_status", "contributions", ["status", "updated_at"])
    op.create_table(
        "contribution_changes",
        sa.Column("seq", sa.Integer, primary_key=True),
        sa.Column("contribution_id", sa.String(32), nullable=False),
        sa.Column("user_name", sa.String(64), nullable=False),
        sa.Column("at", sa.String(20), nullable=False),
        sa.Column("from_status", sa.String(16), nullable=False),
        sa.Column("to_status", sa.String(16), nullable=False),
        sa.Column("comment", sa.Text, nullable=False, server_default=""),
        sa.Column("version", sa.Integer, nullable=False, server_default="0"),
        sa.Column("document", sa.Text, nullable=True),
    )
    op.create_index("contribution_changes_of", "contribution_changes", ["contribution_id", "seq"])


def downgrade() -> None:
    op.drop_table("contribution_changes")
    op.drop_table("contributions")
