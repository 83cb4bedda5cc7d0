"""`frontdoor run` with Teams configured from the environment, driven over HTTP as Teams drives it:
its `/api/messages` serves the emulator's open mode on loopback, from a personal chat to a decided
card, with the connector stand-in as every activity's serviceUrl; with MICROSOFT_APP_ID set it
refuses what carries no Bot Framework token. It says at start how to make people reachable."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from tests.channels.teams.harness import ALICE, BOB, FINANCE, Teams, card_errors, text_of
from tests.fakes.bot_connector import FakeConnector
from tests.fakes.loopback import free_port, wait_ready

MONITORS = "I need 2 monitors for CC-4410, about $600 total"
APP_ID = "2f7c8a3e-1b4d-4e8f-9a6b-0c1d2e3f4a5b"


@asynccontextmanager
async def frontdoor_run(folder: Path, env: dict[str, str]) -> AsyncIterator[tuple[str, list[str]]]:
    """A `frontdoor run` process with `env`; yields its base URL and, once stopped, its output lines."""
    port = free_port()
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("FRONTDOOR_", "SLACK_", "MICROSOFT_"))}
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        cwd=folder,
        env={**clean, "FRONTDOOR_HTTP_PORT": str(port), **env},
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    base, output = f"http://127.0.0.1:{port}", []
    try:
        await wait_ready(base, process)
        yield base, output
    finally:
        process.send_signal(signal.SIGTERM)
        out, _ = await asyncio.wait_for(process.communicate(), 30)
        output += out.decode().splitlines()
    assert process.returncode == 0, "\n".join(output)


async def until(what: str, check: Callable[[], bool], timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        await asyncio.sleep(0.05)


class RunTeams(Teams):
    """The harness, for a server in another process: nothing to settle, so tests wait with `until`."""

    def __init__(self, base_url: str, connector: FakeConnector) -> None:
        async def settle() -> None:
            return None

        super().__init__(SimpleNamespace(base_url=base_url, settle=settle), connector)  # type: ignore[arg-type]


async def test_frontdoor_run_serves_teams_from_a_personal_chat_to_a_decided_card(
    tmp_path: Path, connector: FakeConnector
) -> None:
    env = {
        "FRONTDOOR_TEAMS_EMULATOR": "1",
        "FRONTDOOR_DEFAULT_CHANNEL": "teams",
        "FRONTDOOR_TEAMS_CHANNELS": json.dumps({"#approvals-finance": FINANCE}),
    }
    async with frontdoor_run(tmp_path, env) as (base, output):
        teams = RunTeams(base, connector)
        assert (await teams.install(BOB))[0] == 201  # Bob's personal chat is stored for his cards
        message = teams.activity(ALICE, text=MONITORS)
        for _ in range(2):  # Teams delivers the message again
            assert (await teams.send(message))[0] == 201
        await until("the review card", lambda: bool(connector.posted(f"a:{ALICE}")))
        _, closed = await teams.press(ALICE, teams.actions(f"a:{ALICE}")["confirm"])
        assert "REQ-1001" in text_of(closed["value"]) and "actions" not in closed["value"]
        await until("Bob's approval card", lambda: bool(connector.posted(f"a:{BOB}")))
        _, decided = await teams.press(BOB, teams.actions(f"a:{BOB}")["approve"])
        assert "Approved by Bob Martin" in text_of(decided["value"])
        await until("the card updated", lambda: bool(connector.updated(f"a:{BOB}")))
        await until("Alice told", lambda: any("fulfilled" in t for t in connector.texts(f"a:{ALICE}")))
        reviews = [t for t in connector.texts(f"a:{ALICE}") if t.startswith("Here is your")]
        assert len(reviews) == 1
    said = "\n".join(output)
    assert "open mode" in said and "frontdoor manifest teams" in said
    assert all(not card_errors(card) for card in teams.every_card())


async def test_frontdoor_run_with_an_app_id_refuses_activities_without_a_token(
    tmp_path: Path, connector: FakeConnector
) -> None:
    env = {
        "MICROSOFT_APP_ID": APP_ID,
        "MICROSOFT_APP_PASSWORD": "secret",
        "MICROSOFT_APP_TENANT_ID": "tenant-1",
        "FRONTDOOR_DEFAULT_CHANNEL": "teams",
    }
    async with frontdoor_run(tmp_path, env) as (base, output):
        teams = RunTeams(base, connector)
        headers: list[dict[str, Any]] = [{}, {"Authorization": "Bearer not-a-token"}, {"Authorization": "Basic eDp5"}]
        for header in headers:
            assert (await teams.send(teams.activity(ALICE, text=MONITORS), header))[0] == 401
        emulator = {**teams.activity(ALICE, text=MONITORS), "channelId": "emulator"}
        assert (await teams.send(emulator))[0] == 401
    assert connector.calls == []
    assert any(f"Bot Framework tokens for app {APP_ID} (single-tenant" in line for line in output)
