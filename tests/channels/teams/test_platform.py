"""Teams' platform rules: retries and duplicates change nothing, throttling is retried, messages stay
under the size limit, and /api/messages is authenticated unless the emulator's loopback-only open
mode is on."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import aiohttp
import pytest

from bot.core.clock import ManualClock
from bot.settings import SettingsError
from tests.channels.teams.conftest import start_app
from tests.channels.teams.harness import ALICE, BOB, Teams
from tests.fakes.bot_connector import MAX_MESSAGE_BYTES, FakeConnector

MONITORS = "I need 2 monitors for CC-4410, about $600 total"
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
    assert len(teams.connector.updated()) == 1
    assert sum("approved REQ-1001" in t for t in teams.connector.texts(f"a:{ALICE}")) == 1


async def test_throttling_is_retried_without_losing_the_message(teams: Teams) -> None:
    teams.connector.throttle_next = 1
    await teams.say(ALICE, MONITORS)
    assert teams.connector.posted(f"a:{ALICE}") == [] and len(teams.connector.of("throttled")) == 1
    assert isinstance(teams.app.clock, ManualClock)
    teams.app.clock.advance(timedelta(seconds=2))  # past the connector's Retry-After: 1
    await teams.app.settle()
    assert len(teams.connector.posted(f"a:{ALICE}")) == 1


async def test_long_texts_stay_under_the_size_limit(teams: Teams) -> None:
    await teams.install(BOB)
    await teams.say(ALICE, MONITORS)
    await teams.press(ALICE, teams.actions(f"a:{ALICE}")["confirm"])
    await teams.press(BOB, teams.actions(f"a:{BOB}")["request_info"], comment="Why these?")
    answer = "Our unit needs them because " + "the old ones flicker and strain the eyes of night staff; " * 600
    assert len(answer) > MAX_MESSAGE_BYTES
    await teams.say(ALICE, answer)  # echoed to Bob, and on the card as its status
    sent = [*teams.connector.posted(f"a:{BOB}"), *teams.connector.updated()]
    assert teams.connector.of("too_large") == [] and len(sent) == 4  # card, two updates, the answer
    assert max(len(json.dumps(b, ensure_ascii=False).encode()) for b in sent) < MAX_MESSAGE_BYTES
    assert teams.connector.updated()[-1]["attachments"][0]["content"]["actions"]  # still a card to act on


def unsigned_token(issuer: str) -> str:
    def part(data: dict[str, str]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")

    return f"{part({'alg': 'RS256', 'typ': 'JWT'})}.{part({'iss': issuer, 'aud': APP_ID})}.c2lnbmF0dXJl"


@pytest.mark.parametrize("tenant", [None, "tenant-1"], ids=["multi-tenant", "single-tenant"])
async def test_with_an_app_id_a_request_without_a_valid_token_is_refused(
    tmp_path: Path, connector: FakeConnector, tenant: str | None
) -> None:
    app = await start_app(tmp_path, teams_emulator=False, microsoft_app_id=APP_ID, microsoft_app_password="secret",
                          microsoft_app_tenant_id=tenant)  # fmt: skip
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
        await start_app(tmp_path, http_host="0.0.0.0")


def test_frontdoor_run_exits_2_when_the_open_mode_is_not_on_loopback(tmp_path: Path) -> None:
    env = {"PATH": os.environ.get("PATH", "/usr/bin"), "FRONTDOOR_TEAMS_EMULATOR": "1",
           "FRONTDOOR_HTTP_HOST": "0.0.0.0", "FRONTDOOR_HTTP_PORT": "0",
           "FRONTDOOR_DATABASE_URL": f"sqlite:///{tmp_path}/fd.db"}  # fmt: skip
    result = subprocess.run([sys.executable, "-m", "bot", "run"], capture_output=True, text=True, env=env,
                            cwd=tmp_path, stdin=subprocess.DEVNULL, timeout=60)  # fmt: skip
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
    emulator = {**teams.activity(ALICE, text=MONITORS), "channelId": "emulator",
                "from": {"id": "alice.nguyen@example.org", "name": "User"}}  # fmt: skip
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
