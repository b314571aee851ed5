"""Usage events for insights, and the monthly summaries of events past retention.

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "usage_events",
        sa.Column("seq", sa.Integer, primary_key=True),
        sa.Column("at", sa.String(20), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("department", sa.Text, nullable=False, server_default=""),
        sa.Column("user_name", sa.Text, nullable=True),
        sa.Column("doc_id", sa.Text, nullable=True),
        sa.Column("doc_department", sa.Text, nullable=True),
        sa.Column("query", sa.Text, nullable=True),
        sa.Column("results", sa.Integer, nullable=True),
        sa.Column("detail", sa.Text, nullable=False, server_default=""),
    )
    op.create_index("usage_events_kind_at", "usage_events", ["kind", "at"])
    op.create_index("usage_events_at", "usage_events", ["at"])
    op.create_table(
        "usage_summaries",
        sa.Column("month", sa.String(7), primary_key=True),
        sa.Column("kind", sa.String(32), primary_key=True),
        sa.Column("department", sa.Text, primary_key=True),
        sa.Column("doc_department", sa.Text, primary_key=True),
        sa.Column("events", sa.Integer, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("usage_summaries")
    op.drop_table("usage_events")
