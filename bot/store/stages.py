"""The stages of a request's approval: which of its steps are decided together (an `all_of` or
`any: N` policy step is one row per decision it needs, all open at once), and the lock that
makes a decision on one of them see the others as they are.

Which stage each step belongs to is fixed at submission and written in the request's `submitted`
audit event (`stages`: the stage of each step, by seq), as immutable as the policy it records.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, select

from bot.store.models import ApprovalStep, AuditEvent, Request
from bot.store.repo import Session

_LOCK = select(Request.id).where(Request.id == bindparam("request_id")).with_for_update()
_FRESH = (
    select(ApprovalStep)
    .where(ApprovalStep.request_id == bindparam("request_id"))
    .order_by(ApprovalStep.seq)
    .execution_options(populate_existing=True)
)
_SUBMITTED = (
    select(AuditEvent.detail)
    .where(AuditEvent.request_ref == bindparam("ref"), AuditEvent.action == "submitted")
    .order_by(AuditEvent.id)
    .limit(1)
)


def lock_request(session: Session, request_id: int) -> None:
    """Hold the request's row until the transaction ends (PostgreSQL; a SQLite transaction holds
    the whole file already): decisions on steps of one stage take their turns, and each reads
    what the one before it left."""
    session.execute(_LOCK, {"request_id": request_id})


def fresh_steps(session: Session, request_id: int) -> list[ApprovalStep]:
    """The request's steps as the database has them now (loaded ones are overwritten)."""
    return list(session.scalars(_FRESH, {"request_id": request_id}))


def submitted_stages(session: Session, ref: str) -> list[int] | None:
    """The stage of each step (by seq, from 1) as submission recorded it; None when it did not
    (every step is then its own stage)."""
    detail: Any = session.scalars(_SUBMITTED, {"ref": ref}).first()
    found = detail.get("stages") if isinstance(detail, dict) else None
    return [int(n) for n in found] if isinstance(found, list) else None
