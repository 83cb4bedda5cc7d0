"""A request's life in words and buttons on Teams: the Withdraw button on the requester's
confirmation (Universal Action), a withdrawal typed, and decisions typed by the approver."""

from __future__ import annotations

from bot.store import repo
from tests.channels.teams.harness import ALICE, BOB, IVY, Teams, text_of

MONITORS = "I need 2 monitors for CC-4410, about $600 total"


async def submitted(teams: Teams) -> None:
    await teams.install(BOB)
    await teams.say(ALICE, MONITORS)
    await teams.press(ALICE, teams.actions(f"a:{ALICE}")["confirm"])


async def test_the_withdraw_button_closes_the_approval_card_in_place(teams: Teams) -> None:
    await submitted(teams)
    assert set(teams.actions(f"a:{ALICE}")) == {"withdraw"}
    _, answer = await teams.press(ALICE, teams.actions(f"a:{ALICE}")["withdraw"])
    assert answer["value"].startswith("Withdrawn REQ-1001 (Purchase requisition)")
    [closed] = teams.connector.updated(f"a:{BOB}")
    assert "Withdrawn by Alice Nguyen" in text_of(closed) and '"actions"' not in text_of(closed)
    assert any("no longer needs your decision" in t for t in teams.connector.texts(f"a:{BOB}"))
    _, late = await teams.press(BOB, teams.actions(f"a:{BOB}")["approve"])  # the card as Bob last saw it
    assert late["value"] == "REQ-1001 was withdrawn by its requester; there's nothing to decide."


async def test_a_withdrawal_typed_and_someone_elses_refused(teams: Teams) -> None:
    await submitted(teams)
    await teams.say(IVY, "withdraw REQ-1001")
    assert (
        teams.connector.texts(f"a:{IVY}")[-1]
        == "You can only withdraw your own requests, and REQ-1001 is not one of them."
    )
    await teams.say(ALICE, "forget the one I just sent")
    assert teams.connector.texts(f"a:{ALICE}")[-1].startswith("Withdrawn REQ-1001")


async def test_decisions_typed_by_the_approver_and_refused_to_others(teams: Teams) -> None:
    await submitted(teams)
    await teams.say(IVY, "approve REQ-1001")
    assert teams.connector.texts(f"a:{IVY}")[-1] == "Only Bob Martin can decide this step of REQ-1001."
    await teams.say(BOB, "approve 1001")
    assert teams.connector.texts(f"a:{BOB}")[-1] == "Done: you approved REQ-1001."
    [update] = teams.connector.updated(f"a:{BOB}")
    assert "Approved by Bob Martin" in text_of(update)
    assert any("Bob Martin approved REQ-1001" in t for t in teams.connector.texts(f"a:{ALICE}"))
    with teams.app.db.transaction() as session:
        [decided] = [e for e in repo.audit_trail(session, "REQ-1001") if e.action == "approved"]
        assert decided.source["typed"] is True
