"""The embedded reference backend: the backend contract over HTTP (aiohttp), with its own store.

It records requests (idempotent by `Idempotency-Key`) and decisions; a request whose every
approval step is approved (or that needs none) goes to in_progress, then, after
`fulfil_delay`, to fulfilled; a rejection ends it as rejected. Each change is queued as a
signed status callback (see `callbacks.py`).
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import hmac
import uuid
from collections import Counter
from datetime import UTC, datetime
from typing import Any

from aiohttp import web
from aiohttp.typedefs import Handler

from backend_client.embedded.callbacks import CallbackSender
from backend_client.embedded.idempotency import Accepted, accept, error, remember
from backend_client.embedded.store import BackendStore
from backend_client.models import Cancellation, CreateRequest, Decision, RequestStatus, StatusEvent

FINISHED = frozenset({"fulfilled", "failed", "rejected"})
STARTED = frozenset({"in_progress"})
"""Work has started: a cancel is refused (409), unless the backend lets work be stopped."""


def _now() -> str:
    return datetime.now(UTC).isoformat()


class EmbeddedBackend:
    """A small orchestration backend for the default set-up, demos and tests.

    `db_path` is its own SQLite file (or ":memory:"); `token`, when set, is the bearer token
    callers must send; callbacks go to `callback_url`, signed with `callback_secret`. A cancel is
    refused (409) once the work has started, as a service team would, unless `cancel_while_working`.
    """

    def __init__(
        self,
        db_path: str,
        token: str | None,
        callback_url: str | None,
        callback_secret: str,
        *,
        fulfil_delay: float = 0.0,
        callback_attempts: int = 8,
        callback_backoff: float = 0.05,
        cancel_while_working: bool = False,
    ) -> None:
        self.store = BackendStore(db_path)
        self.token = token
        self.fulfil_delay = fulfil_delay
        self.cancel_while_working = cancel_while_working  # else a cancel is refused once work has started
        self.callbacks = CallbackSender(
            self.store, callback_url, callback_secret, attempts=callback_attempts, backoff=callback_backoff
        )
        self.hits: Counter[str] = Counter()  # "POST /requests" -> calls received, for drills and tests
        self.url = ""
        self._drill: tuple[int, int, float | None] = (0, 503, None)
        self._runner: web.AppRunner | None = None
        self._timers: dict[str, asyncio.Task[None]] = {}  # request id -> its pending fulfilment

    # -- lifecycle ----------------------------------------------------------------------------
    def app(self) -> web.Application:
        """The aiohttp application serving the contract."""
        app = web.Application(middlewares=[self._count, self._auth])
        app.router.add_get("/healthz", self._healthz)
        app.router.add_post("/requests", self._create)
        app.router.add_get("/requests/{id}", self._get)
        app.router.add_post("/requests/{id}/decisions", self._decide)
        app.router.add_post("/requests/{id}/cancel", self._cancel)
        return app

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        """Serve on host:port (0 picks a free port); the base URL. Restarting after `stop()` works."""
        if self._runner is not None:
            return self.url
        if self.store.closed:
            self.store.reopen()
        runner = web.AppRunner(self.app(), access_log=None)
        await runner.setup()
        await web.TCPSite(runner, host, port).start()
        self._runner = runner
        shown = f"[{host}]" if ":" in host else host
        self.url = f"http://{shown}:{runner.addresses[0][1]}"
        self.callbacks.start()
        for request_id in self.store.with_status("in_progress"):  # work interrupted by a stop
            self._finish_later(request_id)
        return self.url

    async def stop(self) -> None:
        """Stop serving and close the store; queued callbacks wait in the file for the next start."""
        for timer in list(self._timers.values()):
            timer.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await timer
        self._timers.clear()
        await self.callbacks.stop()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        if not self.store.closed:
            self.store.close()

    async def settle(self, timeout: float = 5.0) -> bool:
        """Wait until every queued callback is delivered or given up and no fulfilment is pending.

        False when `timeout` passed first; True at once when the backend is stopped."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while self._runner is not None and (self._timers or self.store.pending_callbacks()):
            if loop.time() >= deadline:
                return False
            self.callbacks.wake()
            await asyncio.sleep(0.005)
        return True

    def fail_next(self, count: int, *, status: int = 503, retry_after: float | None = None) -> None:
        """Answer the next `count` POST /requests with `status` (outage drills), with Retry-After if given."""
        self._drill = (count, status, retry_after)

    def fail_request(self, request_id: str, reason: str) -> bool:
        """End an unfinished request as failed with `reason`, as a service team would; whether it changed."""
        with self.store.transaction():
            if self._status(request_id) not in ("received", "in_progress"):
                return False
            self._change(request_id, "failed", reason)
        return True

    # -- middleware ---------------------------------------------------------------------------
    @web.middleware
    async def _count(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        resource = request.match_info.route.resource
        self.hits[f"{request.method} {resource.canonical if resource else request.path}"] += 1
        return await handler(request)

    @web.middleware
    async def _auth(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        if self.token and request.path != "/healthz":
            sent = request.headers.get("Authorization", "").encode()
            if not hmac.compare_digest(sent, f"Bearer {self.token}".encode()):
                return error(401, "missing or wrong bearer token")
        return await handler(request)

    # -- routes -------------------------------------------------------------------------------
    async def _healthz(self, _request: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})

    async def _create(self, request: web.Request) -> web.Response:
        drill = self._drilled()
        if drill is not None:
            return drill
        call = accept(self.store, request, await request.read(), CreateRequest)
        if isinstance(call, web.Response):
            return call
        with self.store.transaction():
            request_id = self.store.add_request(call.body, _now())
            answer = {
                "id": request_id,
                "status": "received",
                "reference": call.body["reference"],
                "type": call.body["type"],
            }
            remember(self.store, request, call, 201, answer)
            if not call.body["approvals"]:
                self._change(request_id, "in_progress", None)
        if not call.body["approvals"]:
            self._finish_later(request_id)
        return web.json_response(answer, status=201)

    async def _get(self, request: web.Request) -> web.Response:
        found = self.store.request(request.match_info["id"])
        if found is None:
            return error(404, "no such request")
        return web.json_response({**found.pop("body"), **found})

    async def _on_request(
        self, request: web.Request, model: Any, *, key_required: bool = True
    ) -> tuple[Accepted, str, dict[str, Any]] | web.Response:
        """A call about one request: the accepted body, the request's id and the request, or the answer
        that refuses it (bad body, replayed key, unknown request)."""
        call = accept(self.store, request, await request.read(), model, key_required=key_required)
        if isinstance(call, web.Response):
            return call
        request_id = request.match_info["id"]
        found = self.store.request(request_id)
        if found is None:
            return error(404, "no such request")
        return call, request_id, found

    async def _decide(self, request: web.Request) -> web.Response:
        accepted = await self._on_request(request, Decision)
        if isinstance(accepted, web.Response):
            return accepted
        call, request_id, found = accepted
        with self.store.transaction():
            self.store.add_decision(request_id, call.body)
            started = self._apply(found, call.body)
            answer = {"id": request_id, "recorded": True, "status": self._status(request_id)}
            remember(self.store, request, call, 200, answer)
        if started:
            self._finish_later(request_id)
        return web.json_response(answer)

    async def _cancel(self, request: web.Request) -> web.Response:
        accepted = await self._on_request(request, Cancellation, key_required=False)
        if isinstance(accepted, web.Response):
            return accepted
        call, request_id, found = accepted
        if found["status"] in FINISHED:
            return error(409, f"request is already {found['status']}", status=found["status"])
        if found["status"] in STARTED and not self.cancel_while_working:
            return error(409, "work on the request has already started", status=found["status"])
        answer = {"id": request_id, "status": "cancelled"}
        with self.store.transaction():
            if found["status"] != "cancelled":
                self._change(request_id, "cancelled", call.body.get("reason"))
            remember(self.store, request, call, 200, answer)
        return web.json_response(answer)

    def _drilled(self) -> web.Response | None:
        count, status, retry_after = self._drill
        if count <= 0:
            return None
        self._drill = (count - 1, status, retry_after)
        headers = {"Retry-After": f"{retry_after:g}"} if retry_after is not None else None
        return web.json_response({"error": "backend unavailable (drill)"}, status=status, headers=headers)

    # -- progress -----------------------------------------------------------------------------
    def _status(self, request_id: str) -> str:
        found = self.store.request(request_id)
        return str(found["status"]) if found else ""

    def _apply(self, found: dict[str, Any], decision: dict[str, Any]) -> bool:
        """Move a received request on after a decision; whether its work started."""
        if found["status"] != "received":
            return False
        if decision["decision"] == "reject":
            self._change(found["id"], "rejected", decision.get("comment"))
            return False
        if decision["decision"] != "approve":
            return False
        if not set(found["body"]["approvals"]) <= self.store.approved_steps(found["id"]):
            return False
        self._change(found["id"], "in_progress", None)
        return True

    def _finish_later(self, request_id: str) -> None:
        if self.fulfil_delay <= 0:
            self._fulfil(request_id)
            return
        timer = asyncio.create_task(self._fulfil_after_delay(request_id))
        self._timers[request_id] = timer
        timer.add_done_callback(functools.partial(self._forget_timer, request_id))

    def _forget_timer(self, request_id: str, done: asyncio.Task[None]) -> None:
        if self._timers.get(request_id) is done:
            del self._timers[request_id]

    async def _fulfil_after_delay(self, request_id: str) -> None:
        await asyncio.sleep(self.fulfil_delay)
        self._fulfil(request_id)

    def _fulfil(self, request_id: str) -> None:
        with self.store.transaction():
            if self._status(request_id) == "in_progress":  # not cancelled meanwhile
                self._change(request_id, "fulfilled", None)

    def _change(self, request_id: str, status: RequestStatus, reason: str | None) -> None:
        """Record a status change and queue its callback (inside the caller's transaction)."""
        found = self.store.request(request_id)
        event = StatusEvent(
            request_id=request_id,
            reference=found["reference"] if found else "",
            status=status,
            reason=reason,
            at=datetime.now(UTC),
            event_id=uuid.uuid4().hex,
        ).model_dump(mode="json")
        self.store.set_status(request_id, status, reason, event["at"])
        self.store.queue_callback(event["event_id"], event)
        self.callbacks.wake()
        if status in ("cancelled", "failed") and request_id in self._timers:
            self._timers.pop(request_id).cancel()  # the work stops
