"""Errors of the backend client.

    BackendError                anything the client raises
     ├── BackendUnavailable     network error, time-out, 5xx, 408 or 429 once the retries are
     │                          spent, or an answer that cannot be read: the caller's outbox
     │                          tries again later with the same idempotency key
     └── BackendRejected        any other 4xx (or an unexpected 3xx): trying again cannot help
          └── BackendAuthError  401 or 403: the token is missing or wrong

`BackendAuthError` is a `BackendRejected` because resending the same call cannot succeed
either; catch it first to tell an operator to fix the token.
"""

from __future__ import annotations


class BackendError(Exception):
    """Anything the backend client raises."""


class BackendUnavailable(BackendError):
    """The backend could not be reached or kept failing; `attempts` calls were made."""

    def __init__(self, message: str, *, attempts: int = 0, status: int | None = None) -> None:
        super().__init__(message)
        self.attempts = attempts
        self.status = status


class BackendRejected(BackendError):
    """The backend refused the call for good; `status` and `body` say why."""

    def __init__(self, status: int, body: str) -> None:
        super().__init__(f"backend answered {status}: {body[:300]}")
        self.status = status
        self.body = body


class BackendAuthError(BackendRejected):
    """The backend refused our credentials (401 or 403)."""
