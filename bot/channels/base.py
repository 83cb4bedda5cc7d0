"""The channel seam, both ways: a channel delivers what the engine decided to send, in its own
format (`Channel`), and asks the running Front Door only what `Host` offers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from bot.core.replies import Outgoing

if TYPE_CHECKING:
    from bot.core.events import Event
    from bot.core.queries import Home
    from bot.core.replies import Card
    from bot.directory import Directory
    from bot.inbox import Handler, Spawn
    from forms import Catalog


@dataclass(frozen=True)
class Destination:
    """Where on a channel a message goes: a person's email or a `#channel`, plus what the
    channel knows about reaching it (a stored conversation reference, a thread)."""

    address: str
    contact: dict[str, Any] | None = None
    key: str | None = None
    """The message's idempotency key: a channel that can label what it posts (Slack's message
    metadata) labels the message with it."""
    maybe_sent: bool = False
    """An earlier delivery of this message may have gone out without being recorded (its process
    died, or a call failed after posting): a channel that can look its labels up does so first,
    and posts only if it finds none."""


class DeliveryError(Exception):
    """Delivery failed; `retry_after` (seconds) when the platform said when to try again,
    `permanent` when trying again cannot help."""

    def __init__(self, message: str, *, retry_after: float | None = None, permanent: bool = False) -> None:
        super().__init__(message)
        self.retry_after = retry_after
        self.permanent = permanent


class Channel(Protocol):
    """A chat channel: posts messages and cards, updates cards it posted. A channel that can post
    to a role's room by its name alone (Slack) says so with `rooms_by_name = True`; otherwise the
    cards of a room it does not map go to the role's holders directly."""

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


@runtime_checkable
class Host(Protocol):
    """What a channel may use of the running Front Door (`bot.app.App` is one). Everything here is
    awaited, so nothing a channel calls blocks the event loop; each query runs in one transaction
    of its own, and deciding who may do what stays in the engine: a channel turns payloads into
    events and answers into its own format, nothing more."""

    @property
    def directory(self) -> Directory:
        """Who is who: a channel maps its user ids to people (and records the ones it learns)."""
        ...

    @property
    def catalog(self) -> Catalog:
        """The request types, for a menu of them."""
        ...

    @property
    def help_contact(self) -> str:
        """Whom people ask for help with Front Door itself (FRONTDOOR_HELP_CONTACT), or ""."""
        ...

    async def handle(self, event: Event) -> list[Outgoing]:
        """Hand over a message or a click; returns the replies (already in the outbox), for a
        channel that answers in place, such as a form's errors or a card's new state."""
        ...

    async def home(self, person: str) -> Home:
        """A person's home view: their latest requests and the steps they may decide now."""
        ...

    async def language_of(self, person: str) -> str:
        """The language `person` is spoken to in (the organisation's for someone not known yet):
        what a channel speaks (`forms.language.speaking`) around the words it shows them itself."""
        ...

    async def may_decide_now(self, person: str, ref: object, seq: object, asking_info: bool) -> bool:
        """Whether a decision on that step from `person` would be taken now (before asking for a reason)."""
        ...

    async def has_draft(self, person: str, place_key: str) -> bool:
        """Whether the person has a conversation open in that place (a thread the bot is part of)."""
        ...

    async def field_choices(self, person: str, draft: object, field: str) -> list[tuple[str, str]]:
        """The choices (id, display) of a field of the person's own draft, for a menu searched as they type."""
        ...

    async def step_card(self, ref: str, seq: object) -> tuple[Card, str] | None:
        """A step's approval card as it is now, and the address it was sent to."""
        ...

    async def closed_card(self, draft: int, status: str) -> Card | None:
        """The review card of a submitted or cancelled draft, closed with `status`."""
        ...

    async def contacts(self, channel: str) -> list[tuple[str, dict[str, Any]]]:
        """The addresses stored for people on `channel`, (email, address), read when it starts."""
        ...

    async def save_contacts(self, channel: str, found: list[tuple[str, dict[str, Any]]]) -> None:
        """Store how people are reached on `channel`: the outbox sends them their cards there."""
        ...

    async def keep(
        self, source: str, event_id: str, order: str | None, payload: dict[str, Any], spawn: Spawn | None = None
    ) -> bool:
        """Keep an inbound event durably before acknowledging it to a platform that would not
        send it again, and start processing it (through `spawn`, the channel's own task set); the
        handler named with `on_kept` processes it, here or, after a crash, on restart or on
        another replica. False for an event kept before (a retry). Events of one `order` (a
        person) are processed in turn; events without one, as they come. See `bot.inbox`."""
        ...

    def on_kept(self, source: str, handler: Handler) -> None:
        """Who processes the events kept under `source` (the payload as kept, JSON)."""
        ...
