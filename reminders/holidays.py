"""Holidays for the business clock: the public holidays of a country and subdivision from the
`holidays` package, or a file of ISO dates that replaces them.

A list of dates runs out, and a deadline past its end would count Thanksgiving as a working day;
the package works out any year's holidays, so each year is worked out when a day of it is first
asked about, and kept. A file (`load_holidays`) is for an organisation whose closing days are not
the public ones: it replaces them, and knows only the years it lists (`frontdoor doctor` warns
before it runs out).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Literal

from reminders.business_time import load_holidays

__all__ = ["DEFAULT_HOLIDAYS", "Holidays", "PublicHolidays", "UnknownRegion"]


class UnknownRegion(ValueError):
    """A country or subdivision the holidays package does not know; `part` says which."""

    def __init__(self, part: Literal["country", "subdivision"], message: str) -> None:
        super().__init__(message)
        self.part = part


class PublicHolidays:
    """The public holidays of `country` (an ISO 3166 code: US, CA, GB…) and `subdivision` (a state
    or province: NY, ON…; None: the country's own only), year by year as they are asked for.

    Asked `day in holidays` as a set is. A holiday on a weekend is there on its own day and on the
    weekday it is observed on (a desk that works weekends closes on the day itself). The calendars
    of the engine's threads share one instance, so each year is worked out once, under a lock.
    """

    def __init__(self, country: str = "US", subdivision: str | None = None) -> None:
        import holidays  # tens of milliseconds: loaded when a calendar is first built, not at import

        supported = holidays.list_supported_countries()
        if country not in supported:
            raise UnknownRegion("country", f"unknown country {country!r}: use an ISO 3166 code such as US, CA or GB")
        try:
            holidays.country_holidays(country, subdiv=subdivision, years=())
        except NotImplementedError:
            known = supported[country]
            some = ", ".join(known[:10]) + (", …" if len(known) > 10 else "")
            hint = f"use one of {some}" if known else "it has none: leave the subdivision unset"
            raise UnknownRegion("subdivision", f"{country} has no subdivision {subdivision!r}: {hint}") from None
        self.country, self.subdivision = country, subdivision
        self._years: dict[int, frozenset[date]] = {}
        self._lock = threading.Lock()

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and day in self.of_year(day.year)

    def of_year(self, year: int) -> frozenset[date]:
        """The holidays of one year, worked out the first time it is asked for."""
        found = self._years.get(year)
        if found is None:
            import holidays

            with self._lock:
                found = self._years.get(year)
                if found is None:
                    days = holidays.country_holidays(self.country, subdiv=self.subdivision, years=year)
                    found = self._years[year] = frozenset(day for day in days if day.year == year)
        return found


@dataclass(frozen=True)
class Holidays:
    """Where a calendar's holidays come from: the file when one is named (it replaces the public
    holidays), else the public holidays of the country and subdivision. Hashable, so that the
    calendars built from one source are built once (`reminders.sla.calendar_for`)."""

    file: Path | None = None
    country: str = "US"
    subdivision: str | None = None

    def days(self) -> PublicHolidays | frozenset[date]:
        """The holidays, read or checked once per source. A file that cannot be read raises
        OSError, a bad line ValueError naming it; an unknown country or subdivision UnknownRegion."""
        return _days(self)

    def in_year(self, year: int) -> frozenset[date]:
        """The holidays known in `year`; none means the calendar does not cover that year."""
        days = self.days()
        if isinstance(days, PublicHolidays):
            return days.of_year(year)
        return frozenset(day for day in days if day.year == year)

    def describe(self) -> str:
        """Where the holidays come from, as an operator reads it."""
        if self.file is not None:
            return f"the holiday file {self.file}"
        return f"the public holidays of {self.country}" + (f" ({self.subdivision})" if self.subdivision else "")


DEFAULT_HOLIDAYS = Holidays()
"""The public holidays of the United States (the federal ones)."""


@cache
def _days(source: Holidays) -> PublicHolidays | frozenset[date]:
    if source.file is not None:
        return load_holidays(source.file)
    return PublicHolidays(source.country, source.subdivision)
