"""Closed drafts are remembered; on SQLite, draft ids are never reused.

What became of each closed draft is kept, so a late press on its card, or a typed "confirm", is
told ("Already submitted as REQ-1001") instead of "nothing was submitted"; and with SQLite's
AUTOINCREMENT an old card's button can never reach a newer draft that took its id.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "closed_drafts",
        sa.Column("draft_id", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("person", sa.String(254), nullable=False),
        sa.Column("place", sa.String(400), nullable=False),
        sa.Column("outcome", sa.String(20), nullable=False),
        sa.Column("request_ref", sa.String(20), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_closed_drafts_person_place", "closed_drafts", ["person", "place", "closed_at"])
    if op.get_bind().dialect.name == "sqlite":  # AUTOINCREMENT: a deleted draft's id is never given again
        with op.batch_alter_table("drafts", recreate="always", table_kwargs={"sqlite_autoincrement": True}):
            pass


def downgrade() -> None:
    op.drop_index("ix_closed_drafts_person_place", table_name="closed_drafts")
    op.drop_table("closed_drafts")
