"""Delivery of the embedded backend's status callbacks: signed, in order, retried with back-off.

Callbacks wait in the store, so a restart resumes where delivery stopped. One sender posts
them oldest first and does not move past one until it is delivered or given up, which keeps
each request's events in order.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import logging
from functools import partial

from aiohttp import ClientError, ClientSession, ClientTimeout
from tenacity import RetryCallState, retry_if_result

from backend_client.embedded.store import BackendStore
from backend_client.retry import exponential, with_retries
from backend_client.signing import SIGNATURE_HEADER, sign, webhook_headers

log = logging.getLogger("frontdoor.backend.embedded")


class CallbackSender:
    """Posts queued callbacks to `url`; up to `attempts` tries each, waiting `backoff * 2**n` (capped)."""

    def __init__(
        self,
        store: BackendStore,
        url: str | None,
        secret: str,
        *,
        attempts: int = 8,
        backoff: float = 0.05,
        max_backoff: float = 2.0,
        timeout: float = 5.0,
    ) -> None:
        self.store, self.url, self.secret = store, url, secret
        self.attempts, self.backoff, self.max_backoff, self.timeout = attempts, backoff, max_backoff, timeout
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="embedded-backend-callbacks")
        self.wake()

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    def wake(self) -> None:
        """Look for new callbacks now."""
        self._wake.set()

    async def _run(self) -> None:
        async with ClientSession(timeout=ClientTimeout(total=self.timeout)) as http:
            while True:
                await self._wake.wait()
                self._wake.clear()
                await self._drain(http)

    async def _drain(self, http: ClientSession) -> None:
        while (queued := self.store.next_callback()) is not None:
            seq, body = queued
            attempts = await with_retries(
                partial(self._attempt, http, seq, body),
                attempts=self.attempts,
                # the store's count decides, since it goes on after a restart
                retry=retry_if_result(lambda failed: failed is not None and failed < self.attempts),
                wait=self._wait,
            )
            if attempts is not None:
                log.warning("status callback given up after %d attempts", attempts, extra={"seq": seq})
                self.store.give_up(seq)

    async def _attempt(self, http: ClientSession, seq: int, body: bytes) -> int | None:
        """One try at a callback: None when done with it, else how many attempts have failed."""
        outcome = await self._post(http, body)
        if outcome == "delivered":
            self.store.callback_delivered(seq)
            return None
        if outcome == "refused":  # for good (malformed, out of order): retrying would hold up the rest
            self.store.give_up(seq)
            return None
        return self.store.callback_failed(seq)

    def _wait(self, state: RetryCallState) -> float:
        """`backoff * 2**(n - 1)` after the n-th failed attempt (the store's count), at most `max_backoff`."""
        failed: int = state.outcome.result() if state.outcome is not None else 1
        return exponential(failed - 1, self.backoff, self.max_backoff)

    async def _post(self, http: ClientSession, body: bytes) -> str:
        """delivered; refused (a 4xx but 401, 403, 408 and 429: sending it again cannot help); or retry."""
        if not self.url:
            return "delivered"  # nobody to tell
        headers = {
            "Content-Type": "application/json",
            SIGNATURE_HEADER: sign(body, self.secret),
            **webhook_headers(body, self.secret, _event_id(body)),
        }
        try:
            async with http.post(self.url, data=body, headers=headers) as answer:
                if 400 <= answer.status < 500 and answer.status not in (401, 403, 408, 429):
                    log.warning("status callback refused with %d: %s", answer.status, (await answer.text())[:200])
                    return "refused"
                return "delivered" if answer.status < 300 else "retry"
        except (ClientError, OSError, TimeoutError):
            return "retry"


def _event_id(body: bytes) -> str:
    """The callback's event id, which is also its Standard Webhooks message id."""
    try:
        return str(json.loads(body)["event_id"])
    except (ValueError, KeyError, TypeError):
        return hashlib.sha256(body).hexdigest()[:32]
