"""`frontdoor run` with Slack configured from the environment, driven over HTTP as Slack drives it:
its `/slack/events` refuses what is not signed and serves what is, and every Web API call it
makes goes to `FRONTDOOR_SLACK_API_URL` (the stand-in), from a direct message to a decided card."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
from pathlib import Path

import aiohttp

from tests.channels.slack.harness import ALICE, BOB, FINANCE, MONITORS, SECRET, SlackClient, block_kit_errors, dm
from tests.fakes.loopback import free_port, wait_ready
from tests.fakes.slack_api import FakeSlackAPI


async def test_frontdoor_run_serves_slack_from_a_direct_message_to_a_decided_card(
    tmp_path: Path, api: FakeSlackAPI
) -> None:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FRONTDOOR_", "SLACK_", "MICROSOFT_"))}
    env.update(
        {
            "SLACK_BOT_TOKEN": "xoxb-run",
            "SLACK_SIGNING_SECRET": SECRET,
            "FRONTDOOR_SLACK_API_URL": api.url,
            "FRONTDOOR_HTTP_PORT": str(port),
            "FRONTDOOR_DEFAULT_CHANNEL": "slack",
            "FRONTDOOR_SLACK_CHANNELS": json.dumps({"#approvals-finance": FINANCE}),
        }
    )
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        cwd=tmp_path,
        env=env,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        await wait_ready(base, process)
        slack = SlackClient(f"{base}/slack/events", api)
        body = slack.event_body(slack.dm_event(ALICE, MONITORS), "EvRun")
        unsigned = {"Content-Type": "application/json"}
        async with aiohttp.ClientSession() as http, http.post(slack.url, data=body, headers=unsigned) as answer:
            assert answer.status == 401
        assert [n for n, _ in api.calls if n != "auth.test"] == []

        for retry in (None, 1, 2):  # Slack's retries of one event
            assert await slack.event(json.loads(body)["event"], "EvRun", retry) == 200
        await slack.until(
            "review card", lambda: any(b["type"] == "actions" for p in slack.posts(dm(ALICE)) for b in p["blocks"])
        )
        await slack.click(ALICE, dm(ALICE), "confirm")
        await slack.until("manager's card", lambda: bool(slack.posts(dm(BOB))))
        card = slack.card(dm(BOB))
        await slack.click(BOB, dm(BOB), "approve")
        await slack.until("card updated", lambda: bool(api.card_updates()))
        [update] = api.card_updates()
        assert (update["channel"], update["ts"]) == (dm(BOB), card["ts"]) and "Approved by Bob Martin" in update["text"]
        await slack.until("requester told", lambda: any("fulfilled" in t for t in slack.texts(dm(ALICE))))
        assert len([p for p in slack.posts(dm(ALICE)) if p["text"].startswith("Here is your")]) == 1
        assert {token for _, token in api.tokens} == {"xoxb-run"}
    finally:
        process.send_signal(signal.SIGTERM)
        output, _ = await asyncio.wait_for(process.communicate(), 30)
    assert process.returncode == 0, output.decode()
    assert block_kit_errors(api) == []
