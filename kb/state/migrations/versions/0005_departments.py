"""Account departments (one or more per account) and the role `contributor`.

Roles already stored (reader, editor, admin) keep their meaning; any other value, which no
release ever wrote, becomes `reader` rather than granting more than was meant.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

ROLES = ("reader", "contributor", "editor", "admin")


def upgrade() -> None:
    op.create_table(
        "user_departments",
        sa.Column(
            "user_id",
            sa.Integer,
            sa.ForeignKey("users.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("department", sa.String(64), primary_key=True),
    )
    users = sa.table("users", sa.column("role", sa.String))
    op.execute(users.update().where(users.c.role.not_in(ROLES)).values(role="reader"))


def downgrade() -> None:
    op.drop_table("user_departments")
    users = sa.table("users", sa.column("role", sa.String))
    op.execute(users.update().where(users.c.role == "contributor").values(role="reader"))
