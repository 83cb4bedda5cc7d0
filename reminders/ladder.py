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


@dataclass(frozen=True)
class Words:
    """What the ladder says, sentence by sentence, with {named} placeholders. English here, so the
    ladder stands on its own; the bot passes its catalogue's, in each recipient's language
    (`bot.core.messages`, the LADDER_ sentences)."""

    what: str = "{ref} ({title} from {requester}: {summary})"
    what_short: str = "{ref} ({title})"
    reminder: str = "Reminder: {what} is waiting for your {asked}. It has waited {waited}."
    overdue: str = "Overdue: {what} is past its approval time, waiting for your {asked}. It has waited {waited}."
    taking_longer: str = (
        "{ref} ({title}) is taking longer than it should: it has waited {waited} for {approvers}. I've reminded them."
    )
    escalation: str = "Escalation: {what} has waited {waited} for a {asked} from {approvers}. {follow}"
    reassign_or_decide: str = "Could you reassign it to another approver, or decide it yourself?"
    reassign_or_follow: str = "Could you reassign it to another approver, or follow up?"
    follow_or_decide: str = "Could you follow up, or decide it yourself?"
    follow_up: str = "Could you follow up?"
    info_nudge: str = (
        'Reminder: {ref} ({title}) is on hold until you answer the question of {approvers}: "{question}" '
        "It has waited {waited}. Reply here to continue."
    )
    a_while: str = "a while"
    one_minute: str = "1 minute"
    minutes: str = "{n} minutes"
    one_hour: str = "1 hour"
    hours: str = "{n} hours"
    days: str = "{n} days"
    under_business_hour: str = "less than a business hour"
    one_business_hour: str = "1 business hour"
    business_hours: str = "{n} business hours"
    waited_counted: str = "{wall} ({business})"


ENGLISH = Words()


def _wall(since: datetime, now: datetime) -> tuple[str, int]:
    """How long since `since`, in the unit people would say it: ("minutes" | "hours" | "days", n)."""
    delta = max(now - since, timedelta())
    hours = delta.total_seconds() / 3600
    if hours < 1:
        return "minutes", int(delta.total_seconds() // 60)
    if hours < 48:
        return "hours", int(hours + 0.5) if hours >= 1.5 else 1
    return "days", int(hours / 24 + 0.5)


def _said(unit: str, n: int, words: Words) -> str:
    if unit == "minutes":
        return words.one_minute if n == 1 else words.minutes.format(n=n)
    if unit == "hours":
        return words.one_hour if n == 1 else words.hours.format(n=n)
    return words.days.format(n=n)


def waited(since: datetime | None, now: datetime, words: Words = ENGLISH) -> str:
    """How long a step has waited, as people say it."""
    if since is None:
        return words.a_while
    return _said(*_wall(since, now), words)


def waited_in_business_hours(
    since: datetime | None, now: datetime, business_hours: float | None, words: Words = ENGLISH
) -> str:
    """How long a step has waited, with the business hours of it when they differ ("2 days (9
    business hours)"): the SLA counts business hours, and a reminder says what it counted."""
    wall = waited(since, now, words)
    if since is None or business_hours is None:
        return wall
    unit, n = _wall(since, now)
    counted = business_hours if business_hours >= 1 else 0.0
    hours = 1 if counted < 1.5 else int(counted + 0.5)
    business = (
        words.under_business_hour
        if counted < 1
        else (words.one_business_hour if hours == 1 else words.business_hours.format(n=hours))
    )
    same = (unit == "hours" and counted >= 1 and n == hours) or (counted < 1 and unit == "minutes" and n != 1)
    return wall if same else words.waited_counted.format(wall=wall, business=business)


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
    words: Words = ENGLISH,
) -> list[Notice]:
    """The messages of one rung of one step, said with `words`. Approvers get the approval card
    (its buttons where the channel shows them); the manager gets it when they may reassign the
    step (Reassign to each eligible approver) or decide it."""
    s = subject
    what = (
        words.what.format(ref=s.ref, title=s.title, requester=s.requester_name, summary=s.summary)
        if s.summary
        else words.what_short.format(ref=s.ref, title=s.title)
    )
    if rung == REMINDER:
        text = words.reminder.format(what=what, asked=s.asked, waited=s.waited_for)
        return [Notice(a, "reminder", text, True) for a in approvers]
    if rung == BREACH:
        text = words.overdue.format(what=what, asked=s.asked, waited=s.waited_for)
        told = words.taking_longer.format(ref=s.ref, title=s.title, waited=s.waited_for, approvers=s.approver_names)
        return [Notice(a, "reminder", text, True) for a in approvers] + [Notice(s.requester, "notice", told)]
    if rung == ESCALATION:
        if manager is None:
            return []
        if manager_may_reassign:
            follow = words.reassign_or_decide if manager_may_decide else words.reassign_or_follow
        else:
            follow = words.follow_or_decide if manager_may_decide else words.follow_up
        text = words.escalation.format(
            what=what, waited=s.waited_for, asked=s.asked, approvers=s.approver_names, follow=follow
        )
        return [Notice(manager, "escalation", text, manager_may_decide or manager_may_reassign)]
    if rung >= INFO_NUDGE:
        text = words.info_nudge.format(
            ref=s.ref, title=s.title, approvers=s.approver_names, question=s.asked, waited=s.waited_for
        )
        return [Notice(s.requester, "reminder", text)]
    return []
