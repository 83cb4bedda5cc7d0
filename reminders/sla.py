"""Deadlines for approval steps: business hours in the approver's zone, holidays excluded.

The organisation's hours come from the settings (`FRONTDOOR_BUSINESS_HOURS`, default
08:00-17:00, Monday to Friday); a role may have its own (`business_hours` of the role in the
directory file, e.g. a security desk that works 07:00-19:00).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time
from functools import cache

from bot.directory import Directory
from reminders.business_time import BusinessCalendar, BusinessHours, QuietHours, load_holidays

Deadlines = Callable[[datetime, float, str | None, str | None], tuple[datetime, datetime, datetime]]


def parse_span(text: str) -> tuple[time, time]:
    """`08:00-17:00` → (08:00, 17:00); ValueError naming the expected form."""
    try:
        start, end = (time.fromisoformat(part.strip()) for part in text.split("-"))
    except ValueError:
        raise ValueError(f"{text!r} is not a span such as 08:00-17:00") from None
    return start, end


def quiet_hours(text: str) -> QuietHours | None:
    """`19:00-07:00` (quiet hours and weekends), or `off`."""
    if text.strip().lower() in ("off", "none", ""):
        return None
    start, end = parse_span(text)
    return QuietHours(start=start, end=end)


@cache
def calendar_for(zone: str, span: str = "08:00-17:00") -> BusinessCalendar:
    """A business calendar in one zone with the shipped US federal holidays."""
    start, end = parse_span(span)
    return BusinessCalendar(BusinessHours(start=start, end=end, tz=zone, holidays=load_holidays()))


def business_deadlines(directory: Directory, default_zone: str, hours: str = "08:00-17:00") -> Deadlines:
    """A function giving a step's 50 %, 100 % and 150 % due times for its approver and role."""

    def deadlines(
        start: datetime, sla: float, approver: str | None, role: str | None
    ) -> tuple[datetime, datetime, datetime]:
        person = directory.get(approver)
        zone = (person.timezone if person and person.timezone else None) or directory.timezone or default_zone
        info = directory.roles.get(role or "")
        span = info.business_hours if info is not None and info.business_hours else hours
        return calendar_for(zone, span).deadlines(start, sla)

    return deadlines
