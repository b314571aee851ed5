"""Reads of restricted documents: who read which one, when, through which route.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "restricted_reads",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("user", sa.String(64), nullable=False),
        sa.Column("document_id", sa.Text, nullable=False),
        sa.Column("route", sa.String(16), nullable=False),
        sa.Column("at", sa.String(20), nullable=False),
    )
    op.create_index("restricted_reads_at", "restricted_reads", ["at"])
    op.create_index("restricted_reads_user", "restricted_reads", ["user", "at"])


def downgrade() -> None:
    op.drop_table("restricted_reads")
