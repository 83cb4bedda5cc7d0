"""Who holds an approval step: its `assignee` moves by compare-and-set, as its status does, so of
two people taking one step at once (or a reassignment racing a pick-up) exactly one wins."""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import Table, bindparam, select, update
from sqlalchemy.orm.attributes import set_committed_value

from bot.store.models import ApprovalStep, ReminderSent
from bot.store.repo import Session, core
from bot.store.status import OPEN_STEP

_STEPS = cast(Table, ApprovalStep.__table__)
_OPEN = _STEPS.c.status.in_([str(s) for s in OPEN_STEP])
_FROM_NOBODY = update(_STEPS).where(_STEPS.c.id == bindparam("step_id"), _OPEN, _STEPS.c.assignee.is_(None))
_FROM_SOMEONE = update(_STEPS).where(
    _STEPS.c.id == bindparam("step_id"), _OPEN, _STEPS.c.assignee == bindparam("from_assignee")
)


def move_assignee(session: Session, step_id: int, from_assignee: str | None, to: str) -> bool:
    """Give an open step to `to` if it is still held by `from_assignee` (None: nobody, a role's
    step); True only for the one caller whose update applied."""
    if from_assignee is None:
        result = core(session).execute(_FROM_NOBODY.values(assignee=to), {"step_id": step_id})
    else:
        result = core(session).execute(
            _FROM_SOMEONE.values(assignee=to), {"step_id": step_id, "from_assignee": from_assignee}
        )
    changed = bool(result.rowcount)
    loaded: Any = session.identity_map.get(session.identity_key(ApprovalStep, step_id)) if changed else None
    if loaded is not None:
        set_committed_value(loaded, "assignee", to)
    return changed


def rung_sent(session: Session, step_id: int, rung: int) -> bool:
    """Whether a rung of the ladder went out for a step."""
    query = select(ReminderSent.id).where(ReminderSent.step_id == step_id, ReminderSent.rung == rung).limit(1)
    return core(session).execute(query).first() is not None
