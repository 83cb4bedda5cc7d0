"""The SLA sweep's statements: the due steps claimed, each rung recorded once, a batch written.

Due rows are found by an indexed query on `approval_steps.next_due_at` (each step stores its
due times when it is activated). Rows are claimed with `FOR UPDATE SKIP LOCKED` on PostgreSQL,
so overlapping sweeps and several replicas never take the same step (SQLite runs one writer at
a time); a rung is recorded in `reminders_sent` (unique per step and rung) in the same
transaction as the outbox messages that carry it, so a crash before commit sends nothing and a
crash after commit sends once. A batch is written with one statement per table. What is due to
whom, and what it says, is the engine's (`bot.core.sweep`).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import Table, bindparam, select, text, update
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from bot.store import repo
from bot.store.models import ApprovalStep, AuditEvent, OutboxMessage, ReminderSent, Request
from bot.store.status import RequestStatus

STEPS = cast(Table, ApprovalStep.__table__)
Move = tuple[int, int | None, datetime | None]
"""(step id, next rung, when it is due)."""


def due_query(now: datetime, limit: int, *, skip_locked: bool) -> Any:
    """Due steps, oldest first, read through an index on next_due_at (never a scan of the
    open steps) and locked with SKIP LOCKED on PostgreSQL, so that overlapping sweeps and
    replicas share the work instead of waiting on each other."""
    query = (
        select(ApprovalStep)
        .where(ApprovalStep.next_due_at <= now, ApprovalStep.status.in_(repo.OPEN_STEP))  # open steps only
        .order_by(ApprovalStep.next_due_at)
        .limit(limit)
    )
    if skip_locked:
        query = query.with_for_update(skip_locked=True)
    return query


def claim_due(session: Session, now: datetime, limit: int, *, skip_locked: bool) -> list[tuple[ApprovalStep, Request]]:
    """Claim up to `limit` due steps (see `due_query`), each with its request."""
    steps = list(session.scalars(due_query(now, limit, skip_locked=skip_locked)))
    if not steps:
        return []
    wanted = {step.request_id for step in steps}  # then their requests, by primary key
    requests = {r.id: r for r in session.scalars(select(Request).where(Request.id.in_(wanted)))}
    return [(step, requests[step.request_id]) for step in steps]


def claim_waiting(
    session: Session, since: datetime, limit: int, *, skip_locked: bool
) -> list[tuple[ApprovalStep, Request]]:
    """Claim up to `limit` open steps of requests waiting for approval, activated at or before
    `since` (those that may have waited past their expiry), oldest first; locked with SKIP LOCKED
    on PostgreSQL, so that two sweeps never expire the same request (SQLite runs one writer at a
    time, and the expiry moves the step by compare-and-set)."""
    query = (
        select(ApprovalStep, Request)
        .join(Request, Request.id == ApprovalStep.request_id)
        .where(
            ApprovalStep.status.in_(repo.OPEN_STEP),
            ApprovalStep.activated_at <= since,
            Request.status == RequestStatus.PENDING_APPROVAL,
        )
        .order_by(ApprovalStep.activated_at, ApprovalStep.id)
        .limit(limit)
    )
    if skip_locked:
        query = query.with_for_update(skip_locked=True, of=ApprovalStep)
    return [(row[0], row[1]) for row in session.execute(query)]


def info_requests(session: Session, refs: set[str]) -> list[tuple[str | None, int | None, str, datetime]]:
    """Every time information was asked on these requests, oldest first: (request, step, who, when),
    from the append-only audit."""
    query = (
        select(AuditEvent.request_ref, AuditEvent.step_seq, AuditEvent.actor, AuditEvent.at)
        .where(AuditEvent.request_ref.in_(refs), AuditEvent.action == "info_requested")
        .order_by(AuditEvent.id)
    )
    return [(row[0], row[1], row[2], row[3]) for row in session.execute(query)]


def record_rungs(session: Session, records: list[dict[str, Any]]) -> set[tuple[int, int]]:
    """Record rungs in `reminders_sent`; returns the (step id, rung) of those not recorded before."""
    inserted = _insert(repo.core(session), ReminderSent, records, returning=("step_id", "rung"))
    return {(row[0], row[1]) for row in inserted}


def write_batch(
    session: Session, audits: list[dict[str, Any]], outbox: list[dict[str, Any]], moves: list[Move]
) -> None:
    """Write a batch's audit rows and outbox messages, and move each of its steps to its next rung."""
    connection = repo.core(session)
    _insert(connection, AuditEvent, audits)
    _insert(connection, OutboxMessage, outbox)
    _move(connection, moves)


# -- one statement per table ------------------------------------------------------------------
def _insert(
    connection: Connection, model: Any, rows: list[dict[str, Any]], returning: Sequence[str] = ()
) -> list[tuple[Any, ...]]:
    """INSERT … ON CONFLICT DO NOTHING of many rows; with `returning`, the rows inserted.

    On PostgreSQL the rows go as one JSON document read by `json_to_recordset`: one statement,
    one parameter and one round trip whatever their number.
    """
    if not rows:
        return []
    table = cast(Table, model.__table__)
    if connection.dialect.name != "postgresql":
        statement = sqlite_insert(table).on_conflict_do_nothing()
        if not returning:
            connection.execute(statement, rows)
            return []
        with_returning = statement.returning(*(table.c[name] for name in returning))
        return [tuple(row) for row in connection.execute(with_returning, rows)]  # the rows inserted
    names = list(rows[0])
    columns = ", ".join(f'"{name}"' for name in names)
    shape = ", ".join(f'"{name}" {table.c[name].type.compile(dialect=connection.dialect)}' for name in names)
    sql = (
        f"INSERT INTO {table.name} ({columns}) SELECT {columns} FROM json_to_recordset(CAST(:rows AS json))"
        f" AS r({shape}) ON CONFLICT DO NOTHING"
    )
    params = {"rows": _json(rows)}
    if returning:
        sql += f" RETURNING {', '.join(returning)}"
        return [tuple(row) for row in connection.execute(text(sql), params)]
    connection.execute(text(sql), params)
    return []


_MOVE_PG = text(
    "UPDATE approval_steps AS s SET next_rung = v.rung, next_due_at = v.due"
    " FROM json_to_recordset(CAST(:rows AS json)) AS v(id INTEGER, rung INTEGER, due TIMESTAMP WITH TIME ZONE)"
    " WHERE s.id = v.id"
)
_MOVE = (
    update(STEPS)
    .where(STEPS.c.id == bindparam("b_id"))
    .values(next_rung=bindparam("b_rung"), next_due_at=bindparam("b_due"))
)


def _move(connection: Connection, moves: list[Move]) -> None:
    """Set each step's next rung and its due time, in one statement."""
    if not moves:
        return
    if connection.dialect.name == "postgresql":
        connection.execute(_MOVE_PG, {"rows": _json([{"id": i, "rung": r, "due": d} for i, r, d in moves])})
        return
    connection.execute(_MOVE, [{"b_id": i, "b_rung": r, "b_due": d} for i, r, d in moves])


def _json(rows: list[dict[str, Any]]) -> str:
    """Rows as a JSON array; instants as ISO 8601 in UTC."""
    return json.dumps(rows, default=_instant, ensure_ascii=False)


def _instant(value: Any) -> str:
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(UTC).isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable here")
