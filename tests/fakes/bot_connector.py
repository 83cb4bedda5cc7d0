"""Local stand-ins for Microsoft's side of a Teams bot.

`FakeConnector` is the Bot Framework connector service (what an activity's `serviceUrl` names).
It serves the REST calls a bot makes, under a path like Teams' regional service URLs, and
records each: messages sent (`send`, `reply`), updates (`update`, PUT), personal chats opened
(`create`), member and roster look-ups. It refuses messages over Teams' size limit (413) and can
throttle (429 with Retry-After) writes and reads.

`FakeIdentity` is Bot Framework authentication: the channel's OpenID metadata and signing keys
(login.botframework.com), a signer of activity tokens as the Bot Framework sends them, and
Microsoft Entra ID's token endpoint where the bot gets its own token (login.microsoftonline.com).
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from itertools import count
from typing import Any, Self

import jwt
from aiohttp import web
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

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
        return {
            "id": user_id,
            "name": self.name or self.email,
            "aadObjectId": self.aad or f"aad-{user_id}",
            "email": self.email,
            "userPrincipalName": self.email,
            "tenantId": "tenant-1",
            "userRole": "user",
        }


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
    """How many of the next writes (send, update, create) are answered 429."""
    throttle_reads: int = 0
    """How many of the next member and roster look-ups are answered 429."""
    retry_after: str = "1"
    max_bytes: int = MAX_MESSAGE_BYTES
    """Messages and updates larger than this are refused with 413."""
    page_size: int = 2
    url: str = ""
    removed: set[str] = field(default_factory=set)
    """Conversations the bot was removed from: sending there is refused with 403."""

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

    async def start(self) -> Self:
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

    def updated(self, conversation: str | None = None) -> list[dict[str, Any]]:
        """Every update (PUT), or those of one conversation's messages."""
        return [c.body for c in self.of("update") if conversation in (None, c.conversation)]

    def cards(self) -> list[dict[str, Any]]:
        """Every Adaptive Card sent or updated."""
        return [a["content"] for c in self.of("send", "reply", "update") for a in c.body.get("attachments") or ()]

    # -- the service ----------------------------------------------------------------------------------
    def _record(self, op: str, request: web.Request, body: Any = None) -> Call:
        call = Call(
            op,
            request.match_info.get("conversation", ""),
            body,
            request.headers.get("Authorization", ""),
            request.match_info.get("activity", ""),
        )
        self.calls.append(call)
        return call

    def _throttled(self, request: web.Request, *, read: bool = False) -> web.Response | None:
        if (self.throttle_reads if read else self.throttle_next) <= 0:
            return None
        if read:
            self.throttle_reads -= 1
        else:
            self.throttle_next -= 1
        self._record("throttled", request)
        headers = {"Retry-After": self.retry_after}
        return web.json_response({"error": {"code": "Throttled"}}, status=429, headers=headers)

    def _too_large(self, request: web.Request) -> web.Response:
        self._record("too_large", request)
        return web.json_response({"error": {"code": "MessageSizeTooBig"}}, status=413)

    async def _send(self, request: web.Request) -> web.Response:
        raw = await request.read()
        if (throttled := self._throttled(request)) is not None:
            return throttled
        if len(raw) > self.max_bytes:
            return self._too_large(request)
        if request.match_info.get("conversation", "") in self.removed:
            self._record("forbidden", request)
            return web.json_response({"error": {"code": "BotNotInConversationRoster"}}, status=403)
        self._record("reply" if "activity" in request.match_info else "send", request, json.loads(raw))
        return web.json_response({"id": f"msg-{next(self._ids)}"}, status=201)

    async def _update(self, request: web.Request) -> web.Response:
        if (throttled := self._throttled(request)) is not None:
            return throttled
        raw = await request.read()
        if len(raw) > self.max_bytes:
            return self._too_large(request)
        self._record("update", request, json.loads(raw))
        return web.json_response({"id": request.match_info["activity"]})

    async def _create(self, request: web.Request) -> web.Response:
        if (throttled := self._throttled(request)) is not None:
            return throttled
        body = await request.json()
        self._record("create", request, body)
        user = body["members"][0]["id"]
        return web.json_response({"id": f"a:{user}", "activityId": None}, status=201)

    async def _member(self, request: web.Request) -> web.Response:
        if (throttled := self._throttled(request, read=True)) is not None:
            return throttled
        self._record("member", request)
        user = request.match_info["member"]
        if user not in self.members:
            return web.json_response({"error": {"code": "MemberNotFoundInConversation"}}, status=404)
        return web.json_response(self.members[user].as_json(user))

    async def _roster(self, request: web.Request) -> web.Response:
        if (throttled := self._throttled(request, read=True)) is not None:
            return throttled
        self._record("roster", request)
        team = request.match_info["conversation"]
        everyone = [uid for uid, m in self.members.items() if team in m.teams]
        start = int(request.query.get("continuationToken") or 0)
        size = min(int(request.query.get("pageSize") or 500), self.page_size)
        page = everyone[start : start + size]
        more = {"continuationToken": str(start + size)} if start + size < len(everyone) else {}
        return web.json_response({"members": [self.members[u].as_json(u) for u in page], **more})


CHANNEL_ISSUER = "https://api.botframework.com"
SCOPE = "https://api.botframework.com/.default"


@dataclass
class FakeIdentity(LoopbackServer):
    """Bot Framework authentication, both ways. Point the bot at it with `metadata_url` (the OpenID
    metadata of the channel's tokens) and `address` (the Entra ID login host); `sign` makes the
    token the Bot Framework puts on an activity."""

    app_id: str
    password: str
    key_id: str = "bf-key-1"
    keys_down: bool = False
    """Answer 503 for the metadata and the keys."""
    served: list[str] = field(default_factory=list)
    """Paths of the metadata and key requests, in order."""
    token_requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    """(tenant in the path, form) of each token request."""

    def __post_init__(self) -> None:
        super().__init__()
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self._tokens = count(1)

    @property
    def metadata_url(self) -> str:
        return f"{self.address}/v1/.well-known/openidconfiguration"

    def routes(self, app: web.Application) -> None:
        app.router.add_get("/v1/.well-known/openidconfiguration", self._metadata)
        app.router.add_get("/v1/.well-known/keys", self._keys)
        app.router.add_post("/{tenant}/oauth2/v2.0/token", self._token)

    async def start(self) -> Self:
        await self.serve()
        return self

    def sign(
        self, service_url: str, *, key: rsa.RSAPrivateKey | None = None, key_id: str | None = None, **claims: Any
    ) -> str:
        """An activity's token as the Bot Framework issues it for this bot and `service_url`."""
        now = int(time.time())
        body = {
            "iss": CHANNEL_ISSUER,
            "aud": self.app_id,
            "serviceurl": service_url,
            "nbf": now - 60,
            "iat": now - 60,
            "exp": now + 3600,
            **claims,
        }
        return jwt.encode(body, key or self.key, algorithm="RS256", headers={"kid": key_id or self.key_id})

    async def _metadata(self, request: web.Request) -> web.Response:
        self.served.append(request.path)
        if self.keys_down:
            return web.json_response({"error": "unavailable"}, status=503)
        return web.json_response(
            {
                "issuer": CHANNEL_ISSUER,
                "jwks_uri": f"{self.address}/v1/.well-known/keys",
                "id_token_signing_alg_values_supported": ["RS256"],
                "token_endpoint_auth_methods_supported": ["private_key_jwt"],
            }
        )

    async def _keys(self, request: web.Request) -> web.Response:
        self.served.append(request.path)
        if self.keys_down:
            return web.json_response({"error": "unavailable"}, status=503)
        jwk = {
            **json.loads(RSAAlgorithm.to_jwk(self.key.public_key())),
            "kid": self.key_id,
            "use": "sig",
            "endorsements": ["msteams", "emulator", "webchat"],
        }
        return web.json_response({"keys": [jwk]})

    async def _token(self, request: web.Request) -> web.Response:
        form = {k: str(v) for k, v in (await request.post()).items()}
        self.token_requests.append((request.match_info["tenant"], form))
        if form.get("grant_type") != "client_credentials" or form.get("scope") != SCOPE:
            return web.json_response({"error": "invalid_request"}, status=400)
        if form.get("client_id") != self.app_id or form.get("client_secret") != self.password:
            return web.json_response({"error": "invalid_client"}, status=401)
        return web.json_response(
            {
                "token_type": "Bearer",
                "expires_in": 3599,
                "ext_expires_in": 3599,
                "access_token": f"bot-token-{next(self._tokens)}",
            }
        )
