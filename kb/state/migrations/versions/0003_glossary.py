"""Glossary terms and their history, imported from KB_DIR/glossary.sqlite.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import context, op

from kb.state import legacy

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "terms",
        sa.Column("key", sa.Text, primary_key=True),
        sa.Column("label", sa.Text, nullable=False),
        sa.Column("definition", sa.Text, nullable=False, server_default=""),
        sa.Column("acronym", sa.Text, nullable=False, server_default=""),
        sa.Column("synonyms", sa.Text, nullable=False, server_default="[]"),
        sa.Column("related", sa.Text, nullable=False, server_default="[]"),
        sa.Column("owner", sa.Text, nullable=False, server_default=""),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("decision", sa.String(16), nullable=False),
        sa.Column("reason", sa.Text, nullable=False, server_default=""),
        sa.Column("merged_into", sa.Text, nullable=False, server_default=""),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("updated_at", sa.String(20), nullable=False),
        sa.Column("updated_by", sa.String(64), nullable=False),
    )
    op.create_index("terms_decision", "terms", ["decision"])
    op.create_table(
        "history",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("term_key", sa.Text, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("user", sa.String(64), nullable=False),
        sa.Column("at", sa.String(20), nullable=False),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("changes", sa.Text, nullable=False),
    )
    op.create_index("history_term", "history", ["term_key", "version"])
    kb_dir = context.config.attributes.get("kb_dir")
    if kb_dir is not None:
        legacy.import_glossary(op.get_bind(), kb_dir)


def downgrade() -> None:
    op.drop_table("history")
    op.drop_table("terms")
