"""Expiry: a request whose approval step waits past its type's `expiry` is closed as expired.

The SLA sweep (`bot.core.sweep`) finds the open steps that have waited long enough (counted in
business days of the step's SLA calendar, the catalog's `expiry`, 10 by default) and closes each
request here, once: the step is moved by compare-and-set (a decision or a withdrawal racing the
expiry: exactly one of them moves it), the request becomes `expired`, the approvers' cards lose
their buttons and say so, the approvers are told, the backend is told through the outbox (the
cancel a withdrawal sends), and the requester hears of it with a one-click Resubmit, which opens a
new form filled from the expired request (`pressed`).
"""

from __future__ import annotations

from datetime import datetime

from bot.core import approvals, conversation
from bot.core import messages as say
from bot.core.events import Action, ActionName, Message
from bot.core.replies import Button, Card, Outgoing, OutKind
from bot.core.turn import Turn
from bot.core.withdraw import close_confirmation, forget_question
from bot.store import repo
from bot.store.models import ApprovalStep, Request
from bot.store.status import RequestStatus, StepStatus
from reminders.business_time import BusinessCalendar

RESUBMITTABLE = (RequestStatus.EXPIRED, RequestStatus.REJECTED)
"""What the Resubmit button may send again."""


def expires_at(calendar: BusinessCalendar, since: datetime, days: int) -> datetime:
    """When a step activated at `since` expires: after `days` full business days of its calendar."""
    hours = calendar.hours
    per_day = (datetime.combine(since.date(), hours.end) - datetime.combine(since.date(), hours.start)).seconds / 3600
    return calendar.add(since, days * per_day)


def card_key(ref: str) -> str:
    """The card key of the requester's notice that `ref` expired (its Resubmit button)."""
    return f"expired:{ref}"


def expire(turn: Turn, request: Request, step: ApprovalStep, days: int) -> bool:
    """Close `request` as expired, its open `step` having waited `days` business days; False (and
    nothing changed) when a decision or a withdrawal moved the step first."""
    if request.status != RequestStatus.PENDING_APPROVAL:
        return False
    if not repo.move_step(
        turn.session, step.id, repo.OPEN_STEP, status=StepStatus.CANCELLED, next_due_at=None, next_rung=None
    ):
        return False
    for other in repo.steps_of(turn.session, request.id):
        if other.status == StepStatus.PENDING:
            repo.move_step(turn.session, other.id, (StepStatus.PENDING,), status=StepStatus.CANCELLED)
        elif other.status in repo.OPEN_STEP and other.id != step.id:  # decided with others (bot/core/stages.py)
            repo.move_step(turn.session, other.id, repo.OPEN_STEP, status=StepStatus.CANCELLED, next_due_at=None)
            with approvals.approvers_language(turn, other):
                status = say.EXPIRED_CARD.format(when=turn.when(turn.now), days=days)
                approvals.update_step_card(turn, request, other, status)
    directory = turn.services.directory
    spec = turn.services.catalog.get(request.type_id)
    request.status, request.updated_at = RequestStatus.EXPIRED, turn.now
    reason = f"expired: no decision within {days} business days"
    repo.audit(
        turn.session,
        turn.now,
        "scheduler",
        "expired",
        request=request.ref,
        step=step.seq,
        detail={"step": step.seq, "days": days, "since": step.activated_at.isoformat() if step.activated_at else None},
        source=turn.source,
    )
    with approvals.approvers_language(turn, step):
        status = say.EXPIRED_CARD.format(when=turn.when(turn.now), days=days)
        approvals.update_step_card(turn, request, step, status)
    address = approvals.step_address(turn, step)
    turn.notify(address, say.EXPIRED_APPROVER, ref=request.ref, title=spec.title, days=days)
    if step.status == StepStatus.INFO_REQUESTED or step.info_question:
        forget_question(turn, request)
    turn.tell_backend(request.ref, f"{request.ref}:cancel", {"op": "cancel", "ref": request.ref, "reason": reason})
    with turn.speaking_to(request.requester):
        close_confirmation(turn, request, say.EXPIRED_CONFIRMATION.format(when=turn.when(turn.now)))
        waiting = directory.role_label(step.role) if address.startswith("#") else directory.name(address)
        text = say.EXPIRED.format(ref=request.ref, title=spec.title, days=days, waiting=waiting)
        button = Button(ActionName.RESUBMIT, say.BUTTON_RESUBMIT, "primary", {"request": request.ref})
        title = f"{request.ref} · {spec.title}"
        card = Card(title=title, fields={}, buttons=(button,), status=say.EXPIRED_STATUS, kind="info")
        turn.send(Outgoing.new_card(request.requester, text, card, card_key(request.ref), request.ref))
    return True


def pressed(turn: Turn, action: Action) -> None:
    """The Resubmit button on the requester's notice: a new form filled from the request."""
    request = repo.request_by_ref(turn.session, action.request or "") if action.request else None
    if request is None:
        text = say.NO_SUCH_REQUEST.format(ref=action.request) if action.request else say.NO_BUTTON_REQUEST
        return _tell(turn, action, text, None, OutKind.ERROR)
    if request.requester != action.person:
        return _tell(turn, action, say.NOT_YOURS_TO_RESUBMIT.format(ref=request.ref), request.ref, OutKind.ERROR)
    if request.status not in RESUBMITTABLE:
        status = say.status(request.status)
        return _tell(turn, action, say.NOT_EXPIRED.format(ref=request.ref, status=status), request.ref, OutKind.ERROR)
    repo.audit(
        turn.session,
        turn.now,
        action.person,
        "resubmit_started",
        request=request.ref,
        detail={"change": False, "button": True},
        source=turn.source,
    )
    message = Message(action.person, action.place, "", action.event_id)  # a press says nothing to apply
    draft = repo.get_draft(turn.session, action.person, action.place.key)
    conversation.start_again(turn, message, draft, request, "")


def _tell(turn: Turn, action: Action, text: str, ref: str | None, kind: OutKind = OutKind.REPLY) -> None:
    turn.send(Outgoing(kind, action.person, text, ref, place=action.place))
