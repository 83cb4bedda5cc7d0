"""Who an escalation reaches, and when that person may decide the step themselves."""

from __future__ import annotations

from bot.core.stages import stage_of
from bot.core.turn import Turn
from bot.directory import MANAGER
from bot.store import owners
from bot.store.models import ApprovalStep, Request
from reminders.ladder import ESCALATION


def escalation_manager(turn: Turn, request: Request, step: ApprovalStep, fallback: str | None = None) -> str | None:
    """Who an escalation goes to: the approver's manager (the role's manager for a role's step),
    else the configured fallback (FRONTDOOR_ESCALATION_FALLBACK); never the requester."""
    directory = turn.services.directory
    if step.role == MANAGER:
        found = directory.manager_of(step.assignee or "")
    else:
        found = directory.role_manager(step.role, request.entity)
    if found is None or found.email == request.requester:
        fallback = fallback or turn.services.escalation_fallback
        return fallback if fallback != request.requester else None
    return found.email


def escalation_may_decide(turn: Turn, request: Request, step: ApprovalStep, person: str) -> bool:
    """Whether `person` may decide the step as its escalation's manager: the catalog allows it for
    the step (`escalation_may_decide: true`) and the escalation has gone out."""
    if person == request.requester or not step_allows(turn, request, step):
        return False
    return person == escalation_manager(turn, request, step) and owners.rung_sent(turn.session, step.id, ESCALATION)


def step_allows(turn: Turn, request: Request, step: ApprovalStep) -> bool:
    """Whether the catalog lets the escalation's manager decide this step."""
    requester = turn.services.directory.get(request.requester)
    attributes = requester.attributes() if requester else None
    chain = turn.services.catalog.approval_chain(request.type_id, request.fields, attributes)
    stage = stage_of(turn, request, step)  # a step decided with others: its policy step's place
    spec = chain[stage - 1] if 0 < stage <= len(chain) else None
    return spec is not None and spec.escalation_may_decide
