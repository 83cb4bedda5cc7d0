"""A local stand-in for the Bot Framework connector service (what an activity's `serviceUrl` names).

It serves the REST calls a bot makes, under a path like Teams' regional service URLs, and
records each: messages sent (`send`, `reply`), updates (`update`, PUT), personal chats opened
(`create`), member and roster look-ups. It refuses messages over Teams' size limit (413) and can
throttle (429 with Retry-After).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from itertools import count
from typing import Any

from aiohttp import web

from tests.fakes.loopback import LoopbackServer

MAX_MESSAGE_BYTES = 28_000
PREFIX = "/amer/tenant-1"


@dataclass
class Member:
    """A Teams user as the connector describes them."""

    email: str
    name: str = ""
    aad: str = ""
    teams: tuple[str, ...] = ()

    def as_json(self, user_id: str) -> dict[str, Any]:
        return {"id": user_id, "name": self.name or self.email, "aadObjectId": self.aad or f"aad-{user_id}",
                "email": self.email, "userPrincipalName": self.email, "tenantId": "tenant-1",
                "userRole": "user"}  # fmt: skip


@dataclass
class Call:
    op: str
    conversation: str
    body: Any = None
    authorization: str = ""
    activity_id: str = ""


@dataclass
class FakeConnector(LoopbackServer):
    """`url` is the serviceUrl to put in activities; `calls` lists what the bot asked for."""

    members: dict[str, Member] = field(default_factory=dict)
    calls: list[Call] = field(default_factory=list)
    throttle_next: int = 0
    page_size: int = 2
    url: str = ""

    def __post_init__(self) -> None:
        super().__init__()
        self._ids = count(1)

    def routes(self, app: web.Application) -> None:
        base = f"{PREFIX}/v3/conversations"
        app.router.add_post(base, self._create)
        app.router.add_post(base + "/{conversation}/activities", self._send)
        app.router.add_post(base + "/{conversation}/activities/{activity}", self._send)
        app.router.add_put(base + "/{conversation}/activities/{activity}", self._update)
        app.router.add_get(base + "/{conversation}/members/{member}", self._member)
        app.router.add_get(base + "/{conversation}/pagedmembers", self._roster)

    async def start(self) -> FakeConnector:
        await self.serve()
        self.url = f"{self.address}{PREFIX}/"
        return self

    # -- what the tests read ------------------------------------------------------------------------
    def of(self, *ops: str) -> list[Call]:
        return [c for c in self.calls if c.op in ops]

    def posted(self, conversation: str) -> list[dict[str, Any]]:
        return [c.body for c in self.of("send", "reply") if c.conversation == conversation]

    def texts(self, conversation: str) -> list[str]:
        return [str(b.get("text", "")) for b in self.posted(conversation)]

    def updated(self) -> list[dict[str, Any]]:
        return [c.body for c in self.of("update")]

    def cards(self) -> list[dict[str, Any]]:
        """Every Adaptive Card sent or updated."""
        return [a["content"] for c in self.of("send", "reply", "update") for a in c.body.get("attachments") or ()]

    # -- the service ----------------------------------------------------------------------------------
    def _record(self, op: str, request: web.Request, body: Any = None) -> Call:
        call = Call(op, request.match_info.get("conversation", ""), body, request.headers.get("Authorization", ""),
                    request.match_info.get("activity", ""))  # fmt: skip
        self.calls.append(call)
        return call

    async def _send(self, request: web.Request) -> web.Response:
        raw = await request.read()
        if self.throttle_next > 0:
            self.throttle_next -= 1
            self._record("throttled", request)
            return web.json_response({"error": {"code": "Throttled"}}, status=429, headers={"Retry-After": "1"})
        if len(raw) > MAX_MESSAGE_BYTES:
            self._record("too_large", request)
            return web.json_response({"error": {"code": "MessageSizeTooBig"}}, status=413)
        self._record("reply" if "activity" in request.match_info else "send", request, json.loads(raw))
        return web.json_response({"id": f"msg-{next(self._ids)}"}, status=201)

    async def _update(self, request: web.Request) -> web.Response:
        self._record("update", request, await request.json())
        return web.json_response({"id": request.match_info["activity"]})

    async def _create(self, request: web.Request) -> web.Response:
        body = await request.json()
        self._record("create", request, body)
        user = body["members"][0]["id"]
        return web.json_response({"id": f"a:{user}", "activityId": None}, status=201)

    async def _member(self, request: web.Request) -> web.Response:
        self._record("member", request)
        user = request.match_info["member"]
        if user not in self.members:
            return web.json_response({"error": {"code": "MemberNotFoundInConversation"}}, status=404)
        return web.json_response(self.members[user].as_json(user))

    async def _roster(self, request: web.Request) -> web.Response:
        self._record("roster", request)
        team = request.match_info["conversation"]
        everyone = [uid for uid, m in self.members.items() if team in m.teams]
        start = int(request.query.get("continuationToken") or 0)
        size = min(int(request.query.get("pageSize") or 500), self.page_size)
        page = everyone[start : start + size]
        more = {"continuationToken": str(start + size)} if start + size < len(everyone) else {}
        return web.json_response({"members": [self.members[u].as_json(u) for u in page], **more})
