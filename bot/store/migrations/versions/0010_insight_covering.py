"""/insight reads its period from indexes alone on PostgreSQL; each step carries its request's
legal entity.

The views over a period (latency, SLA adherence, rejections, hand-off, closures) read a quarter
of a million rows at a million requests. Read through a plain index, each row is a visit to the
table's pages (the steps' and the requests' rows are wide: form values, sources); with the
columns the views read included in the index (PostgreSQL's INCLUDE), the index answers alone
(an index-only scan, once VACUUM has marked the pages all-visible, as autovacuum does). The
steps also carry their request's legal entity, written with their type, so SLA adherence by
entity no longer joins every decided step to its request. And a request type's requests of a
period have an index of their own (the invoice exceptions by reason and vendor, the type filter),
and so do a role's steps by request (a role filter on the views of requests: hand-off, closures).

SQLite keeps its plain indexes (it has no INCLUDE; its views read the rows).

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

_HANDOFF = [
    "type_id",
    "status",
    "entity",
    "cost_center",
    "in_progress_at",
    "fulfilled_at",
    "failed_at",
    "refused_at",
    "in_progress_hours",
    "fulfilled_hours",
]
_DECIDED = [
    "status",
    "role",
    "decided_by",
    "type_id",
    "entity",
    "seq",
    "wait_hours",
    "activated_at",
    "due_100",
    "request_id",
]
COVERED = (  # as bot.store.models declares them at this revision
    ("ix_steps_decided", "approval_steps", "decided_at", _DECIDED),
    ("ix_requests_approved", "requests", "approved_at", _HANDOFF),
    ("ix_requests_created", "requests", "created_at", [*_HANDOFF, "backend_status", "approved_at"]),
    ("ix_reminders_sent_at", "reminders_sent", "sent_at", ["rung"]),
)


def upgrade() -> None:
    from bot.insight.facts import fill_entities

    with op.batch_alter_table("approval_steps") as batch:
        batch.add_column(sa.Column("entity", sa.String(20), nullable=True))
    fill_entities(op.get_bind())
    op.create_index("ix_requests_type_created", "requests", ["type_id", "created_at"])
    op.create_index("ix_steps_role_request", "approval_steps", ["role", "request_id"])
    if op.get_bind().dialect.name != "postgresql":
        return
    for name, table, column, cover in COVERED:
        op.drop_index(name, table_name=table)
        op.create_index(name, table, [column], postgresql_include=cover)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for name, table, column, _ in reversed(COVERED):
            op.drop_index(name, table_name=table)
            op.create_index(name, table, [column])
    op.drop_index("ix_steps_role_request", table_name="approval_steps")
    op.drop_index("ix_requests_type_created", table_name="requests")
    with op.batch_alter_table("approval_steps") as batch:
        batch.drop_column("entity")
