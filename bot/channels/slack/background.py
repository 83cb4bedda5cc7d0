"""Work that runs after Slack has its acknowledgement: tracked tasks, errors logged, never lost silently.

Web API calls made by that work (looking a person up, opening a direct message, publishing the
App Home) can be answered `ratelimited`: `patiently` waits for Slack's Retry-After and runs the
work again, so a message read from Slack is not dropped because a lookup was refused for a while.
Running it again is safe: the engine handles an event id once, and the calls before it only read.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from slack_sdk.errors import SlackApiError
from tenacity import RetryCallState, retry_if_exception

from backend_client.retry import honouring_retry_after, retry_after, with_retries

log = logging.getLogger("frontdoor.slack")
ATTEMPTS = 5


def rate_limit_wait(exc: SlackApiError) -> float | None:
    """Seconds Slack asked us to wait (`ratelimited`, HTTP 429: its Retry-After, else 1), else None."""
    response = exc.response
    if response is None or (response.status_code != 429 and response.get("error") != "ratelimited"):
        return None
    headers = {k.lower(): v for k, v in (response.headers or {}).items()}
    value = headers.get("retry-after")
    asked = retry_after(next(iter(value), None) if isinstance(value, list) else value)
    return 1.0 if asked is None else asked


async def patiently(work: Callable[[], Awaitable[None]], what: str, attempts: int = ATTEMPTS) -> None:
    """Run `work`; when Slack rate-limits one of its calls, wait as told and run it again."""

    def waiting(state: RetryCallState) -> None:
        wait = state.next_action.sleep if state.next_action is not None else 0.0
        log.warning("%s: Slack rate-limited a call; trying again in %gs (attempt %d)", what, wait, state.attempt_number)

    await with_retries(
        work,
        attempts=attempts,
        retry=retry_if_exception(lambda exc: _asked(exc) is not None),
        wait=honouring_retry_after(_asked),
        before_sleep=waiting,
    )


def _asked(exc: BaseException) -> float | None:
    """The wait a rate-limited Slack call asks for; None for any other error (not retried)."""
    return rate_limit_wait(exc) if isinstance(exc, SlackApiError) else None


class Background:
    """A set of running tasks: `spawn` starts one, `idle` waits until none is left, `close` cancels."""

    def __init__(self) -> None:
        self._tasks: set[asyncio.Task[None]] = set()

    def spawn(self, work: Coroutine[Any, Any, None], name: str) -> None:
        task = asyncio.get_running_loop().create_task(work, name=f"slack:{name}")
        self._tasks.add(task)
        task.add_done_callback(self._done)

    def _done(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("%s failed", task.get_name(), exc_info=task.exception())

    @property
    def busy(self) -> int:
        return len(self._tasks)

    async def idle(self) -> None:
        """Return once every task (and every task they started) has finished."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    async def close(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*list(self._tasks), return_exceptions=True)
