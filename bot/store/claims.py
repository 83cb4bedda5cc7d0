"""Claiming outbox rows under a lease, so several workers (or replicas) never deliver one twice
at once, and rows of one key go out in order.

A claim reads the oldest pending rows of a topic, keeps the first of each key when it is
ready (a later row waits while an earlier row of its key is pending, even one that is waiting
for a retry or leased by another worker), then takes a lease with a compare-and-set UPDATE:
only rows whose lease is free are taken, so two workers never hold the same row.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, cast

from sqlalchemy import Row, Table, bindparam, case, func, or_, select, update

from bot.store.models import OutboxMessage
from bot.store.repo import Tx, core
from bot.store.status import OutboxStatus

LEASE = timedelta(seconds=60)
"""The longest lease: a big batch's, and a handed-over row's (see `bot.outbox.FRESH`)."""
LEASE_BASE = timedelta(seconds=10)
LEASE_PER_ROW = timedelta(seconds=2)


def lease_for(rows: int) -> timedelta:
    """A claim's lease, sized to the work: a few seconds per row, at most `LEASE`. What a replica
    that dies costs the others is one lease; a replica that restarts takes its rows back at once."""
    return min(LEASE, LEASE_BASE + LEASE_PER_ROW * rows)


SCAN = 2000


OUTBOX = cast(Table, OutboxMessage.__table__)
_PENDING = (
    select(OUTBOX.c.id, OUTBOX.c.key, OUTBOX.c.next_attempt_at, OUTBOX.c.lease_until)
    .where(OUTBOX.c.topic == bindparam("topic"), OUTBOX.c.status == OutboxStatus.PENDING)
    .order_by(OUTBOX.c.id)
    .limit(SCAN)
)
_TAKE = (  # a compare-and-set: only rows still pending and with a free lease are taken
    update(OUTBOX)
    .where(
        OUTBOX.c.id.in_(bindparam("ids", expanding=True)),
        OUTBOX.c.status == OutboxStatus.PENDING,  # read as pending, but another worker may have sent it since
        or_(OUTBOX.c.lease_until.is_(None), OUTBOX.c.lease_until < bindparam("now")),
    )
    .values(
        lease_until=bindparam("until"),
        lease_owner=bindparam("owner"),
        # a lease that ran out: the worker that held it may have delivered the row unrecorded
        attempts=OUTBOX.c.attempts + case((OUTBOX.c.lease_until.is_not(None), 1), else_=0),
    )
    .returning(OUTBOX.c.id, OUTBOX.c.idempotency_key, OUTBOX.c.payload, OUTBOX.c.attempts)
)
_SENT = (
    update(OUTBOX)
    .where(OUTBOX.c.id.in_(bindparam("ids", expanding=True)))
    .values(status=OutboxStatus.SENT, sent_at=bindparam("sent"), lease_until=None)
)


@dataclass
class Claim:
    """The rows taken (id, idempotency_key, payload, attempts), and whether more are waiting
    (rows behind them of the same key, or beyond the batch)."""

    rows: list[Row[Any]] = field(default_factory=list)
    more: bool = False


def claim(
    session: Tx, topic: str, now: datetime, limit: int, *, lease: timedelta | None = None, owner: str | None = None
) -> Claim:
    """Lease up to `limit` ready rows, each the oldest pending row of its key, for `lease` (by
    default sized to how many were taken), to `owner` (this replica's id, so that it takes them
    back at once if it restarts). A row whose lease ran out counts one more attempt: its delivery
    may have happened without being recorded."""
    connection = core(session)
    pending = connection.execute(_PENDING, {"topic": topic}).all()
    seen: set[str] = set()
    wanted: list[int] = []
    more = len(pending) == SCAN
    for row_id, key, due, held in pending:
        ready = _aware(due) <= now and (held is None or _aware(held) < now)
        if key in seen or not ready or len(wanted) >= limit:
            more = more or (key in seen and ready)
            seen.add(key)
            continue
        seen.add(key)
        wanted.append(row_id)
    if not wanted:
        return Claim([], more)
    until = now + (lease if lease is not None else lease_for(len(wanted)))
    taken = connection.execute(_TAKE, {"ids": wanted, "now": now, "until": until, "owner": owner}).all()
    return Claim(sorted(taken, key=lambda row: row[0]), more or len(wanted) >= limit)


def mark_sent(session: Tx, row_ids: list[int], now: datetime) -> None:
    """Record a batch of successful deliveries in one statement."""
    if row_ids:
        core(session).execute(_SENT, {"ids": row_ids, "sent": now})


_RELEASE = (  # only while the lease is still the one this worker took
    update(OUTBOX)
    .where(
        OUTBOX.c.id == bindparam("row_id"),
        OUTBOX.c.status == OutboxStatus.PENDING,
        OUTBOX.c.lease_until == bindparam("held"),
    )
    .values(lease_until=None, lease_owner=None)
)


def release(session: Tx, leases: Sequence[tuple[int, datetime]]) -> None:
    """Give leased rows (id, the lease this worker took) back undelivered: the next claim takes
    them at once. A row whose lease has since changed hands is left alone."""
    if leases:
        core(session).execute(_RELEASE, [{"row_id": row_id, "held": held} for row_id, held in leases])


_RECLAIM = (
    update(OUTBOX)
    .where(
        OUTBOX.c.status == OutboxStatus.PENDING,
        OUTBOX.c.lease_owner == bindparam("owner"),
        OUTBOX.c.lease_until.is_not(None),
    )
    .values(lease_until=None, lease_owner=None, attempts=OUTBOX.c.attempts + 1)
)


def reclaim(session: Tx, owner: str) -> int:
    """Give back every lease `owner` holds: called as a replica starts, when its leases can only be
    those of its previous life, which ended without finishing them. Its rows are then taken by the
    next claim round at once instead of after the lease, each counting one more attempt (it may
    have been delivered unrecorded). How many were given back."""
    return int(core(session).execute(_RECLAIM, {"owner": owner}).rowcount or 0)


def attempts(session: Tx, row_id: int) -> int:
    """How many failed attempts a row has had."""
    return int(core(session).execute(_ATTEMPTS, {"row_id": row_id}).scalar() or 0)


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


_RETRY = bindparam("retry", type_=OUTBOX.c.next_attempt_at.type)  # None: unchanged
_ATTEMPTS = select(OUTBOX.c.attempts).where(OUTBOX.c.id == bindparam("row_id"))
_FAILED = (
    update(OUTBOX)
    .where(OUTBOX.c.id == bindparam("row_id"))
    .values(
        lease_until=None,
        attempts=bindparam("attempts"),
        last_error=bindparam("error"),
        status=bindparam("status"),
        next_attempt_at=func.coalesce(
            bindparam("retry", type_=OUTBOX.c.next_attempt_at.type), OUTBOX.c.next_attempt_at
        ),
    )
)


def settle(
    session: Tx,
    row_id: int,
    now: datetime,
    *,
    error: str | None = None,
    retry_at: datetime | None = None,
    retry_in: Callable[[int], timedelta] | None = None,
    dead: bool = False,
    max_attempts: int | None = None,
) -> bool:
    """Record the outcome of one delivery attempt; a failed one is retried at `retry_at`, else
    after `retry_in(attempts so far)`, else at once (a dead one never). A row that has failed
    `max_attempts` times (and was not told when to come back) is dead too. True when it died."""
    connection = core(session)
    if error is None:
        connection.execute(_SENT, {"ids": [row_id], "sent": now})
        return False
    attempts = connection.execute(_ATTEMPTS, {"row_id": row_id}).scalar()
    if attempts is None:
        return False
    attempts += 1
    dead = dead or (max_attempts is not None and attempts >= max_attempts and retry_at is None)
    retry = None if dead else retry_at or (now + retry_in(attempts) if retry_in else now)
    connection.execute(
        _FAILED,
        {
            "row_id": row_id,
            "attempts": attempts,
            "error": error[:2000],
            "status": OutboxStatus.DEAD if dead else OutboxStatus.PENDING,
            "retry": retry,
        },
    )
    return dead


PURGED = {"purged": True}
"""What stays of a delivered chat message after the retention period: its row (key, idempotency
key, times), not its text or card. The audit trail keeps who decided what."""
_TO_PURGE = (
    select(OUTBOX.c.id)
    .where(OUTBOX.c.topic == "chat", OUTBOX.c.status == OutboxStatus.SENT, OUTBOX.c.sent_at < bindparam("before"))
    .order_by(OUTBOX.c.id)
    .limit(bindparam("limit"))
)
_PURGE = (
    update(OUTBOX)
    .where(OUTBOX.c.id.in_(bindparam("ids", expanding=True)), OUTBOX.c.status == OutboxStatus.SENT)
    .values(status=OutboxStatus.PURGED, payload=PURGED)
)


_DONE = (
    update(OUTBOX)
    .where(OUTBOX.c.id.in_(bindparam("ids", expanding=True)))
    .values(status=OutboxStatus.SENT, sent_at=bindparam("sent"), lease_until=None, payload=PURGED)
)


def done_and_forgotten(session: Tx, row_ids: list[int], now: datetime) -> None:
    """Record rows as done and forget their payloads: a kept inbound event holds what a person
    wrote, which the engine has stored where it belongs once the event is processed."""
    if row_ids:
        core(session).execute(_DONE, {"ids": row_ids, "sent": now})


def purge_sent_chat(session: Tx, before: datetime, limit: int = 500) -> int:
    """Forget the text of up to `limit` chat messages delivered before `before`; how many."""
    connection = core(session)
    ids = list(connection.execute(_TO_PURGE, {"before": before, "limit": limit}).scalars())
    if ids:
        connection.execute(_PURGE, {"ids": ids})
    return len(ids)


_COUNTS = select(OUTBOX.c.topic, OUTBOX.c.status, func.count()).group_by(OUTBOX.c.topic, OUTBOX.c.status)
_OLDEST = (
    select(OUTBOX.c.topic, func.min(OUTBOX.c.created_at))
    .where(OUTBOX.c.status == OutboxStatus.PENDING)
    .group_by(OUTBOX.c.topic)
)


def depth(session: Tx) -> tuple[list[tuple[str, str, int]], dict[str, datetime]]:
    """Rows by topic and status, and when the oldest pending row of each topic was written."""
    connection = core(session)
    counts = [(str(t), str(s), int(n)) for t, s, n in connection.execute(_COUNTS)]
    oldest = {str(t): _aware(at) for t, at in connection.execute(_OLDEST) if at is not None}
    return counts, oldest
