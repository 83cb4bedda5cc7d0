"""The correlation id of the event being handled: its platform id, else a fresh one. Every log
line of a turn carries it (bot/logs.py), in the threads that do the turn's work too."""

from __future__ import annotations

import uuid
from contextvars import ContextVar

CORRELATION: ContextVar[str | None] = ContextVar("frontdoor_correlation", default=None)


def new_correlation(event_id: str | None) -> str:
    return event_id or uuid.uuid4().hex[:16]
