"""The store's tables (SQLAlchemy 2). Exactly-once guarantees live here as unique keys."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    ARRAY,
    JSON,
    Date,
    DateTime,
    Dialect,
    Double,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

REQUEST_OFFSET = 1000
"""Public request ids are REQ-(1000 + row id): REQ-1001 is the first."""


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes on every database (SQLite stores them naive, in UTC)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the store; use an aware one")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict[Any, Any]] = {dict[str, Any]: JSON, list[Any]: JSON, datetime: UTCDateTime()}


class Draft(Base):
    """A request being written: one per person and chat place."""

    __tablename__ = "drafts"
    __table_args__ = (
        UniqueConstraint("person", "place", name="uq_draft_person_place"),
        Index(  # the sweep: unfinished forms not nudged yet, by last activity (bot.store.nudges)
            "ix_drafts_not_nudged",
            "updated_at",
            postgresql_where=text("nudged_at IS NULL"),
            sqlite_where=text("nudged_at IS NULL"),
        ),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person: Mapped[str] = mapped_column(String(254))
    place: Mapped[str] = mapped_column(String(400))
    place_info: Mapped[dict[str, Any]] = mapped_column(default=dict)
    type_id: Mapped[str | None] = mapped_column(String(80))
    values: Mapped[dict[str, Any]] = mapped_column(default=dict)
    pending_field: Mapped[str | None] = mapped_column(String(80))
    state: Mapped[str] = mapped_column(String(20), default="filling")
    info_request: Mapped[str | None] = mapped_column(String(20))
    version: Mapped[int] = mapped_column(Integer, default=1)
    unsure: Mapped[list[Any]] = mapped_column(default=list)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    """The person's last message or press in the draft's place while it was open."""
    nudged_at: Mapped[datetime | None]
    """When the unfinished form was nudged: once per draft, set by compare-and-set (bot.store.nudges)."""


class ClosedDraft(Base):
    """What became of a draft that is no longer open (submitted, cancelled, set aside for another)."""

    __tablename__ = "closed_drafts"
    __table_args__ = (Index("ix_closed_drafts_person_place", "person", "place", "closed_at"),)

    draft_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    person: Mapped[str] = mapped_column(String(254))
    place: Mapped[str] = mapped_column(String(400))
    outcome: Mapped[str] = mapped_column(String(20))
    request_ref: Mapped[str | None] = mapped_column(String(20))
    closed_at: Mapped[datetime]


APPROVED_COVER = [
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
"""What /insight's hand-off reads of the requests cleared in a period (index-only, PostgreSQL)."""
CREATED_COVER = [*APPROVED_COVER, "backend_status", "approved_at"]
"""What /insight reads of the requests created in a period: closures, hand-offs that needed no
approval."""
DECIDED_COVER = [
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
"""What /insight reads of the steps decided in a period: latency, SLA adherence, rejections."""


class Request(Base):
    """A submitted request."""

    __tablename__ = "requests"
    __table_args__ = (
        Index("ix_requests_requester", "requester", "created_at"),
        # /insight: the period's requests, and those cleared in a period; on PostgreSQL the
        # columns the views read ride along, so the views read the index alone (migration 0010).
        Index("ix_requests_created", "created_at", postgresql_include=CREATED_COVER),
        Index("ix_requests_approved", "approved_at", postgresql_include=APPROVED_COVER),
        Index("ix_requests_type_created", "type_id", "created_at"),  # /insight: a type's requests in a period
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str] = mapped_column(String(20), unique=True)
    type_id: Mapped[str] = mapped_column(String(80))
    fields: Mapped[dict[str, Any]] = mapped_column(default=dict)
    requester: Mapped[str] = mapped_column(String(254))
    entity: Mapped[str | None] = mapped_column(String(20))
    cost_center: Mapped[str | None] = mapped_column(String(20))
    source: Mapped[dict[str, Any]] = mapped_column(default=dict)
    status: Mapped[str] = mapped_column(String(20))
    backend_id: Mapped[str | None] = mapped_column(String(80))
    backend_status: Mapped[str | None] = mapped_column(String(20))
    response_due_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    # What /insight reads, stored when it becomes known (bot.insight.facts):
    approved_at: Mapped[datetime | None]
    """The last approval given (none while no step is approved)."""
    in_progress_at: Mapped[datetime | None]
    """The backend's first in-progress report (likewise fulfilled, failed, refused)."""
    fulfilled_at: Mapped[datetime | None]
    failed_at: Mapped[datetime | None]
    refused_at: Mapped[datetime | None]
    in_progress_hours: Mapped[float | None]
    """Business hours (organisation's calendar) from the last approval, or the submission when
    none was needed, to the first in-progress report (likewise to the first fulfilled one)."""
    fulfilled_hours: Mapped[float | None]


class ApprovalStep(Base):
    """One approval step of a request; `status` moves only by compare-and-set updates."""

    __tablename__ = "approval_steps"
    __table_args__ = (
        UniqueConstraint("request_id", "seq", name="uq_step_request_seq"),
        Index("ix_steps_due", "status", "next_due_at"),
        Index(
            "ix_steps_next_due",
            "next_due_at",
            postgresql_where=text("next_due_at IS NOT NULL"),
            sqlite_where=text("next_due_at IS NOT NULL"),
        ),
        Index("ix_steps_assignee", "assignee", "status"),
        Index("ix_steps_role_request", "role", "request_id"),  # /insight: the requests with a step of a role
        # /insight: the steps decided in a period, with what the views read of them (PostgreSQL).
        Index("ix_steps_decided", "decided_at", postgresql_include=DECIDED_COVER),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("requests.id"))
    seq: Mapped[int]
    role: Mapped[str] = mapped_column(String(40))
    assignee: Mapped[str | None] = mapped_column(String(254))
    sla_hours: Mapped[float]
    status: Mapped[str] = mapped_column(String(20), default="pending")
    activated_at: Mapped[datetime | None]
    due_50: Mapped[datetime | None]
    due_100: Mapped[datetime | None]
    due_150: Mapped[datetime | None]
    next_due_at: Mapped[datetime | None]
    next_rung: Mapped[int | None]
    decided_by: Mapped[str | None] = mapped_column(String(254))
    decided_at: Mapped[datetime | None]
    info_question: Mapped[str | None] = mapped_column(Text)
    wait_hours: Mapped[float | None]
    """Business hours (the role's calendar) from opening to decision, stored when decided (/insight)."""
    type_id: Mapped[str | None] = mapped_column(String(80))
    """The request's type, copied when the step is written (/insight groups decisions by it)."""
    entity: Mapped[str | None] = mapped_column(String(20))
    """The request's legal entity, copied with `type_id` (/insight's SLA adherence by entity)."""


class Decision(Base):
    """The one decision of a step (unique step_id: a second decision cannot be stored)."""

    __tablename__ = "decisions"
    __table_args__ = (Index("ix_decisions_decided", "decided_at"),)  # /insight: rejections in a period

    id: Mapped[int] = mapped_column(primary_key=True)
    step_id: Mapped[int] = mapped_column(ForeignKey("approval_steps.id"), unique=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("requests.id"))
    decision: Mapped[str] = mapped_column(String(20))
    approver: Mapped[str] = mapped_column(String(254))
    comment: Mapped[str | None] = mapped_column(Text)
    source: Mapped[dict[str, Any]] = mapped_column(default=dict)
    decided_at: Mapped[datetime]


class AuditEvent(Base):
    """Append-only audit trail (the migration adds triggers that refuse UPDATE and DELETE)."""

    __tablename__ = "audit_events"
    __table_args__ = (
        Index("ix_audit_request", "request_ref", "id"),
        Index("ix_audit_action", "action", "at"),  # /insight: withdrawals and expiries in a period
        Index("ix_audit_ref_action", "request_ref", "action", "at"),  # /insight: a request's backend statuses
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime]
    actor: Mapped[str] = mapped_column(String(254))
    action: Mapped[str] = mapped_column(String(40))
    request_ref: Mapped[str | None] = mapped_column(String(20))
    step_seq: Mapped[int | None]
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)
    source: Mapped[dict[str, Any]] = mapped_column(default=dict)


class OutboxMessage(Base):
    """What must leave the process: to the backend or to a chat channel, written in the
    same transaction as the state change that caused it, delivered later under a lease."""

    __tablename__ = "outbox"
    __table_args__ = (
        Index("ix_outbox_ready", "topic", "status", "next_attempt_at"),
        Index("ix_outbox_key", "topic", "key", "status", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    topic: Mapped[str] = mapped_column(String(20))
    key: Mapped[str] = mapped_column(String(300))
    idempotency_key: Mapped[str] = mapped_column(String(200), unique=True)
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)
    status: Mapped[str] = mapped_column(String(12), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime]
    lease_until: Mapped[datetime | None]
    lease_owner: Mapped[str | None] = mapped_column(String(120))
    """The replica holding the lease (FRONTDOOR_REPLICA_ID): restarted, it takes its rows back at once."""
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]


class CardPost(Base):
    """Where a card was posted, so it can be updated in place."""

    __tablename__ = "card_posts"
    __table_args__ = (UniqueConstraint("card_key", "channel", "address", name="uq_card_post"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    card_key: Mapped[str] = mapped_column(String(120), index=True)
    channel: Mapped[str] = mapped_column(String(20))
    address: Mapped[str] = mapped_column(String(300))
    platform_ref: Mapped[dict[str, Any]] = mapped_column(default=dict)
    request_ref: Mapped[str | None] = mapped_column(String(20), index=True)
    actions: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime]


class InboundEvent(Base):
    """Events already handled (chat platforms' retries, backend callbacks): key = source id."""

    __tablename__ = "inbound_events"

    key: Mapped[str] = mapped_column(String(300), primary_key=True)
    at: Mapped[datetime]


class ReminderSent(Base):
    """One row per step and rung: a rung can be recorded only once."""

    __tablename__ = "reminders_sent"
    __table_args__ = (
        UniqueConstraint("step_id", "rung", name="uq_reminder_step_rung"),
        # /insight: reminders sent in a period, by rung (PostgreSQL: from the index alone)
        Index("ix_reminders_sent_at", "sent_at", postgresql_include=["rung"]),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    step_id: Mapped[int] = mapped_column(ForeignKey("approval_steps.id"))
    rung: Mapped[int]
    recipient: Mapped[str] = mapped_column(String(254))
    sent_at: Mapped[datetime]


class Contact(Base):
    """How to reach a person on a channel (Teams conversation references, Slack DM ids)."""

    __tablename__ = "contacts"

    email: Mapped[str] = mapped_column(String(254), primary_key=True)
    channel: Mapped[str] = mapped_column(String(20), primary_key=True)
    address: Mapped[dict[str, Any]] = mapped_column(default=dict)
    updated_at: Mapped[datetime]


class Delegation(Base):
    """An approver's approvals delegated to someone else until a time."""

    __tablename__ = "delegations"
    __table_args__ = (Index("ix_delegations_from", "delegator", "ends_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    delegator: Mapped[str] = mapped_column(String(254))
    delegate: Mapped[str] = mapped_column(String(254))
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    created_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]


class PersonLanguage(Base):
    """The language a person last wrote in (`forms.language`): notices, reminders and cards sent
    to them later are in it."""

    __tablename__ = "people"

    email: Mapped[str] = mapped_column(String(254), primary_key=True)
    language: Mapped[str] = mapped_column(String(8))
    updated_at: Mapped[datetime]


WAITS: Any = ARRAY(Double()).with_variant(JSON(), "sqlite")
"""A list of business-hour waits: an array of doubles on PostgreSQL (read in binary)."""


class InsightWeek(Base):
    """A closed week whose decided steps are summed up in `insight_week_steps` (/insight): the
    row is the claim, written once (its key) by whichever reader first needs the week."""

    __tablename__ = "insight_weeks"

    zone: Mapped[str] = mapped_column(String(64), primary_key=True)
    """The organisation's time zone the week is laid out in (weeks start Monday 00:00 there)."""
    week: Mapped[date] = mapped_column(Date, primary_key=True)
    """The week's Monday."""
    built_at: Mapped[datetime]
    steps: Mapped[int]
    """The decided steps summed up."""


class InsightWeekSteps(Base):
    """The steps decided in a closed week, summed up by what the views group and filter by."""

    __tablename__ = "insight_week_steps"
    __table_args__ = (Index("ix_insight_week_steps_week", "zone", "week"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    zone: Mapped[str] = mapped_column(String(64))
    week: Mapped[date] = mapped_column(Date)
    role: Mapped[str] = mapped_column(String(40))
    decided_by: Mapped[str | None] = mapped_column(String(254))
    type_id: Mapped[str] = mapped_column(String(80))
    seq: Mapped[int]
    entity: Mapped[str | None] = mapped_column(String(20))
    decided: Mapped[int]
    """Steps approved or rejected."""
    rejected: Mapped[int]
    due: Mapped[int]
    """Of those, the steps with a due time (their SLA)."""
    within: Mapped[int]
    """Of those, the steps decided at or before it."""
    timed: Mapped[int]
    """Of the decided steps, those that were opened (`activated_at`): their waits are measured."""
    hours: Mapped[float] = mapped_column(Double())
    """Their waits' sum, in business hours."""
    waits: Mapped[list[float]] = mapped_column(WAITS)
    """Their waits, in ascending order."""


class InsightWeekExceptions(Base):
    """The invoice exceptions submitted in a closed week, counted by entity, department, reason and
    vendor (/insight's exceptions by reason and vendor; summed up with `insight_week_steps`)."""

    __tablename__ = "insight_week_exceptions"
    __table_args__ = (Index("ix_insight_week_exceptions_week", "zone", "week"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    zone: Mapped[str] = mapped_column(String(64))
    week: Mapped[date] = mapped_column(Date)
    entity: Mapped[str | None] = mapped_column(String(20))
    cost_center: Mapped[str | None] = mapped_column(String(20))
    reason: Mapped[str | None] = mapped_column(Text)
    vendor: Mapped[str | None] = mapped_column(Text)
    requests: Mapped[int]


class InsightWeekReminders(Base):
    """The SLA ladder's messages sent in a closed week, counted by rung, role, type and entity
    (/insight's reminders and escalations; summed up with `insight_week_steps`)."""

    __tablename__ = "insight_week_reminders"
    __table_args__ = (Index("ix_insight_week_reminders_week", "zone", "week"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    zone: Mapped[str] = mapped_column(String(64))
    week: Mapped[date] = mapped_column(Date)
    rung: Mapped[int]
    role: Mapped[str] = mapped_column(String(40))
    type_id: Mapped[str | None] = mapped_column(String(80))
    entity: Mapped[str | None] = mapped_column(String(20))
    sent: Mapped[int]
