"""What a request holds and where it stands, for the people involved in it.

"what's in REQ-1001?", "who still has to sign off on REQ-1001?", "why was it declined?", "any news
on the chairs I asked for?": the fields (already guarded against protected health information
when they were filled), each step with who decided it and when, who it waits for now (naming an
active delegate), and the rejection's reason and who gave it. Only its requester, its approvers
and their delegates, and the holders of its roles see it (`involved`).
"""

from __future__ import annotations

from bot.core import approvals
from bot.core import messages as say
from bot.core.cards import field_lines
from bot.core.turn import Turn
from bot.directory import MANAGER
from bot.store import repo
from bot.store.delegations import delegate_of, delegators_of
from bot.store.models import ApprovalStep, Request
from bot.store.status import StepStatus

FOCUS = ("details", "who", "why", "news")
"""What the question asks most: the whole request, who it waits for, why it was declined, news."""


def involved(turn: Turn, request: Request, person: str) -> bool:
    """Whether `person` may see the request: its requester, one of its approvers (deciding or
    assigned, directly or as a delegate), or a holder of one of its steps' roles."""
    if person == request.requester:
        return True
    holder = turn.services.directory.get(person)
    others = delegators_of(turn.session, person, turn.now)
    for step in repo.steps_of(turn.session, request.id):
        if person in (step.decided_by, step.assignee) or (step.assignee and step.assignee in others):
            return True
        if approvals.allowed_directly(turn, request, step, person):
            return True
        if any(approvals.allowed_directly(turn, request, step, d) for d in others):
            return True
        if step.role != MANAGER and holder is not None and holder.holds(step.role, request.entity):
            return True
    return False


def details_text(turn: Turn, request: Request, focus: str = "details") -> str:
    """The request's details, led by the answer the question asked for."""
    steps = repo.steps_of(turn.session, request.id)
    lead = _lead(turn, request, steps, focus)
    spec = turn.services.catalog.get(request.type_id)
    directory = turn.services.directory
    status = say.status(request.status)
    lines = [
        f"{request.ref} · {spec.title} · {status}",
        say.REQUESTED_BY.format(name=directory.name(request.requester), when=turn.when(request.created_at)),
    ]
    fields = field_lines(spec, request.fields, directory)
    if fields:
        lines.append(say.WHAT_IT_ASKS.format(lines=say.bullet(f"{label}: {value}" for label, value in fields.items())))
    shown = [s for s in steps if s.status != StepStatus.SKIPPED]
    if shown:
        lines.append(say.APPROVALS_LINES.format(lines=say.bullet(_step_line(turn, request, s) for s in shown)))
    return "\n".join([lead, *lines] if lead else lines)


def _lead(turn: Turn, request: Request, steps: list[ApprovalStep], focus: str) -> str:
    if focus == "why":
        rejected = next((s for s in steps if s.status == StepStatus.REJECTED), None)
        if rejected is None:
            status = say.status(request.status)
            return say.NOT_DECLINED.format(ref=request.ref, status=status)
        reason = _comment(turn, rejected)
        who = turn.services.directory.name(rejected.decided_by)
        said = say.THEIR_REASON.format(reason=reason) if reason else str(say.NO_REASON_GIVEN)
        return say.DECLINED_ON.format(who=who, ref=request.ref, when=turn.when(rejected.decided_at), said=said)
    if focus == "who":
        step = next((s for s in steps if s.status in repo.OPEN_STEP), None)
        if step is None:
            left = [s for s in steps if s.status == StepStatus.PENDING]
            status = say.status(request.status)
            return say.NOBODY_SIGNS.format(ref=request.ref, status=status) if not left else ""
        later = [s for s in steps if s.status == StepStatus.PENDING]
        then = say.THEN_LATER.format(who=str(say.THEN).join(_who(turn, request, s) for s in later)) if later else ""
        return say.WAITS_FOR.format(ref=request.ref, who=_who(turn, request, step), then=then)
    return ""


def _comment(turn: Turn, step: ApprovalStep) -> str | None:
    decision = repo.decision_of(turn.session, step.id)
    return decision.comment if decision is not None else None


def _who(turn: Turn, request: Request, step: ApprovalStep) -> str:
    """Who decides a step, naming a delegate who may decide it for now."""
    directory = turn.services.directory
    if step.assignee:
        name = directory.name(step.assignee)
        if step.role != MANAGER:
            name = say.STEP_FOR.format(name=name, role=directory.role_label(step.role))
        delegate = delegate_of(turn.session, step.assignee, turn.now)
        if delegate and delegate != request.requester:
            name = say.DELEGATE_HOLDS.format(name=name, delegate=directory.name(delegate))
        return name
    holders = [p for p in directory.holders(step.role, request.entity) if p.email != request.requester]
    names = [p.name for p in holders]
    for person in holders:
        delegate = delegate_of(turn.session, person.email, turn.now)
        if delegate and delegate != request.requester:
            names.append(say.FOR_PERSON.format(delegate=directory.name(delegate), name=person.name))
    team = directory.role_label(step.role)
    return f"{team} ({say.listed(names)})" if names else team


def _step_line(turn: Turn, request: Request, step: ApprovalStep) -> str:
    directory = turn.services.directory
    label = f"{step.seq} · {directory.role_label(step.role)}"
    if step.status in (StepStatus.APPROVED, StepStatus.REJECTED):
        comment = _comment(turn, step)
        said = f' — "{comment}"' if comment else ""
        who, when = directory.name(step.decided_by), turn.when(step.decided_at)
        return say.STEP_DECIDED_LINE.format(
            label=label, status=say.step_status(step.status), who=who, when=when, said=said
        )
    if step.status in repo.OPEN_STEP:
        waited = say.duration(turn.now - (step.activated_at or request.created_at))
        if step.status == StepStatus.INFO_REQUESTED:
            who = _who(turn, request, step)
            return say.STEP_ASKED_LINE.format(label=label, who=who, question=step.info_question)
        return say.STEP_WAITING_LINE.format(label=label, who=_who(turn, request, step), waited=waited)
    if step.status == StepStatus.PENDING:
        return say.STEP_NOT_REACHED_LINE.format(label=label, who=_who(turn, request, step))
    return f"{label}: {say.step_status(step.status)}"
