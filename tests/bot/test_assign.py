"""Pick up and hand over (issue 13, items 3 and 4): a role's holder takes a step, an approver
hands it on, the escalation's manager reassigns it; one owner however many take it at once."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from sqlalchemy import select

from bot.core.events import Action, ActionName, Message
from bot.store import repo
from bot.store.models import ApprovalStep
from tests.bot.helpers import make_app, press, run_steps, say
from tests.bot.test_engine import app_place

ALICE, BOB, FRANK, DINA, CHLOE, CAROL = (
    f"{n}@example.org" for n in ("alice.nguyen", "bob.martin", "frank.ito", "dina.ross", "chloe.reed", "carol.diaz")
)
TWO_FINANCE = str(Path(__file__).parents[1] / "scenarios" / "directory_two_finance.yaml")


def _at_finance(database_url: str, lines: list[dict[str, Any]]) -> Any:
    app = make_app(database_url, lines, directory=TWO_FINANCE)
    run_steps(
        app,
        [
            say(ALICE, "buy 3 x monitors for cc-4410 $7,500"),
            press(ALICE, "confirm"),
            press(BOB, "approve", request="REQ-1001"),
        ],
    )
    return app


def _assignee(app: Any) -> str | None:
    with app.db.transaction() as session:
        return session.scalars(select(ApprovalStep.assignee).where(ApprovalStep.seq == 2)).one()


def test_concurrent_pick_ups_leave_one_owner(database_url: str) -> None:
    lines: list[dict[str, Any]] = []
    app = _at_finance(database_url, lines)
    barrier, results = threading.Barrier(6), []

    def take(n: int) -> None:
        person = (FRANK, DINA)[n % 2]
        barrier.wait()
        event = (
            Action(person, app_place(person), ActionName.TAKE, request="REQ-1001", step=2, event_id=f"take-{n}")
            if n < 3
            else Message(person, app_place(person), "I'll take REQ-1001", event_id=f"say-{n}")
        )
        results.append((person, app.engine.handle(event)))

    threads = [threading.Thread(target=take, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    owner = _assignee(app)
    won = [person for person, out in results if any(o.text.startswith("REQ-1001 is yours:") for o in out)]
    assert won == [owner] and owner in (FRANK, DINA)
    lost = [out for _person, out in results if not any(o.text.startswith("REQ-1001 is yours:") for o in out)]
    assert len(lost) == 5 and all(len(out) == 1 and "already" in out[0].text for out in lost)
    with app.db.transaction() as session:
        assert [e.actor for e in repo.audit_trail(session, "REQ-1001") if e.action == "taken"] == [owner]


def test_taken_step_is_the_takers_alone_and_every_copy_shows_it(database_url: str) -> None:
    lines: list[dict[str, Any]] = []
    app = _at_finance(database_url, lines)
    run_steps(app, [say(FRANK, "I'll take REQ-1001"), press(DINA, "approve", request="REQ-1001")])
    taken = [line for line in lines if line["kind"] == "card_update" and line["text"].startswith("Taken by Frank Ito")]
    assert taken and taken[0]["card"]["buttons"] == ["approve", "reject", "request_info"]  # no Take any more
    assert lines[-1]["to"] == DINA and lines[-1]["text"] == "Only Frank Ito can decide this step of REQ-1001."
    assert any(line["to"] == ALICE and line["text"] == "Frank Ito (Finance) is handling REQ-1001." for line in lines)


def test_an_approver_hands_a_step_to_another_eligible_person_and_not_to_anyone(database_url: str) -> None:
    lines: list[dict[str, Any]] = []
    app = _at_finance(database_url, lines)
    run_steps(app, [say(FRANK, "hand REQ-1001 to Bob Martin")])
    assert lines[-1]["text"].startswith("Bob Martin can't decide that step of REQ-1001; it can go to")
    run_steps(app, [say(ALICE, "reassign REQ-1001 to Dina Ross")])
    assert lines[-1]["text"] == "You can't reassign your own request's approval."
    run_steps(app, [say(FRANK, "hand REQ-1001 to Dina Ross")])
    assert _assignee(app) == DINA
    card = next(line for line in reversed(lines) if line["kind"] == "card" and line["to"] == DINA)
    assert card["text"] == "Frank Ito gave you REQ-1001 (Purchase requisition) to decide, for Finance."
    closed = next(line for line in lines if line["text"].startswith("Reassigned to Dina Ross by Frank Ito"))
    assert closed["kind"] == "card_update" and closed["card"]["buttons"] == []
    run_steps(app, [press(DINA, "approve", request="REQ-1001")])
    assert any(line["to"] == ALICE and "Dina Ross approved REQ-1001" in line["text"] for line in lines)
    with app.db.transaction() as session:
        [moved] = [e for e in repo.audit_trail(session, "REQ-1001") if e.action == "reassigned"]
        assert (moved.actor, moved.detail["to"], moved.detail["reason"]) == (FRANK, DINA, "hand_over")


def test_a_stranger_may_not_reassign(database_url: str) -> None:
    lines: list[dict[str, Any]] = []
    app = _at_finance(database_url, lines)
    run_steps(app, [say(CAROL, "reassign REQ-1001 to Dina Ross")])
    assert lines[-1]["text"] == "Only the approvers of REQ-1001, or their manager, can reassign it."
    assert _assignee(app) is None
