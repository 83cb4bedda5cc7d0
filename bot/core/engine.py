"""The engine: one event in, one transaction, what to send out (stored in the outbox)."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any, Concatenate, NamedTuple, ParamSpec, Protocol, TypeVar
from uuid import uuid4

from bot.core import approvals, assign, conversation, delegation, expiry, limits, news, withdraw
from bot.core.clock import Clock
from bot.core.correlation import CORRELATION, new_correlation
from bot.core.events import DRAFT_ACTIONS, HOLDING_ACTIONS, Action, ActionName, BackendNews, Event, Message
from bot.core.replies import Outgoing
from bot.core.turn import Parsed, Services, Turn
from bot.store import repo
from bot.store.db import Database
from forms import language
from forms.language import speaking
from intents.base import ParseContext

log = logging.getLogger("frontdoor.engine")
P = ParamSpec("P")
T = TypeVar("T")


def chat_key(outgoing: Outgoing) -> str:
    """Messages sharing a key are delivered in order: a card's updates after the card."""
    return outgoing.card_key or (outgoing.place.key if outgoing.place else outgoing.to)


class ChatMessage(NamedTuple):
    """A turn's chat message as the outbox writes it: its order key, its idempotency key."""

    key: str
    idempotency_key: str
    outgoing: Outgoing


class Delivery(Protocol):
    """Takes a turn's chat messages for delivery by this process (the chat outbox's dispatcher)."""

    def hand_over(self, session: Any, messages: list[ChatMessage], now: Any, others: list[repo.OutboxRow]) -> Any: ...

    def accept(self, handover: Any) -> None: ...


class Engine:
    """Handles events for every channel; channels only translate and deliver."""

    def __init__(
        self, db: Database, services: Services, clock: Clock, observe: Callable[[str, float], None] | None = None
    ) -> None:
        self.db = db
        self.services = services
        self.clock = clock
        self.observe = observe
        self.delivery: Delivery | None = None  # set when this process delivers chat messages

    def context_for(self, msg: Message) -> ParseContext | None:
        """The parser's context for a message, read in a short transaction; None when the message
        needs no reading ahead (its sender is unknown, or it was handled before)."""
        if self.services.directory.get(msg.person) is None or limits.refusal(msg, self.services.max_message_chars):
            return None
        with self.db.transaction() as session:
            key = _event_key(msg)
            if key is not None and repo.event_seen(session, key):
                return None
            turn = Turn(session=session, now=self.clock.now(), services=self.services)
            return conversation.parse_context(turn, msg, repo.get_draft(session, msg.person, msg.place.key))

    def parse_ahead(self, msg: Message, context: ParseContext) -> Parsed:
        """Read a message outside any transaction (a language model may take seconds), so the
        database is not held meanwhile; `handle` uses it if the draft is still the one read."""
        return Parsed(msg.text, context, self.services.parser.parse(msg.text, context))

    def ask(self, query: Callable[Concatenate[Turn, P], T], *args: P.args, **kwargs: P.kwargs) -> T:
        """Answer a query (`bot.core.queries`) in a transaction of its own, at the clock's instant:
        channels ask what to draw, and the engine's rules decide it, as when an event is handled."""
        with self.db.transaction() as session:
            return query(Turn(session=session, now=self.clock.now(), services=self.services), *args, **kwargs)

    def handle(self, event: Event, parsed: Parsed | None = None) -> list[Outgoing]:
        """Handle one event exactly once (a repeated event id does nothing) and return the replies."""
        if CORRELATION.get() is None:  # called directly (the local chat, scripts), not through App.handle
            token = CORRELATION.set(new_correlation(getattr(event, "event_id", None)))
            try:
                return self._handle(event, parsed)
            finally:
                CORRELATION.reset(token)
        return self._handle(event, parsed)

    def _handle(self, event: Event, parsed: Parsed | None) -> list[Outgoing]:
        started = time.perf_counter()
        now = self.clock.now()
        handover: Any = None
        with self.db.transaction() as session:
            key = _event_key(event)
            if key is not None and not repo.claim_event(session, key, now):
                log.info("duplicate event ignored", extra={"event_key": key})
                return []
            turn = Turn(session=session, now=now, services=self.services, source=_source(event), parsed=parsed)
            with speaking(_language(turn, event)):
                _dispatch(turn, event)

            handover = self._write_out(session, turn, f"{key or uuid4().hex}:{now.timestamp()}")
        if handover is not None and self.delivery is not None:  # committed: now they may go
            self.delivery.accept(handover)
        if self.observe is not None:
            self.observe(type(event).__name__.lower(), time.perf_counter() - started)
        log.debug(
            "event handled",
            extra={"event": type(event).__name__.lower(), "replies": len(turn.out), "to_backend": len(turn.backend)},
        )
        return turn.out

    def act(self, work: Callable[[Turn], T], source: str = "engine") -> tuple[T, list[Outgoing]]:
        """Run `work` (engine work no event asked for: following up a dead letter) in a turn of its
        own, and write what it sends to the outbox in its transaction, as `handle` does."""
        handover: Any = None
        with self.db.transaction() as session:
            turn = Turn(session=session, now=self.clock.now(), services=self.services, source={"channel": source})
            result = work(turn)
            handover = self._write_out(session, turn, f"{source}:{uuid4().hex}:{turn.now.timestamp()}")
        if handover is not None and self.delivery is not None:
            self.delivery.accept(handover)
        return result, turn.out

    def _write_out(self, session: Any, turn: Turn, prefix: str) -> Any:
        """Write a turn's chat and backend messages to the outbox (handed over for delivery by this
        process when it delivers); what to `accept` once the transaction has committed."""
        messages = [ChatMessage(chat_key(o), f"{prefix}:{index}", o) for index, o in enumerate(turn.out)]
        others = [repo.OutboxRow("backend", *row) for row in turn.backend]
        if self.delivery is not None:
            return self.delivery.hand_over(session, messages, turn.now, others)
        chat = [repo.OutboxRow("chat", m.key, m.idempotency_key, m.outgoing.as_dict()) for m in messages]
        repo.enqueue_many(session, [*others, *chat], turn.now)
        return None


def enqueue_chat(turn: Turn, outgoing: Outgoing, idempotency_key: str) -> None:
    repo.enqueue(turn.session, "chat", chat_key(outgoing), idempotency_key, outgoing.as_dict(), turn.now)


def _dispatch(turn: Turn, event: Event) -> None:
    if not isinstance(event, BackendNews):
        too_large = limits.refusal(event, turn.services.max_message_chars)
        if too_large is not None:  # nothing reads it; the draft stays as it was
            turn.send(Outgoing.error(event.person, too_large, None, place=event.place))
            return
    if isinstance(event, Message):
        if turn.services.directory.get(event.person) is not None and assign.try_command(turn, event):
            return  # "I'll take REQ-1001", "reassign REQ-1001 to Carol Diaz"
        conversation.handle_message(turn, event)
    elif isinstance(event, Action):
        if event.action in DRAFT_ACTIONS:
            conversation.handle_draft_action(turn, event)
        elif event.action in HOLDING_ACTIONS:
            assign.handle_action(turn, event)
        elif event.action is ActionName.WITHDRAW:
            withdraw.pressed(turn, event)
        elif event.action is ActionName.RESUBMIT:
            expiry.pressed(turn, event)
        elif event.action is ActionName.END_DELEGATION:
            delegation.pressed(turn, event)
        else:
            approvals.decide(turn, event)
    elif isinstance(event, BackendNews):
        news.backend_news(turn, event)


def _language(turn: Turn, event: Event) -> str:
    """What a turn speaks: the language a message is written in (remembered), else the language
    of the person who wrote or pressed, else the organisation's."""
    if isinstance(event, BackendNews):
        return turn.services.language
    if isinstance(event, Message) and event.picked:
        return turn.language_of(event.person)
    if isinstance(event, Message) and turn.services.directory.get(event.person) is not None:
        return turn.heard(event.person, event.text)
    if isinstance(event, Message):
        return language.detect(event.text) or turn.services.language
    return turn.language_of(event.person)


def _event_key(event: Event) -> str | None:
    if isinstance(event, BackendNews):
        return f"backend:{event.event_id}"
    return f"{event.place.channel}:{event.event_id}" if event.event_id else None


def _source(event: Event) -> dict[str, Any]:
    if isinstance(event, BackendNews):
        return {"channel": "backend", "event_id": event.event_id}
    return {**event.place.as_dict(), "event_id": event.event_id}
