"""Benchmark: Slack's view of Front Door — how fast signed events are acknowledged.

Starts, each in its own process: the Web API stand-in, `frontdoor run` with Slack enabled (its
Web API pointed at the stand-in, a fresh SQLite file) and a bare bolt app that only
acknowledges. Then sends signed `message.im` events (50 people asking "what can you do?", each
answered by the bot) to each server at 50 and 200 events per second for `--seconds` (default
30), the bare app first, and prints one JSON line per rate: p50 / p99 acknowledgement latency
and errors for both, and how many replies Front Door posted.

    python bench/slack_ack.py [--seconds 30] [--rates 50,200] [--database-url URL]

`--database-url` runs Front Door on that database (an empty PostgreSQL database, migrated
first) instead of a fresh SQLite file.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import hmac
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import aiohttp  # noqa: E402  # after the checkout is on the path
from aiohttp import web  # noqa: E402

SECRET = "bench-secret"
PEOPLE = 50


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def signed(body: str) -> dict[str, str]:
    ts = str(int(time.time()))
    digest = hmac.new(SECRET.encode(), f"v0:{ts}:{body}".encode(), hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": f"v0={digest}", "Content-Type": "application/json"}


def event(n: int, run: str) -> str:
    user = f"U{n % PEOPLE:04d}"
    message = {
        "type": "message",
        "channel_type": "im",
        "channel": f"D{user}",
        "user": user,
        "text": "what can you do?",
        "ts": f"{time.time():.6f}",
    }
    return json.dumps({"type": "event_callback", "team_id": "T1", "event_id": f"Ev{run}-{n}", "event": message})


async def load(url: str, rate: int, seconds: float, run: str) -> dict[str, Any]:
    """Send `rate` events a second for `seconds`, on schedule whatever the answers take."""
    latencies: list[float] = []
    errors = 0

    async def one(http: aiohttp.ClientSession, n: int) -> None:
        nonlocal errors
        body = event(n, run)
        started = time.perf_counter()
        try:
            async with http.post(url, data=body, headers=signed(body)) as answer:
                await answer.read()
                errors += answer.status != 200
        except aiohttp.ClientError:
            errors += 1
        latencies.append((time.perf_counter() - started) * 1000)

    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as http:
        for n in range(20):  # warm the connection pool and the server
            await one(http, -n - 1)
        latencies.clear()
        tasks, start = [], time.perf_counter()
        for n in range(int(rate * seconds)):
            delay = start + n / rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(one(http, n)))
        await asyncio.gather(*tasks)
    ordered = sorted(latencies)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return {
        "sent": len(ordered),
        "errors": errors,
        "ack_ms_p50": round(statistics.median(ordered), 2),
        "ack_ms_p99": round(p99, 2),
    }


# -- the servers, each run as `python bench/slack_ack.py --serve fake|bare PORT [API_URL]` ----------------
async def serve_fake(port: int) -> None:
    from tests.fakes.slack_api import FakeSlackAPI

    users = {f"U{n:04d}": "alice.nguyen@example.org" for n in range(PEOPLE)}
    api = FakeSlackAPI(users)

    async def stats(_request: web.Request) -> web.Response:
        return web.json_response({"chat.postMessage": len(api.named("chat.postMessage"))})

    app = web.Application()
    api.routes(app)
    app.router.add_get("/stats", stats)
    api.address = f"http://127.0.0.1:{port}"
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    await asyncio.Event().wait()


async def serve_bare(port: int, api_url: str) -> None:
    from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
    from slack_bolt.async_app import AsyncApp
    from slack_sdk.web.async_client import AsyncWebClient

    bolt = AsyncApp(
        signing_secret=SECRET, client=AsyncWebClient(token="xoxb-bare", base_url=api_url), process_before_response=True
    )

    @bolt.event("message")
    async def acknowledge_only(event: dict[str, Any]) -> None:
        return None

    async def handle(request: web.Request) -> web.Response:
        return await to_aiohttp_response(await bolt.async_dispatch(await to_bolt_request(request)))

    app = web.Application()
    app.router.add_post("/slack/events", handle)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    await asyncio.Event().wait()


def spawn(args: list[str], env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, *args],
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
    )


async def wait_for(url: str, method: str = "GET", timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    async with aiohttp.ClientSession() as http:
        while time.monotonic() < deadline:
            try:
                async with http.request(method, url) as answer:
                    if answer.status < 500:
                        return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.2)
    raise SystemExit(f"{url} did not come up")


async def replies(api: str) -> int:
    async with aiohttp.ClientSession() as http, http.get(f"{api}stats") as answer:
        return int((await answer.json())["chat.postMessage"])


async def main(seconds: float, rates: list[int], database_url: str | None = None) -> None:
    fake_port, ours_port, bare_port = free_port(), free_port(), free_port()
    api = f"http://127.0.0.1:{fake_port}/"
    script = str(Path(__file__).resolve())
    with tempfile.TemporaryDirectory() as folder:
        env = {
            "SLACK_BOT_TOKEN": "xoxb-bench",
            "SLACK_SIGNING_SECRET": SECRET,
            "FRONTDOOR_SLACK_API_URL": f"{api}api/",
            "FRONTDOOR_DATABASE_URL": database_url or f"sqlite:///{folder}/bench.db",
            "FRONTDOOR_HTTP_PORT": str(ours_port),
            "FRONTDOOR_DEFAULT_CHANNEL": "slack",
            "FRONTDOOR_LOG_LEVEL": "WARNING",
        }
        if database_url:
            spawn(["-m", "bot", "db", "upgrade"], env).wait(timeout=120)
        processes = [
            spawn([script, "--serve", "fake", str(fake_port)]),
            spawn(["-m", "bot", "run"], env),
            spawn([script, "--serve", "bare", str(bare_port), f"{api}api/"]),
        ]
        try:
            await wait_for(f"{api}stats")
            await wait_for(f"http://127.0.0.1:{ours_port}/healthz")
            await wait_for(f"http://127.0.0.1:{bare_port}/slack/events", "POST")
            for rate in rates:
                bare = await load(f"http://127.0.0.1:{bare_port}/slack/events", rate, seconds, f"bare{rate}")
                before = await replies(api)
                ours = await load(f"http://127.0.0.1:{ours_port}/slack/events", rate, seconds, f"fd{rate}")
                await asyncio.sleep(2)  # let the last replies go out
                ours["replies"] = await replies(api) - before
                ratio = round(ours["ack_ms_p99"] / max(bare["ack_ms_p99"], 0.01), 2)
                print(
                    json.dumps(
                        {
                            "benchmark": "slack_ack",
                            "rate": rate,
                            "seconds": seconds,
                            "frontdoor": ours,
                            "bare_bolt": bare,
                            "p99_vs_bare": ratio,
                        }
                    ),
                    flush=True,
                )
        finally:
            for process in processes:
                process.terminate()
            for process in processes:
                process.wait(timeout=30)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=30, help="how long each rate runs (default 30)")
    parser.add_argument("--rates", default="50,200", help="events per second, comma-separated (default 50,200)")
    parser.add_argument("--database-url", help="an empty database to run on (default: a fresh SQLite file)")
    parser.add_argument("--serve", nargs="+", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.serve:
        role, port, *rest = options.serve
        asyncio.run(serve_fake(int(port)) if role == "fake" else serve_bare(int(port), rest[0]))
    else:
        asyncio.run(main(options.seconds, [int(r) for r in options.rates.split(",")], options.database_url))
