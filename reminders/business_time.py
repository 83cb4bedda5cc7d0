"""Business time: opening hours, working days and holidays in one time zone.

Deadlines are counted in working time only: a step that starts on Friday at 16:00 with a
two-hour SLA is due on Monday at 09:00. Each day's opening and closing are wall times turned
into instants with zoneinfo, so DST changes move them correctly. Every instant returned is
an aware UTC datetime. Work is proportional to the days spanned, never to the minutes.
Pure: standard library only.
"""

from __future__ import annotations

import math
import re
from collections.abc import Container, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

__all__ = [
    "BusinessCalendar",
    "BusinessHours",
    "QuietHours",
    "load_holidays",
    "wall_clock_deadlines",
]

_MAX_GAP_DAYS = 400
"""A calendar with no working day in this many consecutive days is refused as broken."""
_SHARES = (0.5, 1.0, 1.5)
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_ONE_DAY = timedelta(days=1)
_NOTHING = timedelta()


@dataclass(frozen=True)
class BusinessHours:
    """When an organisation (or a role) works: daily hours, working weekdays, zone, holidays."""

    start: time = time(8, 0)
    end: time = time(17, 0)
    workdays: frozenset[int] = frozenset(range(5))
    """Weekday numbers as `date.weekday()` gives them: Monday is 0."""
    tz: str = "America/New_York"
    holidays: Container[date] = field(default_factory=frozenset)
    """Days not worked: a set, or any calendar that answers `day in holidays` (`reminders.holidays`)."""


@dataclass(frozen=True)
class QuietHours:
    """When no reminder is sent: evenings and nights, and (by default) weekends and holidays."""

    start: time = time(19, 0)
    end: time = time(7, 0)
    weekends: bool = True


class BusinessCalendar:
    """Adds and measures business hours in one zone."""

    def __init__(self, hours: BusinessHours | None = None) -> None:
        self.hours = hours or BusinessHours()
        if self.hours.end <= self.hours.start:
            raise ValueError("business hours must end after they start")
        if not self.hours.workdays or not self.hours.workdays <= frozenset(range(7)):
            raise ValueError("workdays must be a non-empty set of weekday numbers 0 (Monday) to 6 (Sunday)")
        self.zone = ZoneInfo(self.hours.tz)

    def is_workday(self, day: date) -> bool:
        """A working weekday that is not a holiday."""
        return day.weekday() in self.hours.workdays and day not in self.hours.holidays

    def window(self, day: date) -> tuple[datetime, datetime]:
        """The day's opening and closing, as UTC instants (whether or not the day is worked)."""
        opens = datetime.combine(day, self.hours.start, self.zone).astimezone(UTC)
        closes = datetime.combine(day, self.hours.end, self.zone).astimezone(UTC)
        return opens, closes

    def is_open(self, at: datetime) -> bool:
        """Whether `at` falls inside working time."""
        at = _utc(at)
        day = at.astimezone(self.zone).date()
        if not self.is_workday(day):
            return False
        opens, closes = self.window(day)
        return opens <= at < closes

    def next_open(self, at: datetime) -> datetime:
        """`at` itself when open, else the next opening."""
        at = _utc(at)
        for opens, closes in self._windows(at):
            if at < closes:
                return max(at, opens)
        raise AssertionError("unreachable: the window generator never ends")  # pragma: no cover

    def add(self, start: datetime, hours: float) -> datetime:
        """The instant at which `hours` business hours have passed after `start`.

        A start outside working time begins counting at the next opening, so adding nothing
        gives `start` itself when open, else the next opening.
        """
        remaining = _duration(hours)
        start = _utc(start)
        for opens, closes in self._windows(start):
            if closes <= start:
                continue
            begin = max(start, opens)
            if remaining <= closes - begin:
                return begin + remaining
            remaining -= closes - begin
        raise AssertionError("unreachable: the window generator never ends")  # pragma: no cover

    def elapsed(self, start: datetime, end: datetime) -> float:
        """Business hours between two instants (0 when `end` is not after `start`)."""
        start, end = _utc(start), _utc(end)
        if end <= start:
            return 0.0
        total = _NOTHING
        for opens, closes in self._windows(start):
            if opens >= end:
                break
            total += max(min(closes, end) - max(opens, start), _NOTHING)
        return total / timedelta(hours=1)

    def deadlines(self, start: datetime, sla_hours: float) -> tuple[datetime, datetime, datetime]:
        """Due times at 50 %, 100 % and 150 % of the SLA, counted in business hours."""
        half, full, late = (self.add(start, sla_hours * share) for share in _SHARES)
        return half, full, late

    def defer_out_of_quiet(self, at: datetime, quiet: QuietHours | None) -> datetime:
        """`at` unchanged, or the next business morning's opening when `at` falls in quiet time.

        Quiet time is the quiet hours of any day in the calendar's zone, and, when
        `quiet.weekends` is set, the whole of every day that is not a working day.
        """
        at = _utc(at)
        if quiet is None or not self._is_quiet(at, quiet):
            return at
        for opens, _closes in self._windows(at):
            if opens > at:
                return opens
        raise AssertionError("unreachable: the window generator never ends")  # pragma: no cover

    def _is_quiet(self, at: datetime, quiet: QuietHours) -> bool:
        local = at.astimezone(self.zone)
        if quiet.weekends and not self.is_workday(local.date()):
            return True
        clock = local.time()
        if quiet.start > quiet.end:  # across midnight, e.g. 19:00 to 07:00
            return clock >= quiet.start or clock < quiet.end
        return quiet.start <= clock < quiet.end

    def _windows(self, at: datetime) -> Iterator[tuple[datetime, datetime]]:
        """The non-empty working windows from the local day of `at` on, in order, without end."""
        day = at.astimezone(self.zone).date()
        idle = 0
        while True:
            if self.is_workday(day):
                opens, closes = self.window(day)
                if opens < closes:  # a window inside a DST gap can come out empty
                    idle = 0
                    yield opens, closes
            idle += 1
            if idle > _MAX_GAP_DAYS:
                raise ValueError(f"no working time in {_MAX_GAP_DAYS} days after {day}: check the calendar")
            day += _ONE_DAY


def wall_clock_deadlines(start: datetime, hours: float) -> tuple[datetime, datetime, datetime]:
    """The 50 %, 100 % and 150 % points in wall-clock time (work orders' response SLAs)."""
    start = _utc(start)
    half, full, late = (start + _duration(hours * share) for share in _SHARES)
    return half, full, late


def load_holidays(path: str | Path) -> frozenset[date]:
    """Holidays from a file: one ISO date (YYYY-MM-DD) per line, optionally followed by a name.

    `#` starts a comment; blank lines are skipped. A line that is not a date raises ValueError
    naming the file and the line number.
    """
    source = Path(path)
    days: set[date] = set()
    for number, line in enumerate(source.read_text(encoding="utf-8").splitlines(), start=1):
        text = line.split("#", 1)[0].strip()
        if text:
            days.add(_holiday(text.split()[0], source, number))
    return frozenset(days)


def _holiday(token: str, source: Path, number: int) -> date:
    problem = f"{source}, line {number}: {token!r} is not an ISO date (YYYY-MM-DD)"
    if not _ISO_DATE.fullmatch(token):
        raise ValueError(problem)
    try:
        return date.fromisoformat(token)
    except ValueError:
        raise ValueError(problem) from None


def _duration(hours: float) -> timedelta:
    if not math.isfinite(hours) or hours < 0:
        raise ValueError(f"hours must be a finite number, not negative: {hours!r}")
    return timedelta(hours=hours)


def _utc(at: datetime) -> datetime:
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError("business time needs aware datetimes")
    return at.astimezone(UTC)
