"""Slack's rate limits: the wait a `ratelimited` answer asks for, and work run again after it, as
often as allowed and no more."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from typing import Any

import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.web.slack_response import SlackResponse

from bot.channels.slack.background import ATTEMPTS, patiently, rate_limit_wait


def refused(error: str = "ratelimited", status: int = 429, headers: dict[str, Any] | None = None) -> SlackApiError:
    response = SlackResponse(
        client=None,
        http_verb="POST",
        api_url="https://slack.com/api/users.info",
        req_args={},
        data={"ok": False, "error": error},
        headers=headers or {},
        status_code=status,
    )
    return SlackApiError(error, response)


def test_the_wait_is_slacks_retry_after_else_a_second() -> None:
    soon = format_datetime(datetime.now(UTC) + timedelta(seconds=30), usegmt=True)
    assert rate_limit_wait(refused(headers={"Retry-After": "7"})) == 7.0
    assert rate_limit_wait(refused(headers={"retry-after": ["3"]})) == 3.0
    assert 25 < (rate_limit_wait(refused(headers={"Retry-After": soon})) or 0) <= 30
    assert rate_limit_wait(refused()) == 1.0 and rate_limit_wait(refused(headers={"Retry-After": "soon"})) == 1.0
    assert rate_limit_wait(refused("ratelimited", status=200)) == 1.0
    assert rate_limit_wait(refused("channel_not_found", status=200)) is None


class Work:
    """Raises each error in line, then succeeds; counts its runs."""

    def __init__(self, *errors: Exception) -> None:
        self.errors, self.runs = list(errors), 0

    async def __call__(self) -> None:
        self.runs += 1
        if self.errors:
            raise self.errors.pop(0)


async def test_rate_limited_work_runs_again_after_retry_after() -> None:
    work = Work(refused(headers={"Retry-After": "0.3"}))
    started = time.monotonic()
    await patiently(work, "lookup")
    assert work.runs == 2 and time.monotonic() - started >= 0.3


async def test_rate_limited_work_is_given_up_after_its_attempts() -> None:
    work = Work(*(refused(headers={"Retry-After": "0"}) for _ in range(ATTEMPTS + 1)))
    with pytest.raises(SlackApiError):
        await patiently(work, "lookup")
    assert ATTEMPTS == 5 and work.runs == 5


async def test_other_errors_are_not_run_again() -> None:
    work = Work(refused("channel_not_found", status=200), ValueError("no"))
    with pytest.raises(SlackApiError):
        await patiently(work, "lookup")
    assert work.runs == 1
