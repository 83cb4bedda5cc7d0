"""What the insight views need, stored when it becomes known rather than worked out at each reading.

A step's request type is known when it is written, its wait (business hours from its opening
to its decision, on its role's calendar) the moment it is decided; a request's last approval,
and the backend's first in-progress, fulfilled, failed and refused reports, the moment they
arrive, with the business hours from the request's clearing (its last approval, or its
submission when it needed none) to the first two on the organisation's calendar. The engine
writes them as it records decisions (`bot.core.approvals`) and backend news (`bot.core.news`,
`bot.backend_link`); the demo seed writes them with its rows; migration 0008 fills them for the
rows written before (`fill`). Each is the figure the views computed from the instants before
(the same `HoursClock.spans_at` on the same POSIX seconds, equal to a billionth of an hour), so
the numbers shown do not change; a row missing one (a history written some other way) is
measured at reading time.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import Float, Integer, and_, bindparam, case, func, select, update
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.engine import Connection

from bot.directory import MANAGER
from bot.insight.hours import HoursClock, clock_of
from bot.store.models import ApprovalStep, AuditEvent, Request
from reminders.business_time import BusinessCalendar

log = logging.getLogger(__name__)

BACKEND_STAMPS = {
    "backend_in_progress": "in_progress_at",
    "backend_fulfilled": "fulfilled_at",
    "backend_failed": "failed_at",
    "backend_refused": "refused_at",
}
"""The audit action of each backend report and the request's column holding its first instant."""
BACKEND_HOURS = {"in_progress_at": "in_progress_hours", "fulfilled_at": "fulfilled_hours"}
"""The instants whose business hours from the clearing are stored with them."""


class Calendars(Protocol):
    def calendar(self, person: str | None, role: str | None = None) -> BusinessCalendar: ...


def calendars_of(deadlines: Any) -> Calendars | None:
    """The business calendars behind the engine's deadlines (none for wall-clock deadlines:
    then nothing is stored, and the views measure those rows when they read them)."""
    return deadlines if callable(getattr(deadlines, "calendar", None)) else None


def role_clock(calendars: Calendars, role: str | None) -> HoursClock:
    """The clock of a role's steps, as the views measure them (manager steps: the organisation's)."""
    return clock_of(calendars.calendar(None, None if not role or role == MANAGER else role))


def hours_between(clock: HoursClock, start: datetime, end: datetime) -> float:
    return clock.spans_at([(start.timestamp(), end.timestamp())])[0]


def step_wait(deadlines: Any, role: str, activated: datetime | None, decided: datetime) -> float | None:
    """A step's business hours from opening to decision, or None when they cannot be known here."""
    calendars = calendars_of(deadlines)
    if calendars is None or activated is None:
        return None
    return hours_between(role_clock(calendars, role), activated, decided)


def note_approval(request: Request, at: datetime) -> None:
    """A step of `request` was approved at `at`: its last approval so far."""
    if request.approved_at is None or at > request.approved_at:
        request.approved_at = at


def note_backend(request: Request, action: str, at: datetime, deadlines: Any = None) -> None:
    """The backend reported `action` (`backend_in_progress`…) at `at`: its first such instant,
    and for in progress and fulfilled the business hours since the request was cleared."""
    column = BACKEND_STAMPS.get(action)
    if column is None:
        return
    first = getattr(request, column)
    if first is not None and first <= at:
        return
    setattr(request, column, at)
    calendars = calendars_of(deadlines)
    if column in BACKEND_HOURS:
        cleared = request.approved_at or request.created_at
        hours = hours_between(role_clock(calendars, None), cleared, at) if calendars and cleared else None
        setattr(request, BACKEND_HOURS[column], hours)


def fill(
    connection: Connection, calendars: Calendars | None, batch: int = 50_000, entities: bool = True
) -> dict[str, int]:
    """Fill what is missing on rows written before: requests' last approval and first backend
    reports (from the steps and the audit trail), the steps' types (and, unless not `entities`,
    their legal entities: migration 0008 runs before the column exists), then, with `calendars`,
    the business hours of decided steps and of hand-offs. Returns the rows filled by kind."""
    done = {"approved_at": _fill_approved(connection), "backend_reports": _fill_stamps(connection)}
    done["step_types"] = _fill_types(connection)
    if entities:
        done["step_entities"] = fill_entities(connection)
    if calendars is None:
        return done
    done["wait_hours"] = _fill_waits(connection, calendars, batch)
    done["handoff_hours"] = _fill_handoff(connection, calendars, batch)
    return done


def _fill_types(connection: Connection) -> int:
    kind = select(Request.type_id).where(Request.id == ApprovalStep.request_id).scalar_subquery()
    query = update(ApprovalStep).where(ApprovalStep.type_id.is_(None)).values(type_id=kind)
    return int(connection.execute(query).rowcount or 0)


def fill_entities(connection: Connection) -> int:
    """Copy each request's legal entity onto its steps written without it (migration 0010)."""
    entity = select(Request.entity).where(Request.id == ApprovalStep.request_id).scalar_subquery()
    written = select(Request.id).where(Request.entity.is_not(None))
    query = (
        update(ApprovalStep)
        .where(ApprovalStep.entity.is_(None), ApprovalStep.request_id.in_(written))
        .values(entity=entity)
    )
    return int(connection.execute(query).rowcount or 0)


def _fill_approved(connection: Connection) -> int:
    last = (
        select(func.max(ApprovalStep.decided_at))
        .where(ApprovalStep.request_id == Request.id, ApprovalStep.status == "approved")
        .scalar_subquery()
    )
    approved = select(ApprovalStep.request_id).where(ApprovalStep.status == "approved")
    query = update(Request).where(Request.approved_at.is_(None), Request.id.in_(approved)).values(approved_at=last)
    return int(connection.execute(query).rowcount or 0)


def _fill_stamps(connection: Connection) -> int:
    """The first instant of each backend report, all four in one pass over the trail's reports."""
    firsts = (
        select(
            AuditEvent.request_ref.label("ref"),
            *(
                func.min(case((AuditEvent.action == action, AuditEvent.at))).label(column)
                for action, column in BACKEND_STAMPS.items()
            ),
        )
        .where(AuditEvent.action.in_(tuple(BACKEND_STAMPS)))
        .group_by(AuditEvent.request_ref)
        .subquery()
    )
    unset = [getattr(Request, column).is_(None) for column in BACKEND_STAMPS.values()]
    query = (
        update(Request)
        .where(Request.ref == firsts.c.ref, and_(*unset))
        .values({column: firsts.c[column] for column in BACKEND_STAMPS.values()})
    )
    return int(connection.execute(query).rowcount or 0)


def _write(connection: Connection, model: Any, column: str, values: list[tuple[int, float]]) -> None:
    if not values:
        return
    table = model.__table__
    if connection.dialect.name == "postgresql":  # one statement a batch
        ids, hours = zip(*values, strict=True)
        pairs = (
            func.unnest(bindparam("ids", list(ids), type_=_INTS), bindparam("hours", list(hours), type_=_FLOATS))
            .table_valued("id", "hours")
            .render_derived()
        )
        connection.execute(update(table).where(table.c.id == pairs.c.id).values({column: pairs.c.hours}))
        return
    statement = update(table).where(table.c.id == bindparam("row_id")).values({column: bindparam("value")})
    connection.execute(statement, [{"row_id": i, "value": h} for i, h in values])


_FLOATS: Any = ARRAY(Float())
_INTS: Any = ARRAY(Integer())


def _fill_waits(connection: Connection, calendars: Calendars, batch: int) -> int:
    s = ApprovalStep
    done, after = 0, 0
    while True:
        rows = connection.execute(
            select(s.id, s.role, s.activated_at, s.decided_at)
            .where(
                s.id > after,
                s.wait_hours.is_(None),
                s.decided_at.is_not(None),
                s.activated_at.is_not(None),
            )
            .order_by(s.id)
            .limit(batch)
        ).all()
        if not rows:
            return done
        by_role: dict[str, list[Any]] = defaultdict(list)
        for row in rows:
            by_role[row.role].append(row)
        values: list[tuple[int, float]] = []
        for role, group in by_role.items():
            spans = role_clock(calendars, role).spans_at(
                [(r.activated_at.timestamp(), r.decided_at.timestamp()) for r in group]
            )
            values += [(r.id, hours) for r, hours in zip(group, spans, strict=True)]
        _write(connection, ApprovalStep, "wait_hours", values)
        done += len(values)
        after = rows[-1].id
        log.info("stored the waits of %d decided steps", done)


def _fill_handoff(connection: Connection, calendars: Calendars, batch: int) -> int:
    r = Request
    clock = role_clock(calendars, None)
    done = 0
    for at_name, hours_name in BACKEND_HOURS.items():
        at, hours = getattr(r, at_name), getattr(r, hours_name)
        after = 0
        while True:
            rows = connection.execute(
                select(r.id, r.approved_at, r.created_at, at.label("at"))
                .where(r.id > after, at.is_not(None), hours.is_(None))
                .order_by(r.id)
                .limit(batch)
            ).all()
            if not rows:
                break
            spans = clock.spans_at(
                [((row.approved_at or row.created_at).timestamp(), row.at.timestamp()) for row in rows]
            )
            _write(connection, Request, hours_name, [(row.id, h) for row, h in zip(rows, spans, strict=True)])
            done += len(rows)
            after = rows[-1].id
    return done


def _cleared(row: Any) -> float:
    return float((row.approved_at or row.created_at).timestamp())
