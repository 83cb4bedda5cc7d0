"""Steps decided together: an `all_of` step (one holder of each role listed) or an `any: N` step
(N different holders of a role) is written as one approval step per decision it needs, all of the
same stage, opened together. Each is a step like any other (its card, Take, hand-over, reminders,
escalation, expiry); what the stage adds: a person decides at most one step of a stage, the
first rejection closes the others, and the stage is approved when all its steps are.

A request whose type has no such step has one stage per step, and nothing here reads the store.
"""

from __future__ import annotations

from collections.abc import Callable

from bot.core import messages as say
from bot.core.turn import Turn
from bot.store import repo
from bot.store import stages as stored
from bot.store.models import ApprovalStep, Request
from bot.store.status import StepStatus
from forms.spec import ApprovalStepSpec

_CACHE = "frontdoor.stages"


def grouped(turn: Turn, request: Request) -> bool:
    """Whether the request's type has a step that needs several decisions."""
    if request.type_id not in turn.services.catalog:
        return False
    return any(len(spec.members) > 1 for spec in turn.services.catalog.get(request.type_id).approvals)


def remember(turn: Turn, request: Request, stages: list[int]) -> None:
    """The stages of a request submitted in this turn (before its audit event is written)."""
    turn.session.info.setdefault(_CACHE, {})[request.ref] = stages


def stage_of(turn: Turn, request: Request, step: ApprovalStep) -> int:
    """The stage of a step (its policy step's place in the chain, from 1)."""
    if not grouped(turn, request):
        return step.seq
    cache = turn.session.info.setdefault(_CACHE, {})
    if request.ref not in cache:
        cache[request.ref] = stored.submitted_stages(turn.session, request.ref)
    found: list[int] | None = cache[request.ref]
    return found[step.seq - 1] if found and 0 < step.seq <= len(found) else step.seq


def siblings(turn: Turn, request: Request, step: ApprovalStep, steps: list[ApprovalStep]) -> list[ApprovalStep]:
    """The steps of `step`'s stage, itself included, in order (of `steps`, the request's)."""
    if not grouped(turn, request):
        return [step]
    stage = stage_of(turn, request, step)
    return [s for s in steps if stage_of(turn, request, s) == stage]


def all_steps(turn: Turn, request: Request) -> list[ApprovalStep]:
    return repo.steps_of(turn.session, request.id)


def decided_by_person(turn: Turn, request: Request, step: ApprovalStep, person: str) -> ApprovalStep | None:
    """Another step of `step`'s stage that `person` has decided already (each decides once)."""
    if not grouped(turn, request):
        return None
    return next(
        (
            s
            for s in siblings(turn, request, step, all_steps(turn, request))
            if s.id != step.id and s.decided_by == person
        ),
        None,
    )


def approved_so_far(turn: Turn, request: Request, step: ApprovalStep) -> str:
    """Who has approved `step`'s stage so far, in words ("Lena Berg (Legal)"), or "" (none, or
    a step decided alone)."""
    if not grouped(turn, request):
        return ""
    directory = turn.services.directory
    stage = siblings(turn, request, step, all_steps(turn, request))
    done = [
        say.MEMBER_APPROVER.format(name=directory.name(s.decided_by), role=directory.role_label(s.role))
        for s in stage
        if s.status == StepStatus.APPROVED and s.decided_by and len(stage) > 1
    ]
    return ", ".join(done)


def still_waiting(turn: Turn, open_steps: list[ApprovalStep]) -> str:
    """Who a stage still waits for, in words: "Compliance", "Finance (2 more)"."""
    directory = turn.services.directory
    counts: dict[str, int] = {}
    for s in open_steps:
        key = directory.name(s.assignee) if s.assignee else directory.role_label(s.role)
        counts[key] = counts.get(key, 0) + 1
    return str(say.AND).join(
        say.MORE_OF.format(label=label, count=n) if n > 1 else label for label, n in counts.items()
    )


def stage_label(turn: Turn, spec: ApprovalStepSpec, label_of: Callable[[str], str]) -> str:
    """Who approves a policy step, in words: a role's label (`label_of`) for a step of one
    decision, "Legal and Compliance" for `all_of`, "2 Finance approvers" for `any: 2`."""
    if spec.all_of:
        return str(say.AND).join(label_of(role) for role in spec.all_of)
    if spec.quorum and spec.quorum > 1:
        return say.ANY_OF_ROLE.format(count=spec.quorum, label=turn.services.directory.role_label(spec.role))
    return label_of(spec.role)


def eligible(turn: Turn, request: Request, step: ApprovalStep) -> set[str]:
    """Who may decide `step` in their own right: its assignee, else its role's holders; never
    the requester."""
    if step.assignee:
        return {step.assignee} - {request.requester}
    return {p.email for p in turn.services.directory.holders(step.role, request.entity)} - {request.requester}


def leaves_a_way(turn: Turn, request: Request, open_steps: list[ApprovalStep], used: set[str]) -> bool:
    """Whether the open steps of a stage can still each be decided by a different person, none of
    `used` (who decided one already): so a person who holds two of an `all_of`'s roles decides
    the one nobody else could."""
    if not open_steps:
        return True
    first, rest = open_steps[0], open_steps[1:]
    return any(
        leaves_a_way(turn, request, rest, used | {person}) for person in sorted(eligible(turn, request, first) - used)
    )
