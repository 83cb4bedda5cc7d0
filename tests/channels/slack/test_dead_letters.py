"""Dead letters never silent, through Slack: an approval card Slack refuses for good (the role's
channel is archived or the bot was removed) reaches the role's holders in direct messages, the
requester is told, the follow-up is counted and audited, and `frontdoor outbox` sees what died."""

from __future__ import annotations

from sqlalchemy import select

from bot.store import dead
from bot.store.models import AuditEvent
from tests.channels.slack.harness import ALICE, BOB, FINANCE, FRANK, IV_POLES, Slack, dm


async def test_a_role_card_slack_refuses_goes_to_the_holders_and_the_requester_is_told(slack: Slack) -> None:
    slack.api.refuse(FINANCE, "is_archived")
    await slack.dm(ALICE, IV_POLES.replace("12.5k", "7.5k"))
    await slack.click(ALICE, dm(ALICE), "confirm")
    await slack.click(BOB, dm(BOB), "approve")
    await slack.quiet()
    assert slack.posts(FINANCE) == []  # refused: nothing landed in the channel
    card = slack.card(dm(FRANK))  # Frank holds Finance: the card came to him directly, with its buttons
    assert "could not be delivered to #approvals-finance" in card["text"]
    told = slack.texts(dm(ALICE))
    assert any(
        t.startswith("The approval card for REQ-1001 could not be delivered to #approvals-finance, so I sent it")
        and "Frank Ito" in t
        for t in told
    )
    await slack.click(FRANK, dm(FRANK), "approve")
    assert any("Frank Ito approved REQ-1001" in t for t in slack.texts(dm(ALICE)))
    with slack.app.db.transaction() as session:
        [row] = dead.dead_rows(session)
        assert row.payload["to"] == "#approvals-finance" and "is_archived" in (row.last_error or "")
        actions = list(session.scalars(select(AuditEvent.action).where(AuditEvent.request_ref == "REQ-1001")))
        assert actions.count("card_undeliverable") == 1
    metrics = slack.app.metrics
    assert metrics.dead_letters.labels("approval_card")._value.get() == 1
    await slack.app.tick()  # the sweep's safety net finds nothing more to do: followed up once
    assert metrics.dead_letters.labels("approval_card")._value.get() == 1


async def test_a_dead_card_is_retried_from_the_command_line_store_and_sent(slack: Slack) -> None:
    slack.api.refuse(FINANCE, "channel_not_found")
    await slack.dm(ALICE, IV_POLES.replace("12.5k", "7.5k"))
    await slack.click(ALICE, dm(ALICE), "confirm")
    await slack.click(BOB, dm(BOB), "approve")
    await slack.quiet()
    del slack.api.refused[FINANCE]  # the bot was invited back
    with slack.app.db.core_transaction() as connection:
        [row] = dead.dead_rows(connection)
        assert dead.retry(connection, row.id, slack.app.clock.now())
        assert not dead.retry(connection, row.id, slack.app.clock.now())  # only a dead row
    await slack.app.settle()
    assert slack.card(FINANCE)["text"] == "Alice Nguyen asks for approval of REQ-1001 (Purchase requisition)."
    with slack.app.db.core_transaction() as connection:
        assert dead.dead_rows(connection) == []
