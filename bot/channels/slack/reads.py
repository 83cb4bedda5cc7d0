"""What the Slack adapter reads from the store, in a worker thread: App Home content, open drafts."""

from __future__ import annotations

from typing import Any

from bot.core import approvals, queries
from bot.core.replies import Card
from bot.core.turn import Turn
from bot.store import repo
from bot.store.models import Draft

HOME_ITEMS = 10


def home_content(app: Any, person: str) -> tuple[list[str], list[tuple[str, Card]]]:
    """A person's latest requests (status, current step, waiting time) and the steps they may decide
    now, each with its approval card."""
    with app.db.transaction() as session:
        turn = Turn(session=session, now=app.clock.now(), services=app.services)
        mine = [queries.request_line(turn, r) for r in repo.requests_of(session, person, limit=HOME_ITEMS)]
        waiting = [
            (queries.request_line(turn, request), approvals.approval_card_for(turn, request, step))
            for step, request in repo.open_steps(session)
            if approvals.may_decide(turn, request, step, person) is None
        ]
    return mine, waiting


def may_decide_now(app: Any, person: str, ref: object, seq: object, asking_info: bool) -> bool:
    """Whether the engine would take a decision on that step from `person` now. Asked before the
    reason form opens: a click that will be refused needs no reason, the engine refuses it at once.
    The engine checks again when the decision arrives; this only spares a pointless form."""
    with app.db.transaction() as session:
        request = repo.request_by_ref(session, ref) if isinstance(ref, str) and ref else None
        if request is None:
            return False
        turn = Turn(session=session, now=app.clock.now(), services=app.services)
        step = approvals.target_step(turn, request, seq if isinstance(seq, int) else None)
        if step is None or step.status not in (("active",) if asking_info else repo.OPEN_STEP):
            return False
        return approvals.may_decide(turn, request, step, person) is None


def has_draft(app: Any, person: str, place_key: str) -> bool:
    """Whether the person has a conversation open in that place (a draft, or a question to answer)."""
    with app.db.transaction() as session:
        return repo.get_draft(session, person, place_key) is not None


def field_choices(app: Any, person: str, draft_id: object, field: str) -> list[tuple[str, str]]:
    """The choices of one field of a person's own draft (for a menu searched as they type)."""
    with app.db.transaction() as session:
        draft = session.get(Draft, draft_id) if isinstance(draft_id, int) else None
        if draft is None or draft.person != person or not draft.type_id:
            return []
        spec = app.services.catalog.get(draft.type_id)
    return [(c.id, c.display) for c in spec.field(field).choices] if field in spec.field_names else []
