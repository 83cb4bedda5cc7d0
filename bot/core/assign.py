"""Who holds an approval step, and how it moves: a role's holder takes it ("I'll take REQ-1001",
or Take on the role's card) so the others see who has it; an approver hands it to another eligible
person ("hand REQ-1001 to Carol Diaz"); the escalation's manager reassigns it (Reassign buttons on
the escalation card, or the same words). Every move is a compare-and-set on the step's assignee
(one owner however many press at once), audited, and shown on every copy of the card.
"""

from __future__ import annotations

import re

from bot.core import approvals
from bot.core import messages as say
from bot.core.escalation import escalation_manager
from bot.core.events import Action, ActionName, Message, Place
from bot.core.replies import Button, Card, Outgoing
from bot.core.turn import Turn
from bot.directory import MANAGER
from bot.store import owners, repo
from bot.store.models import ApprovalStep, Request

_REF = r"(?P<ref>req[-\s]?\d+)"
_TAKE = re.compile(
    rf"^\s*(?:ok(?:ay)?[,\s]+)?(?:i'?ll|i\s+will|let\s+me|i\s+can|i'?m\s+going\s+to)\s+(?:take|pick\s+up|handle)"
    rf"\s+{_REF}\s*(?:myself)?\s*[.!]?\s*$|^\s*(?:take|pick\s+up)\s+{_REF.replace('ref', 'ref2')}\s*[.!]?\s*$",
    re.I,
)
_MOVE = re.compile(
    rf"^\s*(?:please\s+)?(?:reassign|hand(?:\s+over)?|pass|give|transfer)\s+{_REF}\s+(?:over\s+)?to\s+"
    r"(?P<who>.+?)\s*[.!]?\s*$",
    re.I,
)
MAX_CHOICES = 5
"""At most this many Reassign buttons on a card (the first eligible people)."""


def _ref(text: str) -> str:
    return "REQ-" + re.sub(r"\D", "", text)


def try_command(turn: Turn, msg: Message) -> bool:
    """Handle "I'll take REQ-1001" or "reassign REQ-1001 to Carol Diaz"; False when it is neither."""
    take = _TAKE.match(msg.text)
    move = None if take else _MOVE.match(msg.text)
    if take is None and move is None:
        return False
    found = take or move
    assert found is not None
    ref = _ref(found.group("ref") or found.groupdict().get("ref2") or "")
    request, step = _open_step(turn, msg.person, msg.place, ref, None)
    if request is None or step is None:
        return True
    if take is not None:
        take_step(turn, msg.person, msg.place, request, step)
        return True
    try:
        target = turn.services.directory.resolve(move.group("who").strip()) if move else ""
    except LookupError:
        _error(turn, msg.person, msg.place, say.ASSIGN_UNKNOWN_PERSON, ref)
        return True
    reassign(turn, msg.person, msg.place, request, step, target)
    return True


def handle_action(turn: Turn, action: Action) -> None:
    """Take or Reassign pressed on a card."""
    request, step = _open_step(turn, action.person, action.place, action.request or "", action.step)
    if request is None or step is None:
        return
    if action.action is ActionName.TAKE:
        return take_step(turn, action.person, action.place, request, step)
    if not action.target:
        return _error(turn, action.person, action.place, say.ASSIGN_SAY_WHOM.format(ref=request.ref), request.ref)
    return reassign(turn, action.person, action.place, request, step, action.target)


def _open_step(
    turn: Turn, person: str, place: Place, ref: str, seq: int | None
) -> tuple[Request | None, ApprovalStep | None]:
    request = repo.request_by_ref(turn.session, ref) if ref else None
    if request is None:
        text = say.ASSIGN_NO_SUCH.format(ref=ref) if ref else say.ASSIGN_NO_SUCH_UNNAMED
        _error(turn, person, place, text, ref or None)
        return None, None
    step = approvals.target_step(turn, request, seq)
    if step is None or step.status not in repo.OPEN_STEP:
        _error(turn, person, place, say.NO_APPROVAL_WAITING.format(ref=request.ref), request.ref)
        return request, None
    return request, step


def _error(turn: Turn, person: str, place: Place, text: str, ref: str | None) -> None:
    turn.send(Outgoing.error(person, text, ref, place=place, ephemeral=not place.direct))


# -- who ---------------------------------------------------------------------------------------
def deciders(turn: Turn, request: Request, step: ApprovalStep) -> list[str]:
    """Who may decide the step in their own right: its assignee, else the role's holders; never
    the requester."""
    if step.assignee:
        return [step.assignee] if step.assignee != request.requester else []
    holders = turn.services.directory.holders(step.role, request.entity)
    return [p.email for p in holders if p.email != request.requester]


def candidates(turn: Turn, request: Request, step: ApprovalStep) -> list[str]:
    """Whom the step may be given to: a role's holders and its backup; for a manager step, the
    approver's manager and theirs. Never the requester, nor whoever holds it now."""
    directory = turn.services.directory
    people: list[str] = []
    if step.role == MANAGER:
        above = directory.manager_of(step.assignee or request.requester)
        for _level in range(2):
            if above is None:
                break
            people.append(above.email)
            above = directory.manager_of(above.email)
    else:
        people = [p.email for p in directory.holders(step.role, request.entity)]
        info = directory.roles.get(step.role)
        if info is not None and info.backup:
            people.append(info.backup)
    return [p for p in dict.fromkeys(people) if p not in (request.requester, step.assignee)]


def may_reassign(turn: Turn, request: Request, step: ApprovalStep, person: str) -> str | None:
    """None when `person` may give the step to someone else (its approvers, and its escalation's
    manager), else why not."""
    if person == request.requester:
        return str(say.ASSIGN_OWN_REQUEST)
    if approvals.may_decide(turn, request, step, person) is None or person == escalation_manager(turn, request, step):
        return None
    return say.ASSIGN_ONLY_APPROVERS.format(ref=request.ref)


def reassign_buttons(
    turn: Turn, request: Request, step: ApprovalStep, besides: str | None = None
) -> tuple[Button, ...]:
    """One Reassign button per eligible person (the first few), `besides` (who sees them) left out;
    labelled in the language being spoken (the card's reader's)."""
    payload = {"request": request.ref, "step": step.seq}
    names = turn.services.directory.name
    people = [p for p in candidates(turn, request, step) if p != besides][:MAX_CHOICES]
    return tuple(
        Button(ActionName.REASSIGN, say.ASSIGN_REASSIGN_TO.format(name=names(p)), "default", {**payload, "to": p})
        for p in people
    )


def escalation_card(turn: Turn, request: Request, step: ApprovalStep, manager: str, may_decide: bool) -> Card:
    """The card an escalation carries: Reassign to each eligible person (the manager too, when they
    are one and may not decide it yet), and the decision buttons when the manager may decide."""
    card = approvals.approval_card_for(turn, request, step, open_=may_decide)
    buttons = tuple(b for b in card.buttons if b.action is not ActionName.TAKE)
    choices = reassign_buttons(turn, request, step, manager if may_decide else None)
    return Card(card.title, card.fields, buttons + choices, card.status, (), "approval")


# -- moves -------------------------------------------------------------------------------------
def take_step(turn: Turn, person: str, place: Place, request: Request, step: ApprovalStep) -> None:
    """A role's holder takes its step: it is theirs alone to decide, and every copy shows it."""
    directory = turn.services.directory
    if step.assignee == person:
        return _error(turn, person, place, say.ASSIGN_ALREADY_YOURS.format(ref=request.ref), request.ref)
    if step.assignee:
        who = directory.name(step.assignee)
        return _error(turn, person, place, say.ASSIGN_ALREADY_HAS.format(who=who, ref=request.ref), request.ref)
    if step.role == MANAGER:
        return _error(turn, person, place, say.ASSIGN_ALREADY_SOMEONES.format(ref=request.ref), request.ref)
    reason = approvals.may_decide(turn, request, step, person)
    if reason:
        return _error(turn, person, place, reason, request.ref)
    if not owners.move_assignee(turn.session, step.id, None, person):
        turn.session.refresh(step)
        who = directory.name(step.assignee)
        return _error(turn, person, place, say.ASSIGN_ALREADY_HAS.format(who=who, ref=request.ref), request.ref)
    repo.audit(
        turn.session,
        turn.now,
        person,
        "taken",
        request=request.ref,
        step=step.seq,
        detail={"role": step.role},
        source=turn.source,
    )
    name, label = directory.name(person), directory.role_label(step.role)
    with approvals.approvers_language(turn, step):
        status = say.ASSIGN_TAKEN_CARD.format(
            name=name, when=turn.when(turn.now), status=approvals.step_card_status(turn, step)
        )
        approvals.update_step_card(turn, request, step, status, open_=True)
    turn.send(Outgoing.reply(person, say.ASSIGN_TAKEN.format(ref=request.ref, label=label), request.ref, place=place))
    turn.notify(
        request.requester,
        say.ASSIGN_HANDLING,
        request.ref,
        place=_source_place(request),
        name=name,
        label=label,
        ref=request.ref,
    )


def reassign(turn: Turn, person: str, place: Place, request: Request, step: ApprovalStep, target: str) -> None:
    """Give the step to `target`, an eligible approver: their card comes to them, the old copies
    close in place, the requester is told, the move is audited."""
    directory = turn.services.directory
    reason = may_reassign(turn, request, step, person)
    if reason:
        return _error(turn, person, place, reason, request.ref)
    target = target.lower()
    allowed = candidates(turn, request, step)
    if target not in allowed:
        names = str(say.OR).join(directory.name(p) for p in allowed[:MAX_CHOICES]) or str(say.ASSIGN_NOBODY_ELSE)
        text = say.ASSIGN_NOT_ELIGIBLE.format(name=directory.name(target), ref=request.ref, names=names)
        return _error(turn, person, place, text, request.ref)
    before = step.assignee
    why = "hand_over" if approvals.may_decide(turn, request, step, person) is None else "escalation"
    if not owners.move_assignee(turn.session, step.id, before, target):
        turn.session.refresh(step)
        text = say.ASSIGN_JUST_GIVEN.format(ref=request.ref, name=directory.name(step.assignee))
        return _error(turn, person, place, text, request.ref)
    repo.audit(
        turn.session,
        turn.now,
        person,
        "reassigned",
        request=request.ref,
        step=step.seq,
        detail={"from": before, "to": target, "role": step.role, "reason": why},
        source=turn.source,
    )
    name, by = directory.name(target), directory.name(person)
    label = directory.role_label(step.role)
    with approvals.approvers_language(turn, step):
        status = say.ASSIGN_REASSIGNED_CARD.format(name=name, by=by, when=turn.when(turn.now))
        approvals.update_step_card(turn, request, step, status)
    spec = turn.services.catalog.get(request.type_id)
    address = approvals.step_address(turn, step)
    with turn.speaking_to(address):
        lead = say.ASSIGN_GIVEN_YOU.format(by=by, ref=request.ref, title=spec.title, label=label)
        card = approvals.approval_card_for(turn, request, step)
        key = approvals.card_key(request.ref, step.seq)
        turn.send(Outgoing.new_card(address, lead, card, key, request.ref))
    text = say.ASSIGN_DONE.format(ref=request.ref, label=label, name=name)
    turn.send(Outgoing.reply(person, text, request.ref, place=place))
    turn.notify(
        request.requester,
        say.ASSIGN_NOW_WITH,
        request.ref,
        place=_source_place(request),
        ref=request.ref,
        label=label,
        name=name,
    )


def _source_place(request: Request) -> Place | None:
    return Place.from_dict(request.source) if request.source else None
