"""News from the backend: a verified status callback updates the request and tells the requester."""

from __future__ import annotations

from bot.core.events import BackendNews, Place
from bot.core.replies import Outgoing
from bot.core.turn import Turn
from bot.store import repo
from bot.store.models import Request


def backend_news(turn: Turn, news: BackendNews) -> None:
    """A verified status callback from the backend: record it and tell the requester."""
    request = repo.request_by_backend_id(turn.session, news.backend_id)
    if request is None and news.reference:
        request = repo.request_by_ref(turn.session, news.reference)
    if request is None:
        return
    request.backend_status, request.updated_at = news.status, turn.now
    if news.status in ("in_progress", "fulfilled", "failed"):
        request.status = news.status
        _close_open_steps(turn, request, news.status)
    repo.audit(turn.session, turn.now, "backend", f"backend_{news.status}", request=request.ref,
               detail={"reason": news.reason, "event_id": news.event_id})  # fmt: skip
    words = {"in_progress": "is now in progress", "fulfilled": "has been fulfilled",
             "failed": "could not be fulfilled"}  # fmt: skip
    if news.status in words:
        reason = f" Reason: {news.reason}" if news.reason else ""
        text = f"Update on {request.ref}: it {words[news.status]}.{reason}"
        place = Place.from_dict(request.source) if request.source else None
        turn.send(Outgoing("notice", request.requester, text, request.ref, place=place))


def _close_open_steps(turn: Turn, request: Request, status: str) -> None:
    """The backend has taken the request out of approval: steps still waiting are cancelled, and the
    cards of those that were open lose their buttons."""
    from bot.core.approvals import update_step_card

    for step in repo.steps_of(turn.session, request.id):
        if step.status not in (*repo.OPEN_STEP, "pending"):
            continue
        was_open = step.status in repo.OPEN_STEP
        moved = repo.move_step(turn.session, step.id, (*repo.OPEN_STEP, "pending"), status="cancelled",
                               next_due_at=None)  # fmt: skip
        if moved and was_open:
            label = status.replace("_", " ")
            update_step_card(turn, request, step, f"Closed: the service team reports the request {label}.")
