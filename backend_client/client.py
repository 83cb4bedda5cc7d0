"""The async client for the orchestration backend, on httpx.

Every call that changes something carries an `Idempotency-Key`, so a retry (ours, or the
outbox's after a crash) never does it twice. Retries follow `retry.py`: only network errors,
time-outs, 5xx, 408 and 429 are tried again; any other 4xx raises at once. `observe`, when
given, is told how long each attempt took (the caller's latency metric), answered or not.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from types import TracebackType
from typing import Any, TypeVar
from urllib.parse import quote

import httpx
from pydantic import BaseModel, ValidationError
from tenacity import retry_if_exception_type

from backend_client.errors import BackendAuthError, BackendRejected, BackendUnavailable
from backend_client.models import BackendRequest, Cancellation, CreateRequest, Decision
from backend_client.retry import (
    MAX_BACKOFF,
    backing_off,
    honouring_retry_after,
    is_retryable,
    requested_wait,
    with_retries,
)

Model = TypeVar("Model", bound=BaseModel)
Sleep = Callable[[float], Awaitable[None]]
Observe = Callable[[str, float], None]
"""Told the operation (create, get, decision, cancel, health) and the seconds of one attempt."""


class BackendClient:
    """`create_request`, `get_request`, `post_decision`, `cancel` and `health` of one backend.

    `retries` is the number of extra attempts after the first; `backoff` the base of the
    exponential back-off in seconds. `transport` and `sleep` are seams for tests; `observe` is
    told the seconds of each attempt.
    """

    def __init__(
        self,
        base_url: str,
        token: str | None,
        *,
        timeout: float = 5.0,
        retries: int = 3,
        backoff: float = 0.2,
        transport: httpx.AsyncBaseTransport | None = None,
        sleep: Sleep = asyncio.sleep,
        observe: Observe | None = None,
    ) -> None:
        headers = {"Accept": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        self._http = httpx.AsyncClient(
            base_url=base_url.rstrip("/"), headers=headers, timeout=timeout, transport=transport
        )
        self.retries = retries
        self.backoff = backoff
        self._sleep = sleep
        self._observe = observe

    async def __aenter__(self) -> BackendClient:
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the connection pool."""
        await self._http.aclose()

    async def create_request(self, request: CreateRequest, idempotency_key: str) -> BackendRequest:
        """Submit a request; the same key again answers the same request and creates nothing."""
        answer = await self._send("create", "POST", "/requests", request, idempotency_key)
        return _read(BackendRequest, answer)

    async def get_request(self, request_id: str) -> BackendRequest:
        """A request with its status, decisions and history."""
        answer = await self._send("get", "GET", f"/requests/{quote(request_id, safe='')}")
        return _read(BackendRequest, answer)

    async def post_decision(self, request_id: str, decision: Decision, idempotency_key: str) -> None:
        """Record one approval step's decision."""
        path = f"/requests/{quote(request_id, safe='')}/decisions"
        await self._send("decision", "POST", path, decision, idempotency_key)

    async def cancel(self, request_id: str, reason: str | None, idempotency_key: str) -> None:
        """Cancel a request (refused with 409 once it is fulfilled)."""
        body = Cancellation(reason=reason)
        await self._send("cancel", "POST", f"/requests/{quote(request_id, safe='')}/cancel", body, idempotency_key)

    async def health(self) -> bool:
        """Whether the backend answers `GET /healthz` with 200 (one attempt, no retries)."""
        started = time.perf_counter()
        try:
            answer = await self._http.get("/healthz")
        except httpx.HTTPError:
            return False
        finally:
            self._took("health", started)
        return answer.status_code == 200

    def _took(self, op: str, started: float) -> None:
        if self._observe is not None:
            self._observe(op, time.perf_counter() - started)

    async def _send(
        self,
        op: str,
        method: str,
        path: str,
        body: BaseModel | None = None,
        idempotency_key: str | None = None,
    ) -> httpx.Response:
        """The first successful answer; a permanent refusal raises at once, the rest are retried."""
        headers = {"Idempotency-Key": idempotency_key} if idempotency_key else {}
        payload: Any = body.model_dump(mode="json") if body is not None else None

        async def once() -> httpx.Response:
            started = time.perf_counter()
            try:
                answer = await self._http.request(method, path, json=payload, headers=headers)
            except httpx.TransportError as exc:  # connection refused or reset, time-outs, protocol errors
                raise _Failed(f"{type(exc).__name__}: {exc}") from exc
            finally:
                self._took(op, started)
            if answer.is_success:
                return answer
            _raise_if_permanent(answer)
            raise _Failed(f"{answer.status_code}: {answer.text[:200]}", answer.status_code, requested_wait(answer))

        attempts = self.retries + 1
        try:
            return await with_retries(
                once,
                attempts=attempts,
                retry=retry_if_exception_type(_Failed),
                wait=honouring_retry_after(_asked, backing_off(self.backoff, MAX_BACKOFF, jitter=True)),
                sleep=self._sleep,
            )
        except _Failed as last:
            failure = f"{method} {path} failed after {attempts} attempts ({last.failure})"
            raise BackendUnavailable(failure, attempts=attempts, status=last.status) from None


class _Failed(Exception):
    """An attempt that may succeed if made again: why it failed, the status when the backend
    answered, and the wait its `Retry-After` asked for."""

    def __init__(self, failure: str, status: int | None = None, asked: float | None = None) -> None:
        super().__init__(failure)
        self.failure, self.status, self.asked = failure, status, asked


def _asked(error: BaseException) -> float | None:
    return error.asked if isinstance(error, _Failed) else None


def _raise_if_permanent(answer: httpx.Response) -> None:
    if is_retryable(answer.status_code):
        return
    error = BackendAuthError if answer.status_code in (401, 403) else BackendRejected
    raise error(answer.status_code, answer.text)


def _read(model: type[Model], answer: httpx.Response) -> Model:
    """The answer as `model`; an unreadable one counts as unavailable (resending is safe)."""
    try:
        return model.model_validate_json(answer.content)
    except ValidationError as exc:
        raise BackendUnavailable(f"unreadable answer from the backend: {exc.errors()[0]['msg']}") from exc
