"""Deadlines for approval steps: business hours in the approver's zone, holidays excluded.

The organisation's hours come from the settings (`FRONTDOOR_BUSINESS_HOURS`, default
`08:00-17:00`, Monday to Friday; a day range may lead, as in `Sun-Thu 08:00-17:00`); a role
may have its own (`business_hours` of the role in the directory file, e.g. a security desk that
works `Mon-Sun 07:00-19:00`). Holidays are the public ones of `FRONTDOOR_HOLIDAY_COUNTRY` and
`FRONTDOOR_HOLIDAY_SUBDIVISION` (by default the US federal ones, for any year), or those of
`FRONTDOOR_HOLIDAYS` (a file of ISO dates) in their place. The zone is the approver's own
(`timezone` of the person in the directory); for a role's channel it is the zone its holders
share, else the organisation's. The calendars themselves are `reminders`'; this module applies
them to the directory's people and roles, and names the setting at fault when one is bad.
"""

from __future__ import annotations

from datetime import datetime

from bot.directory import MANAGER, Directory
from bot.settings import SettingsError
from reminders.business_time import BusinessCalendar
from reminders.holidays import DEFAULT_HOLIDAYS, Holidays, UnknownRegion
from reminders.sla import calendar_for


class BusinessDeadlines:
    """Gives a step's 50 %, 100 % and 150 % due times for its approver and role; also the
    calendar the sweep reads quiet time and business mornings from."""

    def __init__(
        self,
        directory: Directory,
        default_zone: str,
        hours: str = "08:00-17:00",
        holidays: Holidays = DEFAULT_HOLIDAYS,
    ) -> None:
        self.directory = directory
        self.default_zone = default_zone
        self.hours = hours
        self.holidays = holidays
        self._role_zones: dict[str, str | None] = {}

    def __call__(
        self, start: datetime, sla: float, approver: str | None, role: str | None
    ) -> tuple[datetime, datetime, datetime]:
        return self.calendar(approver, role).deadlines(start, sla)

    def calendar(self, person: str | None, role: str | None = None) -> BusinessCalendar:
        """The business calendar of a person (in their zone) working for `role` (its hours)."""
        info = self.directory.roles.get(role or "")
        span = info.business_hours if info is not None and info.business_hours else self.hours
        return calendar_for(self.zone_of(person, role), span, self.holidays)

    def zone_of(self, person: str | None, role: str | None = None) -> str:
        """The person's zone; for a role's channel the zone all its holders share; else the
        organisation's."""
        found = self.directory.get(person)
        if found is not None and found.timezone:
            return found.timezone
        if person is None and role and role != MANAGER:
            if role not in self._role_zones:
                zones = {p.timezone for p in self.directory.holders(role, None)}
                self._role_zones[role] = zones.pop() if len(zones) == 1 else None
            shared = self._role_zones[role]
            if shared:
                return shared
        return self.directory.timezone or self.default_zone

    def check(self) -> None:
        """Build every calendar the configuration names, so a bad one fails at start.

        Raises SettingsError naming the setting (or the role) at fault.
        """
        try:
            self.holidays.days()
        except (OSError, ValueError) as exc:
            raise SettingsError(f"{holiday_setting(self.holidays, exc)} is not valid: {exc}") from None
        try:
            calendar_for(self.default_zone, self.hours, self.holidays)
        except ValueError as exc:
            raise SettingsError(f"FRONTDOOR_BUSINESS_HOURS={self.hours!r} is not valid: {exc}") from None
        for name, info in self.directory.roles.items():
            if info.business_hours:
                try:
                    calendar_for(self.default_zone, info.business_hours, self.holidays)
                except ValueError as exc:
                    raise SettingsError(f"business_hours of role {name!r} in the directory: {exc}") from None


def holiday_setting(holidays: Holidays, error: Exception) -> str:
    """The setting at fault when the holidays of `holidays` cannot be had, with its value."""
    if holidays.file is not None:
        return f"FRONTDOOR_HOLIDAYS={str(holidays.file)!r}"
    if isinstance(error, UnknownRegion) and error.part == "subdivision":
        return f"FRONTDOOR_HOLIDAY_SUBDIVISION={holidays.subdivision!r}"
    return f"FRONTDOOR_HOLIDAY_COUNTRY={holidays.country!r}"


def business_deadlines(
    directory: Directory, default_zone: str, hours: str = "08:00-17:00", holidays: Holidays = DEFAULT_HOLIDAYS
) -> BusinessDeadlines:
    """The deadlines of the configured organisation (hours, holidays), checked now."""
    deadlines = BusinessDeadlines(directory, default_zone, hours, holidays)
    deadlines.check()
    return deadlines
