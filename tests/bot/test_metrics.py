"""/metrics of a started app: deliveries by outcome, the backend's and the model's latency, each
counted where it happens and scraped as Prometheus reads it."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from typing import Any

import pytest

from bot.app import App
from bot.channels.base import DeliveryError, Destination
from bot.channels.local.channel import LocalChannel
from bot.channels.local.script import ScriptRunner, read_steps
from bot.core.clock import ManualClock
from bot.core.replies import Outgoing
from bot.settings import load_settings
from bot.store import claims
from tests.bot.helpers import START, KeywordParser
from tests.bot.test_backend_outbox import ALICE, started, submit
from tests.fakes.openai_server import FakeOpenAI


async def scrape(app: App) -> str:
    import aiohttp

    async with aiohttp.ClientSession() as http, http.get(f"{app.base_url}/metrics") as answer:
        assert answer.status == 200
        return await answer.text()


def value(text: str, name: str, **labels: str) -> float:
    """The sample `name{labels}` (labels in any order); 0 when it is not there."""
    for line in text.splitlines():
        match = re.fullmatch(r"(\w+)(?:\{(.*)\})? (\S+)", line)
        if match is None or match.group(1) != name:
            continue
        found = dict(re.findall(r'(\w+)="([^"]*)"', match.group(2) or ""))
        if found == labels:
            return float(match.group(3))
    return 0.0


class FlakyChannel(LocalChannel):
    """The local channel, failing its next posts with the errors queued in `failures`."""

    def __init__(self, sink: Any) -> None:
        super().__init__(sink)
        self.failures: list[DeliveryError] = []

    async def post(self, outgoing: Outgoing, destination: Destination) -> dict[str, Any]:
        if self.failures:
            raise self.failures.pop(0)
        return await super().post(outgoing, destination)


async def test_backend_calls_by_outcome_and_their_latency(database_url: str) -> None:
    lines: list[dict[str, Any]] = []
    app = await started(database_url, lines)
    try:
        before = await scrape(app)
        for outcome in ("sent", "retry", "dead"):  # shown at 0 before the first, so rates are defined
            assert f'frontdoor_deliveries_total{{outcome="{outcome}",topic="backend"}} 0.0' in before
        app.client.retries = 0
        await submit(app, 1)  # delivered
        app.embedded.fail_next(1, status=422)
        await submit(app, 2)  # refused for good
        await app.embedded.stop()
        await submit(app, 3)  # the backend is down: tried again later
        text = await scrape(app)
        assert value(text, "frontdoor_deliveries_total", topic="backend", outcome="sent") == 1
        assert value(text, "frontdoor_deliveries_total", topic="backend", outcome="dead") == 1
        assert value(text, "frontdoor_deliveries_total", topic="backend", outcome="retry") == 1
        assert value(text, "frontdoor_backend_seconds_count", op="create") == 3  # each attempt, answered or not
        assert value(text, "frontdoor_backend_seconds_sum", op="create") > 0
        assert value(text, "frontdoor_backend_seconds_count", op="decision") == 0
        assert value(text, "frontdoor_deliveries_total", topic="chat", outcome="sent") >= 3
    finally:
        await app.stop()


async def test_chat_deliveries_by_outcome(database_url: str) -> None:
    """Handed over but kept too long: released (given back to the claim rounds, which deliver it).
    A failure is tried again later (retry); one refused for good is dead."""
    lines: list[dict[str, Any]] = []
    channel = FlakyChannel(lines.append)
    app = App(
        load_settings(database_url=database_url),
        clock=ManualClock(START),
        channels={"local": channel},
        parser=KeywordParser(),
    )
    app.migrate()
    await app.start(port=0)
    runner = ScriptRunner(app, lambda error: None, "outcomes")
    try:
        await runner.step(1, {"as": ALICE, "say": "buy 2 x chairs for cc-4410 $600"})
        app.clock.advance(claims.LEASE)  # past half its lease before it is delivered
        await app.settle()
        text = await scrape(app)
        assert value(text, "frontdoor_deliveries_total", topic="chat", outcome="released") == 1
        assert value(text, "frontdoor_deliveries_total", topic="chat", outcome="sent") == 1
        channel.failures.append(DeliveryError("the platform is busy"))
        await runner.step(2, {"as": ALICE, "press": "confirm"})
        await app.settle()
        text = await scrape(app)
        assert value(text, "frontdoor_deliveries_total", topic="chat", outcome="retry") == 1
        assert value(text, "frontdoor_deliveries_total", topic="chat", outcome="dead") == 0
        channel.failures.append(DeliveryError("channel_not_found", permanent=True))
        app.clock.advance(timedelta(minutes=10))  # the retry is due
        await app.settle()
        text = await scrape(app)
        assert value(text, "frontdoor_deliveries_total", topic="chat", outcome="dead") == 1
        assert value(text, "frontdoor_deliveries_total", topic="chat", outcome="retry") == 1
    finally:
        await app.stop()


async def say(app: App, text: str) -> None:
    step = json.dumps({"as": ALICE, "say": text})
    await ScriptRunner(app, lambda error: None, f"say-{len(text)}").run(read_steps([step]))


async def test_model_latency_with_a_language_model(database_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    with FakeOpenAI() as model:  # no scripted reply: each call fails, and the offline parser answers
        monkeypatch.setenv("OPENAI_BASE_URL", model.url)
        monkeypatch.setenv("OPENAI_API_KEY", "sk-local-test")
        settings = load_settings(database_url=database_url, llm="openai:gpt-4.1-mini", llm_timeout=5)
        app = App(settings, clock=ManualClock(START), channels={"local": LocalChannel(lambda line: None)})
        app.migrate()
        await app.start(port=0)
        try:
            assert "frontdoor_model_seconds_count 0.0" in await scrape(app)
            await say(app, "I need 2 monitors for CC-4410, about $600 total")
            text = await scrape(app)
            assert len(model.bodies) >= 1
            assert value(text, "frontdoor_model_seconds_count") == len(model.bodies)
            assert 0 < value(text, "frontdoor_model_seconds_sum") < 5
        finally:
            await app.stop()
