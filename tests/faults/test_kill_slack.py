"""`frontdoor run` killed hard (SIGKILL) in the middle of bursts of Slack events, then restarted:
no event Slack was told "received" is lost, and each is handled once. The figure for chat
messages posted twice (a message delivered just before the kill, its delivery not yet recorded)
is printed: chat platforms are at-least-once there (see docs/deploy.md)."""

from __future__ import annotations

import asyncio
import json
import random
import signal
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from tests.channels.slack.harness import ALICE, BOB, CHLOE, FINANCE, FRANK, IVY, SECRET, USERS, SlackClient, signed
from tests.fakes.loopback import free_port
from tests.fakes.slack_api import FakeSlackAPI
from tests.faults.run import handled, start

PEOPLE = (ALICE, BOB, IVY, FRANK, CHLOE)
BURST = 24
KILL_AFTER = (0.05, 0.12)  # seconds into the burst
ROUNDS = 4


@pytest.fixture
async def api() -> AsyncIterator[FakeSlackAPI]:
    fake = await FakeSlackAPI(dict(USERS)).start()
    yield fake
    await fake.stop()


async def _start(folder: Path, api: FakeSlackAPI, port: int) -> asyncio.subprocess.Process:
    return await start(
        folder,
        port,
        {
            "SLACK_BOT_TOKEN": "xoxb-run",
            "SLACK_SIGNING_SECRET": SECRET,
            "FRONTDOOR_SLACK_API_URL": api.url,
            "FRONTDOOR_DEFAULT_CHANNEL": "slack",
            "FRONTDOOR_SLACK_CHANNELS": json.dumps({"#approvals-finance": FINANCE}),
        },
    )


async def _post(http: aiohttp.ClientSession, url: str, body: str) -> int:
    headers = {"Content-Type": "application/json", **signed(body)}
    try:
        async with http.post(url, data=body, headers=headers) as answer:
            return answer.status
    except (aiohttp.ClientError, TimeoutError):
        return 0  # the process died before answering: Slack would send it again


def _handled(folder: Path) -> set[str]:
    return handled(folder)


async def test_no_acknowledged_slack_event_is_lost_across_hard_kills(tmp_path: Path, api: FakeSlackAPI) -> None:
    port, rng = free_port(), random.Random(7)
    client = SlackClient(f"http://127.0.0.1:{port}/slack/events", api)
    acknowledged: list[str] = []
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10)) as http:
        for round_ in range(ROUNDS):
            process = await _start(tmp_path, api, port)
            kill_after = rng.uniform(*KILL_AFTER)
            events = []
            for n in range(BURST):
                person = PEOPLE[n % len(PEOPLE)]
                text = f"we need {n + 2} monitors for 4 West, cost center 4410" if n < len(PEOPLE) else f"make it {n}"
                event_id = f"Ev{round_}x{n}"
                events.append((event_id, client.event_body(client.dm_event(person, text), event_id)))

            async def burst(events: list[Any]) -> list[tuple[str, int]]:
                sent = []
                for event_id, body in events:
                    sent.append((event_id, asyncio.ensure_future(_post(http, client.url, body))))
                    await asyncio.sleep(0.004)
                return [(event_id, await answer) for event_id, answer in sent]

            running = asyncio.ensure_future(burst(events))
            await asyncio.sleep(kill_after)
            process.send_signal(signal.SIGKILL)
            await process.wait()
            acknowledged += [event_id for event_id, status in await running if status == 200]

        assert len(acknowledged) > ROUNDS  # the kills came after some acknowledgements
        process = await _start(tmp_path, api, port)  # restarted: takes back what it held
        try:
            for _ in range(200):
                lost = [e for e in acknowledged if not any(e in key for key in _handled(tmp_path))]
                if not lost:
                    break
                await asyncio.sleep(0.1)
        finally:
            process.send_signal(signal.SIGTERM)
            await process.wait()
    assert lost == [], f"{len(lost)} of {len(acknowledged)} acknowledged events lost"
    posts = Counter(  # by the outbox row each post came from (its key, carried in the message's metadata)
        json.dumps(args.get("metadata"), sort_keys=True) for name, args in api.calls if name == "chat.postMessage"
    )
    twice = sum(n - 1 for n in posts.values() if n > 1)
    print(
        f"\n{len(acknowledged)} acknowledged events, 0 lost;"
        f" chat messages posted twice: {twice} of {sum(posts.values())}"
    )
    assert twice == 0  # each post carries its key in metadata, looked up before a possible resend
