"""The approval engine: submission, one decision per step, info requests, backend news."""

from __future__ import annotations

from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from bot.core import messages as say
from bot.core import notes, stages
from bot.core.cards import approval_card, request_card, request_card_key
from bot.core.escalation import escalation_may_decide
from bot.core.events import Action, ActionName, Place
from bot.core.replies import Button, Card, Outgoing, OutKind
from bot.core.turn import Turn
from bot.directory import MANAGER, Person
from bot.insight import facts
from bot.store import repo
from bot.store import stages as stored_stages
from bot.store.delegations import delegate_of, delegators_of
from bot.store.models import ApprovalStep, Draft, Request
from bot.store.status import RequestStatus, StepStatus
from forms.spec import ApprovalStepSpec
from reminders.ladder import INFO_NUDGE, INFO_NUDGE_HOURS, next_rung

DECIDED = {"approve": StepStatus.APPROVED, "reject": StepStatus.REJECTED}


def card_key(ref: str, seq: int) -> str:
    return f"step:{ref}:{seq}"


def submit(turn: Turn, draft: Draft, values: dict[str, Any]) -> Request:
    """Create the request, its approval steps and the backend message; post the first card."""
    services = turn.services
    person = services.directory.get(draft.person)
    type_id = str(draft.type_id)
    chain = services.catalog.approval_chain(type_id, values, person.attributes() if person else None)
    hours = services.catalog.response_hours(type_id, values)
    request = repo.new_request(
        turn.session,
        type_id=type_id,
        fields=values,
        requester=draft.person,
        entity=person.entity if person else None,
        cost_center=person.cost_center if person else None,
        source=notes.source(draft.place_info),
        status=RequestStatus.PENDING_APPROVAL if chain else RequestStatus.SUBMITTED,
        response_due_at=turn.now + timedelta(hours=hours) if hours is not None else None,
        created_at=turn.now,
        updated_at=turn.now,
    )
    manager = services.directory.manager_of(draft.person)
    steps: list[ApprovalStep] = []
    told: list[str] = []
    members = [(stage, role, spec) for stage, spec in enumerate(chain, start=1) for role in spec.members]
    slots = _slot_stand_ins(turn, request, chain)
    for seq, (_stage, role, spec) in enumerate(members, start=1):
        assignee = (manager.email if manager else None) if role == MANAGER else None
        chosen = slots.get(seq) or _stand_in(turn, request, role, manager)
        if chosen is not None:
            assignee = chosen.person.email
            if chosen.sentence not in told:
                told.append(chosen.sentence)
            repo.audit(
                turn.session,
                turn.now,
                draft.person,
                "approver_chosen",
                request=request.ref,
                step=seq,
                detail={"role": role, "approver": assignee, "reason": chosen.reason},
                source=turn.source,
            )
        status = StepStatus.SKIPPED if role == MANAGER and assignee is None else StepStatus.PENDING
        steps.append(
            ApprovalStep(
                request_id=request.id,
                seq=seq,
                role=role,
                assignee=assignee,
                sla_hours=spec.sla_hours,
                status=status,
                type_id=type_id,
                entity=request.entity,
            )
        )
    turn.session.add_all(steps)
    detail: dict[str, Any] = {"type": type_id, "fields": values, "approvals": [role for _, role, _ in members]}
    if len(members) > len(chain):  # a step decided by several: which steps are decided together
        detail["stages"] = [stage for stage, _, _ in members]
        stages.remember(turn, request, detail["stages"])
    _activate_next(turn, request, steps, post=False)  # opened before it is written
    repo.audit(
        turn.session, turn.now, draft.person, "submitted", request=request.ref, detail=detail, source=turn.source
    )
    turn.tell_backend(request.ref, f"{request.ref}:create", {"op": "create", "ref": request.ref})
    text = " ".join([_submitted_text(turn, request, chain), *told])
    confirmation = request_card(request.ref, services.catalog.get(type_id).title, None)  # with Withdraw
    turn.send(
        Outgoing(
            OutKind.REPLY,
            draft.person,
            text,
            request.ref,
            card=confirmation,
            card_key=request_card_key(request.ref),
            place=_place(draft.place_info),
        )
    )
    for opened in (s for s in steps if s.status == StepStatus.ACTIVE):
        post_step_card(turn, request, opened, step_address(turn, opened))
    return request


@dataclass(frozen=True)
class _StandIn:
    """Who decides a step the requester would otherwise have to decide themselves, and why."""

    person: Person
    reason: str
    sentence: str


def _slot_stand_ins(turn: Turn, request: Request, chain: list[ApprovalStepSpec]) -> dict[int, _StandIn]:
    """Who decides the steps (by seq) of an `any: N` policy step that the role's holders besides
    the requester are too few to fill: its last ones go to the role's backup, then its manager
    (each once; never the requester, nor a holder, who decides one of the others)."""
    directory, found, seq = turn.services.directory, {}, 0
    for spec in chain:
        seq += len(spec.members)
        if spec.all_of or not spec.quorum or spec.quorum < 2:
            continue
        holders = {p.email for p in directory.holders(spec.role, request.entity)} - {request.requester}
        short = spec.quorum - len(holders)
        info = directory.roles.get(spec.role)
        backup = directory.get(info.backup) if info and info.backup else None
        chosen: list[Person] = []
        for person in (backup, directory.role_manager(spec.role, request.entity)):
            if person is not None and person.email not in {request.requester, *holders, *(c.email for c in chosen)}:
                chosen.append(person)
        label = directory.role_label(spec.role)
        for offset, person in enumerate(chosen[: max(short, 0)]):
            sentence = say.SLOT_STAND_IN.format(label=label, count=spec.quorum, name=person.name)
            found[seq - offset] = _StandIn(person, "too_few_holders", sentence)
    return found


def _stand_in(turn: Turn, request: Request, role: str, manager: Person | None) -> _StandIn | None:
    """The approver chosen at submission for a step nobody but the requester could decide
    (segregation of duties without deadlock), else None: the step goes as the policy says.

    A role step whose only holder is the requester goes to the role's backup, else its manager. A
    manager step whose manager is the requester, or has handed their approvals to the requester
    for now, goes to the manager's own manager."""
    directory, requester = turn.services.directory, request.requester
    if role != MANAGER:
        found = directory.stand_in(role, request.entity, requester)
        if found is None:
            return None
        label = directory.role_label(role)
        return _StandIn(
            found,
            "only_holder",
            say.STAND_IN_ONLY_HOLDER.format(label=label, name=found.name),
        )
    if manager is None:
        return None
    delegate = delegate_of(turn.session, manager.email, turn.now)
    if manager.email != requester and delegate != requester:
        return None
    above = directory.manager_of(manager.email)
    if above is None or above.email == requester:
        return None
    if manager.email == requester:
        return _StandIn(above, "own_manager", say.STAND_IN_OWN_MANAGER.format(name=above.name))
    return _StandIn(
        above,
        "manager_delegates_to_requester",
        say.STAND_IN_DELEGATED.format(name=above.name, manager=manager.name),
    )


def _place(info: dict[str, Any] | None) -> Place | None:
    return Place.from_dict(info) if info else None


def _submitted_text(turn: Turn, request: Request, chain: list[Any]) -> str:
    spec = turn.services.catalog.get(request.type_id)
    if not chain:
        hours = turn.services.catalog.response_hours(request.type_id, request.fields)
        within = (say.RESPOND_WITHIN_TEAM if spec.team else say.RESPOND_WITHIN).format(team=spec.team, hours=hours)
        return say.SUBMITTED_NO_APPROVAL.format(ref=request.ref, title=spec.title) + (within if hours else "")
    names = [stages.stage_label(turn, s, lambda role: _approver_label(turn, request, role)) for s in chain]
    return say.SUBMITTED_NEEDS.format(ref=request.ref, title=spec.title, approvers=str(say.THEN).join(names))


def _approver_label(turn: Turn, request: Request, role: str) -> str:
    directory = turn.services.directory
    if role == MANAGER:
        manager = directory.manager_of(request.requester)
        return say.YOUR_MANAGER_NAMED.format(name=manager.name) if manager else str(say.YOUR_MANAGER)
    return directory.role_label(role)


def step_address(turn: Turn, step: ApprovalStep) -> str:
    """Where a step's card goes: the assignee (or their delegate) directly, or the role's channel."""
    if step.assignee:
        delegate = delegate_of(turn.session, step.assignee, turn.now)
        request = turn.session.get(Request, step.request_id)
        mine = request is not None and delegate == request.requester  # nobody approves their own request
        return step.assignee if delegate is None or mine else delegate
    return turn.services.directory.role_channel(step.role)


def _activate_next(turn: Turn, request: Request, steps: list[ApprovalStep], post: bool = True) -> ApprovalStep | None:
    """Open the first pending step of `steps` (all of the request's, in order), with the pending
    steps of its stage (bot/core/stages.py), and post their cards (unless not `post`); the first
    opened, or None: with none left, a request waiting for approval is approved."""
    nxt = next((s for s in steps if s.status == StepStatus.PENDING), None)
    if nxt is None:
        if request.status == RequestStatus.PENDING_APPROVAL:
            request.status, request.updated_at = RequestStatus.APPROVED, turn.now
        return None
    for step in stages.siblings(turn, request, nxt, steps):
        if step.status != StepStatus.PENDING:
            continue
        d50, d100, d150 = turn.services.deadlines(turn.now, step.sla_hours, step.assignee, step.role)
        opened = {
            "status": StepStatus.ACTIVE,
            "activated_at": turn.now,
            "due_50": d50,
            "due_100": d100,
            "due_150": d150,
            "next_due_at": d50,
            "next_rung": 1,
        }
        if step.id is None:  # a step of a request submitted in this turn: open it before it is written
            for name, value in opened.items():
                setattr(step, name, value)
        else:
            repo.move_step(turn.session, step.id, (StepStatus.PENDING,), **opened)
        if post:
            post_step_card(turn, request, step, step_address(turn, step))
    return nxt


def step_card_status(turn: Turn, step: ApprovalStep) -> str:
    request = turn.session.get(Request, step.request_id)
    label = _step_label(turn, request, step) if request is not None else step.role
    return say.WAITING_DUE.format(label=label, due=turn.when(step.due_100))


def _step_label(turn: Turn, request: Request, step: ApprovalStep) -> str:
    """Who a step waits for, in words: a stand-in by name ("Chloe Reed, for Finance")."""
    if step.assignee and step.role != MANAGER:
        directory = turn.services.directory
        return say.STEP_FOR.format(name=directory.name(step.assignee), role=directory.role_label(step.role))
    return _approver_label(turn, request, step.role)


def approval_card_for(
    turn: Turn, request: Request, step: ApprovalStep, status: str | None = None, open_: bool = True
) -> Card:
    """The approval card of a step, with its buttons while it is open."""
    spec = turn.services.catalog.get(request.type_id)
    directory = turn.services.directory
    header = {
        str(say.CARD_REQUESTER): f"{directory.name(request.requester)} ({request.requester})",
        str(say.CARD_STEP): f"{step.seq} · {directory.role_label(step.role)}",
    }
    so_far = stages.approved_so_far(turn, request, step)  # a step decided with others: who has approved
    if so_far:
        header[str(say.CARD_APPROVED_SO_FAR)] = so_far
    status = status if status is not None else step_card_status(turn, step)
    takeable = open_ and step.role != MANAGER and not step.assignee  # a role's step nobody has taken yet
    extra = (
        (Button(ActionName.TAKE, say.BUTTON_TAKE, "default", {"request": request.ref, "step": step.seq}),)
        if takeable
        else ()
    )
    return approval_card(spec, request.ref, step.seq, request.fields, header, directory, status, open_, extra)


def post_step_card(turn: Turn, request: Request, step: ApprovalStep, to: str) -> None:
    """Post a step's card to `to`; a role's room that no running chat platform reaches is
    replaced by each of the role's holders directly (never the requester), so the card reaches
    someone who can act. Their copies share one card key: a decision updates them all."""
    spec = turn.services.catalog.get(request.type_id)
    addresses = [to]
    if to.startswith("#") and not turn.services.room_reachable(to):
        holders = turn.services.directory.holders(step.role, request.entity)
        addresses = [p.email for p in holders if p.email != request.requester] or [to]
    for address in addresses:
        with turn.speaking_to(address):  # each copy in its reader's language
            name = turn.services.directory.name(request.requester)
            text = say.ASKS_APPROVAL.format(name=name, ref=request.ref, title=spec.title)
            card = approval_card_for(turn, request, step)
            turn.send(Outgoing.new_card(address, text, card, card_key(request.ref, step.seq), request.ref))


def _refuse(turn: Turn, action: Action, text: str, ref: str | None) -> None:
    turn.send(Outgoing.error(action.person, text, ref, place=action.place, ephemeral=True))


def may_decide(turn: Turn, request: Request, step: ApprovalStep, person: str) -> str | None:
    """None when `person` may decide the step, else the reason they may not."""
    directory = turn.services.directory
    if person == request.requester:
        return say.OWN_REQUEST
    decided = stages.decided_by_person(turn, request, step, person)
    if decided is not None:  # each approver decides one step of a stage
        return say.DECIDED_ONCE.format(ref=request.ref, role=directory.role_label(decided.role))
    if allowed_directly(turn, request, step, person):
        return None
    if any(allowed_directly(turn, request, step, d) for d in delegators_of(turn.session, person, turn.now)):
        return None
    if escalation_may_decide(turn, request, step, person):  # the catalog lets the escalation decide it
        return None
    if step.role == MANAGER or step.assignee:
        return say.ONLY_PERSON_DECIDES.format(name=directory.name(step.assignee), ref=request.ref)
    return say.ONLY_TEAM_DECIDES.format(role=directory.role_label(step.role), ref=request.ref)


def allowed_directly(turn: Turn, request: Request, step: ApprovalStep, person: str) -> bool:
    """Whether the step is `person`'s own to decide (not through a delegation)."""
    if step.role == MANAGER or step.assignee:  # a role step given to a stand-in is theirs alone
        return person == step.assignee
    holder = turn.services.directory.get(person)
    return holder is not None and holder.holds(step.role, request.entity)


def decide(turn: Turn, action: Action) -> None:
    """Approve, reject or ask for information; the first valid decision of a step wins."""
    request = repo.request_by_ref(turn.session, action.request or "")
    if request is None:
        named = say.NO_REQUEST_NAMED.format(ref=action.request) if action.request else str(say.NO_BUTTON_REQUEST)
        return _refuse(turn, action, named, action.request)
    steps = repo.steps_of(turn.session, request.id)
    step = target_step(turn, request, action.step, steps)
    if step is None:
        return _refuse(turn, action, say.NO_APPROVAL_WAITING.format(ref=request.ref), request.ref)
    if stages.grouped(turn, request):  # decided with others: in turn, as they left it
        steps, step = _member_step(turn, request, step, action.person)
    if step.status not in repo.OPEN_STEP:
        return _already(turn, action, request, step)
    reason = may_decide(turn, request, step, action.person)
    if reason:
        repo.audit(
            turn.session,
            turn.now,
            action.person,
            "refused",
            request=request.ref,
            step=step.seq,
            detail={"action": action.action.value, "reason": reason},
            source=turn.source,
        )
        return _refuse(turn, action, reason, request.ref)
    if action.action is ActionName.REQUEST_INFO:
        return _request_info(turn, action, request, step)
    status = DECIDED[action.action.value]
    if not repo.move_step(
        turn.session,
        step.id,
        repo.OPEN_STEP,
        status=status,
        decided_by=action.person,
        decided_at=turn.now,
        next_due_at=None,
        wait_hours=facts.step_wait(turn.services.deadlines, step.role, step.activated_at, turn.now),
    ):
        turn.session.refresh(step)
        return _already(turn, action, request, step)
    if status == StepStatus.APPROVED:
        facts.note_approval(request, turn.now)
    repo.record_decision(
        turn.session,
        step_id=step.id,
        request_id=request.id,
        decision=action.action.value,
        approver=action.person,
        comment=action.comment,
        source=turn.source,
        decided_at=turn.now,
    )
    detail: dict[str, Any] = {"comment": action.comment, "role": step.role}
    if not allowed_directly(turn, request, step, action.person):  # decided as someone's delegate
        detail["on_behalf_of"] = sorted(
            d for d in delegators_of(turn.session, action.person, turn.now) if allowed_directly(turn, request, step, d)
        )
    repo.audit(
        turn.session,
        turn.now,
        action.person,
        status,
        request=request.ref,
        step=step.seq,
        detail=detail,
        source=turn.source,
    )
    turn.tell_backend(
        request.ref, f"{request.ref}:step{step.seq}:decision", {"op": "decision", "ref": request.ref, "step": step.seq}
    )
    _after_decision(turn, request, step, steps, action)


def _member_step(
    turn: Turn, request: Request, step: ApprovalStep, person: str
) -> tuple[list[ApprovalStep], ApprovalStep]:
    """For a step of a stage decided by several: hold the request (other decisions on its stage
    wait for this one), read its steps afresh, and pick the step of the stage that is `person`'s
    to decide: the one pressed if it is open and theirs, else an open one of its stage that is
    (the Finance card pressed by a Compliance approver, a typed "approve REQ-1001")."""
    stored_stages.lock_request(turn.session, request.id)
    turn.session.refresh(request)
    steps = stored_stages.fresh_steps(turn.session, request.id)
    step = next(s for s in steps if s.id == step.id)
    stage = stages.siblings(turn, request, step, steps)
    waiting = [s for s in stage if s.status in repo.OPEN_STEP]
    theirs = [s for s in sorted(waiting, key=lambda s: s.id != step.id) if may_decide(turn, request, s, person) is None]
    used = {s.decided_by for s in stage if s.decided_by} | {person}
    for choice in theirs:  # the pressed one first, unless that would leave another with nobody to decide it
        if stages.leaves_a_way(turn, request, [s for s in waiting if s.id != choice.id], used):
            return steps, choice
    return steps, theirs[0] if theirs else step


def target_step(
    turn: Turn, request: Request, seq: int | None, steps: list[ApprovalStep] | None = None
) -> ApprovalStep | None:
    """The step a click means: the one it names, else the request's open step (of `steps`, the
    request's steps if they are already loaded)."""
    if steps is None:
        steps = repo.steps_of(turn.session, request.id)
    if seq is not None:
        return next((s for s in steps if s.seq == seq), None)
    return next((s for s in steps if s.status in repo.OPEN_STEP), None)


def _already(turn: Turn, action: Action, request: Request, step: ApprovalStep) -> None:
    if step.status == StepStatus.CANCELLED:
        turn.session.refresh(request)  # withdrawn by a turn that moved the step first?
    if step.status == StepStatus.CANCELLED and request.status == RequestStatus.CANCELLED:
        text = say.WITHDRAWN_STEP.format(ref=request.ref)
    elif step.status == StepStatus.CANCELLED and request.status == RequestStatus.EXPIRED:
        text = say.EXPIRED_STEP.format(ref=request.ref)
    elif step.status == StepStatus.PENDING:
        text = say.NOT_REACHED.format(ref=request.ref)
    elif step.status in (StepStatus.APPROVED, StepStatus.REJECTED):
        who = turn.services.directory.name(step.decided_by)
        status, when = say.step_status(step.status), turn.when(step.decided_at)
        text = say.ALREADY_DECIDED.format(ref=request.ref, status=status, who=who, when=when)
    else:
        text = say.STEP_CLOSED.format(ref=request.ref, status=say.step_status(step.status))
    _refuse(turn, action, text, request.ref)


def decided_status(turn: Turn, step: ApprovalStep) -> str:
    """The status line of a decided step: who decided, and when."""
    who = turn.services.directory.name(step.decided_by)
    return say.decided_by(step.status, who, turn.when(step.decided_at))


def _after_decision(
    turn: Turn, request: Request, step: ApprovalStep, steps: list[ApprovalStep], action: Action
) -> None:
    directory = turn.services.directory
    who = directory.name(action.person)
    verb = StepStatus.APPROVED if action.action is ActionName.APPROVE else StepStatus.REJECTED
    with approvers_language(turn, step):
        reason = say.REASON.format(reason=action.comment) if action.comment else ""
        update_step_card(turn, request, step, say.decided_by(verb, who, turn.when(turn.now)) + reason)
    place = _place(request.source)
    if action.action is ActionName.REJECT:
        request.status, request.updated_at = RequestStatus.REJECTED, turn.now
        for other in steps:
            if other.status == StepStatus.PENDING:
                repo.move_step(turn.session, other.id, (StepStatus.PENDING,), status=StepStatus.CANCELLED)
        _close_stage(turn, request, step, steps, who)  # the first rejection ends the others' steps too
        with turn.speaking_to(request.requester):
            reason = say.REASON.format(reason=action.comment) if action.comment else str(say.NO_REASON)
            text = say.REJECTED_NOTICE.format(who=who, ref=request.ref, reason=reason)
            turn.send(Outgoing.notice(request.requester, text, request.ref, place=place))
        return
    waiting = [s for s in stages.siblings(turn, request, step, steps) if s.status in repo.OPEN_STEP]
    if waiting:  # a step decided with others: the stage stays open for them, and their cards say who approved
        request.updated_at = turn.now
        for other in waiting:
            with approvers_language(turn, other):
                update_step_card(turn, request, other, step_card_status(turn, other), open_=True)
        with turn.speaking_to(request.requester):
            text = say.MEMBER_APPROVED.format(who=who, ref=request.ref, waiting=stages.still_waiting(turn, waiting))
            turn.send(Outgoing.notice(request.requester, text, request.ref, place=place))
        return
    nxt = _activate_next(turn, request, steps)
    request.updated_at = turn.now  # with the status _activate_next may have set: one UPDATE
    with turn.speaking_to(request.requester):
        if nxt is not None:
            text = say.APPROVED_NEXT.format(who=who, ref=request.ref, label=_step_label(turn, request, nxt))
        else:
            text = say.APPROVED_FULLY.format(who=who, ref=request.ref)
        turn.send(Outgoing.notice(request.requester, text, request.ref, place=place))


def _close_stage(turn: Turn, request: Request, step: ApprovalStep, steps: list[ApprovalStep], who: str) -> None:
    """After a rejection: the other open steps of its stage are closed, their cards too."""
    for other in stages.siblings(turn, request, step, steps):
        if other.id == step.id or other.status not in repo.OPEN_STEP:
            continue
        if repo.move_step(
            turn.session, other.id, repo.OPEN_STEP, status=StepStatus.CANCELLED, next_due_at=None, next_rung=None
        ):
            with approvers_language(turn, other):
                update_step_card(turn, request, other, say.CLOSED_BY_REJECTION.format(who=who, ref=request.ref))


def approvers_language(turn: Turn, step: ApprovalStep) -> AbstractContextManager[str]:
    """Speak the language of whoever holds a step's card (a room: the organisation's): around a
    status line composed for `update_step_card`."""
    return turn.speaking_to(step_address(turn, step))


def update_step_card(turn: Turn, request: Request, step: ApprovalStep, status: str, open_: bool = False) -> None:
    """Change a step's card in place with `status` (composed in `approvers_language`)."""
    with approvers_language(turn, step):
        card = approval_card_for(turn, request, step, status, open_)
    turn.send(
        Outgoing.card_changed(step_address(turn, step), status, card, card_key(request.ref, step.seq), request.ref)
    )


def _request_info(turn: Turn, action: Action, request: Request, step: ApprovalStep) -> None:
    question = action.comment or str(say.INFO_DEFAULT_QUESTION)
    nudge_at = turn.services.deadlines(turn.now, INFO_NUDGE_HOURS, request.requester, None)[1]
    if not repo.move_step(
        turn.session,
        step.id,
        (StepStatus.ACTIVE,),
        status=StepStatus.INFO_REQUESTED,
        info_question=question,
        next_rung=INFO_NUDGE,
        next_due_at=nudge_at,
    ):
        turn.session.refresh(step)
        return _already(turn, action, request, step)
    who = turn.services.directory.name(action.person)
    repo.audit(
        turn.session,
        turn.now,
        action.person,
        "info_requested",
        request=request.ref,
        step=step.seq,
        detail={"question": question},
        source=turn.source,
    )
    with approvers_language(turn, step):
        update_step_card(turn, request, step, say.ASKED_INFO_CARD.format(who=who, question=question), open_=True)
    source = request.source or {}
    place_key = f"{source.get('channel')}:{source.get('conversation')}:{source.get('thread') or ''}"
    draft = repo.get_draft(turn.session, request.requester, place_key)
    if draft is None:
        draft = Draft(
            person=request.requester,
            place=place_key,
            place_info=source,
            type_id=None,
            values={},
            state="idle",
            created_at=turn.now,
            updated_at=turn.now,
        )
        turn.session.add(draft)
    draft.info_request = f"{request.ref}:{step.seq}"
    turn.notify(
        request.requester,
        say.INFO_NEEDED,
        request.ref,
        place=_place(source),
        who=who,
        ref=request.ref,
        question=question,
    )


def answer_info(turn: Turn, draft: Draft, text: str) -> None:
    """The requester's answer to an info request: the step is open for a decision again."""
    ref, _, seq_text = (draft.info_request or "").partition(":")
    draft.info_request = None
    request = repo.request_by_ref(turn.session, ref)
    step = repo.step_of(turn.session, request.id, int(seq_text)) if request and seq_text else None
    if request is None or step is None or step.status != StepStatus.INFO_REQUESTED:
        return
    sent = repo.rungs_sent(turn.session, step.id)
    following = next_rung(sent, (step.due_50, step.due_100, step.due_150))
    rung, due = following if following else (None, None)
    repo.move_step(
        turn.session, step.id, (StepStatus.INFO_REQUESTED,), status=StepStatus.ACTIVE, next_rung=rung, next_due_at=due
    )
    repo.audit(
        turn.session,
        turn.now,
        draft.person,
        "info_answered",
        request=ref,
        step=step.seq,
        detail={"answer": text},
        source=turn.source,
    )
    name = turn.services.directory.name(draft.person)
    with approvers_language(turn, step):
        update_step_card(turn, request, step, say.ANSWERED_CARD.format(name=name, text=text), True)
    approver = step.assignee or turn.services.directory.role_channel(step.role)
    with turn.speaking_to(approver):
        turn.send(Outgoing.notice(approver, say.ANSWERED_NOTICE.format(name=name, ref=ref, text=text), ref))
    who = (
        turn.services.directory.name(step.assignee) if step.assignee else turn.services.directory.role_label(step.role)
    )
    turn.send(
        Outgoing.reply(
            draft.person, say.ANSWER_THANKS.format(approver=who, ref=ref), ref, place=_place(draft.place_info)
        )
    )
