"""Delivery of the outbox: chat messages to their channels, requests to the backend.

Rows are written by the engine in the same transaction as the state they report; these
workers lease them, deliver them, and record the outcome. A crash between delivery and the
record means the row is delivered again after its lease: the backend dedupes by
Idempotency-Key; chat platforms may show such a message twice (a narrow window).

Hand-over: the engine's chat rows are written already leased to this process (when no earlier
row of their key is waiting) and passed straight to the dispatcher once their transaction has
committed, so the common case needs no claim round; a claim round still runs when a row could
not be handed over, at every poll, and at least once per poll interval under load, for rows
written by the sweeper, the backend link or other processes.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import Counter, deque
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any, NamedTuple, Protocol

from backend_client.retry import full_jitter
from bot.channels.base import Channel, DeliveryError, Destination
from bot.core.clock import Clock
from bot.core.engine import ChatMessage
from bot.core.replies import Outgoing
from bot.store import claims, repo
from bot.store.db import Database
from bot.store.models import OutboxMessage

log = logging.getLogger("frontdoor.outbox")


class Tally(Protocol):
    """Counts delivery outcomes as they are recorded: topic (chat, backend), outcome (sent, retry,
    dead, released) and how many (`bot.metrics.Metrics.delivered`). A callable rather than the
    metrics themselves, so that delivery needs nothing of Prometheus."""

    def __call__(self, topic: str, outcome: str, count: int = 1, /) -> None: ...


def uncounted(topic: str, outcome: str, count: int = 1, /) -> None:
    """A tally that keeps nothing (tests and tools that build a dispatcher without metrics)."""


async def drain(run_once: Callable[[], Awaitable[tuple[int, bool]]]) -> int:
    """Run delivery rounds until one delivers nothing or leaves nothing waiting behind."""
    total = 0
    while True:
        done, more = await run_once()
        total += done
        if done == 0 or not more:
            return total


def backoff(attempts: int, cap: float = 300.0) -> timedelta:
    """Exponential back-off with full jitter (`2**attempts` seconds at most, capped): the in-process
    retries' formula, though this wait is stored as the row's next attempt, not slept."""
    return timedelta(seconds=full_jitter(attempts, 1.0, cap))


class Post(NamedTuple):
    """Where a card was posted, to update it later."""

    channel: str
    address: str
    ref: dict[str, Any]
    """The platform's reference to the posted message."""


class Outcome(NamedTuple):
    """A delivery's result: the cards it posted, or why it failed."""

    posts: list[Post]
    error: DeliveryError | None


Plan = list[tuple[str, dict[str, Any]]] | tuple[Channel, Destination]
"""The posts of a card to update (channel, platform reference), or a channel and a destination."""
RELEASED = Outcome([], DeliveryError("not sent: an earlier message of its key failed, or it waited too long"))
MAX_CHAT_ATTEMPTS = 12
"""A chat message that failed this many times (about an hour of back-off) is given up: dead, and
followed up by the engine (`bot.core.dead_letters`); `frontdoor outbox retry ID` tries it again."""
HANDED_LIMIT = 1000
"""Rows waiting in memory for delivery at most; beyond that, new rows are left to the claim rounds."""
FRESH = claims.LEASE / 2
"""A handed-over row is delivered only while this much of its lease is left; an older one is given
back to the claim rounds (its lease could end during delivery, and another worker take it)."""


class Handed(NamedTuple):
    """A chat row the engine wrote leased to this process (until `until`), with where it goes."""

    row_id: int
    key: str
    outgoing: Outgoing
    plan: Plan
    until: datetime


class HandOver(NamedTuple):
    """What a turn handed over, and whether it left rows for a claim round (they queue behind an
    earlier row of their key)."""

    handed: list[Handed]
    queued: bool


class Router:
    """Chooses the channel for each message: the place it answers, where a card was posted,
    the channel that has a role's room mapped, the channel a person last used, or the default."""

    def __init__(self, channels: dict[str, Channel], default: str) -> None:
        if default not in channels:
            raise ValueError(f"default channel {default!r} is not running")
        self.channels = channels
        self.default = default

    def channel_for(self, session: Any, outgoing: Outgoing) -> tuple[Channel, Destination]:
        if outgoing.place is not None and outgoing.place.channel in self.channels:
            place = outgoing.place.as_dict()
            return self.channels[outgoing.place.channel], Destination(outgoing.to, {"place": place})
        if outgoing.to.startswith("#"):  # a role's room: the channel that has it mapped, else the default
            order = [self.channels[self.default], *self.channels.values()]
            mapped = next((c for c in order if c.has_room(outgoing.to)), None)
            return mapped or self.channels[self.default], Destination(outgoing.to)
        contacts = {c.channel: c for c in repo.contacts_of(session, outgoing.to)}
        for name in (self.default, *self.channels):
            if name in contacts:
                return self.channels[name], Destination(outgoing.to, {"place": contacts[name].address})
        return self.channels[self.default], Destination(outgoing.to)


class ChatDispatcher:
    """Delivers chat rows of the outbox through the router."""

    def __init__(
        self,
        db: Database,
        router: Router,
        clock: Clock,
        batch: int = 200,
        poll_seconds: float = 1.0,
        owner: str | None = None,
        tally: Tally = uncounted,
    ) -> None:
        self.db, self.router, self.clock, self.batch = db, router, clock, batch
        self.poll_seconds = poll_seconds
        self.owner = owner  # this replica's id on its leases
        self.tally = tally
        self._handed: deque[Handed] = deque()  # appended by the engine's threads, taken on the loop
        self._failed: set[str] = set()  # keys whose handed-over rows must wait for a retry
        self._one_at_a_time = asyncio.Lock()  # one consumer of the handed rows: order per key
        self._claim_due = True
        self._claimed_at = 0.0
        self.dead_seen = False
        """Set when a row died: the App then has the engine follow it up (`take_dead`)."""

    def hand_over(
        self,
        session: Any,
        messages: list[ChatMessage],
        now: datetime,
        others: Sequence[repo.OutboxRow] = (),
    ) -> HandOver:
        """Write a turn's chat rows (key, idempotency key, message) in the caller's transaction and
        plan their delivery. The first row of each key is written leased to this process unless an
        earlier row of its key is waiting (or too many wait in memory); the others are left to the
        claim rounds. The caller passes the result to `accept` once the transaction has committed.
        `others` (topic, key, idempotency key, payload) are written in the same statement."""
        until = now + claims.LEASE
        room = len(self._handed) < HANDED_LIMIT
        firsts = {key: idempotency_key for key, idempotency_key, _o in reversed(messages)}
        rows = [*others] + [
            repo.OutboxRow(
                "chat",
                key,
                idempotency_key,
                outgoing.as_dict(),
                until if room and firsts[key] == idempotency_key else None,
            )
            for key, idempotency_key, outgoing in messages
        ]
        repo.lock_keys(session, "chat", sorted(firsts) if room else [])  # concurrent turns of a key: one at a time
        written = repo.enqueue_many(session, rows, now, owner=self.owner)
        taken = [(written[i][0], key, o, i) for key, i, o in messages if written.get(i, (0, False))[1]]
        handed = [Handed(row_id, key, o, self._plan(session, o, i), until) for row_id, key, o, i in taken]
        return HandOver(handed, len(taken) < len(messages))

    def take_dead(self) -> bool:
        """Whether a row died since the last call (then the engine follows dead rows up)."""
        seen, self.dead_seen = self.dead_seen, False
        return seen

    def accept(self, handover: HandOver) -> None:
        self._handed.extend(handover.handed)
        if handover.queued:
            self._claim_due = True

    async def drain(self, *, poll: bool = True) -> int:
        """Deliver what the engine handed over, then every ready row (heads of their keys first,
        then what they unblock). Without `poll` (woken by a handler), the claim rounds run only
        when a row was left for them or a poll interval has passed since the last."""
        total = await self._deliver_handed()
        if poll or self._claim_due or time.monotonic() - self._claimed_at >= self.poll_seconds:
            self._claim_due, self._claimed_at = False, time.monotonic()
            total += await drain(self.run_once)
            total += await self._deliver_handed()  # handed over meanwhile
        return total

    async def _deliver_handed(self) -> int:
        """Deliver the rows handed over before this call (not those added meanwhile: a steady
        stream must not keep the claim rounds and the backend waiting)."""
        total = 0
        async with self._one_at_a_time:
            left = len(self._handed)
            while left > 0:
                batch = [self._handed.popleft() for _ in range(min(self.batch, left))]
                left -= len(batch)
                total += await self._deliver_batch(batch)
            if not self._handed:
                self._failed.clear()
        return total

    async def _deliver_batch(self, batch: list[Handed]) -> int:
        fresh_after = self.clock.now() + FRESH
        outcomes: list[Outcome] = []
        try:
            for item in batch:  # in order; after a failure, the rest of its key waits for the retry
                if item.key in self._failed or item.until < fresh_after:
                    outcome = RELEASED
                else:
                    outcome = await self._deliver(item.outgoing, item.plan)
                if outcome[1] is not None:
                    self._failed.add(item.key)
                    self._claim_due = True
                outcomes.append(outcome)
        finally:
            if len(outcomes) < len(batch):  # cancelled (stopping): record what went, give back the rest
                outcomes += [RELEASED] * (len(batch) - len(outcomes))
                self._record(_work(batch), outcomes, _leases(batch))
        await self.db.run(self._record, _work(batch), outcomes, _leases(batch), quick=True)
        return sum(1 for _posts, error in outcomes if error is None)

    async def release_handed(self) -> None:
        """Give back the leases of rows handed over but not delivered (on stop), so the next
        start delivers them at once instead of after the lease."""
        async with self._one_at_a_time:
            leases = [(item.row_id, item.until) for item in self._handed]
            self._handed.clear()
        if leases:
            await self.db.run(self._release, leases)

    def _release(self, leases: list[tuple[int, datetime]]) -> None:
        with self.db.core_transaction() as connection:
            claims.release(connection, leases)

    def purge(self, before: datetime) -> int:
        """Forget the text of chat messages delivered before `before` (FRONTDOOR_CHAT_RETENTION_DAYS)."""
        with self.db.core_transaction() as connection:
            return claims.purge_sent_chat(connection, before)

    async def run_once(self) -> tuple[int, bool]:
        """Claim a batch, resolve where each message goes (one transaction), deliver, record (one)."""
        work, plans, more = await self.db.run(self._claim, quick=True)
        if not work:
            return 0, more
        outcomes = [await self._deliver(outgoing, plan) for (_row_id, outgoing), plan in zip(work, plans, strict=True)]
        await self.db.run(self._record, work, outcomes, quick=True)
        return sum(1 for _posts, error in outcomes if error is None), more

    def _claim(self) -> tuple[list[tuple[int, Outgoing]], list[Plan], bool]:
        with self.db.core_transaction() as session:
            claimed = claims.claim(session, "chat", self.clock.now(), self.batch, owner=self.owner)
            work = [(row.id, Outgoing.from_dict(dict(row.payload))) for row in claimed.rows]
            plans = [
                self._plan(session, outgoing, row.idempotency_key, maybe_sent=row.attempts > 0)
                for row, (_row_id, outgoing) in zip(claimed.rows, work, strict=True)
            ]
            return work, plans, claimed.more

    def _record(
        self, work: list[tuple[int, Outgoing]], outcomes: list[Outcome], leases: dict[int, datetime] | None = None
    ) -> None:
        """One transaction records the whole batch. A row given back (RELEASED) is released only
        while this process still holds it (`leases`: the lease each handed-over row was written with)."""
        now = self.clock.now()
        with self.db.core_transaction() as connection:
            claims.mark_sent(
                connection,
                [row_id for (row_id, _o), (_p, error) in zip(work, outcomes, strict=True) if error is None],
                now,
            )
            claims.release(
                connection,
                [
                    (row_id, (leases or {})[row_id])
                    for (row_id, _o), (_p, error) in zip(work, outcomes, strict=True)
                    if error is RELEASED.error
                ],
            )
            for (row_id, outgoing), (posts, error) in zip(work, outcomes, strict=True):
                if error is None:
                    for channel, address, ref in posts:
                        _record_post(connection, outgoing, channel, address, ref, now)
                elif error is not RELEASED.error:
                    asked = now + timedelta(seconds=error.retry_after) if error.retry_after else None
                    died = claims.settle(
                        connection,
                        row_id,
                        now,
                        error=str(error),
                        retry_at=asked,
                        retry_in=backoff,
                        dead=error.permanent,
                        max_attempts=MAX_CHAT_ATTEMPTS,
                    )
                    self.dead_seen = self.dead_seen or died
        for outcome, count in Counter(_outcome(error) for _posts, error in outcomes).items():
            self.tally("chat", outcome, count)  # once committed: what was recorded is what is counted

    def _plan(self, session: Any, outgoing: Outgoing, key: str | None = None, *, maybe_sent: bool = False) -> Plan:
        """Where a message goes: the posts of a card to update, or one channel and destination
        (with the message's idempotency key, and whether an earlier delivery may have posted it)."""
        if outgoing.kind == "card_update" and outgoing.card_key:
            return [(p.channel, dict(p.platform_ref)) for p in repo.card_posts(session, outgoing.card_key)]
        channel, destination = self.router.channel_for(session, outgoing)
        return channel, replace(destination, key=key, maybe_sent=maybe_sent)

    async def _deliver(self, outgoing: Outgoing, plan: Plan) -> Outcome:
        try:
            return Outcome(await self._send(outgoing, plan), None)
        except DeliveryError as exc:
            return Outcome([], exc)
        except Exception as exc:  # a channel's bug must not stop the outbox
            log.exception("chat delivery failed")
            return Outcome([], DeliveryError(f"{type(exc).__name__}: {exc}"))

    async def _send(self, outgoing: Outgoing, plan: Plan) -> list[Post]:
        if isinstance(plan, list):
            for channel_name, ref in plan:
                channel = self.router.channels.get(channel_name)
                if channel is not None:
                    await channel.update(outgoing, ref)
            return []
        channel, destination = plan
        ref = await channel.post(outgoing, destination)
        return [Post(channel.name, destination.address, ref)] if outgoing.card_key else []


def _outcome(error: DeliveryError | None) -> str:
    if error is None:
        return "sent"
    if error is RELEASED.error:
        return "released"
    return "dead" if error.permanent else "retry"


def _work(batch: list[Handed]) -> list[tuple[int, Outgoing]]:
    return [(item.row_id, item.outgoing) for item in batch]


def _leases(batch: list[Handed]) -> dict[int, datetime]:
    return {item.row_id: item.until for item in batch}


def _record_post(
    session: Any, outgoing: Outgoing, channel: str, address: str, ref: dict[str, Any], now: datetime
) -> None:
    actions = {b.action.value: b.payload for b in outgoing.card.buttons} if outgoing.card else {}
    repo.upsert_card_post(
        session,
        {
            "card_key": outgoing.card_key,
            "channel": channel,
            "address": address,
            "platform_ref": ref,
            "request_ref": outgoing.request,
            "actions": actions,
            "created_at": now,
        },
    )


__all__ = ["ChatDispatcher", "HandOver", "Handed", "OutboxMessage", "Router", "Tally", "backoff", "uncounted"]
