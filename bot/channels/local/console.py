"""The local chat in a terminal: what the bot sends, a card's buttons as numbered choices a person
can type, line editing and history (prompt_toolkit), and the slash commands.

    1 · Confirm   2 · Edit   3 · Cancel        ← typing `1` presses Confirm on that card
    1 · HVAC   2 · electrical   3 · plumbing    ← a field's choices: `3` sets the field to plumbing

A number presses that button of the newest card with buttons, as the person chatting, with every
check a click on Slack or Teams gets; a choice button carries its value, as on Slack and Teams.
After Reject or Request info, words may follow it as the reason (`2 we have stock`). "3 monitors
for 4 West" is a message, not the third button.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable
from typing import Any

from bot.channels.local.channel import render_text

WITH_REASON = ("reject", "request_info")
"""The buttons whose number may be followed by words: the reason, or the question."""

HELP = """Write as you would to a colleague, e.g. "we need 3 monitors for 4 West, cost center 4410, about $900".
  1, 2, 3 …            press that button of the newest card (words after it are the reason: "2 we have stock")
  /as EMAIL            chat as someone else in the directory, e.g. /as bob.martin@example.org to approve
  /press ACTION [REQ]  press a button by name: confirm, edit, cancel, approve, reject, request_info
  /advance PT9H        move the clock on (in scripts: frontdoor chat --script) to see reminders
  /help                this list
  Ctrl-D or /quit      leave"""


class Console:
    """Prints what the local channel delivers and remembers the newest card's buttons."""

    def __init__(self, write: Callable[[str], None] = print) -> None:
        self.write = write
        self.choices: list[tuple[str, str | None, dict[str, Any]]] = []
        """(action, request, form values it sets) of each button of the newest card with buttons, in order."""

    def show(self, line: dict[str, Any]) -> None:
        card = line.get("card") or {}
        buttons = list(card.get("buttons") or ())
        if buttons:
            values = [dict(c.get("values") or {}) for c in card.get("choices") or ()] or [{} for _ in buttons]
            self.choices = [(action, line.get("request"), v) for action, v in zip(buttons, values, strict=True)]
        self.write(render_text(line, numbered=True))

    def choice(self, words: list[str]) -> dict[str, Any] | None:
        """The press a line like `2 we have stock` stands for, or None when it is not a number of a
        button shown."""
        if not words or not words[0].isdigit():
            return None
        number = int(words[0])
        if not 1 <= number <= len(self.choices):
            return None
        action, request, values = self.choices[number - 1]
        if len(words) > 1 and action not in WITH_REASON:
            return None  # "3 monitors for 4 West" is a message, not the third button
        pressed = {"press": action, "request": request or "last", "comment": " ".join(words[1:]) or None}
        return {**pressed, "values": values} if values else pressed


class LineReader:
    """Reads what the person types: on a terminal with editing, history (this session's) and
    messages that arrive meanwhile printed above the prompt (prompt_toolkit, on the event loop);
    from a pipe, plain lines."""

    def __init__(self) -> None:
        self.session: Any = None
        if sys.stdin.isatty() and sys.stdout.isatty():
            from prompt_toolkit import PromptSession
            from prompt_toolkit.history import InMemoryHistory

            # kept in memory only: what people type may hold patients' details, never written to disk
            self.session = PromptSession(history=InMemoryHistory())

    async def read(self, prompt: str) -> str | None:
        """The next line, or None at the end (Ctrl-D, Ctrl-C, the end of the input)."""
        try:
            if self.session is None:
                return await asyncio.to_thread(input, prompt)
            from prompt_toolkit.patch_stdout import patch_stdout

            with patch_stdout():
                return str(await self.session.prompt_async(prompt))
        except (EOFError, KeyboardInterrupt):
            return None
