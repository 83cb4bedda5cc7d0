"""When the weekly summary is due: `mon 08:00` in a setting (FRONTDOOR_INSIGHT_WEEKLY), read
with no dependence on the rest of the product (the settings check it as they load)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

_SCHEDULE = re.compile(r"^\s*(?P<day>[a-z]{3})[a-z]*\s+(?P<hour>\d{1,2}):(?P<minute>\d{2})\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class Schedule:
    weekday: int
    """0 = Monday."""
    at: time


def parse_schedule(text: str | None) -> Schedule | None:
    """`mon 08:00` (a day of the week and a time, in the organisation's zone); None for unset or
    `off`. Raises ValueError for anything else."""
    value = (text or "").strip().lower()
    if value in ("", "off", "none", "no"):
        return None
    found = _SCHEDULE.match(value)
    if not found or found["day"] not in DAYS:
        raise ValueError("give a day of the week and a time, such as mon 08:00 (or off)")
    hour, minute = int(found["hour"]), int(found["minute"])
    if hour > 23 or minute > 59:
        raise ValueError(f"{hour:02d}:{minute:02d} is not a time of day")
    return Schedule(DAYS.index(found["day"]), time(hour, minute))


def last_due(schedule: Schedule, now: datetime, zone: Any) -> datetime:
    """The latest instant of the schedule at or before `now`."""
    local = now.astimezone(zone)
    day = local.date() - timedelta(days=(local.weekday() - schedule.weekday) % 7)
    due = datetime.combine(day, schedule.at, zone)
    if due > now:
        due = datetime.combine(day - timedelta(days=7), schedule.at, zone)
    return due
