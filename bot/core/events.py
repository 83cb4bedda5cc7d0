"""What arrives at the engine, whatever the channel: messages, button presses, backend news.

Adapters translate platform payloads into these; the engine never sees a platform object.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class ActionName(StrEnum):
    """Every button the bot shows."""

    CONFIRM = "confirm"
    EDIT = "edit"
    CANCEL = "cancel"
    APPROVE = "approve"
    REJECT = "reject"
    REQUEST_INFO = "request_info"
    SUBMIT_EDIT = "submit_edit"
    WITHDRAW = "withdraw"
    """On the requester's confirmation of a submitted request: withdraw it."""
    TAKE = "take"
    """A role's holder takes its step: the others see who has it."""
    REASSIGN = "reassign"
    """The step goes to another eligible approver (`target`)."""
    RESUBMIT = "resubmit"
    """On the requester's notice that a request expired: a new form filled from it."""
    END_DELEGATION = "end_delegation"
    """On the card of a person's running delegation (App Home, "my delegation"): end it now."""


DRAFT_ACTIONS = frozenset({ActionName.CONFIRM, ActionName.EDIT, ActionName.CANCEL, ActionName.SUBMIT_EDIT})
STEP_ACTIONS = frozenset({ActionName.APPROVE, ActionName.REJECT, ActionName.REQUEST_INFO})
HOLDING_ACTIONS = frozenset({ActionName.TAKE, ActionName.REASSIGN})
"""Who holds a step, not what is decided (`bot.core.assign`)."""


@dataclass(frozen=True)
class Place:
    """A chat place: a direct conversation, or a thread in a channel."""

    channel: str
    conversation: str
    thread: str | None = None
    direct: bool = True
    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def key(self) -> str:
        return f"{self.channel}:{self.conversation}:{self.thread or ''}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "channel": self.channel,
            "conversation": self.conversation,
            "thread": self.thread,
            "direct": self.direct,
            **({"extra": self.extra} if self.extra else {}),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Place:
        return cls(
            channel=data["channel"],
            conversation=data["conversation"],
            thread=data.get("thread"),
            direct=data.get("direct", True),
            extra=data.get("extra") or {},
        )


@dataclass(frozen=True)
class Message:
    """Someone wrote to the bot."""

    person: str
    place: Place
    text: str
    event_id: str | None = None
    picked: bool = False
    """The text was picked from a list (a request type's title), not written: it says nothing of
    the language the person speaks, so the one they last wrote in stands."""


@dataclass(frozen=True)
class Action:
    """Someone pressed a button (or submitted a form) on a card."""

    person: str
    place: Place
    action: ActionName
    request: str | None = None
    step: int | None = None
    draft: int | None = None
    version: int | None = None
    comment: str | None = None
    values: dict[str, Any] | None = None
    event_id: str | None = None
    target: str | None = None
    """Whom a Reassign button hands the step to (an email)."""


@dataclass(frozen=True)
class BackendNews:
    """The backend reported a status change (verified callback)."""

    event_id: str
    backend_id: str
    reference: str | None
    status: str
    reason: str | None = None


Event = Message | Action | BackendNews
