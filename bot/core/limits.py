"""How much text Front Door reads from one event, and the answer when there is more.

A request fits in a few sentences; a message of tens of thousands of characters is a paste gone
wrong or an attack, and reading it would hold up everyone else's messages. Each text that comes
in is capped here, before anything reads it, so the cap is the same on every channel; an event
over a cap changes nothing (the draft and its values stay as they were) and gets an answer that
says what to shorten.
"""

from __future__ import annotations

from typing import Any

from bot.core import messages as say
from bot.core.events import Action, Event, Message

MESSAGE_CHARS = 6_000
"""The default for a message (FRONTDOOR_MAX_MESSAGE_CHARS): a long email with its signature fits."""
COMMENT_CHARS = 2_000
"""A reason for a decision, a question to the requester."""
VALUE_CHARS = 20_000
"""One value typed into a form, against abuse only: each field's own `max_length` refuses a long
value with its own error and keeps the form's other values."""
REFERENCE_CHARS = 64
"""A request reference or another identifier carried by a button."""


def _count(n: int) -> str:
    return f"{n:,}"


def refusal(event: Event, message_chars: int = MESSAGE_CHARS) -> str | None:
    """Why the event is too large to read, naming what to shorten; None when it is not."""
    if isinstance(event, Message):
        if len(event.text) > message_chars:
            return say.TOO_LONG.format(count=_count(len(event.text)), most=_count(message_chars))
        return None
    if isinstance(event, Action):
        if event.comment is not None and len(event.comment) > COMMENT_CHARS:
            return say.COMMENT_TOO_LONG.format(count=_count(len(event.comment)), most=_count(COMMENT_CHARS))
        if event.request is not None and len(event.request) > REFERENCE_CHARS:
            return str(say.UNKNOWN_BUTTON)
        longest = max((len(_text_of(v)) for v in (event.values or {}).values()), default=0)
        if longest > VALUE_CHARS:
            return say.VALUE_TOO_LONG.format(count=_count(longest), most=_count(VALUE_CHARS))
    return None


def _text_of(value: Any) -> str:
    return value if isinstance(value, str) else str(value)
