"""The local chat in a terminal: typed lines become messages, button presses and commands.

Both `frontdoor chat` and `frontdoor run` on a tty read from here, so the loop lives apart from
either running mode.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from bot.app import App
from bot.channels.local.console import HELP, Console, LineReader
from bot.channels.local.script import ScriptRunner, dm
from bot.core.events import Message


async def chat_loop(app: App, person: str, console: Console) -> None:
    """Read typed lines as `person` until end of input or /quit: a message, a button press, a
    command; deliver what each produced before reading the next."""
    runner = ScriptRunner(app, lambda error: print(f"! {error}"), f"tty-{uuid.uuid4().hex[:12]}")
    reader = LineReader()
    number = 0
    while True:
        line = await reader.read(f"{person}> ")
        if line is None:
            return
        number += 1
        try:
            step = _command(line.split(), person, console)
        except EOFError:  # /quit
            return
        if step is None:
            continue
        if set(step) == {"as"}:
            person = str(step["as"])
            print(f"You are now {person}.")
            continue
        if "say" in step:
            app.engine.handle(Message(person, dm(person), line, f"tty:{datetime.now().timestamp()}"))
        elif "advance" in step and not hasattr(app.clock, "advance"):
            print("! /advance moves a script's clock (frontdoor chat --script); this chat runs on real time.")
            continue
        else:
            await runner.step(number, step)
        await app.settle()


def _command(words: list[str], person: str, console: Console) -> dict[str, Any] | None:
    """What a typed line asks for: a step (say, press, advance), a new person ({"as"}), or None
    when it was answered here (help, a mistyped command, an empty line)."""
    if not words:
        return None
    head = words[0].lower()
    if head in ("/quit", "/exit"):
        raise EOFError
    if head == "/help":
        print(HELP)
        return None
    if head == "/as" and len(words) == 2:
        return {"as": words[1].lower()}
    if head == "/press" and len(words) >= 2:
        return {
            "as": person,
            "press": words[1],
            "request": words[2] if len(words) > 2 else "last",
            "comment": " ".join(words[3:]) or None,
        }
    if head == "/advance" and len(words) == 2:
        return {"advance": words[1]}
    if head.startswith("/"):
        print(f"! {words[0]} is not a command I know; /help lists them.")
        return None
    pressed = console.choice(words)
    if pressed is not None:
        return {"as": person, **pressed}
    if head.isdigit() and len(words) == 1:
        print("! No card shows a button with that number; /help lists what you can type.")
        return None
    return {"say": " ".join(words)}
