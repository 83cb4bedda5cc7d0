"""Business hours between many instants at once.

`reminders.business_time.BusinessCalendar.elapsed` walks the days between two instants; a view
measures thousands of waits over the same weeks, so this clock lays the calendar's working
windows out once (opening, closing, business hours before each) and answers each question with
a bisection: O(log days) a question, the same figures as the calendar's. `spans` answers a whole
view's waits in one pass (the span laid out once for all of them, no per-question checks).
"""

from __future__ import annotations

import threading
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta

from reminders.business_time import BusinessCalendar

_PAD = timedelta(days=14)


class HoursClock:
    """Cumulative business hours of one calendar, grown on demand to cover the instants asked."""

    def __init__(self, calendar: BusinessCalendar) -> None:
        self.calendar = calendar
        self._lock = threading.Lock()
        self._first: date | None = None
        self._last: date | None = None
        self._opens: list[float] = []
        self._closes: list[float] = []
        self._before: list[float] = []
        self._layout: tuple[list[float], list[float], list[float]] = ([], [], [])
        opens, closes = calendar.hours.start, calendar.hours.end
        self.day_hours = (datetime.combine(date.min, closes) - datetime.combine(date.min, opens)) / timedelta(hours=1)

    # -- the windows ------------------------------------------------------------------------
    def _cover(self, at: datetime) -> None:
        day = at.astimezone(self.calendar.zone).date()
        if self._first is not None and self._last is not None and self._first <= day <= self._last - _PAD:
            return
        with self._lock:
            first = day - _PAD if self._first is None else min(self._first, day - _PAD)
            last = day + 2 * _PAD if self._last is None else max(self._last, day + 2 * _PAD)
            if (first, last) != (self._first, self._last):
                self._build(first, last)

    def _build(self, first: date, last: date) -> None:
        opens: list[float] = []
        closes: list[float] = []
        before: list[float] = []
        total = 0.0
        day = first
        while day <= last:
            if self.calendar.is_workday(day):
                start, end = self.calendar.window(day)
                if start < end:
                    opens.append(start.timestamp())
                    closes.append(end.timestamp())
                    before.append(total)
                    total += (end - start).total_seconds() / 3600
            day += timedelta(days=1)
        self._opens, self._closes, self._before = opens, closes, before
        self._layout = (opens, closes, before)
        self._first, self._last = first, last

    # -- questions --------------------------------------------------------------------------
    def position(self, at: datetime) -> float:
        """Business hours from the start of the laid-out span to `at` (only differences mean anything)."""
        self._cover(at)
        t = at.timestamp()
        i = bisect_right(self._opens, t) - 1
        if i < 0:
            return 0.0
        return self._before[i] + (min(t, self._closes[i]) - self._opens[i]) / 3600

    def between(self, start: datetime, end: datetime) -> float:
        """Business hours from `start` to `end` (0 when `end` is not after `start`)."""
        if end <= start:
            return 0.0
        self._cover(start)
        return max(0.0, self.position(end) - self.position(start))

    def spans(self, pairs: Iterable[tuple[datetime, datetime]]) -> list[float]:
        """`between(start, end)` for each pair, in order: the same figures, computed in one pass."""
        return self.spans_at([(start.timestamp(), end.timestamp()) for start, end in pairs])

    def spans_at(self, stamps: list[tuple[float, float]]) -> list[float]:
        """`spans` of instants given as POSIX timestamps (as `datetime.timestamp()` gives them)."""
        if not stamps:
            return []
        self._cover(datetime.fromtimestamp(min(s for s, _ in stamps), UTC))
        self._cover(datetime.fromtimestamp(max(e for _, e in stamps), UTC))
        opens, closes, before = self._layout
        out: list[float] = []
        append = out.append
        for start, end in stamps:
            if end <= start:
                append(0.0)
                continue
            i = bisect_right(opens, end) - 1
            high = 0.0 if i < 0 else before[i] + (min(end, closes[i]) - opens[i]) / 3600
            j = bisect_right(opens, start) - 1
            low = 0.0 if j < 0 else before[j] + (min(start, closes[j]) - opens[j]) / 3600
            append(max(0.0, high - low))
        return out

    def add(self, start: datetime, hours: float) -> datetime:
        """The instant `hours` business hours after `start` (as `BusinessCalendar.add`)."""
        if hours > 0:
            self._cover(start + timedelta(days=hours / max(self.day_hours, 1) * 2 + 7))
        target = self.position(start) + hours
        i = max(bisect_left(self._before, target) - 1, 0)  # the window the target falls in (its end included)
        moment = max(self._opens[i] + (target - self._before[i]) * 3600, start.timestamp())
        return datetime.fromtimestamp(moment, UTC)

    def back(self, at: datetime, hours: float) -> datetime:
        """The instant `hours` business hours before `at` (the earliest such instant)."""
        self._cover(at - timedelta(days=hours / max(self.day_hours, 1) * 2 + 7))
        target = self.position(at) - hours
        i = max(bisect_right(self._before, target) - 1, 0)
        moment = min(self._opens[i] + (target - self._before[i]) * 3600, at.timestamp())
        return datetime.fromtimestamp(moment, UTC)


_CLOCKS: dict[int, HoursClock] = {}
_CLOCKS_LOCK = threading.Lock()


def clock_of(calendar: BusinessCalendar) -> HoursClock:
    """One clock per calendar (calendars are cached by `reminders.sla.calendar_for`)."""
    with _CLOCKS_LOCK:
        found = _CLOCKS.get(id(calendar))
        if found is None or found.calendar is not calendar:
            found = _CLOCKS[id(calendar)] = HoursClock(calendar)
        return found
