"""Running modes: the server (`frontdoor run`), the local chat (interactive or scripted), a sweep."""

from __future__ import annotations

import json
import logging
import sys
import uuid
from datetime import datetime
from pathlib import Path
from typing import Any

from bot.app import App
from bot.channels.local.channel import LocalChannel, render_text, transcript_line
from bot.channels.local.console import Console
from bot.channels.local.script import ScriptError, ScriptRunner, read_steps
from bot.core.clock import ManualClock
from bot.serve import run_server
from bot.settings import Settings
from bot.terminal import chat_loop

log = logging.getLogger("frontdoor")


def _printer(json_out: bool) -> Any:
    def emit(line: dict[str, Any]) -> None:
        print(json.dumps(line, ensure_ascii=False) if json_out else render_text(line), flush=True)

    return emit


def _start_time(text: str | None) -> datetime | None:
    if not text:
        return None
    when = datetime.fromisoformat(text)
    if when.tzinfo is None:
        from zoneinfo import ZoneInfo

        when = when.replace(tzinfo=ZoneInfo("America/New_York"))
    return when


async def chat_script(settings: Settings, script: Path, *, json_out: bool, start: str | None) -> int:
    """Replay a transcript; exit 0 when every step ran, whatever the bot answered."""
    try:
        steps = read_steps(script.read_text(encoding="utf-8").splitlines())
    except ScriptError as exc:
        print(f"frontdoor: {script}: {exc}", file=sys.stderr)
        return 2
    emit = _printer(json_out)
    app = App(settings, clock=ManualClock(_start_time(start)), channels={"local": LocalChannel(emit)})
    await app.start(port=0)
    errors: list[str] = []
    try:
        await ScriptRunner(app, errors.append, f"script-{uuid.uuid4().hex[:12]}").run(steps)
    finally:
        await app.stop()
    for error in errors:
        print(f"frontdoor: {script}: {error}", file=sys.stderr)
    return 2 if errors else 0


async def chat_interactive(settings: Settings, person: str) -> None:
    """Chat in the terminal as `person` (see `bot.channels.local.console` for the commands)."""
    console = Console()
    app = App(settings, channels={"local": LocalChannel(console.show)})
    await app.start(port=0)
    print(f"Front Door local chat — you are {person}. Type /help for commands, Ctrl-D to quit.")
    try:
        await chat_loop(app, person, console)
    finally:
        await app.stop()


async def serve(settings: Settings, *, interactive: bool) -> None:
    """`frontdoor run`: HTTP endpoints, channels, outbox workers, scheduler; the local chat on a tty."""
    await run_server(settings, interactive=interactive)


async def sweep_once(settings: Settings, now: str | None) -> None:
    """One SLA sweep (as if at `now`); prints each message it queued for the channels."""
    app = App(settings, channels={"local": LocalChannel(_printer(False))})
    if app.db.engine.dialect.name == "sqlite":
        app.migrate()
    at = _start_time(now) or app.clock.now()
    sent = await app.db.run(app.sweeper, at)
    for outgoing in sent:
        print(render_text(transcript_line(outgoing)))
    print(f"sweep at {at.isoformat()}: {len(sent)} message(s) queued")
    app.db.dispose()
