"""The insight gauges of /metrics, read at each scrape with three indexed counts: open steps
by age (business hours on the organisation's calendar), open steps past their SLA, and open
steps at risk (due within the next business day)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.engine import Connection

from bot.insight.hours import HoursClock
from bot.insight.queries import AGE_BUCKETS, OPEN, grouping
from bot.store.models import ApprovalStep


def gauge_figures(connection: Connection, clock: HoursClock, now: datetime) -> tuple[dict[str, int], int, int]:
    """({age bucket: open steps}, steps past SLA, steps at risk)."""
    edges = [(label, clock.back(now, top)) for label, top in AGE_BUCKETS if top != float("inf")]
    bucket: Any = case(
        *[(ApprovalStep.activated_at > at, index) for index, (_, at) in enumerate(edges)], else_=len(edges)
    ).label("bucket")
    horizon = clock.add(now, clock.day_hours)
    query = (
        select(
            bucket,
            func.count(),
            func.sum(case((ApprovalStep.due_100 <= now, 1), else_=0)),
            func.sum(case(((ApprovalStep.due_100 > now) & (ApprovalStep.due_100 <= horizon), 1), else_=0)),
        )
        .where(ApprovalStep.status.in_(OPEN))
        .group_by(grouping(bucket))
    )
    counts = dict.fromkeys((label for label, _ in AGE_BUCKETS), 0)
    past = risk = 0
    for index, n, p, r in connection.execute(query):
        counts[AGE_BUCKETS[int(index)][0]] += int(n)
        past += int(p or 0)
        risk += int(r or 0)
    return counts, past, risk
