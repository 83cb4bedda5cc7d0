"""The escalation ladder: which rung is due, who hears about it, and what they are told.

Rungs: 1 at 50 % of the SLA (reminder to the approver), 2 at 100 % (breach: reminder to the
approver and a notice to the requester), 3 at 150 % (escalation to the approver's manager),
4 a nudge to a requester who has not answered a request for information after a business day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

REMINDER, BREACH, ESCALATION, INFO_NUDGE = 1, 2, 3, 4
RUNG_NAMES = {REMINDER: "reminder", BREACH: "breach", ESCALATION: "escalation", INFO_NUDGE: "info_nudge"}
INFO_NUDGE_HOURS = 9.0
"""One business day (08:00-17:00)."""


@dataclass(frozen=True)
class Notice:
    """One message a rung sends: to whom, which kind, what it says, with the card or not."""

    to: str
    kind: str
    text: str
    with_card: bool = False


def waited(since: datetime | None, now: datetime) -> str:
    """How long a step has waited, as people say it."""
    if since is None:
        return "a while"
    delta = max(now - since, timedelta())
    hours = delta.total_seconds() / 3600
    if hours < 1:
        return f"{int(delta.total_seconds() // 60)} minutes"
    if hours < 48:
        return f"{hours:.0f} hours" if hours >= 2 else "1 hour"
    return f"{hours / 24:.0f} days"


def next_rung(
    sent: set[int], dues: tuple[datetime | None, datetime | None, datetime | None]
) -> tuple[int, datetime] | None:
    """The first rung of 1..3 not yet sent, with its due time."""
    for rung, due in zip((REMINDER, BREACH, ESCALATION), dues, strict=True):
        if rung not in sent and due is not None:
            return rung, due
    return None


def notices(rung: int, *, ref: str, title: str, asked: str, waited_for: str, approvers: list[str],
            requester: str, manager: str | None, approver_names: str) -> list[Notice]:  # fmt: skip
    """The messages of one rung of one step."""
    if rung == REMINDER:
        text = f"Reminder: {ref} ({title}) is waiting for your decision — {asked}. It has waited {waited_for}."
        return [Notice(a, "reminder", text, True) for a in approvers]
    if rung == BREACH:
        text = f"{ref} ({title}) is past its approval time — {asked}. It has waited {waited_for}."
        told = (
            f"{ref} is taking longer than it should: it has waited {waited_for} for {approver_names}. "
            "I've reminded them."
        )
        return [Notice(a, "reminder", text, True) for a in approvers] + [Notice(requester, "notice", told)]
    if rung == ESCALATION:
        if manager is None:
            return []
        text = (f"Escalation: {ref} ({title}) has waited {waited_for} for {approver_names} — {asked}. "
                "Could you follow up, or decide it if you may?")  # fmt: skip
        return [Notice(manager, "escalation", text, True)]
    if rung == INFO_NUDGE:
        text = f"Reminder: {ref} is on hold until you answer the question about it ({asked}). Reply here to continue."
        return [Notice(requester, "reminder", text)]
    return []
