"""A request's life in words and buttons on Slack: the Withdraw button on the requester's
confirmation, a withdrawal typed, and decisions typed by the approver (the engine decides who may)."""

from __future__ import annotations

from sqlalchemy import select

from bot.store import repo
from bot.store.models import Request
from tests.channels.slack.harness import ALICE, BOB, IVY, MONITORS, Slack, dm


async def submitted(slack: Slack) -> None:
    await slack.dm(ALICE, MONITORS)
    await slack.click(ALICE, dm(ALICE), "confirm")


async def test_the_withdraw_button_closes_the_approval_card_in_place(slack: Slack) -> None:
    await submitted(slack)
    bob_card = slack.card(dm(BOB))
    confirmation = slack.card(dm(ALICE))
    assert set(slack.buttons(dm(ALICE))) == {"withdraw"} and confirmation["text"].startswith("Submitted REQ-1001")
    await slack.click(ALICE, dm(ALICE), "withdraw")
    updates = {(u["channel"], u["ts"]): u for u in slack.api.card_updates()}
    closed = updates[(dm(BOB), bob_card["ts"])]
    assert closed["text"].startswith("Withdrawn by Alice Nguyen") and not any(
        b["type"] == "actions" for b in closed["blocks"]
    )
    assert not any(b["type"] == "actions" for b in updates[(dm(ALICE), confirmation["ts"])]["blocks"])
    assert any(t.startswith("Withdrawn REQ-1001 (Purchase requisition)") for t in slack.texts(dm(ALICE)))
    assert "Alice Nguyen withdrew REQ-1001 (Purchase requisition); it no longer needs your decision." in slack.texts(
        dm(BOB)
    )
    await slack.click(BOB, dm(BOB), "approve", card=bob_card)  # the old card's button
    assert [e["text"] for e in slack.api.named("chat.postEphemeral")] == [
        "REQ-1001 was withdrawn by its requester; there's nothing to decide."
    ]
    with slack.app.db.transaction() as session:
        assert session.scalars(select(Request.status)).one() == "cancelled"


async def test_a_withdrawal_typed_and_someone_elses_refused(slack: Slack) -> None:
    await submitted(slack)
    await slack.dm(IVY, "withdraw REQ-1001")
    assert slack.texts(dm(IVY))[-1] == "You can only withdraw your own requests, and REQ-1001 is not one of them."
    await slack.dm(ALICE, "please pull back REQ-1001")
    assert slack.texts(dm(ALICE))[-1].startswith("Withdrawn REQ-1001")


async def test_decisions_typed_by_the_approver_and_refused_to_others(slack: Slack) -> None:
    await submitted(slack)
    card = slack.card(dm(BOB))
    await slack.dm(IVY, "approve 1001")
    assert [(e["user"], e["text"]) for e in slack.api.named("chat.postEphemeral")] == [
        (IVY, "Only Bob Martin can decide this step of REQ-1001.")  # as for a click: only Ivy sees it
    ]
    await slack.dm(BOB, "deny REQ-1001 — we have stock")
    assert slack.texts(dm(BOB))[-1] == 'Done: you rejected REQ-1001 ("we have stock"). Alice Nguyen has been told.'
    [update] = [u for u in slack.api.card_updates() if u["ts"] == card["ts"]]
    assert "Rejected by Bob Martin" in update["text"] and "Reason: we have stock" in update["text"]
    assert "Bob Martin rejected REQ-1001. Reason: we have stock" in slack.texts(dm(ALICE))
    await slack.dm(BOB, "approve 1001")  # the first decision won
    assert slack.texts(dm(BOB))[-1] == "REQ-1001 has no approval waiting (it is rejected)."
    with slack.app.db.transaction() as session:
        [decided] = [e for e in repo.audit_trail(session, "REQ-1001") if e.action == "rejected"]
        assert decided.actor == "bob.martin@example.org" and decided.source["typed"] is True
