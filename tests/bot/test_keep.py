"""What an acknowledgement waits for (`Database.keep`): one statement, committed before it returns,
ahead of other database work; on PostgreSQL, sent from the event loop on connections of its own."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, text

from bot.store import repo
from bot.store.db import Database
from bot.store.models import OutboxMessage
from tests.conftest import drop_pg_database, fresh_pg_database

NOW = datetime(2026, 11, 23, 15, tzinfo=UTC)
UNTIL = NOW + timedelta(seconds=30)


@pytest.fixture
def pg_url(pg_server: str) -> Iterator[str]:
    url, name = fresh_pg_database(pg_server)
    try:
        yield url
    finally:
        drop_pg_database(pg_server, name)


def _row(n: int, key: str | None = None) -> repo.OutboxRow:
    payload = {"source": "slack", "event": {"text": "Ünïcode “quotes”", "n": [n, None]}}
    return repo.OutboxRow("inbound", key or f"slack:Ev{n}", f"in:slack:Ev{n}", payload, UNTIL)


async def _keep(db: Database, row: repo.OutboxRow, *, ordered: bool = False) -> dict[str, object] | None:
    return await db.keep(*repo.keep_row(db.dialect, row, NOW, "replica-a", ordered=ordered))


async def test_a_kept_row_is_committed_as_written_and_a_repeated_key_adds_nothing(database_url: str) -> None:
    db = Database(database_url)
    db.upgrade()
    written = await _keep(db, _row(1))
    assert written is not None and written["lease_until"] is not None
    assert await _keep(db, _row(1)) is None  # a platform's retry
    reader = Database(database_url)  # another connection sees it: committed
    with reader.transaction() as session:
        row = session.scalars(select(OutboxMessage)).one()
        assert (row.id, row.topic, row.key, row.idempotency_key, row.payload) == (
            written["id"],
            "inbound",
            "slack:Ev1",
            "in:slack:Ev1",
            _row(1).payload,
        )
        assert (row.status, row.attempts, row.next_attempt_at, row.created_at) == ("pending", 0, NOW, NOW)
        assert (row.lease_until, row.lease_owner) == (UNTIL, "replica-a")
    reader.dispose()
    db.dispose()


async def test_an_ordered_row_waits_behind_a_pending_row_of_its_key(database_url: str) -> None:
    db = Database(database_url)
    db.upgrade()
    first = await _keep(db, _row(1, "slack:U1"), ordered=True)
    second = await _keep(db, _row(2, "slack:U1"), ordered=True)
    assert first is not None and first["lease_until"] is not None
    assert second is not None and second["lease_until"] is None  # left for a claim round
    db.dispose()


async def test_a_keep_goes_ahead_of_work_waiting_for_the_database_thread(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path}/fd.db")
    db.upgrade()
    under_way, waiting = threading.Event(), threading.Event()
    busy = asyncio.ensure_future(db.run(under_way.wait, 5))
    await asyncio.sleep(0.05)
    queued = [asyncio.ensure_future(db.run(waiting.wait, 5)) for _ in range(3)]  # engine turns, say
    kept = asyncio.ensure_future(_keep(db, _row(1)))
    await asyncio.sleep(0.05)
    under_way.set()
    try:  # the keep runs right after the work under way, while the queued work still waits
        assert await asyncio.wait_for(kept, 2) is not None
    finally:
        waiting.set()
        await asyncio.gather(busy, *queued)
    db.dispose()


async def test_on_postgresql_a_keep_waits_for_no_database_thread(pg_url: str) -> None:
    db = Database(pg_url)
    db.upgrade()
    gate = threading.Event()
    busy = [asyncio.ensure_future(db.run(gate.wait, 10)) for _ in range(12)]  # every thread, and more
    await asyncio.sleep(0.05)
    try:
        assert await asyncio.wait_for(_keep(db, _row(1)), 5) is not None
    finally:
        gate.set()
        await asyncio.gather(*busy)
    db.dispose()


async def test_on_postgresql_a_connection_the_server_dropped_is_replaced(pg_url: str) -> None:
    db = Database(pg_url)
    db.upgrade()
    assert await _keep(db, _row(1)) is not None
    with db.engine.connect() as admin:  # the server restarts, say: its connections are gone
        admin.execute(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        )
    assert await _keep(db, _row(2)) is not None
    assert await _keep(db, _row(2)) is None
    db.dispose()


def test_on_postgresql_keeps_work_from_one_event_loop_to_the_next(pg_url: str) -> None:
    db = Database(pg_url)
    db.upgrade()
    assert asyncio.run(_keep(db, _row(1))) is not None
    assert asyncio.run(_keep(db, _row(2))) is not None  # the first loop's connections are not reused
    db.dispose()
