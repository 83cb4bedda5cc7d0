"""News from the backend: a verified status callback updates the request and tells the requester."""

from __future__ import annotations

from bot.core.events import BackendNews, Place
from bot.core.replies import Outgoing
from bot.core.turn import Turn
from bot.store import repo


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
    repo.audit(turn.session, turn.now, "backend", f"backend_{news.status}", request=request.ref,
               detail={"reason": news.reason, "event_id": news.event_id})  # fmt: skip
    words = {"in_progress": "is now in progress", "fulfilled": "has been fulfilled",
             "failed": "could not be fulfilled"}  # fmt: skip
    if news.status in words:
        reason = f" Reason: {news.reason}" if news.reason else ""
        text = f"Update on {request.ref}: it {words[news.status]}.{reason}"
        place = Place.from_dict(request.source) if request.source else None
        turn.send(Outgoing("notice", request.requester, text, request.ref, place=place))
