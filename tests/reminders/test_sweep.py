"""The escalation ladder through scripted time, restarts, replicas, delegation and nudges."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from bot.core.sweep import Sweeper
from bot.store.db import Database
from bot.store.models import ApprovalStep, OutboxMessage, ReminderSent
from tests.bot.helpers import advance, make_app, press, run_steps, say

ALICE, BOB, CAROL, FRANK, GEORGE = (
    f"{n}@example.org" for n in ("alice.nguyen", "bob.martin", "carol.diaz", "frank.ito", "george.hall")
)


def ladder_lines(lines: list[dict[str, Any]]) -> list[tuple[str, str]]:
    return [
        (line["kind"], line["to"])
        for line in lines
        if line["kind"] in ("reminder", "escalation", "notice")
        and ("waited" in line["text"] or "Reminder" in line["text"])
    ]


def test_ladder_in_business_hours(database_url: str) -> None:
    lines: list[dict[str, Any]] = []
    app = make_app(database_url, lines)  # Monday 2026-11-23 10:00 New York; manager step SLA 8h
    run_steps(app, [say(ALICE, "buy 2 x chairs for cc-4410 $600"), press(ALICE, "confirm"), advance("PT3H59M")])
    assert ladder_lines(lines) == []
    run_steps(app, [advance("PT1M")])  # 14:00 = 50 %
    assert ladder_lines(lines) == [("reminder", BOB)]
    reminder = next(line for line in lines if line["kind"] == "reminder")
    assert reminder["card"]["buttons"] == ["approve", "reject", "request_info"]
    assert "REQ-1001" in reminder["text"] and "4 hours" in reminder["text"]
    run_steps(app, [advance("PT19H")])  # Tuesday 09:00 = 100 %
    assert ladder_lines(lines)[1:] == [("reminder", BOB), ("notice", ALICE)]
    run_steps(app, [advance("PT4H")])  # Tuesday 13:00 = 150 %
    assert ladder_lines(lines)[3:] == [("escalation", CAROL)]
    run_steps(app, [advance("P3D")])
    assert len(ladder_lines(lines)) == 4


def test_decided_step_gets_no_reminder(database_url: str) -> None:
    lines: list[dict[str, Any]] = []
    app = make_app(database_url, lines)
    run_steps(
        app,
        [say(ALICE, "buy 2 x chairs for cc-4410 $600"), press(ALICE, "confirm"), press(BOB, "approve"), advance("P5D")],
    )
    assert ladder_lines(lines) == []


def test_restart_mid_sweep_sends_each_rung_once(database_url: str) -> None:
    app = make_app(database_url, [])
    run_steps(
        app,
        [
            line
            for n in range(3)
            for line in (say(ALICE, f"buy {n + 1} x pens for cc-4410 $60"), press(ALICE, "confirm"))
        ],
    )
    later = app.clock.now() + timedelta(hours=5)

    class Crashing(Sweeper):
        calls = 0

        def _message(self, *args: Any) -> dict[str, Any]:
            Crashing.calls += 1
            if Crashing.calls == 2:
                raise RuntimeError("process killed")
            return super()._message(*args)

    with pytest.raises(RuntimeError):
        Crashing(app.db, app.services)(later)
    assert _count(app.db, ReminderSent) == 0 and _reminder_rows(app.db) == 0
    Sweeper(app.db, app.services)(later)
    Sweeper(app.db, app.services)(later)
    assert _count(app.db, ReminderSent) == 3 and _reminder_rows(app.db) == 3


def test_delegation_routes_cards_authorises_and_reminds(database_url: str) -> None:
    lines: list[dict[str, Any]] = []
    app = make_app(database_url, lines)
    run_steps(
        app,
        [
            say(ALICE, "buy 2 x chairs for cc-4410 $600"),
            press(ALICE, "confirm"),
            say(BOB, "delegate my approvals to george.hall@example.org until Dec 5"),
            advance("PT4H"),
        ],
    )
    assert any(line["to"] == GEORGE and line["kind"] == "card" and line["request"] == "REQ-1001" for line in lines)
    assert ladder_lines(lines) == [("reminder", GEORGE)]
    run_steps(app, [press(GEORGE, "approve")])
    assert "George Hall approved REQ-1001." in " ".join(line["text"] for line in lines if line["to"] == ALICE)
    run_steps(app, [say(BOB, "end delegation")])
    assert lines[-1]["text"] == "Delegation ended: your approvals come to you again."


def test_requester_nudged_after_a_business_day_without_answer(database_url: str) -> None:
    lines: list[dict[str, Any]] = []
    app = make_app(database_url, lines)
    run_steps(
        app,
        [
            say(ALICE, "buy 2 x chairs for cc-4410 $600"),
            press(ALICE, "confirm"),
            press(BOB, "request_info", comment="which model?"),
            advance("PT8H"),
        ],
    )
    assert not [line for line in lines if line["kind"] == "reminder"]
    run_steps(app, [advance("PT16H")])  # Tuesday 10:00: nine business hours later
    nudges = [line for line in lines if line["kind"] == "reminder"]
    assert [(n["to"], "which model?" in n["text"]) for n in nudges] == [(ALICE, True)]


def _count(db: Database, model: Any) -> int:
    with db.transaction() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def _kind_rows(db: Database, kind: str) -> int:
    with db.transaction() as session:
        payloads = session.scalars(select(OutboxMessage.payload).where(OutboxMessage.topic == "chat"))
        return sum(1 for p in payloads if p["kind"] == kind)


def _reminder_rows(db: Database) -> int:
    return _kind_rows(db, "reminder")


def _escalation_rows(db: Database) -> int:
    return _kind_rows(db, "escalation")


def test_escalation_goes_to_the_fallback_when_there_is_no_manager(database_url: str) -> None:
    lines: list[dict[str, Any]] = []
    app = make_app(database_url, lines, escalation_fallback="ops.lead@example.org")
    run_steps(app, [say(BOB, "buy 2 x chairs for cc-4400 $600"), press(BOB, "confirm"), advance("PT28H")])
    escalations = [line for line in lines if line["kind"] == "escalation"]
    assert [e["to"] for e in escalations] == ["ops.lead@example.org"]  # Carol Diaz has no manager


def test_quiet_hours_and_business_hours_come_from_the_settings(database_url: str) -> None:
    lines: list[dict[str, Any]] = []
    app = make_app(database_url, lines, business_hours="10:00-18:00", quiet_hours="off")
    run_steps(app, [say(ALICE, "buy 2 x chairs for cc-4410 $600"), press(ALICE, "confirm")])
    with app.db.transaction() as session:
        step = session.scalars(select(ApprovalStep)).one()
    # Monday 10:00 New York, 8 business hours of 10:00-18:00: half at 14:00, all at 18:00.
    assert step.due_50 == datetime(2026, 11, 23, 19, tzinfo=UTC)
    assert step.due_100 == datetime(2026, 11, 23, 23, tzinfo=UTC)


def test_a_bad_span_setting_is_named() -> None:
    from bot.settings import SettingsError, load_settings

    with pytest.raises(SettingsError, match="FRONTDOOR_QUIET_HOURS"):
        load_settings(quiet_hours="7pm to 7am")
