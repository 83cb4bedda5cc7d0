"""Bad input through the Teams endpoint: the longest message Teams delivers is answered with what to
shorten, without reading it, and the conversation goes on."""

from __future__ import annotations

import asyncio

import aiohttp

from tests.channels.teams.harness import ALICE, BOB, Teams

MONITORS = "I need 2 monitors for CC-4410, about $600 total"
TEAMS_LIMIT = 28_000
"""About the most characters Teams delivers in one message (its limit is ~28 KB)."""


async def test_the_longest_message_is_answered_and_stalls_nobody(teams: Teams) -> None:
    huge = ("$9 1,000 12/03 Dr. Smith room 2-217 " * (TEAMS_LIMIT // 30 + 1))[:TEAMS_LIMIT]
    sending = asyncio.create_task(teams.say(BOB, huge))
    async with aiohttp.ClientSession() as http, http.get(f"{teams.app.base_url}/healthz") as answer:
        assert answer.status == 200
    await teams.say(ALICE, MONITORS)
    assert (await sending)[0] == 201
    [answer] = teams.connector.texts(f"a:{BOB}")
    assert "too long for me to read" in answer and "28,000 characters" in answer
    assert teams.card(f"a:{ALICE}")["body"][0]["text"] == "Review: Purchase requisition"
