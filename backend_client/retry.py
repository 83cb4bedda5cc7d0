"""When the backend client tries again, and how long it waits first.

Only network errors, time-outs, 5xx, 408 and 429 are worth another attempt. The wait is
exponential back-off with full jitter (a random time between 0 and `base * 2**attempt`,
capped), except that a 429 or 503 carrying `Retry-After` is obeyed, up to a cap.
"""

from __future__ import annotations

import math
import random
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

import httpx

MAX_BACKOFF = 10.0
MAX_RETRY_AFTER = 30.0
RETRY_AFTER_STATUSES = frozenset({429, 503})


def is_retryable(status: int) -> bool:
    """Whether an answer with this status may succeed if sent again."""
    return status in (408, 429) or 500 <= status <= 599


def backoff_delay(attempt: int, base: float, cap: float = MAX_BACKOFF) -> float:
    """Full jitter: a random wait in [0, min(cap, base * 2**attempt)] after attempt number `attempt` (0-based)."""
    return random.uniform(0.0, min(cap, base * 2**attempt))


def retry_after(answer: httpx.Response, cap: float = MAX_RETRY_AFTER, now: datetime | None = None) -> float | None:
    """The wait a 429 or 503 asks for in `Retry-After` (seconds or an HTTP date), capped; else None."""
    if answer.status_code not in RETRY_AFTER_STATUSES:
        return None
    value = answer.headers.get("Retry-After", "").strip()
    if not value:
        return None
    seconds: float | None
    try:
        seconds = float(value)
    except ValueError:
        seconds = _seconds_until(value, now or datetime.now(UTC))
    if seconds is None or math.isnan(seconds):
        return None
    return min(max(seconds, 0.0), cap)


def _seconds_until(http_date: str, now: datetime) -> float | None:
    try:
        when = parsedate_to_datetime(http_date)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return (when - now).total_seconds()


def next_delay(answer: httpx.Response | None, attempt: int, base: float) -> float:
    """The wait before the next attempt, after `answer` (None for a network error or time-out)."""
    asked = retry_after(answer) if answer is not None else None
    return asked if asked is not None else backoff_delay(attempt, base)
