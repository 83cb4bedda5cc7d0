"""Teams' platform rules: retries and duplicates change nothing, throttling is retried, messages stay
under the size limit, and /api/messages is authenticated unless the emulator's loopback-only open
mode is on."""

from __future__ import annotations

import asyncio
import base64
import json
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from bot.core.clock import ManualClock
from bot.settings import SettingsError
from tests.channels.teams.conftest import start_app
from tests.channels.teams.harness import ALICE, BOB, Teams, card_errors
from tests.fakes.bot_connector import MAX_MESSAGE_BYTES, FakeConnector

MONITORS = "I need 2 monitors for CC-4410, about $600 total"
MESSAGE = "application/vnd.microsoft.activity.message"
APP_ID = "2f7c8a3e-1b4d-4e8f-9a6b-0c1d2e3f4a5b"


async def test_a_repeated_activity_is_handled_once(teams: Teams) -> None:
    await teams.install(BOB)
    message = teams.activity(ALICE, text=MONITORS)
    await teams.send(message)
    await teams.send(message)  # Teams retries with the same activity id
    assert len(teams.connector.posted(f"a:{ALICE}")) == 1
    await teams.press(ALICE, teams.actions(f"a:{ALICE}")["confirm"])
    approve = teams.actions(f"a:{BOB}")["approve"]
    value = {"action": {"type": "Action.Execute", "verb": "approve", "data": approve["data"]}}
    click = teams.activity(BOB, "invoke", name="adaptiveCard/action", value=value)
    _, first = await teams.send(click)
    _, again = await teams.send(click)
    assert first == again and "Approved by Bob Martin" in json.dumps(again)  # the same card, no second decision
    assert len(teams.connector.updated(f"a:{BOB}")) == 1
    assert sum("approved REQ-1001" in t for t in teams.connector.texts(f"a:{ALICE}")) == 1


async def test_deliveries_of_one_activity_at_the_same_moment_make_one_request(
    tmp_path: Path, connector: FakeConnector, database_url: str
) -> None:
    app = await start_app(tmp_path, database_url=database_url)
    teams = Teams(app, connector)

    async def four_times(activity: dict[str, Any]) -> list[tuple[int, Any]]:
        return list(await asyncio.gather(*(teams.send(activity) for _ in range(4))))

    try:
        await teams.install(BOB)
        first = await four_times(teams.activity(ALICE, text=MONITORS))  # Alice's first contact, four times at once
        assert [status for status, _ in first] == [201] * 4 and len(teams.connector.posted(f"a:{ALICE}")) == 1
        confirm = teams.actions(f"a:{ALICE}")["confirm"]
        value = {"action": {"type": "Action.Execute", "verb": "confirm", "data": confirm["data"]}}
        await four_times(teams.activity(ALICE, "invoke", name="adaptiveCard/action", value=value))
        assert sum(t.startswith("Submitted REQ-1001") for t in teams.connector.texts(f"a:{ALICE}")) == 1
        assert len(teams.connector.posted(f"a:{BOB}")) == 1
        value = {
            "action": {
                "type": "Action.Execute",
                "verb": "approve",
                "data": teams.actions(f"a:{BOB}")["approve"]["data"],
            }
        }
        answers = await four_times(teams.activity(BOB, "invoke", name="adaptiveCard/action", value=value))
        assert all(status == 200 and "Approved by Bob Martin" in json.dumps(body) for status, body in answers)
        assert len(teams.connector.updated(f"a:{BOB}")) == 1
        assert sum("approved REQ-1001" in t for t in teams.connector.texts(f"a:{ALICE}")) == 1
        assert "REQ-1002" not in json.dumps([c.body for c in teams.connector.calls])
    finally:
        await app.stop()
    assert all(not card_errors(card) for card in teams.every_card())


async def test_throttling_is_retried_without_losing_the_message(teams: Teams) -> None:
    teams.connector.throttle_next = 1
    await teams.say(ALICE, MONITORS)
    assert teams.connector.posted(f"a:{ALICE}") == [] and len(teams.connector.of("throttled")) == 1
    assert isinstance(teams.app.clock, ManualClock)
    teams.app.clock.advance(timedelta(seconds=2))  # past the connector's Retry-After: 1
    await teams.app.settle()
    assert len(teams.connector.posted(f"a:{ALICE}")) == 1


async def test_a_throttled_card_update_is_retried(teams: Teams) -> None:
    await teams.install(BOB)
    await teams.say(ALICE, MONITORS)
    await teams.press(ALICE, teams.actions(f"a:{ALICE}")["confirm"])
    teams.connector.throttle_next = 2  # the card's update and the word to Alice
    _, answer = await teams.press(BOB, teams.actions(f"a:{BOB}")["approve"])
    assert "Approved by Bob Martin" in json.dumps(answer)  # the clicker sees it at once
    assert teams.connector.updated(f"a:{BOB}") == [] and len(teams.connector.of("throttled")) == 2
    assert isinstance(teams.app.clock, ManualClock)
    teams.app.clock.advance(timedelta(seconds=2))
    await teams.app.settle()
    [update] = teams.connector.updated(f"a:{BOB}")
    assert "Approved by Bob Martin" in json.dumps(update) and "actions" not in update["attachments"][0]["content"]
    assert any("Bob Martin approved REQ-1001" in t for t in teams.connector.texts(f"a:{ALICE}"))


async def test_a_throttled_member_lookup_is_retried_while_the_activity_waits(teams: Teams) -> None:
    teams.connector.throttle_reads, teams.connector.retry_after = 2, "0.1"
    status, _ = await teams.say(ALICE, MONITORS)  # Alice's first message: who she is is asked of the connector
    assert status == 201 and len(teams.connector.of("throttled")) == 2 and len(teams.connector.of("member")) == 1
    assert teams.card(f"a:{ALICE}")["body"][0]["text"] == "Review: Purchase requisition"


async def test_when_teams_cannot_say_who_wrote_nobody_is_turned_away(teams: Teams) -> None:
    teams.connector.throttle_reads, teams.connector.retry_after = 3, "0"
    message = teams.activity(ALICE, text=MONITORS)
    status, _ = await teams.send(message)
    assert status == 503 and teams.connector.posted(f"a:{ALICE}") == []  # not told she is unknown, not handled
    status, _ = await teams.send(message)  # the Bot Framework delivers it again
    assert status == 201 and len(teams.connector.posted(f"a:{ALICE}")) == 1

    teams.connector.throttle_reads = 3
    click = {"action": {"type": "Action.Execute", "verb": "approve", "data": {"request": "REQ-1001", "step": 1}}}
    _, answer = await teams.send(teams.activity(BOB, "invoke", name="adaptiveCard/action", value=click))
    assert answer["type"] == MESSAGE and answer["value"].startswith("Teams is busy")


async def test_long_texts_stay_under_the_size_limit(teams: Teams) -> None:
    await teams.install(BOB)
    await teams.say(ALICE, MONITORS)
    await teams.press(ALICE, teams.actions(f"a:{ALICE}")["confirm"])
    await teams.press(BOB, teams.actions(f"a:{BOB}")["request_info"], comment="Why these?")
    answer = "Our unit needs them because " + "the old ones flicker and strain the eyes of night staff; " * 600
    assert len(answer) > MAX_MESSAGE_BYTES
    teams.app.services.max_message_chars = 40_000  # the most FRONTDOOR_MAX_MESSAGE_CHARS allows
    await teams.say(ALICE, answer)  # echoed to Bob, and on the card as its status
    sent = [*teams.connector.posted(f"a:{BOB}"), *teams.connector.updated(f"a:{BOB}")]
    assert teams.connector.of("too_large") == [] and len(sent) == 4  # card, two updates, the answer
    assert max(len(json.dumps(b, ensure_ascii=False).encode()) for b in sent) < MAX_MESSAGE_BYTES
    assert teams.connector.updated(f"a:{BOB}")[-1]["attachments"][0]["content"]["actions"]  # still a card to act on


async def test_a_card_the_connector_refuses_as_too_large_is_sent_as_text(teams: Teams) -> None:
    await teams.install(BOB)
    await teams.say(ALICE, MONITORS)
    await teams.press(ALICE, teams.actions(f"a:{ALICE}")["confirm"])
    teams.connector.max_bytes = 400  # a stricter limit than the one the renderer keeps to
    await teams.send(teams.activity(BOB, value=teams.actions(f"a:{BOB}")["approve"]["fallback"]["data"]))
    assert len(teams.connector.of("too_large")) == 1  # the decided card's update; its text went instead
    [update] = teams.connector.updated(f"a:{BOB}")
    assert "attachments" not in update and update["text"].startswith("Approved by Bob Martin")


def unsigned_token(issuer: str) -> str:
    def part(data: dict[str, str]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")

    return f"{part({'alg': 'RS256', 'typ': 'JWT'})}.{part({'iss': issuer, 'aud': APP_ID})}.c2lnbmF0dXJl"


@pytest.mark.parametrize("tenant", [None, "tenant-1"], ids=["multi-tenant", "single-tenant"])
async def test_with_an_app_id_a_request_without_a_valid_token_is_refused(
    tmp_path: Path, connector: FakeConnector, tenant: str | None
) -> None:
    app = await start_app(
        tmp_path,
        teams_emulator=False,
        microsoft_app_id=APP_ID,
        microsoft_app_password="secret",
        microsoft_app_tenant_id=tenant,
    )
    teams = Teams(app, connector)
    try:
        for header in (None, "Bearer not-a-token", f"Bearer {unsigned_token('https://evil.example.org')}"):
            status, _ = await teams.send(
                teams.activity(ALICE, text=MONITORS), {"Authorization": header} if header else {}
            )
            assert status == 401
        emulator = {**teams.activity(ALICE, text=MONITORS), "channelId": "emulator"}
        assert (await teams.send(emulator))[0] == 401
    finally:
        await app.stop()
    assert connector.calls == []  # nothing was looked up, handled or answered


async def test_the_open_mode_is_refused_off_loopback(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="FRONTDOOR_HTTP_HOST on loopback"):
        await start_app(tmp_path, http_host="0.0.0.0", backend_callback_secret="a-secret-of-ours")


def test_frontdoor_run_exits_2_when_the_open_mode_is_not_on_loopback(tmp_path: Path) -> None:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin"),
        "FRONTDOOR_TEAMS_EMULATOR": "1",
        "FRONTDOOR_HTTP_HOST": "0.0.0.0",
        "FRONTDOOR_HTTP_PORT": "0",
        "FRONTDOOR_BACKEND_CALLBACK_SECRET": "a-secret-of-ours",
        "FRONTDOOR_DATABASE_URL": f"sqlite:///{tmp_path}/fd.db",
    }
    result = subprocess.run(
        [sys.executable, "-m", "bot", "run"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        stdin=subprocess.DEVNULL,
        timeout=60,
    )
    assert result.returncode == 2, result.stderr
    assert "FRONTDOOR_TEAMS_EMULATOR=1" in result.stderr and "loopback" in result.stderr


@pytest.mark.parametrize(
    ("settings", "env", "message"),
    [
        ({"microsoft_app_id": APP_ID}, {}, "MICROSOFT_APP_PASSWORD"),
        ({}, {"FRONTDOOR_TEAMS_CHANNELS": '{"#approvals-finance": {"service_url": "x"}}'}, "conversation id"),
        ({}, {"FRONTDOOR_TEAMS_CHANNELS": "not json"}, "FRONTDOOR_TEAMS_CHANNELS"),
    ],
)
async def test_settings_that_cannot_work_are_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, settings: dict[str, str], env: dict[str, str], message: str
) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError, match=message):
        await start_app(tmp_path, **settings)


async def test_other_bot_framework_channels_are_ignored(teams: Teams) -> None:
    status, _ = await teams.send({**teams.activity(ALICE, text=MONITORS), "channelId": "webchat"})
    assert status == 201 and teams.connector.calls == []


async def test_the_emulator_user_is_the_directory_email_set_as_their_id(teams: Teams) -> None:
    emulator = {
        **teams.activity(ALICE, text=MONITORS),
        "channelId": "emulator",
        "from": {"id": "alice.nguyen@example.org", "name": "User"},
    }
    await teams.send(emulator)
    assert teams.card(f"a:{ALICE}")["body"][0]["text"] == "Review: Purchase requisition"
    assert teams.connector.of("member") == []


async def test_malformed_requests(teams: Teams) -> None:
    async with aiohttp.ClientSession() as http:
        url = f"{teams.app.base_url}/api/messages"
        async with http.post(url, data="{", headers={"Content-Type": "application/json"}) as answer:
            assert answer.status == 400
        async with http.post(url, data="type=message") as answer:
            assert answer.status == 415
