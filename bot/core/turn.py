"""A turn: one event handled in one transaction, collecting what to send."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.core.limits import MESSAGE_CHARS
from bot.core.replies import Outgoing
from bot.directory import Directory
from bot.store.repo import Session
from forms import Catalog
from intents.base import ParseContext, Parser, Proposal

Deadlines = Callable[[datetime, float, str | None, str | None], tuple[datetime, datetime, datetime]]
"""(start, SLA hours, approver, role) → due times at 50 %, 100 % and 150 %."""


def wall_clock_deadlines(
    start: datetime, hours: float, _approver: str | None, _role: str | None
) -> tuple[datetime, datetime, datetime]:
    return start + timedelta(hours=hours * 0.5), start + timedelta(hours=hours), start + timedelta(hours=hours * 1.5)


@dataclass
class Services:
    """What the engine works with; built once by the composition root."""

    catalog: Catalog
    directory: Directory
    parser: Parser
    timezone: str = "America/New_York"
    deadlines: Deadlines = wall_clock_deadlines
    fill_threshold: float = 0.8
    """Values proposed with less confidence are shown for review marked "please check"."""
    clinical_resource: str = "your unit's clinical references, or ask your pharmacist or charge nurse"
    """Where a clinical question is pointed (FRONTDOOR_CLINICAL_RESOURCE)."""
    max_message_chars: int = MESSAGE_CHARS
    """A longer message is answered with what to shorten, and not read (see `bot.core.limits`)."""
    room_reachable: Callable[[str], bool] = field(default=lambda room: True)
    """Whether a role's approvals room (`#approvals-finance`) reaches people on the chat platforms
    running; when not, its cards go to the role's holders directly (set by the composition root)."""

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


@dataclass(frozen=True)
class Parsed:
    """A message's proposal, read outside any transaction, and the context it was read against."""

    text: str
    context: ParseContext
    proposal: Proposal


@dataclass
class Turn:
    """The session, the instant, and the replies of one event."""

    session: Session
    now: datetime
    services: Services
    source: dict[str, Any] = field(default_factory=dict)
    out: list[Outgoing] = field(default_factory=list)
    parsed: Parsed | None = None
    """The message read ahead of the transaction, if it was (see `Engine.parse_ahead`)."""
    backend: list[tuple[str, str, dict[str, Any]]] = field(default_factory=list)
    """Messages for the backend (key, idempotency key, payload), written to the outbox with the
    chat messages at the end of the turn, in its transaction."""

    def send(self, outgoing: Outgoing) -> None:
        self.out.append(outgoing)

    def tell_backend(self, key: str, idempotency_key: str, payload: dict[str, Any]) -> None:
        self.backend.append((key, idempotency_key, payload))

    @property
    def local_now(self) -> datetime:
        """The organisation's wall time, naive (what the parser resolves dates against)."""
        return self.now.astimezone(self.services.zone).replace(tzinfo=None)

    def when(self, at: datetime | None) -> str:
        """An instant as people read it, in the organisation's zone."""
        if at is None:
            return "—"
        return at.astimezone(self.services.zone).strftime("%a %b %d %H:%M")
