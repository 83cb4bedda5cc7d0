"""Dead letters: outbox rows given up on (`OutboxStatus.DEAD`), what the engine has done about
each, and what an operator does with them (`frontdoor outbox list|retry|discard`).

A dead row is followed up once: the engine records `dead:<row id>` among the handled inbound
events in the transaction that writes the follow-up, so a sweep and a delivery round that both
find it (or two replicas) act on it once.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import String, bindparam, cast, exists, literal, select, update

from bot.store.claims import OUTBOX
from bot.store.models import CardPost, InboundEvent
from bot.store.repo import Tx, core
from bot.store.status import OutboxStatus

NOTICED = "dead:"
"""The prefix of a followed-up dead row's key among the handled inbound events."""


class DeadRow(NamedTuple):
    id: int
    topic: str
    idempotency_key: str
    payload: dict[str, Any]
    attempts: int
    last_error: str | None
    created_at: datetime


_COLUMNS = (
    OUTBOX.c.id,
    OUTBOX.c.topic,
    OUTBOX.c.idempotency_key,
    OUTBOX.c.payload,
    OUTBOX.c.attempts,
    OUTBOX.c.last_error,
    OUTBOX.c.created_at,
)
_NOTICED = exists().where(InboundEvent.key == literal(NOTICED) + cast(OUTBOX.c.id, String))
_UNNOTICED = (
    select(*_COLUMNS)
    .where(OUTBOX.c.topic == "chat", OUTBOX.c.status == OutboxStatus.DEAD, ~_NOTICED)
    .order_by(OUTBOX.c.id)
    .limit(bindparam("limit"))
)
_DEAD = select(*_COLUMNS).where(OUTBOX.c.status == OutboxStatus.DEAD).order_by(OUTBOX.c.id).limit(bindparam("limit"))
_RETRY = (
    update(OUTBOX)
    .where(OUTBOX.c.id == bindparam("row_id"), OUTBOX.c.status == OutboxStatus.DEAD)
    .values(status=OutboxStatus.PENDING, attempts=0, next_attempt_at=bindparam("now"), lease_until=None)
)
_DISCARD = (
    update(OUTBOX)
    .where(OUTBOX.c.id == bindparam("row_id"), OUTBOX.c.status == OutboxStatus.DEAD)
    .values(status=OutboxStatus.DISCARDED, lease_until=None)
)


def _rows(result: Any) -> list[DeadRow]:
    return [DeadRow(r[0], r[1], r[2], dict(r[3] or {}), int(r[4] or 0), r[5], r[6]) for r in result]


def unnoticed(session: Tx, limit: int = 100) -> list[DeadRow]:
    """Dead chat rows the engine has not followed up yet, oldest first."""
    return _rows(core(session).execute(_UNNOTICED, {"limit": limit}))


def dead_rows(session: Tx, limit: int = 500) -> list[DeadRow]:
    """Every dead row (chat and backend), oldest first: what `frontdoor outbox list` shows."""
    return _rows(core(session).execute(_DEAD, {"limit": limit}))


def retry(session: Tx, row_id: int, now: datetime) -> bool:
    """Put a dead row back in the queue for a fresh round of attempts; False unless it was dead."""
    return bool(core(session).execute(_RETRY, {"row_id": row_id, "now": now}).rowcount)


def discard(session: Tx, row_id: int) -> bool:
    """Give a dead row up for good (kept, marked discarded); False unless it was dead."""
    return bool(core(session).execute(_DISCARD, {"row_id": row_id}).rowcount)


def card_addresses(session: Tx, card_key: str) -> list[str]:
    """Where a card was posted (the addresses that have a copy)."""
    query = select(CardPost.address).where(CardPost.card_key == card_key)
    return [str(a) for a in core(session).execute(query).scalars()]
