"""Business hours as people write them, and the calendars they make: `Mon-Fri 08:00-17:00`
read into hours and days, quiet hours, and a business calendar per zone, hours and holidays.

The spans come from the settings (`FRONTDOOR_BUSINESS_HOURS`, default `08:00-17:00`, Monday to
Friday; a day range may lead, as in `Sun-Thu 08:00-17:00`; `FRONTDOOR_QUIET_HOURS`) and from a
role in the directory file; holidays are the public ones of `FRONTDOOR_HOLIDAY_COUNTRY` (default
US) and `FRONTDOOR_HOLIDAY_SUBDIVISION`, or `FRONTDOOR_HOLIDAYS` (a file of ISO dates) in their
place (`reminders.holidays`). Which calendar an approver works by (their zone, their role's
hours) is decided in `bot.deadlines`.
"""

from __future__ import annotations

import re
from datetime import time
from functools import cache

from reminders.business_time import BusinessCalendar, BusinessHours, QuietHours
from reminders.holidays import DEFAULT_HOLIDAYS, Holidays

__all__ = [
    "calendar_for",
    "parse_hours",
    "parse_span",
    "quiet_hours",
]

_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_SPAN = re.compile(r"^\s*(?:(?P<days>[A-Za-z]{3}(?:\s*[-,]\s*[A-Za-z]{3})*)\s+)?(?P<hours>\S+\s*-\s*\S+)\s*$")
_EXAMPLE = "a span such as 08:00-17:00 or Mon-Fri 08:00-17:00"


def parse_hours(text: str) -> tuple[time, time, frozenset[int]]:
    """`Mon-Fri 08:00-17:00` → (08:00, 17:00, {0..4}); the days are optional (Monday to Friday).

    Days are a range (`Sun-Thu`, wrapping over the week end) or a list (`Mon,Wed,Fri`).
    ValueError names the expected form.
    """
    match = _SPAN.match(text)
    if not match:
        raise ValueError(f"{text!r} is not {_EXAMPLE}")
    try:
        start, end = (time.fromisoformat(part.strip()) for part in match.group("hours").split("-"))
    except ValueError:
        raise ValueError(f"{text!r} is not {_EXAMPLE}") from None
    days = _weekdays(match.group("days"), text) if match.group("days") else frozenset(range(5))
    return start, end, days


def _weekdays(spec: str, text: str) -> frozenset[int]:
    def number(name: str) -> int:
        try:
            return _DAYS.index(name.strip().lower())
        except ValueError:
            raise ValueError(f"{text!r}: {name.strip()!r} is not a day (Mon, Tue, … Sun)") from None

    if "-" in spec:
        first, last = (number(part) for part in spec.split("-", 1))
        return frozenset((first + offset) % 7 for offset in range((last - first) % 7 + 1))
    return frozenset(number(part) for part in spec.split(","))


def parse_span(text: str) -> tuple[time, time]:
    """`08:00-17:00` → (08:00, 17:00) (a leading day range is checked and left out)."""
    start, end, _days = parse_hours(text)
    return start, end


def quiet_hours(text: str) -> QuietHours | None:
    """`19:00-07:00` (quiet hours and weekends), or `off`."""
    if text.strip().lower() in ("off", "none", ""):
        return None
    start, end = parse_span(text)
    return QuietHours(start=start, end=end)


@cache
def calendar_for(zone: str, span: str = "08:00-17:00", holidays: Holidays = DEFAULT_HOLIDAYS) -> BusinessCalendar:
    """A business calendar in one zone: working hours and days from `span`, holidays from their
    source (by default the public holidays of the United States), for any year."""
    start, end, days = parse_hours(span)
    return BusinessCalendar(BusinessHours(start=start, end=end, workdays=days, tz=zone, holidays=holidays.days()))
