"""Talking to Front Door as Slack does: signed HTTP requests to /slack/events, answers read back
from the Web API stand-in, and a Block Kit check of everything the bot sent."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import os
import time
from collections.abc import Callable
from itertools import count
from typing import Any
from urllib.parse import urlencode

import aiohttp
from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

from bot.app import App
from tests.fakes.slack_api import FakeSlackAPI

SECRET = "slack-signing-secret"
ALICE, BOB, IVY, FRANK, CHLOE = "UALICE", "UBOB", "UIVY", "UFRANK", "UCHLOE"
USERS = {
    ALICE: "alice.nguyen@example.org",
    BOB: "bob.martin@example.org",
    IVY: "ivy.tran@example.org",
    FRANK: "frank.ito@example.org",
    CHLOE: "chloe.reed@example.org",
    "UNOMAIL": "",
    "UOUTSIDER": "someone@elsewhere.example",
}
FINANCE = "CFINANCE"  # the id #approvals-finance is mapped to
MONITORS = "I need 2 monitors for CC-4410, about $600 total"
IV_POLES = "we need 40 IV poles, roughly 12.5k, cost center 4400, needed by Dec 15"


def signed(body: str, timestamp: int | None = None, secret: str = SECRET) -> dict[str, str]:
    ts = str(timestamp if timestamp is not None else int(time.time()))
    digest = hmac.new(secret.encode(), f"v0:{ts}:{body}".encode(), hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": f"v0={digest}"}


def dm(user: str) -> str:
    return f"D{user}"


class SlackClient:
    """Sends events, commands, shortcuts, clicks and form submissions to a Slack request URL, signed
    as Slack signs them; `quiet` waits for what they started (here: nothing, see `Slack`)."""

    def __init__(self, url: str, api: FakeSlackAPI) -> None:
        self.url, self.api = url, api
        self._n = count(1)

    # -- transport ---------------------------------------------------------------------------------
    async def send(
        self, body: str, content_type: str, headers: dict[str, str] | None = None, quiet: bool = True
    ) -> tuple[int, str]:
        """POST a signed body; (status, response text) once the work it started has finished."""
        all_headers = {"Content-Type": content_type, **signed(body), **(headers or {})}
        async with aiohttp.ClientSession() as http, http.post(self.url, data=body, headers=all_headers) as answer:
            status, text = answer.status, await answer.text()
        if quiet:
            await self.quiet()
        return status, text

    async def interact(self, payload: dict[str, Any]) -> tuple[int, str]:
        return await self.send(urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded")

    async def quiet(self) -> None:
        """Another process's work cannot be watched: callers wait for what they expect (`until`)."""

    async def until(self, what: str, check: Callable[[], bool], timeout: float = 30) -> None:
        """Wait until `check()` holds (Slack's stand-in heard what was expected)."""
        deadline = time.monotonic() + timeout
        while not check():
            if time.monotonic() > deadline:
                raise AssertionError(f"{what}: not within {timeout:g}s; calls: {[n for n, _ in self.api.calls]}")
            await asyncio.sleep(0.05)

    # -- events ------------------------------------------------------------------------------------
    def ts(self) -> str:
        return f"{int(time.time())}.{next(self._n):06d}"

    def event_body(self, event: dict[str, Any], event_id: str | None = None) -> str:
        return json.dumps(
            {
                "token": "legacy",
                "team_id": "T1",
                "api_app_id": "A1",
                "type": "event_callback",
                "event_id": event_id or f"Ev{next(self._n)}",
                "event_time": int(time.time()),
                "authorizations": [{"team_id": "T1", "user_id": "UBOT", "is_bot": True}],
                "event": event,
            }
        )

    async def event(self, event: dict[str, Any], event_id: str | None = None, retry: int | None = None) -> int:
        headers = {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"} if retry else {}
        status, _ = await self.send(self.event_body(event, event_id), "application/json", headers)
        return status

    def dm_event(self, user: str, text: str, thread: str | None = None) -> dict[str, Any]:
        event = {
            "type": "message",
            "channel_type": "im",
            "channel": dm(user),
            "user": user,
            "text": text,
            "ts": self.ts(),
            "event_ts": self.ts(),
        }
        return {**event, "thread_ts": thread} if thread else event

    async def dm(self, user: str, text: str, event_id: str | None = None, retry: int | None = None) -> int:
        return await self.event(self.dm_event(user, text), event_id, retry)

    async def mention(self, user: str, channel: str, text: str, ts: str, thread: str | None = None) -> int:
        event = {"type": "app_mention", "channel": channel, "user": user, "text": text, "ts": ts, "event_ts": ts}
        return await self.event({**event, "thread_ts": thread} if thread else event)

    async def channel_message(self, user: str, channel: str, text: str, thread: str | None = None) -> int:
        ts = self.ts()
        event = {
            "type": "message",
            "channel_type": "channel",
            "channel": channel,
            "user": user,
            "text": text,
            "ts": ts,
            "event_ts": ts,
        }
        return await self.event({**event, "thread_ts": thread} if thread else event)

    async def command(self, user: str, text: str, channel: str = "CGENERAL") -> tuple[int, str]:
        form = {
            "token": "legacy",
            "team_id": "T1",
            "channel_id": channel,
            "user_id": user,
            "command": "/request",
            "channel_name": "directmessage" if channel.startswith("D") else "general",
            "text": text,
            "trigger_id": f"trig-cmd-{next(self._n)}",
            "api_app_id": "A1",
            "response_url": "https://hooks.slack.invalid/commands/1",
        }
        return await self.send(urlencode(form), "application/x-www-form-urlencoded")

    async def message_shortcut(self, user: str, text: str, author: str, channel: str = "CGENERAL") -> int:
        payload = {
            "type": "message_action",
            "callback_id": "turn_into_request",
            "trigger_id": f"trig-{next(self._n)}",
            "user": {"id": user},
            "team": {"id": "T1"},
            "channel": {"id": channel, "name": "general"},
            "message": {"type": "message", "user": author, "text": text, "ts": self.ts()},
            "message_ts": self.ts(),
            "response_url": "https://hooks.slack.invalid/1",
        }
        return (await self.interact(payload))[0]

    async def global_shortcut(self, user: str) -> int:
        payload = {
            "type": "shortcut",
            "callback_id": "new_request",
            "trigger_id": f"trig-{next(self._n)}",
            "user": {"id": user},
            "team": {"id": "T1"},
            "action_ts": self.ts(),
        }
        return (await self.interact(payload))[0]

    # -- cards and forms -----------------------------------------------------------------------------
    def posts(self, channel: str) -> list[dict[str, Any]]:
        return [a for a in self.api.named("chat.postMessage") if a["channel"] == channel]

    def texts(self, channel: str) -> list[str]:
        return [a["text"] for a in self.posts(channel)]

    def card(self, channel: str) -> dict[str, Any]:
        """The newest message with buttons posted to a channel."""
        for args in reversed(self.posts(channel)):
            if any(b["type"] == "actions" for b in args["blocks"]):
                return args
        raise AssertionError(f"no card in {channel}: {self.texts(channel)}")

    def buttons(self, channel: str) -> dict[str, dict[str, Any]]:
        return _buttons(self.card(channel)["blocks"])

    async def click(self, user: str, channel: str, action: str, card: dict[str, Any] | None = None) -> int:
        """Press a button of the newest card in `channel` (or of `card`), as `user`; `action` is
        the button's action id."""
        return (await self.interact(self.click_payload(user, channel, action, card)))[0]

    def click_payload(self, user: str, channel: str, action: str, card: dict[str, Any] | None = None) -> dict[str, Any]:
        """The `block_actions` payload Slack sends when `user` presses that button (sent again as
        is, it is Slack's retry of the same press)."""
        card = card or self.card(channel)
        button = _buttons(card["blocks"])[action]
        block = next(b["block_id"] for b in card["blocks"] if b["type"] == "actions" and button in b["elements"])
        message = {
            "ts": card["ts"],
            "text": card["text"],
            **({"thread_ts": card["thread_ts"]} if card.get("thread_ts") else {}),
        }
        payload = {
            "type": "block_actions",
            "user": {"id": user},
            "team": {"id": "T1"},
            "api_app_id": "A1",
            "trigger_id": f"trig-{next(self._n)}",
            "channel": {"id": channel},
            "container": {"type": "message", "message_ts": card["ts"], "channel_id": channel, "is_ephemeral": False},
            "message": message,
            "actions": [{**button, "block_id": block, "action_ts": self.ts()}],
        }
        return payload

    def labelled(self, channel: str, label: str) -> str:
        """The action id of the button labelled `label` on the newest card in `channel`."""
        return next(b["action_id"] for b in self.buttons(channel).values() if b["text"]["text"] == label)

    async def click_home(self, user: str, action: str, request: str | None) -> int:
        view = self.api.named("views.publish")[-1]["view"]
        button = next(
            b
            for blocks in [view["blocks"]]
            for b in _all_buttons(blocks)
            if b["action_id"] == action and json.loads(b["value"]).get("request") == request
        )
        payload = {
            "type": "block_actions",
            "user": {"id": user},
            "team": {"id": "T1"},
            "api_app_id": "A1",
            "trigger_id": f"trig-{next(self._n)}",
            "container": {"type": "view", "view_id": "VHOME"},
            "view": {**view, "id": "VHOME"},
            "actions": [{**button, "action_ts": self.ts()}],
        }
        return (await self.interact(payload))[0]

    def modal(self) -> dict[str, Any]:
        view: dict[str, Any] = self.api.named("views.open")[-1]["view"]
        return view

    async def submit(self, user: str, view: dict[str, Any], state: dict[str, dict[str, Any]]) -> Any:
        """Submit a modal with `state` ({block id: the input's value dict}); the JSON answer, if any."""
        values = {block: {"value": value} for block, value in state.items()}
        payload = {
            "type": "view_submission",
            "team": {"id": "T1"},
            "user": {"id": user},
            "api_app_id": "A1",
            "trigger_id": f"trig-{next(self._n)}",
            "view": {**view, "id": "VMODAL", "hash": "h1", "state": {"values": values}},
        }
        status, text = await self.interact(payload)
        assert status == 200, text
        return json.loads(text) if text else None


class Slack(SlackClient):
    """The client of a Front Door started in this process, whose work after each answer it waits for."""

    def __init__(self, app: App, api: FakeSlackAPI) -> None:
        super().__init__(f"{app.base_url}/slack/events", api)
        self.app = app

    async def quiet(self) -> None:
        """Wait for the work after acknowledgements, then deliver the outbox, until nothing moves."""
        background = self.app.channels["slack"].background  # type: ignore[attr-defined]
        seen = -1
        while True:
            await background.idle()
            await self.app.settle()
            if len(self.api.calls) == seen and not background.busy:
                return
            seen = len(self.api.calls)


def _all_buttons(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [e for b in blocks if b["type"] == "actions" for e in b["elements"]]


def _buttons(blocks: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {b["action_id"]: b for b in _all_buttons(blocks)}


def text_input(value: str) -> dict[str, Any]:
    return {"type": "plain_text_input", "value": value}


def number(value: str) -> dict[str, Any]:
    return {"type": "number_input", "value": value}


def repeated_ids(blocks: list[dict[str, Any]]) -> list[str]:
    """Block ids used twice in one message or view, and action ids used twice in one block (Slack
    refuses both; slack_sdk's models do not check them)."""
    block_ids = [b["block_id"] for b in blocks if b.get("block_id")]
    found = sorted({f"block {i}" for i in block_ids if block_ids.count(i) > 1})
    for block in blocks:
        ids = [e["action_id"] for e in block.get("elements") or () if isinstance(e, dict) and e.get("action_id")]
        found += sorted({f"action {i} in {block.get('block_id')}" for i in ids if ids.count(i) > 1})
    return found


def block_kit_errors(api: FakeSlackAPI) -> list[str]:
    """Every message, modal and Home the bot sent, checked with slack_sdk's models: what they refuse
    (a limit, a missing field) and what they drop (a key Slack does not know); and no id twice."""
    os.environ.setdefault("SLACKCLIENT_SKIP_DEPRECATION", "1")
    from slack_sdk.models.messages.message import Message

    errors = []
    for method, args in api.calls:
        try:
            if method in ("chat.postMessage", "chat.update", "chat.postEphemeral"):
                parsed = Message(text=args["text"], blocks=Block.parse_all(args["blocks"])).to_dict()
                if parsed["blocks"] != args["blocks"] or parsed["text"] != args["text"]:
                    errors.append(f"{method}: blocks changed by the model")
                if not 0 < len(args["blocks"]) <= 50 or len(args["text"]) > 3000:
                    errors.append(f"{method}: {len(args['blocks'])} blocks, text of {len(args['text'])}")
            elif method.startswith("views.") and View(**args["view"]).to_dict() != args["view"]:
                errors.append(f"{method}: view changed by the model")
            blocks = args.get("blocks") or (args.get("view") or {}).get("blocks") or []
            errors += [f"{method}: {repeated} used twice" for repeated in repeated_ids(blocks)]
        except Exception as exc:  # the models raise their own error types for each limit
            errors.append(f"{method}: {type(exc).__name__}: {exc}")
    return errors
