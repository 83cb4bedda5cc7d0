"""The first minutes on Teams: the review card's buttons said in words, and a second Confirm told
what happened to the form."""

from __future__ import annotations

from tests.channels.teams.harness import ALICE, BOB, Teams, text_of

MONITORS = "I need 2 monitors for CC-4410, about $600 total"


async def test_typed_confirm_submits_and_a_second_confirm_says_already_submitted(teams: Teams) -> None:
    await teams.install(BOB)
    await teams.say(ALICE, MONITORS)
    confirm = teams.actions(f"a:{ALICE}")["confirm"]
    await teams.say(ALICE, "yes, submit it")
    assert teams.card(f"a:{BOB}")["body"][0]["text"].startswith("REQ-1001")
    status, again = await teams.press(ALICE, confirm)  # the double click, on the card that is now closed
    assert status == 200 and again["value"].startswith("Already submitted as REQ-1001 · Purchase requisition")
    assert "nothing was submitted" not in again["value"]
    await teams.say(ALICE, "confirm")
    assert teams.connector.texts(f"a:{ALICE}")[-1].startswith("Already submitted as REQ-1001")
    assert len([c for c in teams.connector.posted(f"a:{BOB}") if c.get("attachments")]) == 1  # one card, once


async def test_typed_edit_and_cancel_press_those_buttons(teams: Teams) -> None:
    await teams.say(ALICE, MONITORS)
    await teams.say(ALICE, "edit")
    assert teams.card(f"a:{ALICE}")["body"][0]["text"].startswith("Edit")
    await teams.say(ALICE, "never mind")
    assert teams.connector.texts(f"a:{ALICE}")[-1] == "Cancelled — nothing was submitted."
    _, again = await teams.press(ALICE, {"title": "Cancel", "verb": "cancel", "data": {"draft": 1, "version": 1}})
    assert "actions" not in again["value"]  # the card comes back closed, saying what became of it
    assert "That form was cancelled — nothing was submitted." in text_of(again["value"])
