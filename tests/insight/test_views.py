"""Every number of every view, on SQLite and PostgreSQL, against figures worked by hand from
tests/insight/history.py (business hours 08:00-17:00 New York; the week of 2 March 2026)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest

from bot.insight.access import is_loopback, organisation, scope_for
from bot.insight.gauges import gauge_figures
from bot.insight.hours import clock_of
from bot.insight.queries import Filters, Insight, Scope, percentile
from bot.store.db import Database
from tests.insight.history import CALENDARS, DIRECTORY, NOW, write_history

WEEK = Filters(since=date(2026, 3, 2), until=date(2026, 3, 6))


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    database = Database(database_url)
    database.upgrade()
    write_history(database)
    yield database
    database.dispose()


def views(
    db: Database, filters: Filters = WEEK, scope: Scope | None = None
) -> dict[str, dict[str, list[list[object]]]]:
    with db.core_transaction() as connection:
        insight = Insight(connection, DIRECTORY, CALENDARS, NOW, filters, scope)
        names = ("queue", "latency", "sla", "at-risk", "denials", "handoff", "bottlenecks")
        return {name: {t.name: t.rows for t in insight.view(name).tables} for name in names}


def test_every_number(db: Database) -> None:
    v = views(db)
    q = v["queue"]
    assert q["summary"] == [["open requests", 4], ["open steps", 4], ["steps past SLA", 2]]
    assert q["by_age"] == [
        ["under half a day", 0],
        ["half a day to 1 day", 1],
        ["1 to 2 days", 1],
        ["2 to 5 days", 2],
        ["over 5 days", 0],
    ]
    assert q["by_type"] == [
        ["access_request", 1, 1, 24.0],
        ["contract_review", 1, 1, 23.0],
        ["employee_change", 1, 1, 6.0],
        ["purchase_requisition", 1, 1, 10.0],
    ]
    assert q["by_entity"] == [["RMC", 2, 2, 23.0], ["LCH", 1, 1, 10.0], ["NPG", 1, 1, 24.0]]
    assert q["by_role"] == [["Manager", 3, 3, 24.0], ["Legal", 1, 1, 23.0]]
    assert q["oldest"] == [
        ["REQ-1004", "access_request", "NPG", "Manager", "George Hall", 24.0, 8.0, "escalation"],
        ["REQ-1007", "contract_review", "RMC", "Legal", "Legal (any holder)", 23.0, 24.0, "reminder"],
        ["REQ-1006", "purchase_requisition", "LCH", "Manager", "George Hall", 10.0, 8.0, "breach"],
        ["REQ-1005", "employee_change", "RMC", "Manager", "Bob Martin", 6.0, 16.0, "none"],
    ]

    lat = v["latency"]
    assert lat["overall"] == [[6, 3.5, 18.5]]
    assert lat["by_role"] == [["Accounts Payable", 3, 4.0, 24.0], ["Finance", 1, 8.0, 8.0], ["Manager", 2, 1.25, 1.85]]
    assert lat["by_approver"] == [
        ["Omar Haddad", 3, 4.0, 24.0],
        ["Frank Ito", 1, 8.0, 8.0],
        ["Bob Martin", 2, 1.25, 1.85],
    ]
    assert lat["by_step"] == [
        ["access_request", 1, "Manager", 1, 0.5, 0.5],
        ["invoice_exception", 1, "Accounts Payable", 3, 4.0, 24.0],
        ["purchase_requisition", 1, "Manager", 1, 2.0, 2.0],
        ["purchase_requisition", 2, "Finance", 1, 8.0, 8.0],
    ]
    assert lat["weekly"] == [["2026-03-02", 6, 3.5, 18.5]]

    sla = v["sla"]
    assert sla["overall"] == [["all", 6, 5, 83.3]]
    assert sla["by_type"] == [
        ["access_request", 1, 1, 100.0],
        ["invoice_exception", 3, 2, 66.7],
        ["purchase_requisition", 2, 2, 100.0],
    ]
    assert sla["by_role"] == [["Accounts Payable", 3, 2, 66.7], ["Finance", 1, 1, 100.0], ["Manager", 2, 2, 100.0]]
    assert sla["by_entity"] == [["LCH", 1, 1, 100.0], ["NPG", 1, 1, 100.0], ["RMC", 4, 3, 75.0]]
    assert sla["weekly"] == [["2026-03-02", 6, 5, 83.3, None]]
    assert sla["reminders"] == [["reminder", 4], ["breach", 3], ["escalation", 2], ["info_nudge", 0]]
    assert sla["open_past_sla"] == [["steps", 2]]

    risk = v["at-risk"]
    assert risk["summary"] == [["steps that breach within a business day", 1]]
    assert risk["by_role"] == [["Legal", 1]]
    assert risk["steps"] == [
        ["REQ-1007", "contract_review", "RMC", "Legal", "Legal (any holder)", "2026-03-06 16:00", 1.0, "reminder"]
    ]

    den = v["denials"]
    assert den["exceptions_by_reason"] == [["price mismatch", 2], ["missing po", 1]]
    assert den["exceptions_by_vendor"] == [["Medline", 2], ["Cardinal Health", 1]]
    assert den["rejections_by_type"] == [
        ["access_request", 1, 1, 100.0],
        ["invoice_exception", 3, 1, 33.3],
        ["purchase_requisition", 2, 0, 0.0],
    ]
    assert den["rejections_by_role"] == [
        ["Accounts Payable", 3, 1, 33.3],
        ["Manager", 2, 1, 50.0],
        ["Finance", 1, 0, 0.0],
    ]
    assert den["rejections_by_approver"] == [
        ["Bob Martin", 2, 1, 50.0],
        ["Omar Haddad", 3, 1, 33.3],
        ["Frank Ito", 1, 0, 0.0],
    ]
    assert den["closures"] == [
        ["withdrawn by the requester", 1],
        ["rejected by an approver", 2],
        ["refused by the backend", 0],
        ["cancelled at the backend", 0],
        ["withdrawals recorded in the period", 1],
        ["expiries recorded in the period", 0],
    ]

    hand = v["handoff"]
    assert hand["by_type"] == [
        ["facilities_work_order", 1, 1, 2.0, 1, 11.0, 11.0],
        ["invoice_exception", 2, 1, 2.0, 0, None, None],
        ["purchase_requisition", 1, 1, 1.0, 1, 9.0, 9.0],
    ]
    assert hand["failures"] == [["invoice_exception", 1, 0]]

    neck = v["bottlenecks"]
    assert neck["by_role"] == [
        ["Manager", 3, 40.0, 2, 2.5, 42.5, 38.8],
        ["Accounts Payable", 0, 0.0, 3, 36.0, 36.0, 32.9],
        ["Legal", 1, 23.0, 0, 0.0, 23.0, 21.0],
        ["Finance", 0, 0.0, 1, 8.0, 8.0, 7.3],
    ]
    assert neck["by_approver"] == [
        ["Omar Haddad", 0, 0.0, 3, 36.0, 36.0, 32.9],
        ["George Hall", 2, 34.0, 0, 0.0, 34.0, 31.1],
        ["Legal (any holder)", 1, 23.0, 0, 0.0, 23.0, 21.0],
        ["Bob Martin", 1, 6.0, 2, 2.5, 8.5, 7.8],
        ["Frank Ito", 0, 0.0, 1, 8.0, 8.0, 7.3],
    ]


def test_filters(db: Database) -> None:
    invoices = views(db, Filters(since=WEEK.since, until=WEEK.until, type_id="invoice_exception"))
    assert invoices["latency"]["overall"] == [[3, 4.0, 24.0]]
    assert invoices["queue"]["summary"][1] == ["open steps", 0]
    rmc = views(db, Filters(since=WEEK.since, until=WEEK.until, entity="RMC"))
    assert rmc["sla"]["overall"] == [["all", 4, 3, 75.0]]
    managers = views(db, Filters(since=WEEK.since, until=WEEK.until, role="manager"))
    assert managers["queue"]["by_role"] == [["Manager", 3, 3, 24.0]]
    assert managers["denials"]["rejections_by_type"] == [
        ["access_request", 1, 1, 100.0],
        ["purchase_requisition", 1, 0, 0.0],
    ]
    dept = views(db, Filters(since=WEEK.since, until=WEEK.until, department="CC-5120"))
    assert dept["queue"]["summary"] == [["open requests", 1], ["open steps", 1], ["steps past SLA", 1]]
    february = views(db, Filters(since=date(2026, 2, 1), until=date(2026, 2, 28)))
    assert february["latency"]["overall"] == [[1, 1.0, 1.0]]


def test_scope(db: Database) -> None:
    legal_only = views(db, scope=Scope(everything=False, roles=frozenset({"legal"})))
    assert legal_only["queue"]["summary"] == [["open requests", 1], ["open steps", 1], ["steps past SLA", 0]]
    assert views(db, scope=Scope.nothing())["latency"]["overall"] == [[0, 0.0, 0.0]]
    # Bob manages Alice, the requester of every request: he sees them all
    bob = views(db, scope=scope_for(DIRECTORY, "bob.martin@example.org"))
    assert bob["latency"]["overall"] == [[6, 3.5, 18.5]]


def test_visibility_from_the_directory() -> None:
    assert scope_for(DIRECTORY, "ops.lead@example.org", ["ops.lead@example.org"]) == Scope()
    assert scope_for(DIRECTORY, "stranger@example.org") == Scope.nothing()
    lena = scope_for(DIRECTORY, "lena.berg@example.org")
    assert lena.roles == {"legal"} and not lena.requesters and not lena.everything
    carol = scope_for(DIRECTORY, "carol.diaz@example.org")
    assert {"bob.martin@example.org", "alice.nguyen@example.org", "george.hall@example.org"} <= carol.requesters
    assert "chloe.reed@example.org" not in carol.requesters
    assert organisation(DIRECTORY, "ivy.tran@example.org") == {"ivy.tran@example.org", "sam.okafor@example.org"}


def test_gauges(db: Database) -> None:
    clock = clock_of(CALENDARS.calendar(None, None))
    with db.core_transaction() as connection:
        by_age, past, risk = gauge_figures(connection, clock, NOW)
    assert by_age == {
        "under half a day": 0,
        "half a day to 1 day": 1,
        "1 to 2 days": 1,
        "2 to 5 days": 2,
        "over 5 days": 0,
    }
    assert (past, risk) == (2, 1)


def test_percentile_and_loopback() -> None:
    assert percentile([1, 2, 3, 10], 0.5) == 2.5
    assert round(percentile([1, 2, 3, 10], 0.9), 2) == 7.9
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("::ffff:127.0.0.1")
    assert not is_loopback("10.0.0.5") and not is_loopback(None) and not is_loopback("junk")
