"""Bad input over signed HTTP: refused before it is read, answered with the right status, and never
holding up anyone else's traffic."""

from __future__ import annotations

import asyncio
import json
import time

import aiohttp
import pytest
from sqlalchemy import select

from bot.store.models import Draft
from tests.channels.slack.harness import ALICE, BOB, MONITORS, Slack, dm, signed

SLACK_LIMIT = 40_000
"""The most characters Slack delivers in one message's text."""


async def post(slack: Slack, body: str, content_type: str, sign: bool = True) -> int:
    headers = {"Content-Type": content_type, **(signed(body) if sign else {})}
    async with aiohttp.ClientSession() as http, http.post(slack.url, data=body, headers=headers) as answer:
        return answer.status


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        ("{not json", "application/json"),
        ("[1, 2]", "application/json"),
        ('"text"', "application/json"),
        ("payload=%7Bnot+json", "application/x-www-form-urlencoded"),
        ("\x00\x01\x02", "application/json"),
    ],
)
async def test_a_malformed_body_is_refused_unsigned_401_and_signed_400(
    slack: Slack, body: str, content_type: str
) -> None:
    assert await post(slack, body, content_type, sign=False) == 401
    assert await post(slack, body, content_type) in (400, 404)
    assert await slack.dm(ALICE, MONITORS) == 200  # the next request is served as usual
    assert "Review" in json.dumps(slack.posts(dm(ALICE))[-1]["blocks"])


async def test_slacks_escapes_are_read_as_the_characters_they_stand_for(slack: Slack) -> None:
    await slack.dm(ALICE, "we need 2 of them, cost center 4410, about $600")
    await slack.dm(ALICE, "R&amp;D lab monitors &lt;wide&gt;")
    with slack.app.db.transaction() as session:
        [draft] = session.scalars(select(Draft)).all()
        assert draft.values["item_description"] == "R&D lab monitors <wide>"


async def test_emoji_and_right_to_left_text_do_not_break_reading(slack: Slack) -> None:
    await slack.dm(ALICE, "🖥️🖥️ we need 2 monitors ‏שלום‏ cost center 4410, about $600 🙏")
    card = json.dumps(slack.posts(dm(ALICE))[-1]["blocks"])
    assert "CC-4410" in card and "$600" in card


@pytest.mark.parametrize("size", [SLACK_LIMIT, 900_000])
async def test_a_huge_message_is_answered_and_stalls_nobody(slack: Slack, size: int) -> None:
    """A signed 900 KB message once froze every endpoint for minutes: now it is answered with what
    to shorten, and health checks and other people are served meanwhile."""
    huge = ("$9 1,000 12/03 Dr. Smith room 2-217 " * (size // 30 + 1))[:size]
    sending = asyncio.create_task(slack.dm(BOB, huge))
    started = time.monotonic()
    async with aiohttp.ClientSession() as http:
        for _ in range(5):
            async with http.get(f"{slack.app.base_url}/healthz") as answer:
                assert answer.status == 200
            await asyncio.sleep(0.02)
    await slack.dm(ALICE, MONITORS)
    assert time.monotonic() - started < 10  # a stall was minutes
    assert await sending == 200
    await slack.quiet()
    [answer] = slack.texts(dm(BOB))
    assert "too long for me to read" in answer and f"{len(huge.strip()):,} characters" in answer
    assert "Review" in json.dumps(slack.posts(dm(ALICE))[-1]["blocks"])


async def test_a_long_message_under_the_cap_is_read(slack: Slack) -> None:
    long = "Hi team, " + "hope you are all well and the week is going fine. " * 100 + MONITORS
    await slack.dm(ALICE, long[:6_000])
    assert "Review" in json.dumps(slack.posts(dm(ALICE))[-1]["blocks"])
