"""Withdrawing a submitted request: the requester takes it back before it is fulfilled.

While it waits for approval it is withdrawn at once: its open and pending steps are cancelled by
compare-and-set (a decision racing the withdrawal: exactly one of them moves the step), the
approval cards lose their buttons and say so, the approvers are told, and the backend is told
through the outbox (a cancel, delivered once even if the backend is down now). Once it is past
approval the backend decides: it is asked to cancel, and may refuse because work has started;
the requester hears its answer either way (`bot.backend_link` and `bot.core.news`).
"""

from __future__ import annotations

from bot.core import approvals, stages
from bot.core import messages as say
from bot.core.cards import request_card, request_card_key
from bot.core.events import Action, Place
from bot.core.replies import Outgoing, OutKind
from bot.core.turn import Turn
from bot.store import repo
from bot.store import stages as stored_stages
from bot.store.models import ApprovalStep, Request
from bot.store.status import BackendStatus, RequestStatus, StepStatus

FINAL = (RequestStatus.REJECTED, RequestStatus.CANCELLED, BackendStatus.FULFILLED, BackendStatus.FAILED)
"""A request in one of these has nothing left to withdraw."""
STARTED = (BackendStatus.IN_PROGRESS,)
"""The service team has started work: the backend refuses a cancel."""
RACE_ROUNDS = 4
"""How many times a withdrawal reads the request again after a decision moved its open step first
(an approval opens the next step, which is then withdrawn; a last approval or a rejection ends it)."""
CANCEL_REASON = "withdrawn by the requester"


def pressed(turn: Turn, action: Action) -> None:
    """The Withdraw button on the requester's confirmation."""
    request = repo.request_by_ref(turn.session, action.request or "") if action.request else None
    if request is None:  # never "I can't find request None"
        text = say.NO_SUCH_REQUEST.format(ref=action.request) if action.request else say.NO_BUTTON_REQUEST
        return _tell(turn, action.person, action.place, text, None, OutKind.ERROR)
    withdraw(turn, action.person, action.place, request)


def withdraw(turn: Turn, person: str, place: Place | None, request: Request) -> None:
    """Withdraw `request` for `person`, who must be its requester; every outcome is told."""
    if request.requester != person:
        repo.audit(
            turn.session,
            turn.now,
            person,
            "refused",
            request=request.ref,
            detail={"action": "withdraw", "reason": "not the requester"},
            source=turn.source,
        )
        return _tell(turn, person, place, say.NOT_YOUR_REQUEST.format(ref=request.ref), request.ref, OutKind.ERROR)
    spec = turn.services.catalog.get(request.type_id)
    team = spec.team or str(say.SERVICE_TEAM)
    for _ in range(RACE_ROUNDS):
        status = str(request.status)
        if status in FINAL or request.backend_status in (BackendStatus.FULFILLED, BackendStatus.CANCELLED):
            shown = say.status(status)
            return _tell(turn, person, place, say.WITHDRAW_FINAL.format(ref=request.ref, status=shown), request.ref)
        if status in STARTED or request.backend_status in STARTED:
            text = say.WITHDRAW_STARTED.format(ref=request.ref, team=team, contact=_contact(turn, request))
            return _tell(turn, person, place, text.strip(), request.ref)
        if status != RequestStatus.PENDING_APPROVAL:  # past approval: the service team's system decides
            return _ask_backend(turn, person, place, request, team)
        cancelled = _cancel_steps(turn, request)
        if cancelled is not None:
            return _withdrawn(turn, person, place, request, cancelled)
        turn.session.refresh(request)  # a decision moved the open step first: read what it left
    _tell(turn, person, place, say.NO_SUCH_REQUEST.format(ref=request.ref), request.ref, OutKind.ERROR)


def _cancel_steps(turn: Turn, request: Request) -> list[ApprovalStep] | None:
    """Cancel the request's open and pending steps; the open ones it cancelled, or None when a
    decision took an open step first (nothing was changed then)."""
    if stages.grouped(turn, request):  # steps decided together: their decisions wait for this
        stored_stages.lock_request(turn.session, request.id)
    steps = repo.steps_of(turn.session, request.id)
    for step in steps:
        turn.session.refresh(step)
    opened = [s for s in steps if s.status in repo.OPEN_STEP]
    if not opened:  # a decision closed the open step after the request was read: read it again
        return None
    for step in opened:
        if not repo.move_step(
            turn.session, step.id, repo.OPEN_STEP, status=StepStatus.CANCELLED, next_due_at=None, next_rung=None
        ):
            return None  # only one step is open at a time: nothing else was moved
    for step in steps:
        if step.status == StepStatus.PENDING:
            repo.move_step(turn.session, step.id, (StepStatus.PENDING,), status=StepStatus.CANCELLED)
    return opened


def _withdrawn(turn: Turn, person: str, place: Place | None, request: Request, opened: list[ApprovalStep]) -> None:
    directory = turn.services.directory
    spec = turn.services.catalog.get(request.type_id)
    name = directory.name(person)
    request.status, request.updated_at = RequestStatus.CANCELLED, turn.now
    repo.audit(
        turn.session,
        turn.now,
        person,
        "withdrawn",
        request=request.ref,
        detail={"steps": [s.seq for s in opened], "reason": CANCEL_REASON},
        source=turn.source,
    )
    told = []
    for step in opened:
        with approvals.approvers_language(turn, step):
            status = say.WITHDRAWN_CARD.format(name=name, when=turn.when(turn.now))
            approvals.update_step_card(turn, request, step, status)
        address = approvals.step_address(turn, step)
        turn.notify(address, say.WITHDRAWN_APPROVER, request.ref, name=name, ref=request.ref, title=spec.title)
        told.append(directory.role_label(step.role) if address.startswith("#") else directory.name(address))
        if step.status == StepStatus.INFO_REQUESTED or step.info_question:
            forget_question(turn, request)
    turn.tell_backend(
        request.ref, f"{request.ref}:cancel", {"op": "cancel", "ref": request.ref, "reason": CANCEL_REASON}
    )
    with turn.speaking_to(request.requester):
        close_confirmation(turn, request, say.WITHDRAWN_AT.format(when=turn.when(turn.now)))
    text = say.WITHDRAWN.format(ref=request.ref, title=spec.title)
    if told:
        text += say.WITHDRAWN_TOLD.format(who=say.listed(told))
    _tell(turn, person, place, text, request.ref)


def _ask_backend(turn: Turn, person: str, place: Place | None, request: Request, team: str) -> None:
    """A request past approval: ask the backend to cancel it; its answer is told when it comes."""
    repo.audit(
        turn.session,
        turn.now,
        person,
        "withdraw_requested",
        request=request.ref,
        detail={"status": request.status, "reason": CANCEL_REASON},
        source=turn.source,
    )
    turn.tell_backend(
        request.ref, f"{request.ref}:cancel", {"op": "cancel", "ref": request.ref, "reason": CANCEL_REASON}
    )
    _tell(turn, person, place, say.WITHDRAW_ASKED.format(ref=request.ref, team=team), request.ref)


def forget_question(turn: Turn, request: Request) -> None:
    """An approver's question to the requester waits no longer: their next message is read as usual."""
    source = request.source or {}
    place_key = f"{source.get('channel')}:{source.get('conversation')}:{source.get('thread') or ''}"
    draft = repo.get_draft(turn.session, request.requester, place_key)
    if draft is None or not (draft.info_request or "").startswith(f"{request.ref}:"):
        return
    draft.info_request = None
    if draft.type_id is None and not (draft.place_info or {}).get("notes"):
        repo.drop_draft(turn.session, draft)


def close_confirmation(turn: Turn, request: Request, status: str) -> None:
    """Take the Withdraw button off the requester's confirmation, saying what became of it
    (`status`, composed in the requester's language: `turn.speaking_to(request.requester)`)."""
    spec = turn.services.catalog.get(request.type_id)
    with turn.speaking_to(request.requester):
        card = request_card(request.ref, spec.title, status, withdrawable=False)
    turn.send(Outgoing.card_changed(request.requester, status, card, request_card_key(request.ref), request.ref))


def _contact(turn: Turn, request: Request) -> str:
    spec = turn.services.catalog.get(request.type_id)
    return say.contact_line(spec.team or str(say.SERVICE_TEAM), spec.contact)


def _tell(
    turn: Turn, person: str, place: Place | None, text: str, ref: str | None, kind: OutKind = OutKind.REPLY
) -> None:
    turn.send(Outgoing(kind, person, text, ref, place=place))
