"""Inbound events kept in the store before they are acknowledged, then processed from there.

A platform that is told "received" does not send an event again (Slack acknowledges within three
seconds and forgets). So a channel keeps each event — the platform's own payload, before any
Web API call or engine work — in the outbox table under the topic `inbound`, in one short
transaction, and only then acknowledges it. The row is written leased to this process, which
processes it at once; if the process dies first, the row is still pending: the same process takes
it back when it restarts (its leases carry its replica id, see `bot.store.claims.reclaim`), and any
other replica takes it when the lease runs out.

Processing is at least once; its effects are exactly once, because the engine records every
event id it has handled (a second processing of one event does nothing) and the platform's
retries of an event are dropped here by the row's idempotency key. Events of one person are
processed in the order they arrived: a row waits while an earlier row of its key is pending.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Coroutine
from datetime import datetime, timedelta
from typing import Any

from bot.core.clock import Clock
from bot.store import claims, repo
from bot.store.db import Database

log = logging.getLogger("frontdoor.inbox")

TOPIC = "inbound"
LEASE = timedelta(seconds=30)
"""How long a kept event is this process's to handle: handling takes milliseconds, or seconds with
a language model or a slow Web API; past this, another replica may take it."""
GIVE_UP_AFTER = 8
"""Attempts before an event that keeps failing is set aside (dead), so it cannot block its key."""

Handler = Callable[[dict[str, Any]], Awaitable[None]]
"""Processes one kept event (the payload the channel kept); raising means "try again later"."""
Spawn = Callable[[Coroutine[Any, Any, None]], None]
"""Starts the processing of a kept event as a task (a channel's own task set, which it can wait for)."""


class Inbox:
    """Keeps inbound events before their acknowledgement and processes them."""

    def __init__(self, db: Database, clock: Clock, owner: str, batch: int = 50) -> None:
        self.db, self.clock, self.owner, self.batch = db, clock, owner, batch
        self.handlers: dict[str, Handler] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self._claim_due = True
        self._claiming = asyncio.Lock()
        self._done: list[int] = []  # processed, to be marked done (`record_done`)

    def handler(self, source: str, handler: Handler) -> None:
        """Events kept under `source` are processed by `handler`."""
        self.handlers[source] = handler

    async def keep(
        self, source: str, event_id: str, order: str | None, payload: dict[str, Any], spawn: Spawn | None = None
    ) -> bool:
        """Keep an event durably and start processing it (through `spawn`, else a task of the
        inbox's own); False when it was kept before (a platform's retry). Returns once the row is
        committed: the caller may then acknowledge. Events of one `order` are processed in turn;
        without one, an event waits for no other (and its row is written by the cheapest statement)."""
        now = self.clock.now()
        until = now + LEASE
        event = {"source": source, "event": payload}
        row = repo.OutboxRow(TOPIC, f"{source}:{order or event_id}", f"in:{source}:{event_id}", event, until)
        statement, values = repo.keep_row(self.db.dialect, row, now, self.owner, ordered=order is not None)
        written = await self.db.keep(statement, values)
        if written is None:
            return False
        row_id, taken = int(written["id"]), written["lease_until"] is not None
        start = spawn or self._spawn
        if taken:
            start(self._process_held(row_id, payload, source, until))
        else:
            self._claim_due = True
            start(self._drained())
        return True

    def _spawn(self, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.ensure_future(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _drained(self) -> None:
        await self.drain()

    async def _process_held(self, row_id: int, payload: dict[str, Any], source: str, until: datetime) -> None:
        await self._process(row_id, source, payload, until)
        if self._claim_due:  # events of the same key kept meanwhile wait for a claim round
            await self.drain()

    async def _process(self, row_id: int, source: str, payload: dict[str, Any], until: datetime) -> None:
        handler = self.handlers.get(source)
        error: str | None = f"no handler for {source!r} events" if handler is None else None
        if handler is not None:
            try:
                await handler(payload)
            except asyncio.CancelledError:  # stopping: give it back, the next start takes it at once
                await self.db.run(self._release, row_id, until)
                raise
            except Exception as exc:
                log.exception("inbound %s event failed; it will be tried again", source)
                error = f"{type(exc).__name__}: {exc}"
        if error is None:
            self._done.append(row_id)
            if len(self._done) >= self.batch:
                await self.record_done()
            return
        await self.db.run(self._record_failure, row_id, error, quick=True)

    async def record_done(self) -> None:
        """Mark the processed events done (and forget what they said), in one statement. This
        is batched (at most `batch` rows, or a poll interval, behind): the engine recorded each
        event id in the transaction that handled it, so an event processed again after a crash
        before its row was marked changes nothing."""
        done, self._done = self._done, []
        if done:
            await self.db.run(self._record_done, done, quick=True)

    def _record_done(self, row_ids: list[int]) -> None:
        with self.db.core_transaction() as connection:
            claims.done_and_forgotten(connection, row_ids, self.clock.now())

    def _record_failure(self, row_id: int, error: str) -> None:
        now = self.clock.now()
        with self.db.core_transaction() as connection:
            attempts = claims.attempts(connection, row_id)
            claims.settle(
                connection,
                row_id,
                now,
                error=error,
                retry_in=lambda n: timedelta(seconds=min(60, 2**n)),
                dead=attempts + 1 >= GIVE_UP_AFTER,
            )

    def _release(self, row_id: int, until: datetime) -> None:
        with self.db.core_transaction() as connection:
            claims.release(connection, [(row_id, until)])

    async def drain(self) -> int:
        """Process every kept event that is ready (after a restart, or left behind an earlier event
        of its key), in claim rounds, until a round takes nothing; how many were processed. Events
        still waiting behind one being processed are left for the round that one starts when done."""
        total = 0
        async with self._claiming:
            while self._claim_due:
                await self.record_done()  # rows of their keys may be waiting behind them
                now = self.clock.now()
                taken, self._claim_due = await self.db.run(self._claim, now, quick=True)
                if not taken:
                    break
                await asyncio.gather(  # one row per key: events of different people, side by side
                    *(
                        self._process(row_id, str(payload.get("source")), dict(payload.get("event") or {}), now + LEASE)
                        for row_id, payload in taken
                    )
                )
                total += len(taken)
        return total

    def _claim(self, now: datetime) -> tuple[list[tuple[int, dict[str, Any]]], bool]:
        """Rows taken, and whether more may be waiting (behind them, or beyond the batch)."""
        with self.db.core_transaction() as connection:
            claimed = claims.claim(connection, TOPIC, now, self.batch, lease=LEASE, owner=self.owner)
        return [(row.id, dict(row.payload)) for row in claimed.rows], claimed.more

    async def poll(self) -> int:
        """At the poll interval: mark what was processed, then a claim round (events another
        replica left when it died, or due for another try)."""
        await self.record_done()
        self._claim_due = True
        processed = await self.drain()
        await self.record_done()
        return processed

    async def stop(self, grace: float = 5.0) -> None:
        """Let the events being processed finish for up to `grace` seconds, then cancel the rest
        (each gives its row back, so the next start processes it at once)."""
        if self._tasks:
            await asyncio.wait(list(self._tasks), timeout=grace)
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        await self.record_done()
