"""The conversation and approval engine through scripted steps, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import json
import threading
from typing import Any

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from bot.core.events import Action, ActionName, BackendNews, Message, Place
from bot.store import repo
from bot.store.models import Decision, Draft, OutboxMessage, Request
from tests.bot.helpers import make_app, run_steps

ALICE, BOB, FRANK, IVY = (f"{n}@example.org" for n in ("alice.nguyen", "bob.martin", "frank.ito", "ivy.tran"))


def step(**kw: Any) -> str:
    return json.dumps({"as": kw.pop("who"), **kw})


def test_full_request_with_two_approvals(database_url: str) -> None:
    lines: list[dict[str, Any]] = []
    app = make_app(database_url, lines)
    run_steps(
        app,
        [
            step(who=ALICE, say="buy 3 x monitors for cc-4410 $7,500"),
            step(who=ALICE, press="confirm"),
            step(who=BOB, press="approve"),
            step(who=FRANK, press="approve"),
        ],
    )
    review = next(line for line in lines if line["card"] and line["card"]["title"].startswith("Review"))
    assert review["card"]["fields"] == {
        "Item": "monitors",
        "Quantity": "3",
        "Estimated cost": "$7,500",
        "Cost center": "CC-4410",
    }
    cards = [line for line in lines if line["kind"] == "card" and line["request"] == "REQ-1001"]
    assert [c["to"] for c in cards] == [BOB, "#approvals-finance"]
    assert cards[0]["card"]["buttons"] == ["approve", "reject", "request_info"]
    updates = [line for line in lines if line["kind"] == "card_update"]
    assert [u["text"].split(" at ")[0] for u in updates] == [
        "Submitted as REQ-1001.",  # the review card, closed
        "Approved by Bob Martin",
        "Approved by Frank Ito",
    ]
    assert all(u["card"]["buttons"] == [] for u in updates)
    told = [line["text"] for line in lines if line["to"] == ALICE and line["kind"] == "notice"]
    assert told == [
        "Bob Martin approved REQ-1001. Next: Finance.",
        "Frank Ito approved REQ-1001. It is fully approved and on its way to the service team.",
    ]
    with app.db.transaction() as session:
        request = repo.request_by_ref(session, "REQ-1001")
        assert request is not None and request.status == "approved"
        assert [e.action for e in repo.audit_trail(session, "REQ-1001")] == ["submitted", "approved", "approved"]
        assert session.scalar(select(func.count()).select_from(Decision)) == 2


def test_a_cancelled_review_card_is_closed_and_only_its_owner_may_press_it(database_url: str) -> None:
    lines: list[dict[str, Any]] = []
    app = make_app(database_url, lines)
    run_steps(app, [step(who=ALICE, say="buy 3 x monitors for cc-4410 $700")])
    shared = Place("slack", "CGENERAL", "1700000400.000100", direct=False)  # a review card in a shared channel
    with app.db.transaction() as session:
        draft = session.scalars(select(Draft)).one()
        draft.place, draft.place_info = shared.key, shared.as_dict()
    [refusal] = app.engine.handle(Action(BOB, shared, ActionName.CONFIRM, draft=draft.id, event_id="b1"))
    assert (
        refusal.to == BOB
        and refusal.text == "That form is Alice Nguyen's request; only they can confirm, edit or cancel it."
    )
    app.engine.handle(Action(ALICE, shared, ActionName.CANCEL, draft=draft.id, event_id="a1"))
    [gone] = app.engine.handle(Action(ALICE, shared, ActionName.CONFIRM, draft=draft.id, event_id="a2"))
    assert gone.text.startswith("That form was cancelled — nothing was submitted.")  # what became of it
    assert app.chat is not None
    asyncio.run(app.chat.drain())
    [closed] = [line for line in lines if line["kind"] == "card_update"]
    assert closed["to"] == ALICE and closed["text"] == "Cancelled — nothing was submitted."
    assert closed["card"]["title"] == "Review: Purchase requisition" and closed["card"]["buttons"] == []
    with app.db.transaction() as session:
        assert session.scalar(select(func.count()).select_from(Request)) == 0


def test_missing_fields_are_asked_one_at_a_time_and_corrections_apply(database_url: str) -> None:
    lines: list[dict[str, Any]] = []
    app = make_app(database_url, lines)
    run_steps(
        app,
        [
            step(who=ALICE, say="buy x monitors"),
            step(who=ALICE, say="3"),
            step(who=ALICE, say="four hundred apples"),
            step(who=ALICE, say="$900"),
            step(who=ALICE, say="cc 4410"),
            step(who=ALICE, say="actually make it 4"),
        ],
    )
    replies = [line["text"] for line in lines]
    assert replies[0].endswith("How many do you need?")
    assert replies[1].endswith("What is the estimated total cost (in USD)?")
    assert "Estimated cost should be an amount in US dollars" in replies[2]
    assert replies[3].endswith("Which cost center should pay for it (like CC-4410)?")
    assert lines[4]["card"]["fields"]["Quantity"] == "3"
    assert lines[5]["card"]["fields"]["Quantity"] == "4"


def test_refusals_requester_and_stranger(database_url: str) -> None:
    lines: list[dict[str, Any]] = []
    app = make_app(database_url, lines)
    run_steps(
        app,
        [
            step(who=ALICE, say="buy 2 x chairs for cc-4410 $600"),
            step(who=ALICE, press="confirm"),
            step(who=ALICE, press="approve"),
            step(who=IVY, press="approve"),
            step(who=BOB, press="reject", comment="not in budget"),
            step(who=BOB, press="approve"),
        ],
    )
    errors = [line for line in lines if line["kind"] == "error"]
    assert [e["to"] for e in errors] == [ALICE, IVY, BOB]
    assert errors[0]["text"] == "You can't approve your own request; it needs someone else's decision."
    assert errors[1]["text"] == "Only Bob Martin can decide this step of REQ-1001."
    assert errors[2]["text"].startswith("REQ-1001 was already rejected by Bob Martin")
    assert any(line["text"] == "Bob Martin rejected REQ-1001. Reason: not in budget" for line in lines)
    with app.db.transaction() as session:
        actions = [e.action for e in repo.audit_trail(session, "REQ-1001")]
    assert actions == ["submitted", "refused", "refused", "rejected"]


def test_retried_event_is_handled_once(database_url: str) -> None:
    lines: list[dict[str, Any]] = []
    app = make_app(database_url, lines)
    message = Message(ALICE, app_place(ALICE), "buy 1 x desk for cc-4410 $300", event_id="evt-1")
    first = app.engine.handle(message)
    assert app.engine.handle(message) == [] and app.engine.handle(message) == []
    assert len(first) == 1
    with app.db.transaction() as session:
        assert session.scalar(select(func.count()).select_from(OutboxMessage)) == 1


def app_place(person: str) -> Any:
    from bot.channels.local.script import dm

    return dm(person)


def test_concurrent_clicks_record_exactly_one_decision(database_url: str) -> None:
    lines: list[dict[str, Any]] = []
    app = make_app(database_url, lines)
    run_steps(app, [step(who=ALICE, say="buy 2 x pumps for cc-4410 $900"), step(who=ALICE, press="confirm")])
    barrier = threading.Barrier(8)
    results: list[list[Any]] = []

    def click(n: int) -> None:
        barrier.wait()
        act = ActionName.APPROVE if n % 2 else ActionName.REJECT
        results.append(
            app.engine.handle(Action(BOB, app_place(BOB), act, request="REQ-1001", step=1, event_id=f"click-{n}"))
        )

    threads = [threading.Thread(target=click, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    refused = [out for out in results if out and out[0].kind == "error"]
    assert len(refused) == 7
    assert all("was already" in out[0].text for out in refused)
    with app.db.transaction() as session:
        assert session.scalar(select(func.count()).select_from(Decision)) == 1
        request = session.scalars(select(Request)).one()
        assert len([e for e in repo.audit_trail(session, request.ref) if e.action in ("approved", "rejected")]) == 1


def test_audit_trail_is_append_only(database_url: str) -> None:
    app = make_app(database_url, [])
    run_steps(app, [step(who=ALICE, say="buy 2 x pumps for cc-4410 $900"), step(who=ALICE, press="confirm")])
    for statement in ("UPDATE audit_events SET actor = 'mallory'", "DELETE FROM audit_events"):
        with pytest.raises(DBAPIError, match="append-only"), app.db.transaction() as session:
            session.execute(text(statement))


def test_status_and_list_approvals(database_url: str) -> None:
    lines: list[dict[str, Any]] = []
    app = make_app(database_url, lines)
    run_steps(
        app,
        [
            step(who=ALICE, say="buy 2 x pumps for cc-4410 $900"),
            step(who=ALICE, press="confirm"),
            step(who=ALICE, say="status REQ-1001"),
            step(who=IVY, say="status REQ-1001"),
            step(who=BOB, say="what do I need to approve?"),
        ],
    )
    texts = [line["text"] for line in lines]
    assert any(
        t.startswith("REQ-1001 · Purchase requisition · waiting for approval, step 1 with Bob Martin") for t in texts
    )
    assert "I can't find REQ-1001 among your requests." in texts
    assert any(t.startswith("Waiting for your approval (1):") for t in texts)
    assert lines[-1]["kind"] == "card" and lines[-1]["to"] == BOB


def test_unknown_person_and_out_of_scope(database_url: str) -> None:
    lines: list[dict[str, Any]] = []
    app = make_app(database_url, lines)
    run_steps(app, [step(who="mallory@evil.test", say="buy 1 x yacht $9"), step(who=ALICE, say="what's the weather?")])
    assert lines[0]["kind"] == "error" and "directory" in lines[0]["text"]
    assert lines[1]["text"].startswith("Sorry, that's not something I can help with here.")


class UnsureParser:
    """Proposes the cost center with low confidence, as a hybrid parser does after a disagreement."""

    name = "unsure"

    def parse(self, text: str, context: Any) -> Any:
        from intents.base import Proposal

        if context.draft_type:
            return Proposal(
                intent=context.draft_type,
                confidence=0.9,
                slots={"cost_center": "CC-4420"},
                slot_confidence={"cost_center": 0.95},
            )
        slots = {"item_description": "pens", "quantity": 2, "estimated_cost": 40, "cost_center": "CC-4410"}
        return Proposal(
            intent="purchase_requisition",
            confidence=0.9,
            slots=slots,
            slot_confidence={**dict.fromkeys(slots, 0.95), "cost_center": 0.6},
        )


def test_unsure_values_are_flagged_for_review_until_restated(database_url: str) -> None:
    lines: list[dict[str, Any]] = []
    app = make_app(database_url, lines)
    app.services.parser = UnsureParser()
    run_steps(app, [step(who=ALICE, say="pens"), step(who=ALICE, say="cost center is 4420")])
    assert lines[0]["text"].endswith("Please check the cost center: I wasn't sure I read it right.")
    assert lines[1]["card"]["fields"]["Cost center"] == "CC-4420"
    assert "Please check" not in lines[1]["text"]


def test_edit_in_the_local_chat_then_confirm(database_url: str) -> None:
    from bot.core.events import ActionName as A

    lines: list[dict[str, Any]] = []
    app = make_app(database_url, lines)
    run_steps(app, [step(who=ALICE, say="buy 2 x chairs for cc-4410 $600"), step(who=ALICE, press=A.EDIT.value)])
    assert lines[-1]["card"]["title"] == "Edit: Purchase requisition"
    draft_card = lines[-1]
    assert draft_card["card"]["buttons"] == ["submit_edit"]
    run_steps(app, [json.dumps({"as": ALICE, "press": "submit_edit", "values": {"quantity": "zero"}})])
    assert lines[-1]["kind"] == "error" and "Quantity must be at least 1." in lines[-1]["text"]
    run_steps(
        app,
        [
            json.dumps({"as": ALICE, "press": "submit_edit", "values": {"quantity": "5"}}),
            step(who=ALICE, press="confirm"),
        ],
    )
    assert any(line["text"].startswith("Submitted REQ-1001") for line in lines)


def test_backend_failure_during_approval_closes_the_open_step(database_url: str) -> None:
    lines: list[dict[str, Any]] = []
    app = make_app(database_url, lines)
    run_steps(app, [step(who=ALICE, say="buy 3 x monitors for cc-4410 $7,500"), step(who=ALICE, press="confirm")])
    app.engine.handle(BackendNews("ev-1", "BK-unknown", "REQ-1001", "failed", "vendor blocked"))
    assert app.chat is not None
    asyncio.run(app.chat.drain())
    [closed] = [line for line in lines if line["kind"] == "card_update" and line["request"] == "REQ-1001"]
    assert closed["to"] == BOB and closed["card"]["buttons"] == []
    assert closed["text"] == "Closed: the service team reports the request failed."
    with app.db.transaction() as session:
        request = repo.request_by_ref(session, "REQ-1001")
        assert request is not None and request.status == "failed"
        assert [s.status for s in repo.steps_of(session, request.id)] == ["cancelled", "cancelled"]
    run_steps(app, [step(who=BOB, press="approve")])  # the card's old button: nothing left to decide
    assert "nothing to decide" in lines[-1]["text"] and lines[-1]["kind"] == "error"


def test_a_delegates_decision_is_audited_on_whose_behalf_and_never_routed_to_the_requester(database_url: str) -> None:
    lines: list[dict[str, Any]] = []
    app = make_app(database_url, lines)
    run_steps(
        app,
        [
            step(who=BOB, say="delegate my approvals to alice.nguyen@example.org until Dec 5"),
            step(who=ALICE, say="buy 3 x monitors for cc-4410 $700"),
            step(who=ALICE, press="confirm"),
        ],
    )
    cards = [line for line in lines if line["kind"] == "card" and line["request"] == "REQ-1001"]
    # Bob's approvals are with the requester for now: the step goes up to Bob's manager, not to Alice
    assert [c["to"] for c in cards] == ["carol.diaz@example.org"]
    run_steps(
        app,
        [
            step(who="carol.diaz@example.org", say="delegate my approvals to ivy.tran@example.org until Dec 5"),
            step(who=IVY, press="approve", request="REQ-1001", step=1),
        ],
    )
    with app.db.transaction() as session:
        [approved] = [e for e in repo.audit_trail(session, "REQ-1001") if e.action == "approved"]
    assert approved.actor == IVY and approved.detail["on_behalf_of"] == ["carol.diaz@example.org"]
