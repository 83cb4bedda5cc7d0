"""The delegations table: who holds whose approvals now, a delegation started or ended, and the
open steps a new delegate is shown. The rules (who may delegate, until when, what is said) are
the engine's, in `bot.core.delegation`; this module only reads and writes the rows."""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, and_, bindparam, or_, select, update
from sqlalchemy.orm import Session

from bot.store import repo
from bot.store.models import ApprovalStep, AuditEvent, Delegation, Request

_CACHE = "delegations"
"""The session's `info` key of the delegations read in its transaction (see `running`)."""

_RUNNING = (  # built once: it is read in every transaction that routes or authorises a step
    select(Delegation.delegator, Delegation.delegate)
    .where(
        Delegation.starts_at <= bindparam("now"), Delegation.ends_at > bindparam("now"), Delegation.revoked_at.is_(None)
    )
    .order_by(Delegation.id)
)


def running(session: Session, now: datetime) -> dict[str, str]:
    """Every delegation running now, delegator → delegate (the newest wins); read once a transaction."""
    cached = session.info.get(_CACHE)
    if cached is not None and cached[0] == now:
        return dict(cached[1])
    found = {row[0]: row[1] for row in repo.core(session).execute(_RUNNING, {"now": now})}
    session.info[_CACHE] = (now, found)
    return dict(found)


def delegate_of(session: Session, person: str | None, now: datetime) -> str | None:
    """The person's delegate right now, if any."""
    return running(session, now).get(person) if person else None


def running_of(session: Session, delegator: str, now: datetime) -> Delegation | None:
    """The person's running delegation (the newest), if any."""
    query = (
        select(Delegation)
        .where(
            Delegation.delegator == delegator,
            Delegation.starts_at <= now,
            Delegation.ends_at > now,
            Delegation.revoked_at.is_(None),
        )
        .order_by(Delegation.id.desc())
        .limit(1)
    )
    return session.scalars(query).first()


def delegators_of(session: Session, person: str, now: datetime) -> set[str]:
    """Everyone whose approvals `person` holds right now."""
    return {delegator for delegator, delegate in running(session, now).items() if delegate == person}


def start(session: Session, delegator: str, delegate: str, now: datetime, ends_at: datetime) -> None:
    """Write a delegation running from `now` until `ends_at`; this transaction reads it from here on."""
    session.add(Delegation(delegator=delegator, delegate=delegate, starts_at=now, ends_at=ends_at, created_at=now))
    session.flush()
    session.info.pop(_CACHE, None)


def end(session: Session, delegator: str, now: datetime) -> bool:
    """End the person's running delegations now; False when none was running."""
    result = session.execute(
        update(Delegation)
        .where(Delegation.delegator == delegator, Delegation.ends_at > now, Delegation.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    session.info.pop(_CACHE, None)
    return bool(cast(CursorResult[Any], result).rowcount)  # an UPDATE's result is a cursor result


def open_steps_of(session: Session, delegator: str, roles: set[str], limit: int) -> list[tuple[ApprovalStep, Request]]:
    """The newest `limit` open steps that are the person's to decide: assigned to them, or of a role
    they hold and assigned to no one; read through indexes."""
    mine = ApprovalStep.assignee == delegator
    theirs = or_(mine, and_(ApprovalStep.assignee.is_(None), ApprovalStep.role.in_(roles))) if roles else mine
    query = (
        select(ApprovalStep, Request)
        .join(Request, Request.id == ApprovalStep.request_id)
        .where(ApprovalStep.status.in_(repo.OPEN_STEP), theirs)
        .order_by(ApprovalStep.activated_at.desc(), ApprovalStep.id.desc())
        .limit(limit)
    )
    return [(row[0], row[1]) for row in session.execute(query)]


def asked(session: Session, person: str, since: datetime, actions: tuple[str, ...]) -> AuditEvent | None:
    """The person's newest audit event of these actions since `since` (read through the action
    index): whether a question "until when?" still waits for its answer."""
    query = (
        select(AuditEvent)
        .where(AuditEvent.action.in_(actions), AuditEvent.at >= since, AuditEvent.actor == person)
        .order_by(AuditEvent.id.desc())
        .limit(1)
    )
    return session.scalars(query).first()
