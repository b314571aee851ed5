"""Failed sign-ins in the state database, so that every server process counts them together
and a lock survives a restart.

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sign_in_failures",
        sa.Column("kind", sa.String(8), primary_key=True),
        sa.Column("key_hash", sa.String(64), primary_key=True),
        sa.Column("failures", sa.Integer, nullable=False),
        sa.Column("first_at", sa.String(20), nullable=False),
        sa.Column("retry_at", sa.String(20), nullable=False),
        sa.Column("expires_at", sa.String(20), nullable=False),
    )
    op.create_index("sign_in_failures_expires", "sign_in_failures", ["expires_at"])


def downgrade() -> None:
    op.drop_index("sign_in_failures_expires", table_name="sign_in_failures")
    op.drop_table("sign_in_failures")
