"""The Bot Connector chokepoint: the bot's token on every call, the connector's answers as the
outbox's DeliveryErrors (retry after Retry-After, or give up)."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest
from aiohttp import web

from backend_client.retry import retry_after
from bot.channels.base import DeliveryError
from bot.channels.teams import connector as teams_connector
from bot.channels.teams.connector import Connector, TooLarge
from tests.fakes.bot_connector import FakeConnector
from tests.fakes.loopback import LoopbackServer


class Answers(LoopbackServer):
    """A connector that answers every call with the next status in line."""

    def __init__(self, *answers: tuple[int, dict[str, str]]) -> None:
        super().__init__()
        self.answers = list(answers)

    def routes(self, app: web.Application) -> None:
        app.router.add_route("*", "/{tail:.*}", self._answer)

    async def _answer(self, _request: web.Request) -> web.Response:
        status, headers = self.answers.pop(0)
        return web.json_response({"error": {"code": "x"}}, status=status, headers=headers)


@pytest.fixture
async def token_connector() -> AsyncIterator[Connector]:
    async def token() -> str:
        return "token-for-the-connector"

    connector = Connector(token)
    yield connector
    await connector.aclose()


async def test_every_call_carries_the_bots_token(token_connector: Connector, connector: FakeConnector) -> None:
    await token_connector.send(connector.url, "a:29:x;messageid=1", {"type": "message", "text": "hi"})
    opened = await token_connector.create_conversation(connector.url, "28:bot", "29:x", "t")
    assert opened == "a:29:x"
    assert [(c.op, c.conversation, c.authorization) for c in connector.calls] == [
        ("send", "a:29:x;messageid=1", "Bearer token-for-the-connector"),
        ("create", "", "Bearer token-for-the-connector"),
    ]


@pytest.mark.parametrize(
    ("status", "headers", "retry", "permanent"),
    [
        (429, {"Retry-After": "7"}, 7.0, False),
        (429, {}, None, False),
        (503, {}, None, False),
        (403, {}, None, True),
        (404, {}, None, True),
    ],
)
async def test_answers_become_delivery_errors(
    token_connector: Connector, status: int, headers: dict[str, str], retry: float | None, permanent: bool
) -> None:
    server = Answers((status, headers))
    await server.serve()
    try:
        with pytest.raises(DeliveryError) as raised:
            await token_connector.send(server.address, "a:1", {"type": "message"})
    finally:
        await server.stop()
    assert (raised.value.retry_after, raised.value.permanent) == (retry, permanent)


async def test_too_large_and_unreachable(token_connector: Connector) -> None:
    server = Answers((413, {}))
    await server.serve()
    try:
        with pytest.raises(TooLarge):
            await token_connector.send(server.address, "a:1", {"type": "message"})
    finally:
        await server.stop()
    with pytest.raises(DeliveryError) as raised:
        await token_connector.send(server.address, "a:1", {"type": "message"})  # nobody listens any more
    assert not raised.value.permanent


async def test_a_read_waits_as_the_connector_asks_and_stops_after_three_tries(token_connector: Connector) -> None:
    server = Answers((429, {"Retry-After": "0.6"}), (503, {}), (503, {}), (200, {}))
    await server.serve()
    started = time.monotonic()
    try:
        with pytest.raises(DeliveryError):
            await token_connector.member(server.address, "a:1", "29:x")
    finally:
        await server.stop()
    assert server.answers == [(200, {})]  # three tries, not a fourth
    assert time.monotonic() - started >= 0.6 + 0.5  # as asked, then 0.25 * 2**1


async def test_a_read_waits_no_longer_than_its_budget(
    token_connector: Connector, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(teams_connector, "MAX_READ_WAIT", 0.2)
    server = Answers((429, {"Retry-After": "30"}), (200, {}))
    await server.serve()
    started = time.monotonic()
    try:
        assert await token_connector.member(server.address, "a:1", "29:x") is not None
    finally:
        await server.stop()
    assert 0.2 <= time.monotonic() - started < 5


def test_retry_after_as_seconds_or_a_date() -> None:
    soon = format_datetime(datetime.now(UTC) + timedelta(seconds=30), usegmt=True)
    assert 25 < (retry_after(soon) or 0) <= 30
    assert retry_after("2.5") == 2.5 and retry_after("soon") is None and retry_after(None) is None
