"""Outbox leases name their holder, so a restarted process takes its own rows back at once.

A process that dies holding leases used to leave its rows for the lease to run out (a minute):
review cards arrived a minute late, and a message posted just before the crash was posted again a
minute later. With the holder's replica id on each lease, the same replica, restarted, gives
its old leases back as it starts and delivers (or, for kept inbound events, processes) them at once.

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


def upgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("lease_owner", sa.String(120), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.drop_column("lease_owner")
