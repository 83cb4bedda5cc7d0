"""Small builders for engine tests: an App on a given database with a recording local channel."""

from __future__ import annotations

import asyncio
import json
import re
import uuid
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.app import App
from bot.channels.local.channel import LocalChannel
from bot.channels.local.script import ScriptRunner, read_steps
from bot.core.clock import ManualClock
from bot.settings import load_settings
from intents.base import ParseContext, Proposal

START = datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("America/New_York"))


class KeywordParser:
    """A deliberately small parser for engine tests: the engine must validate whatever it proposes."""

    name = "keyword"

    def parse(self, text: str, context: ParseContext) -> Proposal:
        lowered = text.lower()
        if lowered.startswith("status"):
            ref = re.search(r"req-?\d+", lowered)
            return Proposal(
                intent="check_status", confidence=0.9, slots={"request_id": ref.group(0).upper()} if ref else {}
            )
        if "approve" in lowered and "what" in lowered:
            return Proposal(intent="list_approvals", confidence=0.9)
        if lowered in ("cancel", "never mind"):
            return Proposal(intent="cancel", confidence=0.9)
        if lowered.startswith("buy"):
            slots: dict[str, Any] = {}
            for key, pattern in (
                ("estimated_cost", r"\$([\d,.k]+)"),
                ("cost_center", r"(cc-?\s?\d{4})"),
                ("quantity", r"(\d+) x"),
            ):
                found = re.search(pattern, lowered)
                if found:
                    slots[key] = found.group(1)
            item = re.search(r"x ([a-z ]+?)(?: for| on|$)", lowered)
            if item:
                slots["item_description"] = item.group(1)
            return Proposal(intent="purchase_requisition", confidence=0.9, slots=slots)
        if context.draft_type:
            number = re.fullmatch(r"(?:actually make it )?(\d+)", lowered)
            if number and context.pending_field in (None, "quantity"):
                return Proposal(intent=context.draft_type, confidence=0.8, slots={"quantity": number.group(1)})
            return Proposal(intent=context.draft_type, confidence=0.5)
        return Proposal(intent="out_of_scope", confidence=0.9)


class FormParser:
    """Whole forms by a keyword (`forms`: message → type and slots), for tests about who approves,
    not about reading."""

    name = "forms"

    def __init__(self, forms: dict[str, tuple[str, dict[str, Any]]]) -> None:
        self.forms = forms

    def parse(self, text: str, context: ParseContext) -> Proposal:
        if text in self.forms:
            type_id, slots = self.forms[text]
            return Proposal(intent=type_id, confidence=0.95, slots=slots)
        return Proposal(intent=context.draft_type or "out_of_scope", confidence=0.5)


def make_app(database_url: str, lines: list[dict[str, Any]], **settings: Any) -> App:
    app = App(
        load_settings(database_url=database_url, **settings),
        clock=ManualClock(START),
        channels={"local": LocalChannel(lines.append)},
        parser=KeywordParser(),
    )
    app.migrate()
    return app


def run_steps(app: App, steps: list[str]) -> None:
    """Run transcript lines through the engine and deliver the chat outbox after each."""

    async def go() -> None:
        runner = ScriptRunner(app, lambda error: (_ for _ in ()).throw(AssertionError(error)), uuid.uuid4().hex)
        for number, step in read_steps(steps):
            await runner.step(number, step)
            assert app.chat is not None
            await app.chat.drain()

    asyncio.run(go())


def say(who: str, text: str) -> str:
    """A transcript line: `who` says `text`."""
    return json.dumps({"as": who, "say": text})


def press(who: str, button: str, **extra: Any) -> str:
    """A transcript line: `who` presses a button (request, step … in `extra`)."""
    return json.dumps({"as": who, "press": button, **extra})


def advance(duration: str) -> str:
    """A transcript line: the clock moves on by an ISO 8601 duration."""
    return json.dumps({"advance": duration})
