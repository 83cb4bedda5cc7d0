"""What /insight reads, stored when it becomes known: each decided step's wait in business hours
(and its request's type), each request's last approval and first backend reports (and the
business hours to them).

The views used to measure every row of their period at each reading; now the engine stores
those figures as it records decisions and backend news (`bot.insight.facts`). This migration
adds the columns and fills them for the rows already written: the instants from the steps and
the audit trail, the business hours on the calendars of the configured settings (the
environment `frontdoor db upgrade` or `frontdoor run` is started with). Should the settings not
load, the hours stay empty and the views measure those rows when they read them, as before.

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import logging

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

log = logging.getLogger(__name__)

REQUEST_COLUMNS = ("approved_at", "in_progress_at", "fulfilled_at", "failed_at", "refused_at")
REQUEST_HOURS = ("in_progress_hours", "fulfilled_hours")


def upgrade() -> None:
    with op.batch_alter_table("requests") as batch:
        for name in REQUEST_COLUMNS:
            batch.add_column(sa.Column(name, sa.DateTime(timezone=True), nullable=True))
        for name in REQUEST_HOURS:
            batch.add_column(sa.Column(name, sa.Double(), nullable=True))
    with op.batch_alter_table("approval_steps") as batch:
        batch.add_column(sa.Column("wait_hours", sa.Double(), nullable=True))
        batch.add_column(sa.Column("type_id", sa.String(80), nullable=True))
    _fill()
    op.create_index("ix_requests_approved", "requests", ["approved_at"])


def _fill() -> None:
    from bot.insight.facts import fill

    calendars = None
    try:
        from bot.directory import load_directory
        from bot.insight.service import calendars_for
        from bot.settings import load_settings

        settings = load_settings()
        calendars = calendars_for(settings, load_directory(settings.directory))
    except Exception as exc:  # the hours are then measured at reading, as before
        log.warning("insight: business hours not stored for existing rows (settings: %s)", exc)
    filled = fill(op.get_bind(), calendars, entities=False)  # the column comes in 0010
    log.info("insight: filled %s", filled)


def downgrade() -> None:
    op.drop_index("ix_requests_approved", table_name="requests")
    with op.batch_alter_table("approval_steps") as batch:
        batch.drop_column("type_id")
        batch.drop_column("wait_hours")
    with op.batch_alter_table("requests") as batch:
        for name in (*REQUEST_HOURS, *reversed(REQUEST_COLUMNS)):
            batch.drop_column(name)
