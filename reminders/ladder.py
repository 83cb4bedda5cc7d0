"""The escalation ladder: which rung is due, who hears about it, and what they are told.

Rungs: 1 at 50 % of the SLA (reminder to the approver), 2 at 100 % (breach: reminder to the
approver and a notice to the requester), 3 at 150 % (escalation to the approver's manager),
4 a nudge to a requester who has not answered a request for information after a business day
(the n-th request for information of a step is nudged as rung 3 + n, so each is nudged once).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

REMINDER, BREACH, ESCALATION, INFO_NUDGE = 1, 2, 3, 4
RUNG_NAMES = {REMINDER: "reminder", BREACH: "breach", ESCALATION: "escalation", INFO_NUDGE: "info_nudge"}
INFO_NUDGE_HOURS = 9.0
"""One business day (08:00-17:00)."""


def rung_name(rung: int) -> str:
    """`reminder`, `breach`, `escalation`, or `info_nudge` for every nudge rung."""
    return RUNG_NAMES.get(rung, "info_nudge")


@dataclass(frozen=True)
class Notice:
    """One message a rung sends: to whom, which kind, what it says, with the card or not."""

    to: str
    kind: str
    text: str
    with_card: bool = False


@dataclass(frozen=True)
class Subject:
    """What a rung's messages talk about: the request, what is asked of whom, and since when."""

    ref: str
    title: str
    requester: str
    """The requester's email."""
    requester_name: str
    summary: str
    """A few of the request's fields as people read them, e.g. `Item: chairs, Estimated cost: $600`."""
    asked: str
    """What the step asks, e.g. `decision (step 1, Manager)`; for a nudge, the question."""
    approver_names: str
    waited_for: str


def waited(since: datetime | None, now: datetime) -> str:
    """How long a step has waited, as people say it."""
    if since is None:
        return "a while"
    delta = max(now - since, timedelta())
    hours = delta.total_seconds() / 3600
    if hours < 1:
        minutes = int(delta.total_seconds() // 60)
        return "1 minute" if minutes == 1 else f"{minutes} minutes"
    if hours < 48:
        return f"{int(hours + 0.5)} hours" if hours >= 1.5 else "1 hour"
    return f"{int(hours / 24 + 0.5)} days"


def waited_in_business_hours(since: datetime | None, now: datetime, business_hours: float | None) -> str:
    """How long a step has waited, with the business hours of it when they differ ("2 days (9
    business hours)"): the SLA counts business hours, and a reminder says what it counted."""
    wall = waited(since, now)
    if since is None or business_hours is None:
        return wall
    counted = business_hours if business_hours >= 1 else 0.0
    business = (
        "less than a business hour"
        if counted < 1
        else ("1 business hour" if counted < 1.5 else f"{int(counted + 0.5)} business hours")
    )
    same = wall == business.replace(" business", "") or (counted < 1 and wall.endswith("minutes"))
    return wall if same else f"{wall} ({business})"


def next_rung(
    sent: set[int], dues: tuple[datetime | None, datetime | None, datetime | None]
) -> tuple[int, datetime] | None:
    """The first rung of 1..3 not yet sent, with its due time."""
    for rung, due in zip((REMINDER, BREACH, ESCALATION), dues, strict=True):
        if rung not in sent and due is not None:
            return rung, due
    return None


def notices(
    rung: int,
    subject: Subject,
    approvers: list[str],
    manager: str | None,
    manager_may_decide: bool = False,
    manager_may_reassign: bool = False,
) -> list[Notice]:
    """The messages of one rung of one step. Approvers get the approval card (its buttons where
    the channel shows them); the manager gets it when they may reassign the step (Reassign to
    each eligible approver) or decide it."""
    s = subject
    what = f"{s.ref} ({s.title} from {s.requester_name}: {s.summary})" if s.summary else f"{s.ref} ({s.title})"
    if rung == REMINDER:
        text = f"Reminder: {what} is waiting for your {s.asked}. It has waited {s.waited_for}."
        return [Notice(a, "reminder", text, True) for a in approvers]
    if rung == BREACH:
        text = f"Overdue: {what} is past its approval time, waiting for your {s.asked}. It has waited {s.waited_for}."
        told = (
            f"{s.ref} ({s.title}) is taking longer than it should: it has waited {s.waited_for} for "
            f"{s.approver_names}. I've reminded them."
        )
        return [Notice(a, "reminder", text, True) for a in approvers] + [Notice(s.requester, "notice", told)]
    if rung == ESCALATION:
        if manager is None:
            return []
        if manager_may_reassign:
            follow = (
                "Could you reassign it to another approver, or decide it yourself?"
                if manager_may_decide
                else "Could you reassign it to another approver, or follow up?"
            )
        else:
            follow = "Could you follow up, or decide it yourself?" if manager_may_decide else "Could you follow up?"
        text = f"Escalation: {what} has waited {s.waited_for} for a {s.asked} from {s.approver_names}. {follow}"
        return [Notice(manager, "escalation", text, manager_may_decide or manager_may_reassign)]
    if rung >= INFO_NUDGE:
        text = (
            f"Reminder: {s.ref} ({s.title}) is on hold until you answer the question of {s.approver_names}: "
            f'"{s.asked}" It has waited {s.waited_for}. Reply here to continue.'
        )
        return [Notice(s.requester, "reminder", text)]
    return []
