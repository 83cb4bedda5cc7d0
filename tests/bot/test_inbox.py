"""Kept inbound events: written before the acknowledgement, processed once, taken back after a
crash by the restarted replica at once and by another replica after the lease."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select

from bot.core.clock import ManualClock
from bot.inbox import LEASE, TOPIC, Inbox
from bot.store import claims
from bot.store.db import Database
from bot.store.models import OutboxMessage

NOW = datetime(2026, 11, 23, 15, tzinfo=UTC)


def _rows(db: Database) -> list[tuple[str, str, int]]:
    with db.transaction() as session:
        rows = session.scalars(select(OutboxMessage).where(OutboxMessage.topic == TOPIC).order_by(OutboxMessage.id))
        return [(row.idempotency_key, row.status, row.attempts) for row in rows]


async def _settled(inbox: Inbox) -> None:
    """Wait for the events being processed, then mark them done (as the poll interval would)."""
    for _ in range(100):
        if not inbox._tasks:
            break
        await asyncio.sleep(0.01)
    await inbox.record_done()


async def test_an_event_is_kept_then_processed_once_and_a_retry_is_dropped(database_url: str) -> None:
    db = Database(database_url)
    db.upgrade()
    seen: list[dict[str, Any]] = []

    async def handle(event: dict[str, Any]) -> None:
        seen.append(event)

    inbox = Inbox(db, ManualClock(NOW), owner="replica-a")
    inbox.handler("slack", handle)
    assert await inbox.keep("slack", "Ev1", "U1", {"text": "we need 3 monitors"})
    assert not await inbox.keep("slack", "Ev1", "U1", {"text": "we need 3 monitors"})  # Slack's retry
    await _settled(inbox)
    assert seen == [{"text": "we need 3 monitors"}]
    assert _rows(db) == [("in:slack:Ev1", "sent", 0)]
    with db.transaction() as session:  # what the person wrote is not kept once it is processed
        assert session.scalars(select(OutboxMessage.payload)).all() == [claims.PURGED]
    db.dispose()


async def test_one_persons_events_are_processed_in_the_order_they_came(database_url: str) -> None:
    db = Database(database_url)
    db.upgrade()
    seen: list[str] = []

    async def handle(event: dict[str, Any]) -> None:
        await asyncio.sleep(0.02 if event["n"] == 1 else 0)
        seen.append(f"{event['who']}{event['n']}")

    inbox = Inbox(db, ManualClock(NOW), owner="replica-a")
    inbox.handler("slack", handle)
    for n in (1, 2, 3):
        await inbox.keep("slack", f"EvA{n}", "alice", {"who": "a", "n": n})
    await inbox.keep("slack", "EvB1", "bob", {"who": "b", "n": 1})
    await _settled(inbox)
    await inbox.drain()
    assert [s for s in seen if s.startswith("a")] == ["a1", "a2", "a3"]
    assert sorted(seen) == ["a1", "a2", "a3", "b1"]
    db.dispose()


async def test_a_failing_event_is_tried_again_later_and_set_aside_in_the_end(database_url: str) -> None:
    db = Database(database_url)
    db.upgrade()
    clock = ManualClock(NOW)
    tries: list[int] = []

    async def handle(event: dict[str, Any]) -> None:
        tries.append(1)
        raise RuntimeError("the engine is down")

    inbox = Inbox(db, clock, owner="replica-a")
    inbox.handler("slack", handle)
    await inbox.keep("slack", "Ev1", "U1", {})
    await _settled(inbox)
    assert _rows(db) == [("in:slack:Ev1", "pending", 1)]
    assert await inbox.poll() == 0  # not before its retry time
    for _ in range(20):
        clock.advance(timedelta(minutes=2))
        await inbox.poll()
    assert _rows(db) == [("in:slack:Ev1", "dead", 8)] and len(tries) == 8
    db.dispose()


async def test_after_a_crash_the_restarted_replica_takes_its_events_back_at_once(database_url: str) -> None:
    db = Database(database_url)
    db.upgrade()
    clock = ManualClock(NOW)
    stuck = asyncio.Event()

    async def hangs(event: dict[str, Any]) -> None:
        await stuck.wait()

    first = Inbox(db, clock, owner="replica-a")
    first.handler("slack", hangs)
    await first.keep("slack", "Ev1", "U1", {"text": "confirm"})
    await first.keep("slack", "Ev2", "U2", {"text": "hello"})
    await asyncio.sleep(0.05)  # the process hangs here, then dies: its leases stay, nothing is given back
    assert [status for _k, status, _a in _rows(db)] == ["pending", "pending"]

    seen: list[str] = []

    async def handle(event: dict[str, Any]) -> None:
        seen.append(event["text"])

    other = Inbox(db, clock, owner="replica-b")
    other.handler("slack", handle)
    assert await other.poll() == 0  # another replica waits for the lease…
    with db.core_transaction() as connection:
        assert claims.reclaim(connection, "replica-a") == 2  # …the restarted replica takes them back
    restarted = Inbox(db, clock, owner="replica-a")
    restarted.handler("slack", handle)
    assert await restarted.poll() == 2
    assert sorted(seen) == ["confirm", "hello"]
    assert [status for _k, status, _a in _rows(db)] == ["sent", "sent"]
    await first.stop()
    db.dispose()


async def test_another_replica_takes_a_dead_replicas_events_after_the_lease(database_url: str) -> None:
    db = Database(database_url)
    db.upgrade()
    clock = ManualClock(NOW)
    with db.core_transaction() as connection:  # kept by a replica that died before processing it
        from bot.store import repo

        repo.enqueue_many(
            connection,
            [(TOPIC, "slack:U1", "in:slack:Ev1", {"source": "slack", "event": {"text": "confirm"}}, NOW + LEASE)],
            NOW,
            owner="replica-a",
        )
    seen: list[str] = []

    async def handle(event: dict[str, Any]) -> None:
        seen.append(event["text"])

    other = Inbox(db, clock, owner="replica-b")
    other.handler("slack", handle)
    assert await other.poll() == 0
    clock.advance(LEASE + timedelta(seconds=1))
    assert await other.poll() == 1 and seen == ["confirm"]
    db.dispose()
