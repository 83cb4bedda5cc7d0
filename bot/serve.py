"""`frontdoor run`: the long-running server."""

from __future__ import annotations

import asyncio
import logging
import signal
from contextlib import suppress
from typing import Any

from bot.app import App
from bot.channels.local.channel import LocalChannel, render_text
from bot.channels.local.console import Console
from bot.settings import Settings
from bot.terminal import chat_loop

log = logging.getLogger("frontdoor")


async def run_server(settings: Settings, *, interactive: bool) -> None:
    console = Console()
    show = console.show if interactive else (lambda line: print(render_text(line), flush=True))
    channels: dict[str, Any] = {"local": LocalChannel(show)}
    app = App(settings, channels=channels)
    url = await app.start()
    log.info("Front Door is serving on %s (channels: %s)", url, ", ".join(app.channels))
    scheduler = _start_scheduler(app, settings)
    worker = asyncio.create_task(app.work_forever())
    try:
        if interactive:
            print(f"Front Door is running at {url}. Local chat — type /help; Ctrl-D to stop.")
            await chat_loop(app, "alice.nguyen@example.org", console)
        else:
            await _wait_for_signal()
    finally:
        worker.cancel()
        if scheduler is not None:
            scheduler.shutdown(wait=False)
        with suppress(asyncio.CancelledError):
            await worker  # a batch in delivery records what went out and gives back the rest
        await app.stop()


def _start_scheduler(app: App, settings: Settings) -> Any:
    if app.sweeper is None:
        return None
    from apscheduler.schedulers.asyncio import AsyncIOScheduler

    scheduler = AsyncIOScheduler(timezone="UTC")
    scheduler.add_job(
        app.tick,
        "interval",
        seconds=settings.sweep_interval_seconds,
        coalesce=True,
        max_instances=1,
        misfire_grace_time=None,
        id="sla-sweep",
    )
    scheduler.start()
    return scheduler


async def _wait_for_signal() -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    await stop.wait()
