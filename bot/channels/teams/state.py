"""Cards as they are now, read from the store: what a refreshing card or a repeated click shows.

Read-only: the engine's own card builders, applied to the stored request and step.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from bot.core import approvals
from bot.core.replies import Card, Outgoing
from bot.core.turn import Turn
from bot.store import repo
from bot.store.models import OutboxMessage


def step_card(app: Any, ref: str, seq: Any) -> tuple[Card, str] | None:
    """The approval card of a step as it is now, and where it was sent."""
    try:
        number = int(seq)
    except (TypeError, ValueError):
        return None
    with app.db.transaction() as session:
        request = repo.request_by_ref(session, ref)
        step = repo.step_of(session, request.id, number) if request is not None else None
        if request is None or step is None:
            return None
        turn = Turn(session=session, now=app.clock.now(), services=app.services)
        is_open = step.status in repo.OPEN_STEP
        status = None if is_open else _status(turn, step)
        card = approvals.approval_card_for(turn, request, step, status, is_open)
        return card, approvals.step_address(turn, step)


def _status(turn: Turn, step: Any) -> str:
    if step.status in ("approved", "rejected"):
        return approvals.decided_status(turn, step)
    return f"This step is {str(step.status).replace('_', ' ')}."


def closed_card(app: Any, draft: int, status: str) -> Card | None:
    """The review card of a draft that was submitted or cancelled: its facts, the outcome, no buttons."""
    with app.db.transaction() as session:
        query = (
            select(OutboxMessage.payload)
            .where(OutboxMessage.topic == "chat", OutboxMessage.key == f"draft:{draft}")
            .order_by(OutboxMessage.id.desc())
            .limit(1)
        )
        payload = session.scalars(query).first()
    card = Outgoing.from_dict(dict(payload)).card if payload else None
    if card is None:
        return None
    return Card(card.title, card.fields, (), status, (), card.kind)
