"""The first minutes on Slack, over signed HTTP: the review card's buttons said in words, and a
second Confirm (the commonest double click) told what happened to the form."""

from __future__ import annotations

from tests.channels.slack.harness import ALICE, BOB, MONITORS, Slack, dm


def said(slack: Slack, channel: str) -> list[str]:
    """Every text the bot posted there, ephemeral or not."""
    return [
        a["text"]
        for name in ("chat.postMessage", "chat.postEphemeral")
        for a in slack.api.named(name)
        if a["channel"] == channel
    ]


async def test_typed_confirm_submits_and_a_second_click_says_already_submitted(slack: Slack) -> None:
    await slack.dm(ALICE, MONITORS)
    review = slack.card(dm(ALICE))
    await slack.dm(ALICE, "looks good, send it")
    assert slack.card(dm(BOB))["text"] == "Alice Nguyen asks for approval of REQ-1001 (Purchase requisition)."
    assert await slack.click(ALICE, dm(ALICE), "confirm", review) == 200  # the double click
    await slack.quiet()
    answer = said(slack, dm(ALICE))[-1]
    assert answer.startswith("Already submitted as REQ-1001 · Purchase requisition · waiting for approval")
    await slack.dm(ALICE, "Sí, envíalo")
    assert said(slack, dm(ALICE))[-1].startswith("Ya se envió como REQ-1001")  # answered in the language written in
    assert len(slack.posts(dm(BOB))) == 1  # one request, one card


async def test_typed_edit_and_cancel(slack: Slack) -> None:
    await slack.dm(ALICE, MONITORS)
    review = slack.card(dm(ALICE))
    await slack.dm(ALICE, "I want to change something")
    assert "What would you like to change?" in said(slack, dm(ALICE))[-1]
    await slack.dm(ALICE, "cancel")
    assert said(slack, dm(ALICE))[-1] == "Cancelled — nothing was submitted."
    await slack.click(ALICE, dm(ALICE), "cancel", review)
    await slack.quiet()
    assert said(slack, dm(ALICE))[-1].startswith("That form was cancelled — nothing was submitted.")
