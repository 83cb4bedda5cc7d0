"""Slack's platform rules: signatures, the 3-second acknowledgement, retries, rate limits, Socket Mode."""

from __future__ import annotations

import asyncio
import json
import time
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import aiohttp
import pytest
from sqlalchemy import func, select

from bot.store.db import Database
from bot.store.models import Draft, InboundEvent, Request
from tests.channels.slack.conftest import start_app
from tests.channels.slack.harness import ALICE, BOB, MONITORS, SECRET, USERS, Slack, block_kit_errors, dm, signed
from tests.fakes.slack_api import FakeSlackAPI


def count(slack: Slack, model: Any) -> int:
    with slack.app.db.transaction() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


async def test_forged_stale_or_unsigned_requests_are_refused_and_change_nothing(slack: Slack) -> None:
    body = slack.event_body(slack.dm_event(ALICE, MONITORS), "EvForged")
    now = int(time.time())
    attempts = [
        signed(body, secret="not-the-secret"),
        signed(body, timestamp=now - 6 * 60),  # older than Slack's five minutes
        {**signed(body), "X-Slack-Signature": signed(body)["X-Slack-Signature"][:-2] + "00"},
        {},
    ]
    async with aiohttp.ClientSession() as http:
        for headers in attempts:
            all_headers = {"Content-Type": "application/json", **headers}
            async with http.post(slack.url, data=body, headers=all_headers) as answer:
                assert answer.status == 401
    await slack.quiet()
    assert [name for name, _ in slack.api.calls if name != "auth.test"] == []  # not even users.info
    assert count(slack, Draft) == 0 and count(slack, InboundEvent) == 0
    assert await slack.dm(ALICE, MONITORS) == 200  # the same request, signed, is served


async def test_url_verification_is_answered(slack: Slack) -> None:
    body = json.dumps({"type": "url_verification", "token": "legacy", "challenge": "c-123"})
    status, text = await slack.send(body, "application/json")
    assert status == 200 and json.loads(text) == {"challenge": "c-123"}


async def test_an_event_delivered_three_times_makes_one_request_and_one_reply(slack: Slack) -> None:
    event = slack.dm_event(ALICE, MONITORS)
    for retry in (None, 1, 2):
        assert await slack.event(event, "EvSame", retry) == 200
    assert len(slack.posts(dm(ALICE))) == 1
    assert count(slack, Draft) == 1
    await slack.click(ALICE, dm(ALICE), "confirm")
    assert count(slack, Request) == 1


async def test_retries_arriving_while_the_first_is_handled_are_dropped(slack: Slack) -> None:
    slack.api.delay["users.info"] = 0.3
    body = slack.event_body(slack.dm_event(ALICE, MONITORS), "EvRace")
    results = await asyncio.gather(
        *(slack.send(body, "application/json", {"X-Slack-Retry-Num": str(n)}, quiet=False) for n in range(3))
    )
    assert [status for status, _ in results] == [200, 200, 200]
    await slack.quiet()
    assert len(slack.posts(dm(ALICE))) == 1 and len(slack.api.named("users.info")) == 1


async def test_an_event_that_could_not_be_kept_is_not_dropped_as_a_retry(
    slack: Slack, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Not kept (the database failed), it was not acknowledged: Slack's retry is kept, not dropped.
    A retry that arrives while the first delivery is being kept waits for it."""
    keep, failures = slack.app.keep, [RuntimeError("the database is unreachable")]

    async def flaky(*args: Any, **kwargs: Any) -> bool:
        await asyncio.sleep(0.2)
        if failures:
            raise failures.pop()
        return await keep(*args, **kwargs)

    monkeypatch.setattr(slack.app, "keep", flaky)
    body = slack.event_body(slack.dm_event(ALICE, MONITORS), "EvUnkept")
    first = asyncio.ensure_future(slack.send(body, "application/json", quiet=False))
    await asyncio.sleep(0.05)
    retry = await slack.send(body, "application/json", {"X-Slack-Retry-Num": "1"})
    assert (await first)[0] != 200 and retry[0] == 200
    assert len(slack.posts(dm(ALICE))) == 1 and count(slack, Draft) == 1


async def test_a_repeated_button_press_is_one_decision(slack: Slack) -> None:
    await slack.dm(ALICE, MONITORS)
    await slack.click(ALICE, dm(ALICE), "confirm")
    card = slack.card(dm(BOB))
    button = next(e for b in card["blocks"] if b["type"] == "actions" for e in b["elements"])
    payload = {
        "type": "block_actions",
        "user": {"id": BOB},
        "team": {"id": "T1"},
        "trigger_id": "t1",
        "container": {"type": "message", "message_ts": card["ts"], "channel_id": dm(BOB)},
        "channel": {"id": dm(BOB)},
        "message": {"ts": card["ts"]},
        "actions": [{**button, "action_ts": "1700000999.000001"}],
    }
    for _ in range(2):
        assert (await slack.interact(payload))[0] == 200
    assert len(slack.api.card_updates()) == 1 and slack.api.named("chat.postEphemeral") == []


async def test_acknowledgements_do_not_wait_for_a_slow_web_api(slack: Slack) -> None:
    slack.api.delay.update({"users.info": 2.0, "views.open": 2.0, "conversations.open": 2.0})
    started = time.perf_counter()
    status, _ = await slack.send(slack.event_body(slack.dm_event(ALICE, MONITORS)), "application/json", quiet=False)
    assert status == 200 and time.perf_counter() - started < 0.5
    form = {
        "token": "t",
        "team_id": "T1",
        "channel_id": "CGENERAL",
        "user_id": BOB,
        "command": "/request",
        "text": "",
        "trigger_id": "trig-slow",
        "channel_name": "general",
    }
    started = time.perf_counter()
    status, _ = await slack.send(urlencode(form), "application/x-www-form-urlencoded", quiet=False)
    assert status == 200 and time.perf_counter() - started < 0.5
    await slack.quiet()
    assert slack.card(dm(ALICE)) and slack.modal()["callback_id"] == "frontdoor_pick_type"


async def test_a_ratelimited_message_waits_for_retry_after_and_is_not_lost(slack: Slack) -> None:
    slack.api.ratelimit("chat.postMessage", retry_after=30)
    await slack.dm(ALICE, MONITORS)
    assert [name for name, _ in slack.api.calls if name.startswith("chat.")] == ["chat.postMessage!ratelimited"]
    slack.app.clock.advance(timedelta(seconds=20))  # type: ignore[attr-defined]
    await slack.quiet()
    assert slack.posts(dm(ALICE)) == []  # not before Retry-After
    slack.app.clock.advance(timedelta(seconds=11))  # type: ignore[attr-defined]
    await slack.quiet()
    assert len(slack.posts(dm(ALICE))) == 1


async def test_a_ratelimited_card_update_is_retried(slack: Slack) -> None:
    await slack.dm(ALICE, MONITORS)
    await slack.click(ALICE, dm(ALICE), "confirm")
    slack.api.ratelimit("chat.update", retry_after=2)
    await slack.click(BOB, dm(BOB), "approve")
    assert slack.api.card_updates() == []
    slack.app.clock.advance(timedelta(seconds=3))  # type: ignore[attr-defined]
    await slack.quiet()
    [update] = slack.api.card_updates()
    assert "Approved by Bob Martin" in update["text"]


async def test_a_ratelimited_lookup_delays_a_message_but_does_not_lose_it(slack: Slack) -> None:
    slack.api.ratelimit("users.info", retry_after=1)
    started = time.perf_counter()
    assert await slack.dm(ALICE, MONITORS) == 200
    assert time.perf_counter() - started >= 1  # Slack's Retry-After was honoured
    assert [name for name, _ in slack.api.calls if name.startswith("users.")] == [
        "users.info!ratelimited",
        "users.info",
    ]
    assert set(slack.buttons(dm(ALICE))) == {"confirm", "edit", "cancel"}
    assert count(slack, Draft) == 1


async def test_a_ratelimited_app_home_is_published_after_retry_after(slack: Slack) -> None:
    slack.api.ratelimit("views.publish", retry_after=1)
    await slack.event({"type": "app_home_opened", "user": ALICE, "channel": dm(ALICE), "tab": "home"})
    assert [name for name, _ in slack.api.calls if name.startswith("views.")] == [
        "views.publish!ratelimited",
        "views.publish",
    ]


async def test_an_auth_test_that_fails_or_lags_costs_no_event(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Bolt's own authorisation would answer the first event 200 with an error text (lost for good)
    when auth.test fails, and make it wait for auth.test: here neither happens."""
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-test")
    monkeypatch.setenv("SLACK_SIGNING_SECRET", SECRET)
    api = await FakeSlackAPI(dict(USERS)).start()
    for _ in range(2):  # at start, and again when the first event arrives
        api.fail("auth.test", "ratelimited", status=429, retry_after=30)
    app = await start_app(tmp_path, api)
    try:
        slack = Slack(app, api)
        status = await slack.mention(ALICE, "CGENERAL", "<@UBOT> I need 2 monitors for CC-4410", ts="1700000100.000100")
        assert status == 200
        [question] = slack.posts("CGENERAL")  # the bot's mention was known from the event itself
        assert question["text"].endswith("What is the estimated total cost (in USD)?")
        assert [name for name, _ in api.calls if name.startswith("auth.")] == ["auth.test!ratelimited"] * 2
        api.delay["auth.test"] = 2.5  # answered, but slowly
        started = time.perf_counter()
        status, _ = await slack.send(
            slack.event_body(slack.dm_event(BOB, "what can you do?")), "application/json", quiet=False
        )
        assert status == 200 and time.perf_counter() - started < 2
        await slack.quiet()
        assert slack.texts(dm(BOB))
        for _ in range(50):  # auth.test answers meanwhile, for the requests after
            if api.named("auth.test"):
                break
            await asyncio.sleep(0.1)
        assert api.named("auth.test") == [{}]
    finally:
        await app.stop()
        await api.stop()
    assert block_kit_errors(api) == []


async def test_what_people_type_cannot_ping_or_link(slack: Slack) -> None:
    await slack.dm(ALICE, "purchase request: quantity 2, CC-4410, about $600")
    await slack.dm(ALICE, "monitors <!channel> <https://evil.example|x> & cables")
    sent = json.dumps(slack.posts(dm(ALICE))[-1])
    assert "<!channel>" not in sent and "<https" not in sent
    assert "monitors &lt;!channel&gt; &lt;https://evil.example|x&gt; &amp; cables" in sent  # on the review card


async def test_socket_mode_needs_no_public_endpoint(
    tmp_path: Path, api: FakeSlackAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-test")
    monkeypatch.setenv("SLACK_APP_TOKEN", "xapp-test")
    app = await start_app(tmp_path, api)
    try:
        slack = Slack(app, api)
        async with aiohttp.ClientSession() as http, http.post(slack.url, data="{}") as answer:
            assert answer.status == 404  # no signing secret: nothing is served over HTTP
        event = json.loads(slack.event_body(slack.dm_event(ALICE, MONITORS), "EvSocket"))
        ack = await api.socket_send("events_api", event)
        assert ack["envelope_id"].startswith("env-")
        await slack.quiet()
        assert set(slack.buttons(dm(ALICE))) == {"confirm", "edit", "cancel"}
        card = slack.card(dm(ALICE))  # a click, over the socket too
        confirm = next(e for b in card["blocks"] if b["type"] == "actions" for e in b["elements"])
        click = {
            "type": "block_actions",
            "user": {"id": ALICE},
            "team": {"id": "T1"},
            "trigger_id": "trig-sock",
            "container": {"type": "message", "message_ts": card["ts"], "channel_id": dm(ALICE)},
            "channel": {"id": dm(ALICE)},
            "message": {"ts": card["ts"]},
            "actions": [{**confirm, "action_ts": "1700000500.000001"}],
        }
        assert (await api.socket_send("interactive", click))["envelope_id"].startswith("env-")
        await slack.quiet()
        assert slack.card(dm(BOB))["text"] == "Alice Nguyen asks for approval of REQ-1001 (Purchase requisition)."
        command = {
            "token": "legacy",
            "team_id": "T1",
            "channel_id": "CGENERAL",
            "channel_name": "general",
            "user_id": BOB,
            "command": "/request",
            "text": "",
            "trigger_id": "trig-sock-cmd",
        }
        await api.socket_send("slash_commands", command)
        await slack.quiet()
        assert slack.modal()["callback_id"] == "frontdoor_pick_type"
        assert ("apps.connections.open", "xapp-test") in api.tokens
        assert all(token == "xoxb-test" for method, token in api.tokens if method != "apps.connections.open")
    finally:
        await app.stop()
    assert block_kit_errors(api) == []


async def test_without_slack_settings_nothing_is_mounted(tmp_path: Path, api: FakeSlackAPI) -> None:
    app = await start_app(tmp_path, api)
    try:
        assert "slack" not in app.channels
        async with aiohttp.ClientSession() as http, http.post(f"{app.base_url}/slack/events", data="{}") as answer:
            assert answer.status == 404
    finally:
        await app.stop()


async def test_each_app_has_its_own_bolt_app(
    tmp_path: Path, api: FakeSlackAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-test")
    monkeypatch.setenv("SLACK_SIGNING_SECRET", SECRET)
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first, second = await start_app(tmp_path / "a", api), await start_app(tmp_path / "b", api)
    try:
        assert first.channels["slack"] is not second.channels["slack"]
        assert await Slack(first, api).dm(ALICE, MONITORS) == 200
        assert count(Slack(second, api), Draft) == 0 and count(Slack(first, api), Draft) == 1
    finally:
        await first.stop()
        await second.stop()


async def test_a_retry_reaching_another_process_changes_nothing(
    tmp_path: Path, api: FakeSlackAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same event id handled by a restarted (or second) Front Door on the same database."""
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-test")
    monkeypatch.setenv("SLACK_SIGNING_SECRET", SECRET)
    event: dict[str, Any] = {}
    for attempt in range(2):
        app = await start_app(tmp_path, api)
        try:
            slack = Slack(app, api)
            event = event or slack.dm_event(ALICE, MONITORS)
            assert await slack.event(event, "EvAcross", retry=attempt or None) == 200
        finally:
            await app.stop()
    assert len([a for a in api.named("chat.postMessage") if a["channel"] == dm(ALICE)]) == 1


async def test_a_stopping_process_handles_the_events_it_acknowledged(
    tmp_path: Path, api: FakeSlackAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-test")
    monkeypatch.setenv("SLACK_SIGNING_SECRET", SECRET)
    app = await start_app(tmp_path, api)
    slack = Slack(app, api)
    api.delay["users.info"] = 1.0  # the sender's look-up is slow: the event is still in hand at shutdown
    body = slack.event_body(slack.dm_event(ALICE, MONITORS))
    status, _text = await slack.send(body, "application/json", quiet=False)
    assert status == 200
    await app.stop()  # a deploy's SIGTERM, a second after the acknowledgement
    db = Database(f"sqlite:///{tmp_path}/fd.db")
    with db.transaction() as session:
        assert session.scalar(select(func.count()).select_from(Draft)) == 1  # Alice's message was not lost
    db.dispose()
