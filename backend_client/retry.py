"""Front Door's one retry policy: how long to wait before trying again, and what `Retry-After` means.

Every retry made within the process (the backend client's calls, the embedded backend's status
callbacks, Slack and Teams calls, Slack's Socket Mode connection) runs on tenacity with the waits
below, so back-off is written once and a server's `Retry-After` is read once. A wait is
exponential back-off (`base * 2**n`, capped), with full jitter where many clients could fail
together, unless the server said how long to wait: that is obeyed, up to the caller's cap. The
outbox's retries outlive the process, so their next attempt is stored in the database rather than
slept here; its delay is the same `full_jitter` formula.

It lives in `backend_client` because that package imports nothing of the bot: the bot may import
it, never the other way round.

The backend client's own rules: only network errors, time-outs, 5xx, 408 and 429 are worth
another attempt, and only a 429 or 503 is asked to honour `Retry-After` (capped at 30 s).
"""

from __future__ import annotations

import asyncio
import math
import random
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import TypeVar

import httpx
from tenacity import AsyncRetrying, RetryCallState, retry_base, stop_after_attempt

T = TypeVar("T")
Wait = Callable[[RetryCallState], float]
"""A tenacity wait: the seconds to sleep after the attempt `RetryCallState` describes failed."""
MAX_BACKOFF = 10.0
MAX_RETRY_AFTER = 30.0
RETRY_AFTER_STATUSES = frozenset({429, 503})


def exponential(attempt: int, base: float, cap: float) -> float:
    """`base * 2**attempt` seconds after the failure of attempt number `attempt` (0-based), at most `cap`."""
    try:
        return min(cap, base * 2.0**attempt)
    except OverflowError:  # a very late attempt: far past any cap
        return cap


def full_jitter(attempt: int, base: float, cap: float) -> float:
    """A random wait in [0, `exponential(...)`], so clients that failed together do not return together."""
    return random.uniform(0.0, exponential(attempt, base, cap))


def retry_after(header: str | None, now: datetime | None = None) -> float | None:
    """Seconds a `Retry-After` header asks for (delay-seconds or an HTTP date), never negative;
    None when there is none or it cannot be read, so the caller falls back to its own back-off."""
    value = (header or "").strip()
    if not value:
        return None
    seconds: float | None
    try:
        seconds = float(value)
    except ValueError:
        seconds = _seconds_until(value, now or datetime.now(UTC))
    if seconds is None or math.isnan(seconds):
        return None
    return max(seconds, 0.0)


def _seconds_until(http_date: str, now: datetime) -> float | None:
    try:
        when = parsedate_to_datetime(http_date)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:  # HTTP dates are in GMT
        when = when.replace(tzinfo=UTC)
    return (when - now).total_seconds()


def backing_off(base: float, cap: float, *, jitter: bool = False) -> Wait:
    """A tenacity wait: `exponential` back-off (`full_jitter` with `jitter`) after each failed attempt."""

    def wait(state: RetryCallState) -> float:
        failed = state.attempt_number - 1
        return full_jitter(failed, base, cap) if jitter else exponential(failed, base, cap)

    return wait


def honouring_retry_after(
    asked: Callable[[BaseException], float | None], otherwise: Wait | None = None, cap: float = math.inf
) -> Wait:
    """A tenacity wait: what the server asked for (`asked` reads it from the attempt's error), else
    `otherwise` (no wait without one); never more than `cap`, so a caller in a hurry stays so."""

    def wait(state: RetryCallState) -> float:
        error = state.outcome.exception() if state.outcome is not None else None
        seconds = asked(error) if error is not None else None
        if seconds is None:
            seconds = otherwise(state) if otherwise is not None else 0.0
        return min(seconds, cap)

    return wait


async def with_retries(
    work: Callable[[], Awaitable[T]],
    *,
    attempts: int,
    retry: retry_base | Callable[[RetryCallState], bool],
    wait: Wait,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    before_sleep: Callable[[RetryCallState], None] | None = None,
) -> T:
    """`work`'s result, after up to `attempts` tries of whatever `retry` accepts, `wait` apart. The
    last error is raised as it was (not wrapped), so a caller handles a failure the same with or
    without retries."""
    policy = AsyncRetrying(
        stop=stop_after_attempt(attempts), retry=retry, wait=wait, sleep=sleep, before_sleep=before_sleep, reraise=True
    )
    async for trying in policy:
        with trying:
            result = await work()
        if trying.retry_state.outcome is not None and not trying.retry_state.outcome.failed:
            trying.retry_state.set_result(result)  # for a `retry` that looks at results
    return result


def is_retryable(status: int) -> bool:
    """Whether a backend answer with this status may succeed if sent again."""
    return status in (408, 429) or 500 <= status <= 599


def requested_wait(answer: httpx.Response, cap: float = MAX_RETRY_AFTER, now: datetime | None = None) -> float | None:
    """The wait a backend's 429 or 503 asks for in `Retry-After`, capped; else None."""
    if answer.status_code not in RETRY_AFTER_STATUSES:
        return None
    seconds = retry_after(answer.headers.get("Retry-After"), now)
    return None if seconds is None else min(seconds, cap)
