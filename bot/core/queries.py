"""Answers that read the store: the status of requests, the approvals waiting for someone."""

from __future__ import annotations

from bot.core import approvals
from bot.core import messages as say
from bot.core.events import Message
from bot.core.replies import Outgoing
from bot.core.turn import Turn
from bot.store import repo
from bot.store.models import Request


def _current_step_text(turn: Turn, request: Request) -> str:
    steps = repo.steps_of(turn.session, request.id)
    step = next((s for s in steps if s.status in repo.OPEN_STEP), None)
    if step is None:
        return ""
    waiting = turn.now - (step.activated_at or request.created_at)
    who = (
        turn.services.directory.name(step.assignee) if step.assignee else turn.services.directory.role_label(step.role)
    )
    state = "asked for more information" if step.status == "info_requested" else "waiting"
    return f", step {step.seq} with {who} ({state} {say.duration(waiting)})"


def request_line(turn: Turn, request: Request) -> str:
    spec = turn.services.catalog.get(request.type_id)
    status = approvals.STATUS_WORDS.get(request.status, request.status)
    return f"{request.ref} · {spec.title} · {status}{_current_step_text(turn, request)}"


def _visible(turn: Turn, request: Request, person: str) -> bool:
    if request.requester == person:
        return True
    return any(
        approvals.may_decide(turn, request, step, person) is None or step.decided_by == person
        for step in repo.steps_of(turn.session, request.id)
    )


def status_text(turn: Turn, person: str, ref: object) -> str:
    """One request's status (if `person` may see it), or their latest requests."""
    if isinstance(ref, str) and ref:
        request = repo.request_by_ref(turn.session, ref)
        if request is None or not _visible(turn, request, person):
            return f"I can't find {ref.upper()} among your requests."
        return request_line(turn, request)
    requests = repo.requests_of(turn.session, person)
    if not requests:
        return say.NO_REQUESTS
    return "Your latest requests:\n" + say.bullet(request_line(turn, r) for r in requests)


def list_approvals(turn: Turn, msg: Message) -> None:
    """List the steps `person` may decide now, and show each card again with its buttons."""
    waiting = [
        (step, request)
        for step, request in repo.open_steps(turn.session)
        if approvals.may_decide(turn, request, step, msg.person) is None
    ]
    if not waiting:
        turn.send(Outgoing("reply", msg.person, say.NO_APPROVALS, place=msg.place))
        return
    lines = [request_line(turn, request) for _step, request in waiting]
    turn.send(
        Outgoing(
            "reply", msg.person, f"Waiting for your approval ({len(waiting)}):\n" + say.bullet(lines), place=msg.place
        )
    )
    for step, request in waiting[:10]:
        approvals.post_step_card(turn, request, step, msg.person)
