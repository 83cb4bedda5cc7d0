"""What the page, the exports and `frontdoor report` share: filters read from parameters, the
calendars, the views read in one transaction, and the choices each filter offers."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from bot.deadlines import business_deadlines
from bot.directory import Directory
from bot.insight.queries import Calendars, Filters, Insight, Scope, View
from bot.store.models import ApprovalStep, Request

if TYPE_CHECKING:
    from bot.core.turn import Services
    from bot.settings import Settings
    from bot.store.db import Database


class BadFilter(ValueError):
    """A filter parameter that cannot be read (the message names it)."""


def parse_filters(params: Mapping[str, str]) -> Filters:
    def day(name: str) -> date | None:
        value = (params.get(name) or "").strip()
        if not value:
            return None
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            raise BadFilter(f"{name} must be a date such as 2026-01-31, not {value[:40]!r}") from None

    def word(name: str) -> str | None:
        value = (params.get(name) or "").strip()
        if len(value) > 80:
            raise BadFilter(f"{name} is too long")
        return value or None

    since, until = day("since"), day("until")
    if since and until and since > until:
        raise BadFilter("since must not be after until")
    return Filters(since, until, word("type"), word("entity"), word("department"), word("role"))


def sum_up_weeks(db: Database, services: Services, now: datetime) -> int:
    """Sum up the closed weeks of the default period that are not yet (`bot.insight.rollup`), so
    that no reader waits for it: the scheduler's tick, on PostgreSQL; the weeks summed up."""
    if db.engine.dialect.name != "postgresql":
        return 0
    calendars: Any = services.deadlines
    if not hasattr(calendars, "calendar"):  # wall-clock deadlines: the organisation's calendar
        calendars = business_deadlines(services.directory, services.timezone)
    with db.core_transaction() as connection:
        insight = Insight(connection, services.directory, calendars, now, zone=services.timezone)
        return len(insight.summed_weeks())


def calendars_for(settings: Settings, directory: Directory) -> Calendars:
    return business_deadlines(directory, settings.timezone, settings.business_hours, settings.holiday_source)


def read_views(
    db: Database,
    directory: Directory,
    calendars: Calendars,
    names: Sequence[str],
    filters: Filters,
    now: datetime,
    *,
    scope: Scope | None = None,
    zone: str = "America/New_York",
) -> list[View]:
    with db.core_transaction() as connection:
        insight = Insight(connection, directory, calendars, now, filters, scope, zone)
        return [insight.view(name) for name in names]


def filter_choices(db: Database, directory: Directory) -> dict[str, list[tuple[str, str]]]:
    """The values each filter offers: those present in the store (and the directory's labels)."""
    with db.core_transaction() as connection:
        types = sorted(connection.execute(select(Request.type_id).distinct()).scalars())
        entities = sorted(e for e in connection.execute(select(Request.entity).distinct()).scalars() if e)
        departments = sorted(c for c in connection.execute(select(Request.cost_center).distinct()).scalars() if c)
        roles = sorted(connection.execute(select(ApprovalStep.role).distinct()).scalars())
    named = dict(directory.entities)
    return {
        "type": [(t, t.replace("_", " ")) for t in types],
        "entity": [(e, f"{e} — {named[e]}" if e in named else e) for e in entities],
        "department": [(c, c) for c in departments],
        "role": [(r, directory.role_label(r)) for r in roles],
    }
