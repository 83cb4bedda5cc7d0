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
    status = approvals.STATUS_WORDS.get(request.status, request.status)
    lines = [
        f"{request.ref} · {spec.title} · {status}",
        f"Requested by {directory.name(request.requester)} on {turn.when(request.created_at)}.",
    ]
    fields = field_lines(spec, request.fields, directory)
    if fields:
        lines.append("What it asks for:\n" + say.bullet(f"{label}: {value}" for label, value in fields.items()))
    shown = [s for s in steps if s.status != StepStatus.SKIPPED]
    if shown:
        lines.append("Approvals:\n" + say.bullet(_step_line(turn, request, s) for s in shown))
    return "\n".join([lead, *lines] if lead else lines)


def _lead(turn: Turn, request: Request, steps: list[ApprovalStep], focus: str) -> str:
    if focus == "why":
        rejected = next((s for s in steps if s.status == StepStatus.REJECTED), None)
        if rejected is None:
            status = approvals.STATUS_WORDS.get(request.status, request.status)
            return f"{request.ref} was not declined: it is {status}."
        reason = _comment(turn, rejected)
        who = turn.services.directory.name(rejected.decided_by)
        said = f'Their reason: "{reason}".' if reason else "They gave no reason."
        return f"{who} declined {request.ref} on {turn.when(rejected.decided_at)}. {said}"
    if focus == "who":
        step = next((s for s in steps if s.status in repo.OPEN_STEP), None)
        if step is None:
            left = [s for s in steps if s.status == StepStatus.PENDING]
            status = approvals.STATUS_WORDS.get(request.status, request.status)
            return f"Nobody has to sign off on {request.ref} now: it is {status}." if not left else ""
        later = [s for s in steps if s.status == StepStatus.PENDING]
        then = f" Then: {', then '.join(_who(turn, request, s) for s in later)}." if later else ""
        return f"{request.ref} waits for {_who(turn, request, step)}.{then}"
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
            name = f"{name}, for {directory.role_label(step.role)}"
        delegate = delegate_of(turn.session, step.assignee, turn.now)
        if delegate and delegate != request.requester:
            name += f" (their approvals are with {directory.name(delegate)} for now)"
        return name
    holders = [p for p in directory.holders(step.role, request.entity) if p.email != request.requester]
    names = [p.name for p in holders]
    for person in holders:
        delegate = delegate_of(turn.session, person.email, turn.now)
        if delegate and delegate != request.requester:
            names.append(f"{directory.name(delegate)} for {person.name}")
    team = directory.role_label(step.role)
    return f"{team} ({say.listed(names)})" if names else team


def _step_line(turn: Turn, request: Request, step: ApprovalStep) -> str:
    directory = turn.services.directory
    label = f"{step.seq} · {directory.role_label(step.role)}"
    if step.status in (StepStatus.APPROVED, StepStatus.REJECTED):
        comment = _comment(turn, step)
        said = f' — "{comment}"' if comment else ""
        return f"{label}: {step.status} by {directory.name(step.decided_by)} on {turn.when(step.decided_at)}{said}"
    if step.status in repo.OPEN_STEP:
        waited = say.duration(turn.now - (step.activated_at or request.created_at))
        if step.status == StepStatus.INFO_REQUESTED:
            return f"{label}: {_who(turn, request, step)} asked for more information: {step.info_question}"
        return f"{label}: with {_who(turn, request, step)}, waiting {waited}"
    if step.status == StepStatus.PENDING:
        return f"{label}: not reached yet ({_who(turn, request, step)})"
    return f"{label}: {str(step.status).replace('_', ' ')}"
