"""`frontdoor run` (Teams, the emulator's open mode) killed hard in the middle of bursts of
activities, then restarted: every activity Teams was answered 2xx for was handled (Teams' turn is
handled before its answer, so what was not answered is sent again by the Bot Framework). Chat
messages posted twice are counted and printed: Teams has no label to look up before a resend, so
that window stays at least once (docs/deploy.md)."""

from __future__ import annotations

import asyncio
import json
import random
import signal
from collections import Counter
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import aiohttp

from tests.channels.teams.conftest import connector  # noqa: F401  # the connector stand-in fixture
from tests.channels.teams.harness import ALICE, BOB, FINANCE, Teams
from tests.fakes.bot_connector import FakeConnector
from tests.fakes.loopback import free_port
from tests.faults.run import handled, start

PEOPLE = (ALICE, BOB)
BURST = 24
KILL_AFTER = (0.3, 0.8)  # seconds into the burst: the first turns read the catalog
ROUNDS = 3


async def _start(folder: Path, port: int) -> asyncio.subprocess.Process:
    return await start(
        folder,
        port,
        {
            "FRONTDOOR_TEAMS_EMULATOR": "1",
            "FRONTDOOR_DEFAULT_CHANNEL": "teams",
            "FRONTDOOR_TEAMS_CHANNELS": json.dumps({"#approvals-finance": FINANCE}),
        },
    )


async def _post(http: aiohttp.ClientSession, url: str, activity: dict[str, Any]) -> int:
    try:
        async with http.post(url, json=activity) as answer:
            return answer.status
    except (aiohttp.ClientError, TimeoutError):
        return 0  # the process died before answering: the Bot Framework sends it again


def _handled(folder: Path) -> set[str]:
    return handled(folder)


async def test_no_acknowledged_teams_activity_is_lost_across_hard_kills(
    tmp_path: Path,
    connector: FakeConnector,  # noqa: F811
) -> None:
    port, rng = free_port(), random.Random(11)
    teams = Teams(SimpleNamespace(base_url=f"http://127.0.0.1:{port}"), connector)  # type: ignore[arg-type]
    url = f"http://127.0.0.1:{port}/api/messages"
    acknowledged: list[str] = []
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10)) as http:
        for round_ in range(ROUNDS):
            process = await _start(tmp_path, port)
            activities = []
            for n in range(BURST):
                person = PEOPLE[n % len(PEOPLE)]
                text = f"we need {n + 2} monitors for 4 West, cost center 4410" if n < 2 else f"make it {n}"
                activities.append(teams.activity(person, text=text, textFormat="plain", id=f"act{round_}x{n}z"))

            async def burst(activities: list[Any]) -> list[tuple[str, int]]:
                sent = []
                for activity in activities:
                    sent.append((activity["id"], asyncio.ensure_future(_post(http, url, activity))))
                    await asyncio.sleep(0.004)
                return [(activity_id, await answer) for activity_id, answer in sent]

            running = asyncio.ensure_future(burst(activities))
            await asyncio.sleep(rng.uniform(*KILL_AFTER))
            process.send_signal(signal.SIGKILL)
            await process.wait()
            acknowledged += [activity_id for activity_id, status in await running if 200 <= status < 300]

        assert acknowledged  # the kills came after some answers
        process = await _start(tmp_path, port)
        try:
            await asyncio.sleep(1.0)  # delivers what the killed processes left
        finally:
            process.send_signal(signal.SIGTERM)
            await process.wait()
    handled = _handled(tmp_path)
    lost = [a for a in acknowledged if not any(a in key for key in handled)]
    assert lost == [], f"{len(lost)} of {len(acknowledged)} acknowledged activities lost"
    posts = Counter(json.dumps([c.conversation, c.body], sort_keys=True) for c in connector.of("send", "reply"))
    twice = sum(n - 1 for n in posts.values() if n > 1)  # at most: two replies may say the same thing
    print(
        f"\n{len(acknowledged)} answered activities, 0 lost;"
        f" messages posted twice: at most {twice} of {sum(posts.values())}"
    )
