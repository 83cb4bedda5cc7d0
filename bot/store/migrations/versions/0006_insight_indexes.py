"""Indexes for /insight: what was decided, sent, created or recorded in a period.

The insight views read the steps decided, the decisions recorded, the reminders sent and the
requests created in a period (twelve weeks by default), and the backend statuses of the
period's requests; without these indexes each is a scan of the whole table.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

INDEXES = (
    ("ix_requests_created", "requests", ["created_at"]),
    ("ix_steps_decided", "approval_steps", ["decided_at"]),
    ("ix_decisions_decided", "decisions", ["decided_at"]),
    ("ix_reminders_sent_at", "reminders_sent", ["sent_at"]),
    ("ix_audit_action", "audit_events", ["action", "at"]),
    ("ix_audit_ref_action", "audit_events", ["request_ref", "action", "at"]),
)


def upgrade() -> None:
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns)


def downgrade() -> None:
    for name, table, _ in reversed(INDEXES):
        op.drop_index(name, table_name=table)
