"""Answers that read the store: the status of requests, the approvals waiting for someone, and
what channels ask before they draw something (App Home, a card as it now is, a menu's choices).

Each function takes the `Turn` of one transaction; `Engine.ask` opens it, and the App runs that
off the event loop for the channels (see `bot.channels.base.Host`).
"""

from __future__ import annotations

from typing import Any, NamedTuple

from bot.core import approvals, delegation
from bot.core import messages as say
from bot.core.events import DRAFT_ACTIONS, ActionName, Message
from bot.core.replies import Card, Outgoing
from bot.core.turn import Turn
from bot.store import repo
from bot.store.models import ApprovalStep, Draft, Request
from bot.store.status import StepStatus

HOME_ITEMS = 10
"""How many of a person's latest requests their App Home lists."""


def _current_step_text(turn: Turn, request: Request) -> str:
    steps = repo.steps_of(turn.session, request.id)
    step = next((s for s in steps if s.status in repo.OPEN_STEP), None)
    if step is None:
        return ""
    waiting = turn.now - (step.activated_at or request.created_at)
    who = (
        turn.services.directory.name(step.assignee) if step.assignee else turn.services.directory.role_label(step.role)
    )
    line = say.STEP_WITH_ASKED if step.status == StepStatus.INFO_REQUESTED else say.STEP_WITH
    return line.format(seq=step.seq, who=who, waited=say.duration(waiting))


def request_line(turn: Turn, request: Request) -> str:
    spec = turn.services.catalog.get(request.type_id)
    status = say.status(request.status)
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
            return say.NOT_AMONG_YOURS.format(ref=ref.upper())
        return request_line(turn, request)
    requests = repo.requests_of(turn.session, person)
    if not requests:
        return say.NO_REQUESTS
    return say.LATEST_REQUESTS.format(lines=say.bullet(request_line(turn, r) for r in requests))


def list_approvals(turn: Turn, msg: Message) -> None:
    """List the steps `person` may decide now, and show each card again with its buttons."""
    waiting = [
        (step, request)
        for step, request in repo.open_steps(turn.session)
        if approvals.may_decide(turn, request, step, msg.person) is None
    ]
    if not waiting:
        turn.send(Outgoing.reply(msg.person, say.NO_APPROVALS, place=msg.place))
        return
    lines = [request_line(turn, request) for _step, request in waiting]
    turn.send(
        Outgoing.reply(
            msg.person, say.WAITING_FOR_YOU.format(count=len(waiting), lines=say.bullet(lines)), place=msg.place
        )
    )
    for step, request in waiting[:10]:
        approvals.post_step_card(turn, request, step, msg.person)


class Home(NamedTuple):
    """What a person's App Home shows: their latest requests (status, current step, waiting
    time), the steps they may decide now, each with its approval card, and their running
    delegation with End."""

    requests: list[str]
    waiting: list[tuple[str, Card]]
    delegation: Card | None = None
    """The person's running delegation, with End."""


def home(turn: Turn, person: str) -> Home:
    mine = [request_line(turn, r) for r in repo.requests_of(turn.session, person, limit=HOME_ITEMS)]
    waiting = [
        (request_line(turn, request), approvals.approval_card_for(turn, request, step))
        for step, request in repo.open_steps(turn.session)
        if approvals.may_decide(turn, request, step, person) is None
    ]
    return Home(mine, waiting, delegation.current_card(turn, person))


def may_decide_now(turn: Turn, person: str, ref: object, seq: object, asking_info: bool) -> bool:
    """Whether a decision on that step from `person` would be taken now. Asked before a reason form
    opens: a click that will be refused needs no reason, the decision refuses it at once. The
    decision checks again when it arrives; this only spares a pointless form."""
    request = repo.request_by_ref(turn.session, ref) if isinstance(ref, str) and ref else None
    if request is None:
        return False
    step = approvals.target_step(turn, request, seq if isinstance(seq, int) else None)
    if step is None or step.status not in (("active",) if asking_info else repo.OPEN_STEP):
        return False
    return approvals.may_decide(turn, request, step, person) is None


def has_draft(turn: Turn, person: str, place_key: str) -> bool:
    """Whether the person has a conversation open in that place (a draft, or a question to answer)."""
    return repo.get_draft(turn.session, person, place_key) is not None


def field_choices(turn: Turn, person: str, draft_id: object, field: str) -> list[tuple[str, str]]:
    """The choices (id, display) of one field of a person's own draft, for a menu searched as they
    type; none for someone else's draft."""
    draft = turn.session.get(Draft, draft_id) if isinstance(draft_id, int) else None
    if draft is None or draft.person != person or not draft.type_id:
        return []
    spec = turn.services.catalog.get(draft.type_id)
    return [(c.id, c.display) for c in spec.field(field).choices] if field in spec.field_names else []


def step_card(turn: Turn, ref: str, seq: object) -> tuple[Card, str] | None:
    """The approval card of a step as it is now (what a refreshing card or a repeated click shows),
    and where it was sent."""
    if not isinstance(seq, str | int | float):
        return None
    try:
        number = int(seq)
    except ValueError:
        return None
    request = repo.request_by_ref(turn.session, ref)
    step = repo.step_of(turn.session, request.id, number) if request is not None else None
    if request is None or step is None:
        return None
    is_open = step.status in repo.OPEN_STEP
    status = None if is_open else _step_state(turn, step)
    card = approvals.approval_card_for(turn, request, step, status, is_open)
    return card, approvals.step_address(turn, step)


def _step_state(turn: Turn, step: ApprovalStep) -> str:
    if step.status in (StepStatus.APPROVED, StepStatus.REJECTED):
        return approvals.decided_status(turn, step)
    return say.STEP_IS.format(status=say.step_status(step.status))


def closed_card(turn: Turn, draft: int, status: str) -> Card | None:
    """The review card of a draft that was submitted or cancelled, from its last posted version:
    its facts, the outcome, no buttons."""
    payload = repo.last_payload(turn.session, "chat", f"draft:{draft}")
    card = Outgoing.from_dict(dict(payload)).card if payload else None
    if card is None:
        return None
    return Card(card.title, card.fields, (), status, (), card.kind)


def contacts(turn: Turn, channel: str) -> list[tuple[str, dict[str, Any]]]:
    """How each person is reached on a channel, (email, address): what it learnt before a restart."""
    return repo.contacts_on(turn.session, channel)


def save_contacts(turn: Turn, channel: str, found: list[tuple[str, dict[str, Any]]]) -> None:
    """Store how people are reached on a channel (the outbox's router sends by these)."""
    for email, address in found:
        repo.save_contact(turn.session, email, channel, address, turn.now)


def newest_ref(turn: Turn) -> str | None:
    """The reference of the request created last (a script's `"request": "last"`)."""
    return repo.newest_ref(turn.session)


def button_payload(turn: Turn, channel: str, person: str, action: ActionName, ref: str | None) -> dict[str, Any]:
    """What pressing `action` sends when `person` presses it on the newest card posted on `channel`
    that has that button and that they can see: their own review card, or the card of request
    `ref` sent to them or to a role they hold (a scripted press)."""
    if action in DRAFT_ACTIONS:  # the person's own draft cards (a choice card's buttons are `submit_edit`)
        found = repo.card_posts_on(turn.session, channel, None, person)
    else:
        found = repo.card_posts_on(turn.session, channel, ref)
    posts = [p for p in found if action.value in (p.actions or {})]
    directory = turn.services.directory
    for post in posts:
        role = post.address.removeprefix("#approvals-") if post.address.startswith("#") else None
        person_obj = directory.get(person)
        if post.address == person or (role and person_obj is not None and person_obj.holds(role, None)):
            return dict(post.actions[action.value])
    return dict(posts[0].actions[action.value]) if posts else {}
