"""Delivery of the embedded backend's status callbacks: signed, in order, retried with back-off.

Callbacks wait in the store, so a restart resumes where delivery stopped. One sender posts
them oldest first and does not move past one until it is delivered or given up, which keeps
each request's events in order.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from aiohttp import ClientError, ClientSession, ClientTimeout

from backend_client.embedded.store import BackendStore
from backend_client.signing import SIGNATURE_HEADER, sign

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
            if await self._post(http, body):
                self.store.callback_delivered(seq)
                continue
            attempts = self.store.callback_failed(seq)
            if attempts >= self.attempts:
                log.warning("status callback given up after %d attempts", attempts, extra={"seq": seq})
                self.store.give_up(seq)
            else:
                await asyncio.sleep(min(self.max_backoff, self.backoff * 2 ** (attempts - 1)))

    async def _post(self, http: ClientSession, body: bytes) -> bool:
        if not self.url:
            return True  # nobody to tell
        headers = {"Content-Type": "application/json", SIGNATURE_HEADER: sign(body, self.secret)}
        try:
            async with http.post(self.url, data=body, headers=headers) as answer:
                return answer.status < 300
        except (ClientError, OSError, TimeoutError):
            return False
