"""Each closed week's decided steps, summed up once (PostgreSQL), so that a period reads a few
hundred rows a week instead of every decision.

A week (Monday 00:00 to Monday 00:00 in the organisation's zone) is *closed* a day after it
ends: no decision can be recorded in it any more (the engine records a decision at the instant
it is made). The first view that reads a closed week sums it up: the steps decided in it by
role, approver, type, step and legal entity, with their counts (decided, rejected, with a due
time, within it, opened) and their waits — the sum, and every wait in ascending order, so that
medians and percentiles over any weeks stay exact; and the invoice exceptions submitted in it by
entity, department, reason and vendor (form values, which never change once submitted), and the
SLA ladder's messages sent in it by rung, role, type and entity. The
week's row in `insight_weeks` is the claim (its key): two replicas reading at once sum it up
once, the second waits for the first's commit and reads its rows. A week with a decided step
that lacks its stored wait or type (rows written before migration 0008 filled them, or by hand)
is not summed up: the views measure it at reading, as before.

The views read the summed-up weeks that lie wholly inside their period and the rest of the
period (its first and last days, the current week) from the steps, grouped the same way
(`bot.insight.queries.Insight.decided_groups`). Nothing is summed up on SQLite: it reads rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, case, delete, func, insert, literal, select
from sqlalchemy.engine import Connection

from bot.store.models import (
    ApprovalStep,
    InsightWeek,
    InsightWeekExceptions,
    InsightWeekReminders,
    InsightWeekSteps,
    ReminderSent,
    Request,
)
from bot.store.status import StepStatus

DECIDED = (StepStatus.APPROVED.value, StepStatus.REJECTED.value)
NONE = literal([], InsightWeekSteps.waits.type)
SETTLED = timedelta(days=1)
"""How long after its end a week is closed (summed up)."""


@dataclass(slots=True)
class Group:
    """Steps decided in one week of the period, of one role, approver, type, step and entity."""

    week: int
    """The week's index in the period (`Insight._week_starts`)."""
    role: str
    decided_by: str | None
    type_id: str | None
    seq: int
    entity: str | None
    decided: int
    rejected: int
    due: int
    within: int
    timed: int
    hours: float
    waits: list[float]
    """The opened steps' waits (business hours), in ascending order."""


@dataclass(frozen=True)
class Week:
    index: int
    monday: date
    start: datetime
    end: datetime


def closed(weeks: list[Week], start: datetime, end: datetime, now: datetime) -> list[Week]:
    """The weeks wholly inside [start, end) that are closed at `now` (and by the wall clock: a
    report asked about the future sums up nothing that is still open)."""
    settled = min(now, datetime.now(UTC)) - SETTLED
    return [w for w in weeks if w.start >= start and w.end <= end and w.end <= settled]


def measures(
    decided_at: Any, due: Any, activated: Any, status: Any, wait: Any, waits: bool = True, ordered: bool = False
) -> tuple[Any, ...]:
    """The sums of one group of steps (decided, rejected, due, within, timed, hours, waits), as
    SQL aggregates over their columns: the waits in ascending order if `ordered`, none (an empty
    array) unless `waits`."""
    from sqlalchemy.dialects.postgresql import aggregate_order_by

    opened = activated.is_not(None)
    listed = func.array_agg(aggregate_order_by(wait, wait) if ordered else wait) if waits else None
    return (
        func.count(),
        func.count().filter(status == StepStatus.REJECTED.value),
        func.count(due),
        func.count().filter(decided_at <= due),
        func.count().filter(opened),
        func.coalesce(func.sum(wait).filter(opened), 0.0),
        func.coalesce(listed.filter(opened), NONE) if listed is not None else NONE,
    )


def _complete(week: Week) -> ColumnElement[bool]:
    return and_(
        ApprovalStep.status.in_(DECIDED),
        ApprovalStep.decided_at >= week.start,
        ApprovalStep.decided_at < week.end,
    )


def ensure(connection: Connection, zone: str, weeks: list[Week], now: datetime) -> list[Week]:
    """Sum up those of `weeks` not summed up yet (claiming each); returns the weeks summed up,
    by this reader or before. Runs in the reader's transaction."""
    if not weeks:
        return []
    mondays = [w.monday for w in weeks]
    done = set(
        connection.execute(
            select(InsightWeek.week).where(InsightWeek.zone == zone, InsightWeek.week.in_(mondays))
        ).scalars()
    )
    for week in weeks:
        if week.monday in done:
            continue
        lacking = connection.execute(
            select(func.count()).where(
                _complete(week),
                (ApprovalStep.type_id.is_(None))
                | (ApprovalStep.activated_at.is_not(None) & ApprovalStep.wait_hours.is_(None)),
            )
        ).scalar_one()
        lacking += connection.execute(  # a reminder of a step written without its type
            select(func.count())
            .select_from(ReminderSent)
            .join(ApprovalStep, ApprovalStep.id == ReminderSent.step_id)
            .where(ReminderSent.sent_at >= week.start, ReminderSent.sent_at < week.end, ApprovalStep.type_id.is_(None))
        ).scalar_one()
        lacking += connection.execute(  # a step without its request's entity (written by hand)
            select(func.count())
            .select_from(ApprovalStep)
            .join(Request, Request.id == ApprovalStep.request_id)
            .where(_complete(week), ApprovalStep.entity.is_(None), Request.entity.is_not(None))
        ).scalar_one()
        if lacking:
            continue  # measured at reading until its figures are stored
        claim = (
            _insert(connection)
            .values(zone=zone, week=week.monday, built_at=now, steps=0)
            .on_conflict_do_nothing()
            .returning(InsightWeek.week)
        )
        if connection.execute(claim).first() is None:
            done.add(week.monday)  # summed up by another reader meanwhile (committed: we waited)
            continue
        s = ApprovalStep
        keys = (s.role, s.decided_by, s.type_id, s.seq, s.entity)
        summed = select(
            literal(zone),
            literal(week.monday),
            *keys,
            *measures(s.decided_at, s.due_100, s.activated_at, s.status, s.wait_hours, ordered=True),
        ).where(_complete(week))
        ordered = summed.group_by(*keys)
        columns = ["zone", "week", "role", "decided_by", "type_id", "seq", "entity"]
        columns += ["decided", "rejected", "due", "within", "timed", "hours", "waits"]
        connection.execute(insert(InsightWeekSteps).from_select(columns, ordered))
        r = Request
        kept = (r.entity, r.cost_center, r.fields["exception_reason"].as_string(), r.fields["vendor_name"].as_string())
        exceptions = (
            select(literal(zone), literal(week.monday), *kept, func.count())
            .where(r.type_id == "invoice_exception", r.created_at >= week.start, r.created_at < week.end)
            .group_by(*kept)
        )
        columns = ["zone", "week", "entity", "cost_center", "reason", "vendor", "requests"]
        connection.execute(insert(InsightWeekExceptions).from_select(columns, exceptions))
        m = ReminderSent
        by = (m.rung, s.role, s.type_id, s.entity)
        ladder = (
            select(literal(zone), literal(week.monday), *by, func.count())
            .join(s, s.id == m.step_id)
            .where(m.sent_at >= week.start, m.sent_at < week.end)
            .group_by(*by)
        )
        columns = ["zone", "week", "rung", "role", "type_id", "entity", "sent"]
        connection.execute(insert(InsightWeekReminders).from_select(columns, ladder))
        connection.execute(
            InsightWeek.__table__.update()  # type: ignore[attr-defined]
            .where(InsightWeek.zone == zone, InsightWeek.week == week.monday)
            .values(
                steps=select(func.coalesce(func.sum(InsightWeekSteps.decided), 0))
                .where(InsightWeekSteps.zone == zone, InsightWeekSteps.week == week.monday)
                .scalar_subquery()
            )
        )
        done.add(week.monday)
    return [w for w in weeks if w.monday in done]


def _insert(connection: Connection) -> Any:
    from sqlalchemy.dialects.postgresql import insert as pg_insert

    return pg_insert(InsightWeek)


def forget(connection: Connection) -> int:
    """Drop every summed-up week (a history written into the past, as `frontdoor demo seed` does,
    would otherwise not be in weeks already summed up); how many weeks were. On PostgreSQL the
    claims' table is locked first: a week being summed up meanwhile (from rows without the new
    history) is waited for and dropped too, and none is claimed again before this commits."""
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql("LOCK TABLE insight_weeks IN EXCLUSIVE MODE")
    for table in (InsightWeekSteps, InsightWeekExceptions, InsightWeekReminders):
        connection.execute(delete(table))
    return int(connection.execute(delete(InsightWeek)).rowcount or 0)


def rows_query(zone: str, weeks: list[Week], where: list[ColumnElement[bool]], waits: bool = True) -> Any:
    """The summed-up groups of `weeks` (their Mondays), filtered by `where` on their columns
    (their waits empty unless `waits`)."""
    w = InsightWeekSteps
    index = case(*((w.week == week.monday, week.index) for week in weeks), else_=-1)
    return select(
        index,
        w.role,
        w.decided_by,
        w.type_id,
        w.seq,
        w.entity,
        w.decided,
        w.rejected,
        w.due,
        w.within,
        w.timed,
        w.hours,
        w.waits if waits else NONE,
    ).where(w.zone == zone, w.week.in_([week.monday for week in weeks]), *where)
