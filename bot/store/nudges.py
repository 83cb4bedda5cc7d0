"""The sweep's statements for unfinished forms: the drafts that may be due a nudge, and the one
nudge of each recorded by compare-and-set.

Candidates are read through a partial index of the drafts not nudged yet (`ix_drafts_not_nudged`,
by last activity) and locked with SKIP LOCKED on PostgreSQL, so overlapping sweeps and replicas
share them. A nudge is recorded by setting `nudged_at` only while it is empty and the draft's last
activity is still the one the nudge was decided on, in the transaction that queues the message:
a crash before commit sends nothing, two sweeps never both send, and a person who wrote meanwhile
is not nudged. When the engine decides whom to nudge and what to say is `bot.core.nudge`.
"""

from __future__ import annotations

from datetime import datetime
from typing import cast

from sqlalchemy import Table, bindparam, select, update
from sqlalchemy.orm import Session

from bot.store import repo
from bot.store.models import Draft

DRAFTS = cast(Table, Draft.__table__)
_MARK = (
    update(DRAFTS)
    .where(
        DRAFTS.c.id == bindparam("draft_id"),
        DRAFTS.c.nudged_at.is_(None),
        DRAFTS.c.updated_at == bindparam("seen"),
    )
    .values(nudged_at=bindparam("now"))
)


def candidates(session: Session, since: datetime, oldest: datetime, limit: int, *, skip_locked: bool) -> list[Draft]:
    """Open forms (a type chosen, no approver's question waiting) not nudged yet whose last
    activity is at or before `since` and not before `oldest`, the longest quiet first."""
    query = (
        select(Draft)
        .where(
            Draft.nudged_at.is_(None),
            Draft.updated_at <= since,
            Draft.updated_at >= oldest,
            Draft.type_id.is_not(None),
            Draft.info_request.is_(None),
        )
        .order_by(Draft.updated_at, Draft.id)
        .limit(limit)
    )
    if skip_locked:
        query = query.with_for_update(skip_locked=True)
    return list(session.scalars(query))


def mark(session: Session, draft: Draft, now: datetime) -> bool:
    """Record the draft's nudge at `now`; False when it was nudged already or its person wrote
    since it was read (then nothing may be sent)."""
    result = repo.core(session).execute(_MARK, {"draft_id": draft.id, "seen": draft.updated_at, "now": now})
    return bool(result.rowcount == 1)
