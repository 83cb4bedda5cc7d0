"""The one retry policy: the exponential formula, `Retry-After` read once, and tenacity's loop
trying exactly as often as asked and waiting as the server said."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from tenacity import retry_if_exception_type

from backend_client.retry import backing_off, exponential, honouring_retry_after, retry_after, with_retries
from tests.backend_client.conftest import Sleeps

NOW = datetime(2025, 3, 5, 10, 0, tzinfo=UTC)


class Busy(Exception):
    """A refusal that may carry how long to wait."""

    def __init__(self, asked: float | None = None) -> None:
        super().__init__("busy")
        self.asked = asked


def asked(exc: BaseException) -> float | None:
    return exc.asked if isinstance(exc, Busy) else None


class Flaky:
    """Fails with each error in line, then answers "done"; counts its calls."""

    def __init__(self, *errors: Exception) -> None:
        self.errors, self.calls = list(errors), 0

    async def __call__(self) -> str:
        self.calls += 1
        if self.errors:
            raise self.errors.pop(0)
        return "done"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("12", 12.0),
        (" 0.5 ", 0.5),
        ("-3", 0.0),
        ("99999", 99999.0),  # capping is the caller's
        ("Wed, 05 Mar 2025 10:00:10 GMT", 10.0),
        ("Wed, 05 Mar 2025 09:59:00 GMT", 0.0),
        ("soon", None),
        ("nan", None),
        ("", None),
        (None, None),
    ],
)
def test_retry_after_reads_seconds_or_an_http_date(value: str | None, expected: float | None) -> None:
    assert retry_after(value, now=NOW) == expected


def test_exponential_doubles_up_to_its_cap() -> None:
    assert [exponential(n, 0.25, 2.0) for n in range(6)] == [0.25, 0.5, 1.0, 2.0, 2.0, 2.0]
    assert exponential(5000, 1.0, 30.0) == 30.0  # no overflow for a very late attempt


async def test_the_server_is_obeyed_up_to_the_cap_else_back_off() -> None:
    work, sleeps = Flaky(Busy(7.0), Busy(), Busy(60.0), Busy()), Sleeps()
    wait = honouring_retry_after(asked, backing_off(0.5, 10.0), cap=20.0)
    result = await with_retries(work, attempts=5, retry=retry_if_exception_type(Busy), wait=wait, sleep=sleeps)
    assert result == "done" and work.calls == 5
    assert sleeps == [7.0, 1.0, 20.0, 4.0]  # asked; 0.5 * 2**1; asked, capped; 0.5 * 2**3


async def test_attempts_are_counted_and_the_last_error_is_raised_as_it_was() -> None:
    work, sleeps = Flaky(Busy(1.0), Busy(2.0), Busy(3.0), Busy(4.0)), Sleeps()
    with pytest.raises(Busy) as raised:
        await with_retries(
            work, attempts=3, retry=retry_if_exception_type(Busy), wait=honouring_retry_after(asked), sleep=sleeps
        )
    assert raised.value.asked == 3.0 and work.calls == 3 and sleeps == [1.0, 2.0]


async def test_an_error_the_policy_does_not_accept_is_not_retried() -> None:
    work, sleeps = Flaky(ValueError("no")), Sleeps()
    with pytest.raises(ValueError):
        await with_retries(work, attempts=5, retry=retry_if_exception_type(Busy), wait=backing_off(1, 1), sleep=sleeps)
    assert work.calls == 1 and sleeps == []
