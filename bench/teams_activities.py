"""Benchmark: Bot Framework activities through `POST /api/messages` on the embedded default.

Front Door runs in-process in the emulator's open mode (the embedded backend, SQLite, the offline
parser) with the connector stand-in as every activity's serviceUrl. `--people` directory members
each write from their own personal chat, `--concurrency` activities in flight:

- first contact: "I need 2 monitors for CC-4410, about $600 total" — the member is looked up at
  the connector, their conversation reference stored, the request parsed and a review card sent;
- returning: "cancel" from the same people — known ids, unchanged references, a text reply.

For each activity the time to its first reply is measured from the moment it is posted until the
stand-in receives a message for that conversation. Prints one JSON line per phase.

    python bench/teams_activities.py [--people 300] [--concurrency 10]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import aiohttp
import yaml

from bot.app import App
from bot.directory import DEMO_DIRECTORY
from bot.settings import load_settings
from tests.fakes.bot_connector import FakeConnector, Member


class TimedConnector(FakeConnector):
    """Notes when each message reaches a conversation."""

    def __post_init__(self) -> None:
        super().__post_init__()
        self.arrivals: dict[str, list[float]] = {}

    async def _send(self, request: Any) -> Any:
        self.arrivals.setdefault(request.match_info["conversation"], []).append(time.perf_counter())
        return await super()._send(request)


def directory(folder: Path, people: int) -> Path:
    data = yaml.safe_load(DEMO_DIRECTORY.read_text())
    nurse = {"entity": "RMC", "cost_center": "CC-4410", "manager": "bob.martin@example.org"}
    data["people"] += [{"email": f"nurse{n}@example.org", "name": f"Nurse {n}", **nurse} for n in range(people)]
    path = folder / "directory.yaml"
    path.write_text(yaml.safe_dump(data))
    return path


def activity(connector: TimedConnector, n: int, text: str, phase: str) -> dict[str, Any]:
    user = f"29:nurse{n}"
    return {
        "type": "message",
        "id": f"{phase}-{n}",
        "channelId": "msteams",
        "serviceUrl": connector.url,
        "text": text,
        "textFormat": "plain",
        "from": {"id": user, "aadObjectId": f"aad-nurse{n}"},
        "recipient": {"id": "28:bot"},
        "channelData": {"tenant": {"id": "tenant-1"}},
        "conversation": {"id": f"a:{user}", "conversationType": "personal", "tenantId": "tenant-1"},
    }


async def phase(app: App, connector: TimedConnector, name: str, text: str, people: int, concurrency: int) -> None:
    gate = asyncio.Semaphore(concurrency)
    sent: dict[str, float] = {}
    errors = 0

    async def one(http: aiohttp.ClientSession, n: int) -> None:
        nonlocal errors
        async with gate:
            sent[f"a:29:nurse{n}"] = time.perf_counter()
            async with http.post(f"{app.base_url}/api/messages", json=activity(connector, n, text, name)) as answer:
                errors += answer.status >= 300

    def first_reply(conversation: str) -> float | None:
        after = [t for t in connector.arrivals.get(conversation, ()) if t >= sent[conversation]]
        return after[0] if after else None

    started = time.perf_counter()
    async with aiohttp.ClientSession() as http:
        await asyncio.gather(*(one(http, n) for n in range(people)))
    while any(first_reply(c) is None for c in sent) and time.perf_counter() - started < 120:
        await asyncio.sleep(0.01)
    elapsed = time.perf_counter() - started
    waits = sorted((reply - sent[c]) * 1000 for c in sent if (reply := first_reply(c)) is not None)
    print(
        json.dumps(
            {
                "benchmark": "teams_activities",
                "phase": name,
                "activities": people,
                "errors": errors,
                "replied": len(waits),
                "concurrency": concurrency,
                "activities_per_s": round(people / elapsed, 1),
                "first_reply_ms_p50": round(statistics.median(waits), 1),
                "first_reply_ms_p99": round(waits[max(0, int(len(waits) * 0.99) - 1)], 1),
            }
        )
    )


async def main(people: int, concurrency: int) -> None:
    members = {f"29:nurse{n}": Member(f"nurse{n}@example.org") for n in range(people)}
    connector = await TimedConnector(members=members).start()
    with tempfile.TemporaryDirectory() as folder:
        settings = load_settings(
            database_url=f"sqlite:///{folder}/bench.db",
            teams_emulator=True,
            default_channel="teams",
            outbox_poll_seconds=0.05,
            directory=directory(Path(folder), people),
        )
        app = App(settings, channels={})
        await app.start(port=0)
        worker = asyncio.create_task(app.work_forever())
        await phase(
            app, connector, "first_contact", "I need 2 monitors for CC-4410, about $600 total", people, concurrency
        )
        await phase(app, connector, "returning", "cancel", people, concurrency)
        worker.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await worker
        await app.stop()
    await connector.stop()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--people", type=int, default=300)
    parser.add_argument("--concurrency", type=int, default=10)
    args = parser.parse_args()
    asyncio.run(main(args.people, args.concurrency))
