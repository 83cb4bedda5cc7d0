"""The weekly summary to each role's approvals room (`FRONTDOOR_INSIGHT_WEEKLY`, e.g. `mon 08:00`).

Once a week, at that day and time in the organisation's zone, each approval role with steps
open now or decided in the seven days before gets one message in its room (the directory's
`channel` of the role, else `#approvals-<role>`): how many of its steps were decided in those
seven days and the median business hours they took, how many are open now, past their SLA and
at risk of breaching within a business day, and a link to /insight filtered by the role and
the week. The figures are the views' (`bot.insight.queries`) for that role and week, so the
page behind the link shows the same numbers.

It runs at the scheduler's tick (`App.tick`) on every replica; the first to get there claims
the week (a row of `inbound_events` keyed by the week's date, unique) in the same transaction
as the messages it puts in the outbox, so the summary goes out once whatever the replicas, and a
crash before the commit leaves it to the next tick. A summary not sent within a day of its time
(every replica down) is skipped rather than posted late.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from bot.core import messages as say
from bot.directory import MANAGER
from bot.insight import chat
from bot.insight.queries import Filters, Insight
from bot.insight.schedule import Schedule, last_due, parse_schedule

if TYPE_CHECKING:
    from bot.core.turn import Services
    from bot.store.db import Database

log = logging.getLogger(__name__)

LATE = timedelta(days=1)
"""How late a summary may still go out (a replica started after its time)."""
KEY = "insight-weekly:{day}"
"""The claim of one week's summary in `inbound_events`."""


@dataclass(frozen=True)
class RoleWeek:
    role: str
    decided: int
    median: float
    open_steps: int
    past: int
    risk: int
    link: str


def role_figures(insight_for: Any, role: str, since: date, until: date) -> RoleWeek:
    """One role's figures: the latency view's decisions of the week, the queue and at-risk views now."""
    insight: Insight = insight_for(Filters(since=since, until=until, role=role))
    decided, median, _ = insight.latency().table("overall").rows[0]
    queue = insight.queue().table("summary").rows
    risk = insight.at_risk().table("summary").rows[0][1]
    query = urlencode({"role": role, "since": since.isoformat(), "until": until.isoformat()})
    return RoleWeek(role, decided, median, queue[1][1], queue[2][1], risk, f"{chat.PAGE_URL}?{query}")


def text_of(label: str, week: RoleWeek, since: date, until: date) -> str:
    waiting = say.INSIGHT_OPEN.format(steps=chat._steps(week.open_steps), past=week.past, risk=week.risk)
    if week.decided:
        return say.INSIGHT_WEEKLY.format(
            role=label,
            since=since.isoformat(),
            until=until.isoformat(),
            decided=week.decided,
            median=week.median,
            waiting=waiting,
            link=week.link,
        )
    return say.INSIGHT_WEEKLY_NONE_DECIDED.format(
        role=label, since=since.isoformat(), until=until.isoformat(), waiting=waiting, link=week.link
    )


def post_weekly(db: Database, services: Services, schedule: Schedule | str | None, now: datetime) -> int:
    """Post the week's summary to each role's room if it is due and no replica has yet; returns
    the rooms posted to (0 when not due, or already sent). Runs in a database worker thread."""
    from bot.core.engine import enqueue_chat
    from bot.core.replies import Outgoing
    from bot.core.turn import Turn
    from bot.store import repo

    plan = parse_schedule(schedule) if isinstance(schedule, str | None) else schedule
    if plan is None:
        return 0
    zone = services.zone
    due = last_due(plan, now, zone)
    if now - due > LATE:
        return 0
    day = due.astimezone(zone).date()
    since, until = day - timedelta(days=7), day - timedelta(days=1)
    directory = services.directory
    with db.transaction() as session:
        if not repo.claim_event(session, KEY.format(day=day.isoformat()), now):
            return 0  # this week's summary is sent (or being sent) by another replica
        turn = Turn(session=session, now=now, services=services, source={"channel": "scheduler"})
        calendars = chat._calendars(turn)
        connection = session.connection()

        def insight_for(filters: Filters) -> Insight:
            return Insight(connection, directory, calendars, now, filters, None, services.timezone)

        everything = insight_for(Filters(since=since, until=until))
        active = {s["role"] for s in everything.open_steps()} | set(everything.decided_stats()["role"])
        posted = 0
        for role in sorted((set(directory.roles) | active) - {MANAGER}):
            if role not in active:
                continue  # nothing open, nothing decided: nothing to say
            week = role_figures(insight_for, role, since, until)
            room = directory.role_channel(role)
            with turn.speaking_to(room):  # the organisation's language (FRONTDOOR_LANGUAGE)
                text = str(text_of(directory.role_label(role), week, since, until))
            outgoing = Outgoing.notice(room, text)
            enqueue_chat(turn, outgoing, f"{KEY.format(day=day.isoformat())}:{role}")
            posted += 1
        log.info("weekly insight summary for the week to %s: %d room(s)", until.isoformat(), posted)
        return posted
