"""Closed weeks summed up once (bot.insight.rollup): the views give the very figures they give
counting every row, whatever the filters, the scope and where the period starts; a week is
summed up once across concurrent readers, never while it is open, never with a wait missing."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, null, select, update

from bot.insight import rollup
from bot.insight.queries import VIEWS, Filters, Insight, Scope
from bot.insight.seed import seed_history
from bot.store.db import Database
from bot.store.models import ApprovalStep, InsightWeek, InsightWeekSteps
from tests.conftest import drop_pg_database, fresh_pg_database
from tests.insight.history import CALENDARS, DIRECTORY, NOW

WIDE = Filters(since=NOW.date() - timedelta(weeks=8), until=NOW.date())


@pytest.fixture(scope="module")
def seeded(pg_server: str) -> Iterator[Database]:
    """A demo history of 600 requests over ten weeks, on PostgreSQL (the only one that sums up)."""
    url, name = fresh_pg_database(pg_server)
    db = Database(url)
    db.upgrade()
    with db.core_transaction() as connection:
        seed_history(connection, DIRECTORY, CALENDARS, requests=600, now=NOW, weeks=10)
    yield db
    db.dispose()
    drop_pg_database(pg_server, name)


def tables(db: Database, filters: Filters, scope: Scope | None = None, summed: bool = True) -> dict[str, Any]:
    with db.core_transaction() as connection:
        insight = Insight(connection, DIRECTORY, CALENDARS, NOW, filters, scope, summed=summed)
        return {name: {t.name: t.rows for t in insight.view(name).tables} for name in VIEWS}


def summed_weeks(db: Database) -> list[date]:
    with db.core_transaction() as connection:
        return list(connection.execute(select(InsightWeek.week).order_by(InsightWeek.week)).scalars())


def forget(db: Database) -> None:
    with db.core_transaction() as connection:
        rollup.forget(connection)


@pytest.mark.parametrize(
    "filters",
    [
        WIDE,
        Filters(since=date(2026, 1, 14), until=date(2026, 2, 25)),  # a Wednesday to a Wednesday
        Filters(since=WIDE.since, until=NOW.date(), type_id="purchase_requisition"),
        Filters(since=WIDE.since, until=NOW.date(), entity="LCH"),
        Filters(since=WIDE.since, until=NOW.date(), role="finance"),
        Filters(since=WIDE.since, until=NOW.date(), type_id="invoice_exception", entity="RMC"),
    ],
    ids=["eight-weeks", "mid-week", "type", "entity", "role", "type-and-entity"],
)
def test_summed_weeks_give_the_figures_of_every_row(seeded: Database, filters: Filters) -> None:
    forget(seeded)
    counted = tables(seeded, filters, summed=False)
    assert summed_weeks(seeded) == []  # counting rows sums nothing up
    first = tables(seeded, filters)  # sums the closed weeks up as it reads them
    weeks = summed_weeks(seeded)
    assert weeks and all(w.weekday() == 0 for w in weeks)
    assert max(weeks) + timedelta(days=8) <= NOW.date()  # closed a day after its end: not this week
    assert first == counted
    assert tables(seeded, filters) == counted  # read from the sums


def test_scopes_and_filters_the_sums_cannot_answer_count_rows(seeded: Database) -> None:
    forget(seeded)
    holder = Scope(everything=False, roles=frozenset({"finance", "legal"}))
    assert tables(seeded, WIDE, holder) == tables(seeded, WIDE, holder, summed=False)
    assert summed_weeks(seeded)
    forget(seeded)
    manager = Scope(everything=False, requesters=frozenset({"alice.nguyen@example.org"}))
    assert tables(seeded, WIDE, manager) == tables(seeded, WIDE, manager, summed=False)
    assert summed_weeks(seeded) == []  # a manager's people are the requests': rows counted
    department = Filters(since=WIDE.since, until=WIDE.until, department="CC-4410")
    assert tables(seeded, department) == tables(seeded, department, summed=False)
    assert summed_weeks(seeded)  # the invoice exceptions are summed by department; the steps counted


def test_a_week_is_summed_up_once_by_concurrent_readers(seeded: Database) -> None:
    forget(seeded)
    barrier = threading.Barrier(4)
    results: list[dict[str, Any]] = []
    errors: list[BaseException] = []

    def read() -> None:
        try:
            barrier.wait()
            results.append(tables(seeded, WIDE))
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=read) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert all(result == results[0] for result in results)
    with seeded.core_transaction() as connection:
        per_week = dict(
            connection.execute(
                select(InsightWeekSteps.week, func.sum(InsightWeekSteps.decided)).group_by(InsightWeekSteps.week)
            ).all()
        )
        claimed = dict(connection.execute(select(InsightWeek.week, InsightWeek.steps)).all())
        decided = {
            monday: connection.execute(
                select(func.count()).where(
                    ApprovalStep.status.in_(("approved", "rejected")),
                    ApprovalStep.decided_at >= _midnight(monday),
                    ApprovalStep.decided_at < _midnight(monday + timedelta(days=7)),
                )
            ).scalar_one()
            for monday in claimed
        }
    assert per_week == claimed == decided  # each week's steps once, not four times
    assert results[0] == tables(seeded, WIDE, summed=False)


def test_a_week_with_a_wait_missing_is_counted_from_its_rows(seeded: Database) -> None:
    forget(seeded)
    with seeded.core_transaction() as connection:
        step = connection.execute(
            select(ApprovalStep.id, ApprovalStep.wait_hours, ApprovalStep.decided_at)
            .where(ApprovalStep.status == "approved", ApprovalStep.decided_at < _midnight(date(2026, 2, 2)))
            .order_by(ApprovalStep.decided_at.desc())
            .limit(1)
        ).one()
        connection.execute(update(ApprovalStep).where(ApprovalStep.id == step.id).values(wait_hours=null()))
    try:
        assert tables(seeded, WIDE) == tables(seeded, WIDE, summed=False)
        lacking = step.decided_at.astimezone(CALENDARS.calendar(None).zone).date()
        monday = lacking - timedelta(days=lacking.weekday())
        weeks = summed_weeks(seeded)
        assert weeks and monday not in weeks  # that week is measured at reading, the others summed
    finally:
        with seeded.core_transaction() as connection:
            connection.execute(
                update(ApprovalStep).where(ApprovalStep.id == step.id).values(wait_hours=step.wait_hours)
            )


def test_the_sums_are_forgotten_on_demand(seeded: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from bot.cli import cli

    tables(seeded, WIDE)
    count = len(summed_weeks(seeded))
    assert count
    monkeypatch.setenv("FRONTDOOR_DATABASE_URL", str(seeded.engine.url.render_as_string(hide_password=False)))
    done = CliRunner().invoke(cli, ["db", "forget-sums"])
    assert done.exit_code == 0 and done.output.strip() == f"forgot the sums of {count} week(s)"
    assert summed_weeks(seeded) == []


def test_the_demo_seed_forgets_the_sums(seeded: Database) -> None:
    tables(seeded, WIDE)
    assert summed_weeks(seeded)
    with seeded.core_transaction() as connection:
        seed_history(connection, DIRECTORY, CALENDARS, requests=0, now=NOW, weeks=10)
    assert summed_weeks(seeded) == []


def _midnight(day: date) -> datetime:
    from datetime import time
    from zoneinfo import ZoneInfo

    return datetime.combine(day, time(0), ZoneInfo(DIRECTORY.timezone or "America/New_York"))


def test_the_schedulers_tick_sums_up_the_closed_weeks(database_url: str) -> None:
    import asyncio

    from tests.bot.helpers import make_app

    app = make_app(database_url, [])
    with app.db.core_transaction() as connection:
        seed_history(connection, DIRECTORY, CALENDARS, requests=150, now=NOW, weeks=6)
    app.clock.set(NOW)  # type: ignore[attr-defined]
    asyncio.run(app.tick())
    try:
        weeks = summed_weeks(app.db)
        if database_url.startswith("sqlite"):
            assert weeks == []  # SQLite counts rows
        else:
            assert len(weeks) >= 5 and max(weeks) + timedelta(days=8) <= NOW.date()
            asyncio.run(app.tick())  # nothing more to do: the same weeks
            assert summed_weeks(app.db) == weeks
    finally:
        app.db.dispose()
