"""A local stand-in for Slack's Web API (and its Socket Mode endpoint): answers like Slack and
records every call.

`url` is the base URL for the Web API client; `calls` lists (method, arguments) in arrival
order, JSON arguments (`blocks`, `view`) decoded. `fail(method, error)` makes the next call of
a method fail as Slack would (`ratelimited` is answered 429 with Retry-After); `delay` slows a
method down. With Socket Mode, `apps.connections.open` hands out a WebSocket on the same
server and `socket_send` delivers an envelope through it and returns the app's answer.
"""

from __future__ import annotations

import asyncio
import json
from collections import defaultdict
from itertools import count
from typing import Any
from urllib.parse import parse_qsl

from aiohttp import WSMsgType, web

from tests.fakes.loopback import LoopbackServer

JSON_ARGS = ("blocks", "view", "attachments", "metadata")


class FakeSlackAPI(LoopbackServer):
    def __init__(self, users: dict[str, str], bot_user: str = "UBOT") -> None:
        super().__init__()
        self.users = users  # Slack user id → profile email ("" for a profile without one)
        self.bot_user = bot_user
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.tokens: list[tuple[str, str]] = []  # (method, bearer token)
        self.failures: dict[str, list[tuple[str, int, float | None]]] = defaultdict(list)
        self.delay: dict[str, float] = {}
        self.refused: dict[str, str] = {}  # channel → the error every post to it gets (an archived channel…)
        self.socket: web.WebSocketResponse | None = None
        self.socket_ready = asyncio.Event()
        self._acks: dict[str, asyncio.Future[dict[str, Any]]] = {}
        self._ts = count(1)
        self._envelopes = count(1)
        self.url = ""

    def routes(self, app: web.Application) -> None:
        app.router.add_get("/link", self._socket)
        app.router.add_route("*", "/api/{method}", self._handle)

    async def start(self) -> FakeSlackAPI:
        await self.serve()
        self.url = f"{self.address}/api/"
        return self

    async def stop(self) -> None:
        if self.socket is not None:
            await self.socket.close()
        await super().stop()

    # -- what tests read and arrange ------------------------------------------------------------
    def named(self, method: str) -> list[dict[str, Any]]:
        return [args for name, args in self.calls if name == method]

    def card_updates(self) -> list[dict[str, Any]]:
        """`chat.update` calls on approval cards (not on the requester's review card, which is closed
        with its outcome when it is confirmed or cancelled)."""
        return [u for u in self.named("chat.update") if not _is_review(u)]

    def review_updates(self) -> list[dict[str, Any]]:
        return [u for u in self.named("chat.update") if _is_review(u)]

    def fail(self, method: str, error: str, *, status: int = 200, retry_after: float | None = None) -> None:
        """The next call of `method` fails with `error` (then it answers normally again)."""
        self.failures[method].append((error, status, retry_after))

    def refuse(self, channel: str, error: str = "channel_not_found") -> None:
        """Every post to `channel` fails with `error` from now on."""
        self.refused[channel] = error

    def ratelimit(self, method: str, retry_after: float = 1) -> None:
        self.fail(method, "ratelimited", status=429, retry_after=retry_after)

    # -- the Web API ---------------------------------------------------------------------------
    async def _handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        args: dict[str, Any] = dict(request.query)
        raw = await request.text()
        if raw:
            args.update(json.loads(raw) if raw.lstrip().startswith("{") else dict(parse_qsl(raw)))
        for key in JSON_ARGS:
            if isinstance(args.get(key), str):
                args[key] = json.loads(args[key])
        self.tokens.append((method, request.headers.get("Authorization", "").removeprefix("Bearer ")))
        if method in self.delay:
            await asyncio.sleep(self.delay[method])
        if self.failures.get(method):
            error, status, retry_after = self.failures[method].pop(0)
            self.calls.append((f"{method}!{error}", args))
            headers = {"Retry-After": f"{retry_after:g}"} if retry_after is not None else {}
            return web.json_response({"ok": False, "error": error}, status=status, headers=headers)
        if method == "chat.postMessage" and str(args.get("channel")) in self.refused:
            error = self.refused[str(args.get("channel"))]
            self.calls.append((f"{method}!{error}", args))
            return web.json_response({"ok": False, "error": error})
        self.calls.append((method, args))
        answer = self._answer(method, args)
        if method == "chat.postMessage" and answer.get("ts"):
            args["ts"] = answer["ts"]  # the message as it now stands in the channel
        return web.json_response(answer if "ok" in answer else {"ok": True, **answer})

    def _answer(self, method: str, args: dict[str, Any]) -> dict[str, Any]:
        if method == "auth.test":
            return {
                "user_id": self.bot_user,
                "bot_id": "BBOT",
                "team_id": "T1",
                "team": "Front Door Test",
                "url": "https://frontdoor-test.slack.com/",
            }
        if method == "users.info":
            user = str(args.get("user"))
            if user not in self.users:
                return {"ok": False, "error": "user_not_found"}
            return {"user": {"id": user, "profile": {"email": self.users[user]} if self.users[user] else {}}}
        if method == "users.lookupByEmail":
            found = next((uid for uid, email in self.users.items() if email and email == args.get("email")), None)
            return {"user": {"id": found}} if found else {"ok": False, "error": "users_not_found"}
        if method == "conversations.open":
            return {"channel": {"id": "D" + str(args.get("users"))}}
        if method in ("chat.postMessage", "chat.update"):
            ts = args.get("ts") or f"1700000000.{next(self._ts):06d}"
            return {"channel": args.get("channel"), "ts": ts, "message": {"text": args.get("text")}}
        if method in ("conversations.history", "conversations.replies"):
            return {"messages": self._history(args), "has_more": False}
        if method == "chat.postEphemeral":
            return {"message_ts": f"1700000000.{next(self._ts):06d}"}
        if method in ("views.open", "views.publish", "views.update"):
            return {"view": {**(args.get("view") or {}), "id": f"V{len(self.calls)}", "hash": "h"}}
        if method == "apps.connections.open":
            return {"url": f"ws://{self.address.removeprefix('http://')}/link"}
        return {}

    def _history(self, args: dict[str, Any]) -> list[dict[str, Any]]:
        """The conversation's (or thread's) messages, newest first; metadata only when asked for."""
        thread = args.get("ts") if "ts" in args and "channel" in args and args.get("ts") else None
        posted = [
            a
            for name, a in self.calls
            if name == "chat.postMessage" and a.get("channel") == args.get("channel") and a.get("ts")
        ]
        posted = [a for a in posted if (a.get("thread_ts") == thread if thread else not a.get("thread_ts"))]
        with_metadata = str(args.get("include_all_metadata")).lower() in ("true", "1")
        messages = [
            {
                "ts": a["ts"],
                "text": a.get("text"),
                **({"metadata": a["metadata"]} if with_metadata and a.get("metadata") else {}),
            }
            for a in reversed(posted)
        ]
        return messages[: int(args.get("limit") or 100)]

    # -- Socket Mode -----------------------------------------------------------------------------
    async def _socket(self, request: web.Request) -> web.WebSocketResponse:
        socket = web.WebSocketResponse(autoping=True)
        await socket.prepare(request)
        self.socket = socket
        await socket.send_json({"type": "hello", "num_connections": 1, "connection_info": {"app_id": "A1"}})
        self.socket_ready.set()
        async for message in socket:
            if message.type == WSMsgType.TEXT:
                data = json.loads(message.data)
                future = self._acks.pop(str(data.get("envelope_id")), None)
                if future is not None and not future.done():
                    future.set_result(data)
        return socket

    async def socket_send(self, kind: str, payload: dict[str, Any], timeout: float = 5) -> dict[str, Any]:
        """Deliver one envelope (`events_api`, `interactive`, `slash_commands`); the app's acknowledgement."""
        await asyncio.wait_for(self.socket_ready.wait(), timeout)
        assert self.socket is not None
        envelope_id = f"env-{next(self._envelopes)}"
        future: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self._acks[envelope_id] = future
        await self.socket.send_json(
            {
                "envelope_id": envelope_id,
                "type": kind,
                "payload": payload,
                "accepts_response_payload": kind != "events_api",
                "retry_attempt": 0,
            }
        )
        return await asyncio.wait_for(future, timeout)


def _is_review(update: dict[str, Any]) -> bool:
    headers = [b["text"]["text"] for b in update.get("blocks") or [] if b.get("type") == "header"]
    return any(h.startswith("Review: ") for h in headers)
