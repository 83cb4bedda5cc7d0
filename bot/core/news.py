"""News from the backend: a verified status callback updates the request and tells the requester."""

from __future__ import annotations

from bot.core import messages as say
from bot.core.approvals import approvers_language, update_step_card
from bot.core.events import BackendNews, Place
from bot.core.replies import Outgoing
from bot.core.turn import Turn
from bot.core.withdraw import close_confirmation
from bot.insight import facts
from bot.store import repo
from bot.store.models import Request
from bot.store.status import BackendStatus, RequestStatus, StepStatus

STATUSES = tuple(BackendStatus)
"""What a backend may report (backend_client/openapi.yaml); anything else is refused (400)."""
CLOSED = (BackendStatus.FULFILLED, BackendStatus.REJECTED, BackendStatus.CANCELLED)
"""A request in one of these has no way back: later news of it is refused."""
BEFORE_APPROVAL = (RequestStatus.PENDING_APPROVAL,)


class NewsRefused(ValueError):
    """An authentic callback that this request cannot take (refused with 409, nothing changed)."""


def backend_news(turn: Turn, news: BackendNews) -> None:
    """A verified status callback from the backend: record it and tell the requester. The news is
    matched by the backend's own id (by our reference only while we have not yet heard that id),
    and must be a move the request's life allows: nothing moves a request out of fulfilled,
    rejected or cancelled, and only a failure can come before the approvals are done."""
    request = repo.request_by_backend_id(turn.session, news.backend_id)
    if request is None and news.reference:
        request = repo.request_by_ref(turn.session, news.reference)
        if request is not None and request.backend_id not in (None, news.backend_id):
            raise NewsRefused(f"{news.reference} is {request.backend_id} at the backend, not {news.backend_id}")
    if request is None:
        return
    if request.status in (RequestStatus.CANCELLED, RequestStatus.EXPIRED) and news.status == BackendStatus.CANCELLED:
        return _cancel_confirmed(turn, request, news)  # our own withdrawal (or expiry), done at the backend
    if request.status in CLOSED:
        raise NewsRefused(f"{request.ref} is {request.status}; it cannot become {news.status}")
    if request.status in BEFORE_APPROVAL and news.status in (BackendStatus.IN_PROGRESS, BackendStatus.FULFILLED):
        raise NewsRefused(f"{request.ref} is still waiting for approval; it cannot be {news.status} yet")
    if request.backend_id is None:
        request.backend_id = news.backend_id
    request.backend_status, request.updated_at = news.status, turn.now
    if news.status in (
        BackendStatus.IN_PROGRESS,
        BackendStatus.FULFILLED,
        BackendStatus.FAILED,
        BackendStatus.CANCELLED,
    ):
        request.status = news.status
        _close_open_steps(turn, request, news.status)
    if news.status == BackendStatus.CANCELLED:  # its Withdraw button has nothing left to do
        with turn.speaking_to(request.requester):
            close_confirmation(turn, request, say.CANCELLED_AT.format(when=turn.when(turn.now)))
    repo.audit(
        turn.session,
        turn.now,
        "backend",
        f"backend_{news.status}",
        request=request.ref,
        detail={"reason": news.reason, "event_id": news.event_id},
    )
    facts.note_backend(request, f"backend_{news.status}", turn.now, turn.services.deadlines)
    update = {
        "in_progress": say.NEWS_IN_PROGRESS,
        "fulfilled": say.NEWS_FULFILLED,
        "failed": say.NEWS_FAILED,
        "cancelled": say.NEWS_CANCELLED,
    }.get(news.status)
    if update is not None:
        with turn.speaking_to(request.requester):
            reason = say.REASON.format(reason=news.reason) if news.reason else ""
            text = update.format(ref=request.ref, reason=reason)
            if news.status == BackendStatus.CANCELLED and _withdrawal_asked(turn, request):
                team = turn.services.catalog.get(request.type_id).team or str(say.SERVICE_TEAM)
                text = say.WITHDRAW_CONFIRMED.format(ref=request.ref, team=team)
            place = Place.from_dict(request.source) if request.source else None
            turn.send(Outgoing.notice(request.requester, text, request.ref, place=place))


def _close_open_steps(turn: Turn, request: Request, status: str) -> None:
    """The backend has taken the request out of approval: steps still waiting are cancelled, and the
    cards of those that were open lose their buttons."""
    for step in repo.steps_of(turn.session, request.id):
        if step.status not in (*repo.OPEN_STEP, "pending"):
            continue
        was_open = step.status in repo.OPEN_STEP
        moved = repo.move_step(
            turn.session, step.id, (*repo.OPEN_STEP, StepStatus.PENDING), status=StepStatus.CANCELLED, next_due_at=None
        )
        if moved and was_open:
            with approvers_language(turn, step):
                shown = say.NEWS_STEP_CLOSED.format(status=say.status(status))
                update_step_card(turn, request, step, shown)


def _withdrawal_asked(turn: Turn, request: Request) -> bool:
    """Whether the requester asked for this request to be withdrawn (and the backend is answering)."""
    return any(e.action == "withdraw_requested" for e in repo.audit_trail(turn.session, request.ref))


def _cancel_confirmed(turn: Turn, request: Request, news: BackendNews) -> None:
    """The backend reports cancelled a request already withdrawn (or expired) here: recorded, nobody
    told again."""
    if request.backend_id is None:
        request.backend_id = news.backend_id
    request.backend_status, request.updated_at = news.status, turn.now
    repo.audit(
        turn.session,
        turn.now,
        "backend",
        "backend_cancelled",
        request=request.ref,
        detail={"reason": news.reason, "event_id": news.event_id},
    )
