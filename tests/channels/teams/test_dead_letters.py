"""Dead letters never silent, through Teams: the bot was removed from the mapped approvals
channel, so the connector refuses the Finance card (403) for good; the card goes to the role's
holders in their personal chats, the requester is told, and a holder's click there decides."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.store import dead
from tests.channels.teams.conftest import directory_with_dina, start_app
from tests.channels.teams.harness import ALICE, BOB, DINA, FINANCE, FRANK, Teams, text_of
from tests.fakes.bot_connector import FakeConnector


async def test_a_card_refused_in_the_role_channel_reaches_each_holder_directly(
    tmp_path: Path, connector: FakeConnector, monkeypatch: pytest.MonkeyPatch
) -> None:
    rooms = {"#approvals-finance": {"conversation": FINANCE, "service_url": connector.url}}
    monkeypatch.setenv("FRONTDOOR_TEAMS_CHANNELS", json.dumps(rooms))
    connector.removed.add(FINANCE)
    app = await start_app(tmp_path, directory=directory_with_dina(tmp_path))
    try:
        teams = Teams(app, connector)
        for person in (BOB, FRANK, DINA):
            await teams.install(person)
        await teams.say(ALICE, "We need 4 IV poles for 4 West, cost center 4410, about $6,000")
        await teams.press(ALICE, teams.actions(f"a:{ALICE}")["confirm"])
        await teams.press(BOB, teams.actions(f"a:{BOB}")["approve"])
        await app.settle()
        assert connector.posted(FINANCE) == []
        for holder in (FRANK, DINA):  # both hold Finance: each has the card in their personal chat
            assert "REQ-1001" in text_of(teams.card(f"a:{holder}"))
        told = " ".join(connector.texts(f"a:{ALICE}"))
        assert "could not be delivered to #approvals-finance, so I sent it to" in told
        _, decided = await teams.press(DINA, teams.actions(f"a:{DINA}")["approve"])
        assert "Approved by Dina Ross" in text_of(decided["value"])
        assert "Dina Ross approved REQ-1001" in " ".join(connector.texts(f"a:{ALICE}"))
        with app.db.core_transaction() as connection:
            [row] = dead.dead_rows(connection)
            assert "403" in (row.last_error or "")
            assert dead.discard(connection, row.id) and dead.dead_rows(connection) == []
    finally:
        await app.stop()
