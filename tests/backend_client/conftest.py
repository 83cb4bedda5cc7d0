"""Fixtures over real loopback HTTP: the embedded backend, a callback receiver, a scripted stand-in."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web

from backend_client import SIGNATURE_HEADER, CreateRequest, Decision, DecisionKind, verify
from backend_client.embedded import EmbeddedBackend
from backend_client.signing import verify_webhook
from tests.fakes.loopback import LoopbackServer

SECRET = "s3cret"
TOKEN = "tok"


class Receiver(LoopbackServer):
    """Front Door's `POST /backend/events`: checks signatures, keeps the events, can be down."""

    def __init__(self) -> None:
        super().__init__()
        self.events: list[dict[str, Any]] = []
        self.bad_signatures = 0
        self.down = False
        self.refuse: set[str] = set()
        """Statuses answered 409, as Front Door answers a change the request's life does not allow."""
        self.refused: list[dict[str, Any]] = []

    def routes(self, app: web.Application) -> None:
        app.router.add_post("/backend/events", self.handle)

    @property
    def url(self) -> str:
        return f"{self.address}/backend/events"

    async def handle(self, request: web.Request) -> web.Response:
        body = await request.read()
        if self.down:
            return web.Response(status=503)
        if not verify(body, request.headers.get(SIGNATURE_HEADER), SECRET):
            self.bad_signatures += 1
            return web.Response(status=401)
        verify_webhook(body, request.headers, SECRET)  # both forms are sent; this one has a timestamp
        event = json.loads(body)
        if event["status"] in self.refuse:
            self.refused.append(event)
            return web.json_response({"error": "not a change this request can make"}, status=409)
        self.events.append(event)
        return web.json_response({"ok": True})

    def statuses(self) -> list[tuple[str, str]]:
        return [(e["reference"], e["status"]) for e in self.events]


@dataclass
class Reply:
    status: int
    body: dict[str, Any] | str = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


class Scripted(LoopbackServer):
    """A backend stand-in answering each call with the next scripted reply (the last one repeats)."""

    def __init__(self, *replies: Reply) -> None:
        super().__init__()
        self.replies = list(replies)
        self.calls: list[tuple[str, str, dict[str, str]]] = []

    def routes(self, app: web.Application) -> None:
        app.router.add_route("*", "/{tail:.*}", self.handle)

    async def handle(self, request: web.Request) -> web.Response:
        self.calls.append((request.method, request.raw_path, dict(request.headers)))
        reply = self.replies[min(len(self.calls), len(self.replies)) - 1]
        await asyncio.sleep(reply.delay)
        if isinstance(reply.body, str):
            return web.Response(status=reply.status, text=reply.body, headers=reply.headers)
        return web.json_response(reply.body, status=reply.status, headers=reply.headers)


class Sleeps(list[float]):
    """A `sleep` for the client that records the waits instead of waiting."""

    async def __call__(self, seconds: float) -> None:
        self.append(seconds)


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    recv = Receiver()
    await recv.serve()
    yield recv
    await recv.stop()


@pytest.fixture
async def backend(tmp_path: Path, receiver: Receiver) -> AsyncIterator[EmbeddedBackend]:
    embedded = EmbeddedBackend(str(tmp_path / "backend.db"), TOKEN, receiver.url, SECRET, callback_backoff=0.01)
    await embedded.start()
    yield embedded
    await embedded.stop()


async def scripted(*replies: Reply) -> Scripted:
    server = Scripted(*replies)
    await server.serve()
    return server


def create_body(ref: str = "REQ-1001", approvals: list[str] | None = None) -> CreateRequest:
    return CreateRequest(
        type="purchase_requisition",
        fields={"quantity": 2, "item": "monitor"},
        requester="alice.nguyen@example.org",
        entity="RMC",
        cost_center="CC-4410",
        source={"channel": "local"},
        approvals=["manager"] if approvals is None else approvals,
        reference=ref,
    )


def decision(kind: DecisionKind = "approve", step: str = "manager", comment: str | None = None) -> Decision:
    when = datetime(2025, 3, 4, 9, 30, tzinfo=UTC)
    return Decision(step=step, decision=kind, approver="bob.martin@example.org", comment=comment, decided_at=when)
