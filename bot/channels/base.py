"""The channel seam: a channel delivers what the engine decided to send, in its own format."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from bot.core.replies import Outgoing


@dataclass(frozen=True)
class Destination:
    """Where on a channel a message goes: a person's email or a `#channel`, plus what the
    channel knows about reaching it (a stored conversation reference, a thread)."""

    address: str
    contact: dict[str, Any] | None = None


class DeliveryError(Exception):
    """Delivery failed; `retry_after` (seconds) when the platform said when to try again,
    `permanent` when trying again cannot help."""

    def __init__(self, message: str, *, retry_after: float | None = None, permanent: bool = False) -> None:
        super().__init__(message)
        self.retry_after = retry_after
        self.permanent = permanent


class Channel(Protocol):
    """A chat channel: posts messages and cards, updates cards it posted."""

    name: str

    async def post(self, outgoing: Outgoing, destination: Destination) -> dict[str, Any]:
        """Post a message or card; return the platform's reference to it (for updates)."""
        ...

    async def update(self, outgoing: Outgoing, platform_ref: dict[str, Any]) -> None:
        """Replace a posted card in place."""
        ...

    def has_room(self, address: str) -> bool:
        """Whether a `#channel` address (a role's approvals room) is mapped to a room on this channel."""
        ...
