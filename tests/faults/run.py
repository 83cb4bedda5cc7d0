"""Starting `frontdoor run` for a fault-injection test, and reading what it handled."""

from __future__ import annotations

import asyncio
import os
import sqlite3
import sys
from pathlib import Path

from tests.fakes.loopback import wait_ready


async def start(folder: Path, port: int, settings: dict[str, str]) -> asyncio.subprocess.Process:
    """A `frontdoor run` process in `folder` (its SQLite store in var/), as replica "replica-1"
    so that a restart takes back what the killed process held; returns once it is ready."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FRONTDOOR_", "SLACK_", "MICROSOFT_"))}
    env.update({"FRONTDOOR_HTTP_PORT": str(port), "FRONTDOOR_REPLICA_ID": "replica-1", **settings})
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        cwd=folder,
        env=env,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )
    await wait_ready(f"http://127.0.0.1:{port}", process)
    return process


def handled(folder: Path) -> set[str]:
    """The event keys the engine recorded as handled."""
    with sqlite3.connect(folder / "var" / "frontdoor.db") as connection:
        return {key for (key,) in connection.execute("SELECT key FROM inbound_events")}
