"""What the views read is stored when it becomes known (bot.insight.facts), and it is the very
figure they measured at reading before: the same numbers either way, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select, update

from bot.core.events import BackendNews
from bot.insight.facts import fill, role_clock
from bot.insight.queries import VIEWS, Filters, Insight
from bot.store import repo
from bot.store.db import Database
from bot.store.models import ApprovalStep, Request
from tests.bot.helpers import START, make_app, run_steps
from tests.insight.history import CALENDARS, DIRECTORY, NOW, at, write_history
from tests.insight.test_views import WEEK

ALICE, BOB, FRANK = (f"{n}@example.org" for n in ("alice.nguyen", "bob.martin", "frank.ito"))


def step(**kw: Any) -> str:
    return json.dumps({"as": kw.pop("who"), **kw})


def every_table(db: Database, filters: Filters = WEEK) -> dict[str, Any]:
    with db.core_transaction() as connection:
        insight = Insight(connection, DIRECTORY, CALENDARS, NOW, filters)
        return {name: {t.name: t.rows for t in insight.view(name).tables} for name in VIEWS}


@pytest.fixture
def databases(database_url: str) -> Iterator[Database]:
    db = Database(database_url)
    db.upgrade()
    yield db
    db.dispose()


def test_stored_hours_are_the_hours_measured_at_reading(databases: Database) -> None:
    db = databases
    write_history(db, hours=False)  # the instants only: every wait measured when the views read
    measured = every_table(db)
    wide = every_table(db, Filters(since=NOW.date() - timedelta(weeks=8), until=NOW.date()))
    with db.core_transaction() as connection:
        assert (
            connection.execute(select(ApprovalStep.wait_hours).where(ApprovalStep.wait_hours.is_not(None))).all() == []
        )
        filled = fill(connection, CALENDARS)
    assert filled["wait_hours"] == 7  # the seven decided steps
    assert filled["handoff_hours"] == 5  # three in progress, two fulfilled
    assert every_table(db) == measured  # stored: the same figures, to the last digit
    assert every_table(db, Filters(since=NOW.date() - timedelta(weeks=8), until=NOW.date())) == wide
    with db.core_transaction() as connection:
        waits = {
            row.id: row.wait_hours
            for row in connection.execute(select(ApprovalStep.id, ApprovalStep.wait_hours, ApprovalStep.role))
        }
        requests = {
            row.id: row
            for row in connection.execute(
                select(
                    Request.id,
                    Request.approved_at,
                    Request.in_progress_at,
                    Request.in_progress_hours,
                    Request.fulfilled_at,
                    Request.fulfilled_hours,
                    Request.failed_at,
                    Request.refused_at,
                )
            )
        }
    # worked by hand (08:00-17:00 New York): Mon 09:00 to 11:00; Mon 11:00 to Tue 10:00;
    # Mon 08:00 to Thu 10:00 (three whole days and two hours); Tue 09:00 to 09:30
    assert (waits[1], waits[2], waits[4], waits[10]) == (2.0, 8.0, 29.0, 0.5)
    assert waits[5] is None and waits[9] is None  # open, cancelled: no wait stored
    one, three, eight = requests[1], requests[3], requests[8]
    assert one.approved_at == at(3, 10) and one.in_progress_at == at(3, 11) and one.fulfilled_at == at(4, 10)
    assert (one.in_progress_hours, one.fulfilled_hours) == (1.0, 9.0)
    assert three.approved_at == at(5, 10) and three.failed_at == at(5, 15) and three.in_progress_hours == 2.0
    assert eight.approved_at is None and (eight.in_progress_hours, eight.fulfilled_hours) == (2.0, 11.0)
    assert requests[2].approved_at is None  # rejected at its only step
    assert requests[4].approved_at is None and requests[4].in_progress_at is None


def test_a_step_without_its_stored_wait_is_measured_when_read(databases: Database) -> None:
    db = databases
    write_history(db)
    stored = every_table(db)
    with db.core_transaction() as connection:  # as a history written by hand would be
        connection.execute(update(ApprovalStep).where(ApprovalStep.id == 4).values(wait_hours=None))
        connection.execute(update(Request).where(Request.id == 1).values(fulfilled_hours=None))
    assert every_table(db) == stored


def test_the_engine_stores_the_wait_and_the_hand_off_as_it_records_them(database_url: str) -> None:
    lines: list[dict[str, Any]] = []
    app = make_app(database_url, lines)
    clock: Any = app.clock
    run_steps(app, [step(who=ALICE, say="buy 3 x monitors for cc-4410 $7,500"), step(who=ALICE, press="confirm")])
    clock.advance(timedelta(hours=3))  # Monday 10:00 to 13:00 (New York)
    run_steps(app, [step(who=BOB, press="approve")])
    clock.advance(timedelta(days=1))  # Tuesday 13:00: the finance step took 9 business hours
    run_steps(app, [step(who=FRANK, press="approve")])
    approved = clock.now()
    with app.db.transaction() as session:
        request = repo.request_by_ref(session, "REQ-1001")
        assert request is not None
        request.backend_id = "BK-1"
    clock.advance(timedelta(days=1, hours=5))  # Wednesday 18:00: after hours
    app.engine.handle(BackendNews("ev-1", "BK-1", "REQ-1001", "in_progress", None))
    clock.advance(timedelta(days=5))  # Monday 18:00 (Thanksgiving Thursday and the weekend off)
    app.engine.handle(BackendNews("ev-2", "BK-1", "REQ-1001", "fulfilled", None))
    assert app.chat is not None
    asyncio.run(app.chat.drain())
    with app.db.transaction() as session:
        request = repo.request_by_ref(session, "REQ-1001")
        assert request is not None
        steps = repo.steps_of(session, request.id)
        assert [s.wait_hours for s in steps] == [3.0, 9.0]
        for s in steps:  # the figure the views measure from the instants
            assert s.activated_at is not None and s.decided_at is not None
            assert s.wait_hours == role_clock(app.services.deadlines, s.role).between(s.activated_at, s.decided_at)  # type: ignore[arg-type]
        assert request.approved_at == approved
        assert request.in_progress_at == START + timedelta(days=2, hours=8)
        assert request.in_progress_hours == 4.0 + 9.0  # Tuesday 13:00 to 17:00, Wednesday
        assert request.fulfilled_hours == 4.0 + 9.0 + 9.0 + 9.0  # and Friday (Thanksgiving off), Monday
        assert request.failed_at is None and request.refused_at is None


def test_each_view_alone_gives_what_it_gives_with_the_others(databases: Database) -> None:
    """Views read together share their rows (bottlenecks reuses latency's); read alone, each
    takes its own path (on PostgreSQL bottlenecks counts its totals without percentiles)."""
    db = databases
    write_history(db)
    together = every_table(db)
    for name in VIEWS:
        with db.core_transaction() as connection:
            alone = Insight(connection, DIRECTORY, CALENDARS, NOW, WEEK).view(name)
        assert {t.name: t.rows for t in alone.tables} == together[name], name


def test_the_demo_seed_stores_what_the_migration_would_fill(databases: Database) -> None:
    """`frontdoor demo seed` writes the figures itself; cleared and filled again from its rows
    (as migration 0008 fills an older history) they come back the same, and so do the views."""
    from sqlalchemy import null

    from bot.insight.seed import seed_history

    db = databases
    with db.core_transaction() as connection:
        seed_history(connection, DIRECTORY, CALENDARS, requests=400, now=NOW, weeks=8)
    wide = Filters(since=NOW.date() - timedelta(weeks=8), until=NOW.date())
    seeded_views = every_table(db, wide)
    stored = (
        ApprovalStep.id,
        ApprovalStep.wait_hours,
        ApprovalStep.type_id,
        ApprovalStep.entity,
        Request.approved_at,
        Request.in_progress_at,
        Request.fulfilled_at,
        Request.failed_at,
        Request.refused_at,
        Request.in_progress_hours,
        Request.fulfilled_hours,
    )
    read = select(*stored).join(Request, Request.id == ApprovalStep.request_id).order_by(ApprovalStep.id)
    with db.core_transaction() as connection:
        seeded = connection.execute(read).all()
        assert sum(1 for row in seeded if row.wait_hours is not None) > 200
        assert sum(1 for row in seeded if row.fulfilled_hours is not None) > 50
        connection.execute(update(ApprovalStep).values(wait_hours=null(), type_id=null(), entity=null()))
        empty = {c.key: null() for c in stored[4:]}
        connection.execute(update(Request).values(empty))
        fill(connection, CALENDARS)
        filled = connection.execute(read).all()
    hours = {1, 9, 10}  # the columns of hours: the same to a billionth (the clock's float sums)
    for again, first in zip(filled, seeded, strict=True):
        for i, (value, expected) in enumerate(zip(again, first, strict=True)):
            assert value == (pytest.approx(expected, abs=1e-9) if i in hours and expected is not None else expected)
    assert every_table(db, wide) == seeded_views
