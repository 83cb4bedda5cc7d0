"""Withdrawing a submitted request, on SQLite and PostgreSQL: the steps and cards, the approvers and
the backend told; a withdrawal racing an approval (exactly one wins, the backend agrees either
way); a withdrawal while the backend is down (delivered once it is back); a refusal once work has
started; and someone else's request refused."""

from __future__ import annotations

import asyncio
import threading
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select

from backend_client.embedded import EmbeddedBackend
from bot.app import App
from bot.core.events import Action, ActionName, Message
from bot.store import repo
from bot.store.models import OutboxMessage, Request
from tests.bot.helpers import make_app, press, run_steps, say
from tests.bot.test_backend_outbox import started

ALICE, BOB, IVY = "alice.nguyen@example.org", "bob.martin@example.org", "ivy.tran@example.org"


def dm(person: str) -> Any:
    from bot.channels.local.script import dm as local_dm

    return local_dm(person)


def texts(lines: list[dict[str, Any]], person: str, *kinds: str) -> list[str]:
    return [line["text"] for line in lines if line["to"] == person and (not kinds or line["kind"] in kinds)]


def backend_rows(app: App) -> list[dict[str, Any]]:
    with app.db.transaction() as session:
        query = select(OutboxMessage.payload).where(OutboxMessage.topic == "backend").order_by(OutboxMessage.id)
        return [dict(p) for p in session.scalars(query)]


def test_withdraw_cancels_the_steps_closes_the_cards_and_tells_everyone(database_url: str) -> None:
    lines: list[dict[str, Any]] = []
    app = make_app(database_url, lines)
    run_steps(
        app,
        [
            say(ALICE, "buy 2 x pumps for cc-4410 $7,500"),
            press(ALICE, "confirm"),
            say(IVY, "withdraw REQ-1001"),  # not hers
            say(ALICE, "please pull back REQ-1001"),
            press(BOB, "approve"),  # the card's old button
            say(ALICE, "withdraw REQ-1001"),  # again
        ],
    )
    confirmation = next(line for line in lines if line["to"] == ALICE and line["text"].startswith("Submitted"))
    assert confirmation["card"]["buttons"] == ["withdraw"] and confirmation["text"].startswith("Submitted REQ-1001")
    assert texts(lines, IVY, "error") == ["You can only withdraw your own requests, and REQ-1001 is not one of them."]
    assert "Withdrawn REQ-1001 (Purchase requisition): nothing more will happen to it. I've told Bob Martin." in texts(
        lines, ALICE, "reply"
    )
    updates = [line for line in lines if line["kind"] == "card_update"]
    bob_card = next(line for line in updates if line["to"] == BOB)
    assert bob_card["card"]["buttons"] == [] and bob_card["text"].startswith("Withdrawn by Alice Nguyen at ")
    mine = next(line for line in updates if line["to"] == ALICE and line["card"]["title"].startswith("REQ-1001"))
    assert mine["card"]["buttons"] == []
    assert "Alice Nguyen withdrew REQ-1001 (Purchase requisition); it no longer needs your decision." in texts(
        lines, BOB, "notice"
    )
    assert texts(lines, BOB, "error") == ["REQ-1001 was withdrawn by its requester; there's nothing to decide."]
    assert texts(lines, ALICE, "reply")[-1] == "REQ-1001 was already cancelled; there is nothing to withdraw."
    assert [row["op"] for row in backend_rows(app)] == ["create", "cancel"]
    with app.db.transaction() as session:
        request = repo.request_by_ref(session, "REQ-1001")
        assert request is not None and request.status == "cancelled"
        assert [s.status for s in repo.steps_of(session, request.id)] == ["cancelled", "cancelled"]
        trail = [(e.actor, e.action) for e in repo.audit_trail(session, "REQ-1001")]
        assert (IVY, "refused") in trail and (ALICE, "withdrawn") in trail and (BOB, "approved") not in trail
        withdrawn = next(e for e in repo.audit_trail(session, "REQ-1001") if e.action == "withdrawn")
        assert withdrawn.source.get("typed") is True


def test_the_withdraw_button_and_the_one_just_sent(database_url: str) -> None:
    lines: list[dict[str, Any]] = []
    app = make_app(database_url, lines)
    run_steps(
        app,
        [
            say(ALICE, "buy 2 x pumps for cc-4410 $900"),
            press(ALICE, "confirm"),
            press(ALICE, "withdraw"),
            say(ALICE, "buy 3 x chairs for cc-4410 $600"),
            press(ALICE, "confirm"),
            say(ALICE, "forget the one I just sent"),
        ],
    )
    withdrawn = [t for t in texts(lines, ALICE, "reply") if t.startswith("Withdrawn")]
    assert [t.split(" (")[0] for t in withdrawn] == ["Withdrawn REQ-1001", "Withdrawn REQ-1002"]
    with app.db.transaction() as session:
        assert list(session.scalars(select(Request.status).order_by(Request.id))) == ["cancelled", "cancelled"]


def _race(app: App, n: int) -> None:
    ref = f"REQ-{1000 + n}"
    barrier = threading.Barrier(2)

    def withdraw() -> None:
        barrier.wait()
        app.engine.handle(Message(ALICE, dm(ALICE), f"withdraw {ref}", f"w-{n}"))

    def approve() -> None:
        barrier.wait()
        app.engine.handle(Action(BOB, dm(BOB), ActionName.APPROVE, request=ref, step=1, event_id=f"a-{n}"))

    threads = [threading.Thread(target=withdraw), threading.Thread(target=approve)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def test_a_withdrawal_racing_an_approval_exactly_one_wins_and_the_backend_agrees(database_url: str) -> None:
    lines: list[dict[str, Any]] = []
    app = make_app(database_url, lines)
    rounds = 4
    run_steps(
        app, [s for _ in range(rounds) for s in (say(ALICE, "buy 2 x pumps for cc-4410 $900"), press(ALICE, "confirm"))]
    )
    for n in range(1, rounds + 1):
        _race(app, n)
    outcomes = {}
    with app.db.transaction() as session:
        for n in range(1, rounds + 1):
            request = repo.request_by_ref(session, f"REQ-{1000 + n}")
            assert request is not None
            [step] = repo.steps_of(session, request.id)
            trail = [e.action for e in repo.audit_trail(session, request.ref)]
            assert (step.status, request.status) in (("approved", "approved"), ("cancelled", "cancelled"))
            assert ("approved" in trail) != ("withdrawn" in trail)  # exactly one of them won
            outcomes[request.ref] = request.status
    at_backend = asyncio.run(_backend_hears(app))
    with app.db.transaction() as session:
        here = {r.ref: r.status for r in session.scalars(select(Request))}
    for ref, outcome in outcomes.items():
        refused = any(
            t.startswith(f"The Procurement team's system could not withdraw {ref}:") for t in texts(lines, ALICE)
        )
        if outcome == "cancelled":  # withdrawn first: the backend cancelled it, the approval was refused
            assert (here[ref], at_backend[ref], refused) == ("cancelled", "cancelled", False)
        else:  # approved first: the backend did the work and refused the cancel asked after; Alice hears why
            assert (here[ref], at_backend[ref], refused) == ("fulfilled", "fulfilled", True)


async def _backend_hears(app: App) -> dict[str, str]:
    """Start the app and its embedded backend, deliver everything decided meanwhile, and say what
    the backend holds of each request."""
    await app.start(port=0)
    try:
        await app.settle()
        await app.settle()
        with app.db.transaction() as session:
            ids = {r.ref: r.backend_id for r in session.scalars(select(Request)) if r.backend_id}
        return {ref: str((app.embedded.store.request(bid) or {}).get("status")) for ref, bid in ids.items()}
    finally:
        await app.stop()


async def test_a_withdrawal_while_the_backend_is_down_is_delivered_once_when_it_is_back(
    database_url: str, tmp_path: Path
) -> None:
    lines: list[dict[str, Any]] = []
    app = await started(database_url, lines)
    try:
        port = int(app.embedded.url.rsplit(":", 1)[1])
        db_path = app.embedded.store.db.execute("PRAGMA database_list").fetchone()[2]
        await app.embedded.stop()  # the backend goes away
        app.client.retries = 0
        from bot.channels.local.script import ScriptRunner, read_steps

        steps = [
            say(ALICE, "buy 2 x chairs for cc-4410 $600"),
            press(ALICE, "confirm"),
            say(ALICE, "withdraw REQ-1001"),
        ]
        await ScriptRunner(app, lambda e: None, "down").run(read_steps(steps))
        await app.settle()
        assert any(t.startswith("Withdrawn REQ-1001") for t in texts(lines, ALICE, "reply"))
        app.embedded = EmbeddedBackend(
            db_path, None, f"{app.base_url}/backend/events", app.settings.backend_callback_secret.get_secret_value()
        )
        await app.embedded.start(port=port)  # back on the same address
        app.clock.advance(timedelta(minutes=5))
        await app.settle()
        await app.settle()
        assert app.embedded.hits["POST /requests/{id}/cancel"] == 1
        assert app.embedded.store.request("BK-000001")["status"] == "cancelled"
        app.clock.advance(timedelta(minutes=5))
        await app.settle()
        assert app.embedded.hits["POST /requests/{id}/cancel"] == 1  # once
        with app.db.transaction() as session:
            request = repo.request_by_ref(session, "REQ-1001")
            assert request is not None and (request.status, request.backend_status) == ("cancelled", "cancelled")
            assert {r.status for r in session.scalars(select(OutboxMessage))} == {"sent"}
        assert not any("service team" in t and "cancelled by" in t for t in texts(lines, ALICE))  # told once
    finally:
        await app.stop()


async def test_a_withdrawal_past_approval_refused_by_the_backend_once_work_has_started(database_url: str) -> None:
    lines: list[dict[str, Any]] = []
    app = await started(database_url, lines)
    try:
        app.embedded.fulfil_delay = 60  # the work takes a while: settling does not wait for it
        settle = app.embedded.settle
        app.embedded.settle = lambda timeout=0.5: settle(timeout)
        from bot.channels.local.script import ScriptRunner, read_steps

        steps = [say(ALICE, "buy 2 x chairs for cc-4410 $600"), press(ALICE, "confirm")]
        await ScriptRunner(app, lambda e: None, "one").run(read_steps(steps))
        await app.settle()
        app.engine.handle(Action(BOB, dm(BOB), ActionName.APPROVE, request="REQ-1001", step=1, event_id="a"))
        app.engine.handle(Message(ALICE, dm(ALICE), "withdraw REQ-1001", "w"))  # approved here, not yet at the backend
        await app.settle()
        await app.settle()
        told = texts(lines, ALICE)
        assert any(t.startswith("REQ-1001 is already with the Procurement team, so I've asked") for t in told)
        assert [t for t in told if "could not withdraw" in t] == [
            "The Procurement team's system could not withdraw REQ-1001: work on the request has already started. "
            "Contact the Procurement team (#procurement-help, procurement@example.org) if it must be stopped."
        ]
        with app.db.transaction() as session:
            request = repo.request_by_ref(session, "REQ-1001")
            assert request is not None and request.status == "in_progress"
            assert "withdraw_refused" in [e.action for e in repo.audit_trail(session, "REQ-1001")]
            assert {r.status for r in session.scalars(select(OutboxMessage))} == {"sent"}  # not a dead letter
        app.engine.handle(Message(ALICE, dm(ALICE), "withdraw REQ-1001", "w2"))
        await app.settle()
        assert texts(lines, ALICE, "reply")[-1].startswith("REQ-1001 can't be withdrawn any more")
    finally:
        await app.stop()
