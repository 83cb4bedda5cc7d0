"""Scripted transcripts (`frontdoor chat --script FILE --json`): JSON Lines in, replies out."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from datetime import timedelta
from typing import Any, Protocol

from bot.channels.base import Host
from bot.core import queries
from bot.core.clock import Clock, ManualClock
from bot.core.engine import Engine
from bot.core.events import Action, ActionName, Message, Place

_DURATION = re.compile(
    r"^P(?:(?P<weeks>\d+(?:\.\d+)?)W)?(?:(?P<days>\d+(?:\.\d+)?)D)?"
    r"(?:T(?:(?P<hours>\d+(?:\.\d+)?)H)?(?:(?P<minutes>\d+(?:\.\d+)?)M)?(?:(?P<seconds>\d+(?:\.\d+)?)S)?)?$"
)


class ScriptError(ValueError):
    """A step that cannot be run; the message names the line."""


def parse_duration(text: str) -> timedelta:
    """An ISO-8601 duration such as PT9H, P1D or P1DT2H30M."""
    match = _DURATION.match(text.strip().upper())
    if not match or text.strip().upper() in ("P", "PT"):
        raise ValueError(f"{text!r} is not an ISO-8601 duration such as PT9H or P1D")
    parts = {k: float(v) for k, v in match.groupdict().items() if v}
    return timedelta(**parts)


def dm(person: str) -> Place:
    return Place("local", f"dm:{person}")


def read_steps(lines: Iterable[str]) -> list[tuple[int, dict[str, Any]]]:
    steps = []
    for number, line in enumerate(lines, start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        try:
            step = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ScriptError(f"line {number}: not JSON ({exc.msg})") from None
        if not isinstance(step, dict) or not ({"say", "press", "advance"} & step.keys()):
            raise ScriptError(f"line {number}: a step has 'say', 'press' or 'advance'")
        if ("say" in step or "press" in step) and "as" not in step:
            raise ScriptError(f"line {number}: 'say' and 'press' need 'as'")
        steps.append((number, step))
    return steps


class ScriptHost(Host, Protocol):
    """What a script drives besides a channel's share (`bot.app.App` is one): the engine itself,
    handling each line before the next is read, so a transcript comes out in its lines' order; the
    clock, which a script moves on; the scheduler's due jobs; and delivery."""

    engine: Engine
    clock: Clock

    async def tick(self) -> None: ...

    async def settle(self) -> None: ...


class ScriptRunner:
    """Runs steps against an App with a manual clock; the App's local channel prints."""

    def __init__(self, app: ScriptHost, on_error: Callable[[str], None], run_id: str = "script") -> None:
        self.app = app
        self.on_error = on_error
        self.run_id = run_id

    async def run(self, steps: list[tuple[int, dict[str, Any]]]) -> None:
        for number, step in steps:
            await self.step(number, step)
            await self.app.settle()

    async def step(self, number: int, step: dict[str, Any]) -> None:
        if "advance" in step:
            try:
                delta = parse_duration(str(step["advance"]))
            except ValueError as exc:
                return self.on_error(f"line {number}: {exc}")
            if not isinstance(self.app.clock, ManualClock):
                return self.on_error(f"line {number}: only a script's clock can be moved on")
            self.app.clock.advance(delta)
            await self.app.tick()
            return None
        person = str(step["as"]).lower()
        event_id = f"{self.run_id}:{number}"
        if "say" in step:
            self.app.engine.handle(Message(person, dm(person), str(step["say"]), event_id))
            return None
        try:
            action = ActionName(str(step["press"]))
        except ValueError:
            return self.on_error(f"line {number}: unknown button {step['press']!r}")
        self.app.engine.handle(self._action(person, action, step, event_id))
        return None

    def _action(self, person: str, action: ActionName, step: dict[str, Any], event_id: str) -> Action:
        ref = self._ref(step.get("request", "last"))
        payload = self._payload(person, action, ref)
        return Action(
            person=person,
            place=dm(person),
            action=action,
            request=payload.get("request", ref),
            step=payload.get("step"),
            draft=payload.get("draft"),
            version=payload.get("version"),
            comment=step.get("comment"),
            values=step.get("values"),
            event_id=event_id,
            target=str(step.get("to") or payload.get("to") or "").lower() or None,
        )

    def _ref(self, wanted: Any) -> str | None:
        if wanted and str(wanted).lower() != "last":
            return str(wanted).upper()
        return self.app.engine.ask(queries.newest_ref)

    def _payload(self, person: str, action: ActionName, ref: str | None) -> dict[str, Any]:
        """The button payload of the newest card with that button the person can see."""
        return self.app.engine.ask(queries.button_payload, "local", person, action, ref)
