"""The ladder through scripted time for role steps, quiet hours, ended requests, delegation and
nudges, and the wall-clock response SLA of work orders."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import select, update

from bot.app import App
from bot.channels.local.channel import LocalChannel
from bot.core.clock import ManualClock
from bot.directory import DEMO_DIRECTORY
from bot.settings import load_settings
from bot.store.models import ApprovalStep, AuditEvent, Delegation, Request
from intents.base import ParseContext, Proposal
from tests.bot.helpers import START, KeywordParser, advance, make_app, press, run_steps, say

ALICE, BOB, CAROL, CHLOE, FRANK, GEORGE = (
    f"{n}@example.org" for n in ("alice.nguyen", "bob.martin", "carol.diaz", "chloe.reed", "frank.ito", "george.hall")
)
CHAIRS = "buy 2 x chairs for cc-4410 $600"
DESKS = "buy 2 x desks for cc-4410 $6000"  # manager, then Finance


def ladder_lines(lines: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """(kind, to) of every message of the ladder: reminders, escalations, late notices."""
    return [
        (line["kind"], line["to"])
        for line in lines
        if line["kind"] in ("reminder", "escalation") or (line["kind"] == "notice" and "waited" in line["text"])
    ]


def texts(lines: list[dict[str, Any]], to: str, kind: str | None = None) -> list[str]:
    return [line["text"] for line in lines if line["to"] == to and (kind is None or line["kind"] == kind)]


def directory_with(tmp_path: Path, **zones: str) -> Path:
    """The demo organisation with some people in other zones."""
    data = yaml.safe_load(DEMO_DIRECTORY.read_text(encoding="utf-8"))
    for person in data["people"]:
        name = person["email"].split("@")[0].replace(".", "_")
        if name in zones:
            person["timezone"] = zones[name]
    path = tmp_path / "directory.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


# ----------------------------------------------------------------------------- the ladder
def test_a_role_step_reminds_its_holders_and_escalates_to_their_manager(database_url: str) -> None:
    lines: list[dict[str, Any]] = []
    app = make_app(database_url, lines)
    run_steps(app, [say(ALICE, DESKS), press(ALICE, "confirm"), press(BOB, "approve"), advance("PT3H59M")])
    assert ("card", "#approvals-finance") in [(line["kind"], line["to"]) for line in lines]
    assert ladder_lines(lines) == []
    run_steps(app, [advance("PT1M")])  # Monday 14:00: 50 % of Finance's 8 business hours
    assert ladder_lines(lines) == [("reminder", FRANK)]
    reminder = next(line for line in lines if line["kind"] == "reminder")
    assert reminder["card"]["buttons"] == ["approve", "reject", "request_info", "take"]  # a role's card: Take
    assert "REQ-1001" in reminder["text"] and "(step 2, Finance)" in reminder["text"]
    run_steps(app, [advance("PT19H"), advance("PT4H")])  # Tuesday 09:00 (100 %), 13:00 (150 %)
    assert ladder_lines(lines)[1:] == [("reminder", FRANK), ("notice", ALICE), ("escalation", CHLOE)]
    (escalation,) = [line for line in lines if line["kind"] == "escalation"]
    # the CFO may not decide a Finance step: Reassign to Finance's other eligible approver only (its backup
    # is the CFO herself, who is offered too: taking it makes it hers)
    assert set(escalation["card"]["buttons"]) == {"reassign"}
    assert (
        "has waited 27 hours (12 business hours) for a decision (step 2, Finance) from the Finance team"
        in escalation["text"]
    )
    run_steps(app, [press(FRANK, "approve")])
    assert "Frank Ito approved REQ-1001. It is fully approved" in " ".join(texts(lines, ALICE))


def test_a_rung_due_in_quiet_hours_goes_out_the_next_business_morning(database_url: str) -> None:
    lines: list[dict[str, Any]] = []
    app = make_app(database_url, lines)
    # The scheduler was down from Monday 10:00 to 21:00: the 50 % rung (14:00) is found in quiet hours.
    run_steps(app, [say(ALICE, CHAIRS), press(ALICE, "confirm"), advance("PT11H")])
    assert ladder_lines(lines) == []
    run_steps(app, [advance("PT10H59M")])  # Tuesday 07:59: quiet hours are over, business hours are not
    assert ladder_lines(lines) == []
    run_steps(app, [advance("PT1M")])  # Tuesday 08:00
    assert ladder_lines(lines) == [("reminder", BOB)]
    assert "It has waited 22 hours (7 business hours)." in texts(lines, BOB, "reminder")[0]


def test_without_quiet_hours_a_late_rung_goes_out_at_once(database_url: str) -> None:
    lines: list[dict[str, Any]] = []
    app = make_app(database_url, lines, quiet_hours="off")
    run_steps(app, [say(ALICE, CHAIRS), press(ALICE, "confirm"), advance("PT11H")])
    assert ladder_lines(lines) == [("reminder", BOB)]


def test_quiet_hours_are_the_approvers_own(database_url: str, tmp_path: Path) -> None:
    lines: list[dict[str, Any]] = []
    app = make_app(database_url, lines, directory=directory_with(tmp_path, bob_martin="Asia/Tokyo"))
    run_steps(app, [say(ALICE, CHAIRS), press(ALICE, "confirm")])
    with app.db.transaction() as session:
        step = session.scalars(select(ApprovalStep)).one()
    # Monday 10:00 New York is Tuesday 00:00 in Tokyo: Bob's 8 hours run Tuesday 08:00-16:00 his time.
    assert (step.due_50, step.due_100) == (datetime(2026, 11, 24, 3, tzinfo=UTC), datetime(2026, 11, 24, 7, tzinfo=UTC))
    run_steps(app, [advance("PT23H")])  # Tuesday 09:00 New York: both rungs are due, but it is 23:00 for Bob
    assert ladder_lines(lines) == []
    run_steps(app, [advance("PT8H59M")])
    assert ladder_lines(lines) == []
    run_steps(app, [advance("PT1M")])  # Tuesday 18:00 New York: Wednesday 08:00, Bob's next business morning
    assert sorted(ladder_lines(lines)) == [("notice", ALICE), ("reminder", BOB), ("reminder", BOB)]


@pytest.mark.parametrize("button", ["approve", "reject"])
def test_a_decided_step_gets_no_reminder(database_url: str, button: str) -> None:
    lines: list[dict[str, Any]] = []
    app = make_app(database_url, lines)
    run_steps(app, [say(ALICE, CHAIRS), press(ALICE, "confirm"), advance("PT4H"), press(BOB, button), advance("P5D")])
    assert ladder_lines(lines) == [("reminder", BOB)]


@pytest.mark.parametrize(("table", "status"), [("request", "cancelled"), ("request", "failed"), ("step", "cancelled")])
def test_a_request_or_step_ended_elsewhere_gets_no_reminder(database_url: str, table: str, status: str) -> None:
    lines: list[dict[str, Any]] = []
    app = make_app(database_url, lines)
    run_steps(app, [say(ALICE, CHAIRS), press(ALICE, "confirm")])
    model = Request if table == "request" else ApprovalStep
    with app.db.transaction() as session:
        session.execute(update(model).values(status=status))
    run_steps(app, [advance("P5D")])
    assert ladder_lines(lines) == []
    with app.db.transaction() as session:
        step = session.scalars(select(ApprovalStep)).one()
        assert step.next_due_at is None or table == "step"


# ----------------------------------------------------------------------------- delegation
def test_delegation_ends_by_itself_and_reminders_come_back(database_url: str) -> None:
    lines: list[dict[str, Any]] = []
    app = make_app(database_url, lines)
    delegate = say(BOB, "delegate my approvals to george.hall@example.org until today")
    run_steps(app, [say(ALICE, CHAIRS), press(ALICE, "confirm"), delegate, advance("PT4H")])
    assert (
        texts(lines, BOB)[-1]
        == 'Until Mon Nov 23 your approvals go to George Hall. Say "end delegation" to stop earlier.'
    )
    assert ("card", GEORGE) in [(line["kind"], line["to"]) for line in lines]
    assert ladder_lines(lines) == [("reminder", GEORGE)]
    run_steps(app, [advance("PT19H")])  # Tuesday 09:00: the delegation ended at midnight
    assert ladder_lines(lines)[1:] == [("reminder", BOB), ("notice", ALICE)]
    assert "for Bob Martin." in texts(lines, ALICE, "notice")[-1]
    run_steps(app, [press(GEORGE, "approve")])
    assert lines[-1]["kind"] == "error" and lines[-1]["text"] == "Only Bob Martin can decide this step of REQ-1001."
    with app.db.transaction() as session:
        audit = session.scalars(select(AuditEvent).where(AuditEvent.action == "delegated")).one()
        assert (audit.actor, audit.detail) == (BOB, {"to": GEORGE, "until": "2026-11-23"})


def test_delegation_of_a_role_holder_covers_the_roles_steps(database_url: str) -> None:
    lines: list[dict[str, Any]] = []
    app = make_app(database_url, lines)
    run_steps(
        app,
        [
            say(FRANK, "I'm out of office until Dec 5, delegate my approvals to george.hall@example.org"),
            say(ALICE, DESKS),
            press(ALICE, "confirm"),
            press(BOB, "approve"),
            advance("PT4H"),
        ],
    )
    assert ladder_lines(lines) == [("reminder", GEORGE)]
    run_steps(app, [press(GEORGE, "approve")])
    assert "George Hall approved REQ-1001. It is fully approved" in " ".join(texts(lines, ALICE))
    with app.db.transaction() as session:
        decided = session.scalars(select(ApprovalStep).where(ApprovalStep.seq == 2)).one()
        assert (decided.status, decided.decided_by) == ("approved", GEORGE)


def test_a_delegation_to_the_requester_of_a_pending_approval_is_refused(database_url: str) -> None:
    lines: list[dict[str, Any]] = []
    app = make_app(database_url, lines)
    delegate = say(BOB, "delegate my approvals to alice.nguyen@example.org until Dec 5")
    run_steps(app, [say(ALICE, CHAIRS), press(ALICE, "confirm"), delegate])
    assert lines[-1]["kind"] == "error" and lines[-1]["text"].startswith("Alice Nguyen asked for REQ-1001")
    with app.db.transaction() as session:
        assert session.scalars(select(Delegation)).first() is None
    run_steps(app, [advance("PT4H")])
    assert ladder_lines(lines) == [("reminder", BOB)]  # Alice may not decide her own request
    run_steps(app, [press(ALICE, "approve")])
    assert lines[-1]["kind"] == "error"


def test_delegation_lasts_to_the_end_of_the_day_in_the_delegators_zone(database_url: str, tmp_path: Path) -> None:
    lines: list[dict[str, Any]] = []
    app = make_app(database_url, lines, directory=directory_with(tmp_path, bob_martin="America/Los_Angeles"))
    run_steps(app, [say(BOB, "delegate my approvals to george.hall@example.org until Dec 5")])
    with app.db.transaction() as session:
        delegation = session.scalars(select(Delegation)).one()
    assert delegation.ends_at == datetime(2026, 12, 6, 8, tzinfo=UTC)  # midnight in Los Angeles


@pytest.mark.parametrize(
    ("text", "answer"),
    [
        ("delegate my approvals to frank.ito@example.org until yesterday", "isn't a future date"),
        ("delegate my approvals to nobody.here@example.org until Dec 5", "can't find that person in the directory"),
        ("delegate my approvals to bob.martin@example.org until Dec 5", "can't delegate your approvals to yourself"),
        ("end delegation", "You have no delegation running."),
    ],
)
def test_delegation_commands_that_cannot_be_done_say_why(database_url: str, text: str, answer: str) -> None:
    lines: list[dict[str, Any]] = []
    app = make_app(database_url, lines)
    run_steps(app, [say(BOB, text)])
    assert answer in lines[-1]["text"]
    with app.db.transaction() as session:
        assert session.scalars(select(Delegation)).first() is None


# ----------------------------------------------------------------------------- requester nudges
def test_each_request_for_information_is_nudged_once(database_url: str) -> None:
    lines: list[dict[str, Any]] = []
    app = make_app(database_url, lines)
    run_steps(
        app,
        [
            say(ALICE, CHAIRS),
            press(ALICE, "confirm"),
            press(BOB, "request_info", comment="which model?"),
            advance("PT23H59M"),
        ],
    )
    assert texts(lines, ALICE, "reminder") == []
    run_steps(app, [advance("PT1M")])  # Tuesday 10:00: one business day later
    (first,) = texts(lines, ALICE, "reminder")
    assert '"which model?"' in first and "Bob Martin" in first and "It has waited 24 hours (9 business hours)." in first
    run_steps(
        app,
        [
            say(ALICE, "the Aeron"),
            advance("PT1H"),
            press(BOB, "request_info", comment="which colour?"),
            advance("PT8H59M"),
        ],
    )
    assert len(texts(lines, ALICE, "reminder")) == 1
    run_steps(app, [advance("PT15H1M"), advance("P2D")])  # Wednesday 11:00, one business day after the question
    nudges = texts(lines, ALICE, "reminder")
    assert (
        len(nudges) == 2
        and '"which colour?"' in nudges[1]
        and "It has waited 24 hours (9 business hours)." in nudges[1]
    )


# ----------------------------------------------------------------------------- work orders
class WorkOrderParser(KeywordParser):
    def parse(self, text: str, context: ParseContext) -> Proposal:
        if text.startswith("fix"):
            slots = {
                "location": "Building A, floor 2, room 210",
                "issue_type": "hvac",
                "priority": "urgent",
                "description": "no heat in the room",
            }
            return Proposal(intent="facilities_work_order", confidence=0.95, slots=slots)
        return super().parse(text, context)


def test_a_work_orders_response_sla_is_wall_clock(database_url: str) -> None:
    lines: list[dict[str, Any]] = []
    saturday_night = START + timedelta(days=5, hours=12)  # Saturday 22:00 New York
    app = App(
        load_settings(database_url=database_url),
        clock=ManualClock(saturday_night),
        channels={"local": LocalChannel(lines.append)},
        parser=WorkOrderParser(),
    )
    app.migrate()
    run_steps(app, [say(ALICE, "fix the heating"), press(ALICE, "confirm"), advance("P3D")])
    with app.db.transaction() as session:
        request = session.scalars(select(Request)).one()
        assert session.scalars(select(ApprovalStep)).first() is None
    assert request.response_due_at == saturday_night + timedelta(hours=4)  # Sunday 02:00, not Monday noon
    assert "respond within 4 hours" in texts(lines, ALICE, "reply")[-1]
    assert ladder_lines(lines) == []
