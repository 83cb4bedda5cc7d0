"""Database work from async code: off the event loop, in order, errors handed back."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path

import pytest

from bot.store.db import Database


async def test_work_runs_off_the_loop_in_order(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path}/t.db")
    gate, ran = threading.Event(), []
    loop_thread = threading.get_ident()

    def blocker() -> None:
        assert threading.get_ident() != loop_thread
        gate.wait(5)

    def note(name: str) -> str:
        ran.append(name)
        return name

    busy = asyncio.ensure_future(db.run(blocker))
    await asyncio.sleep(0.05)  # the one SQLite thread is busy: what follows queues
    queued = [asyncio.ensure_future(db.run(note, f"event {n}")) for n in range(3)]
    await asyncio.sleep(0.05)
    assert not any(task.done() for task in queued)  # the loop is free while the thread works
    gate.set()
    assert await asyncio.gather(busy, *queued) == [None, "event 0", "event 1", "event 2"]
    assert ran == ["event 0", "event 1", "event 2"]  # one SQLite thread: one at a time, in order
    db.dispose()


async def test_an_error_reaches_the_caller(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path}/t.db")

    def broken() -> None:
        raise LookupError("no such request")

    with pytest.raises(LookupError, match="no such request"):
        await db.run(broken)
    assert await db.run(lambda: 42) == 42  # the thread lives on
    db.dispose()


async def test_quick_work_runs_in_place_only_while_no_other_database_work_is_under_way(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path}/t.db")
    loop_thread = threading.get_ident()
    assert await db.run(threading.get_ident, quick=True) == loop_thread  # idle: no hand-over
    gate = threading.Event()
    busy = asyncio.ensure_future(db.run(gate.wait, 5))
    await asyncio.sleep(0.05)
    quick = asyncio.ensure_future(db.run(threading.get_ident, quick=True))
    await asyncio.sleep(0.05)
    assert not quick.done()  # the database thread is busy: the quick work waits its turn there
    gate.set()
    await busy
    assert await quick != loop_thread
    db.dispose()


def test_sqlite_transactions_that_read_then_write_queue_instead_of_failing(tmp_path: Path) -> None:
    """Each transaction takes SQLite's write lock when it begins: two that read, then write, at
    once (two processes, or a thread beside the database thread) wait for each other instead of
    one failing to upgrade its lock ("database is locked")."""
    import time

    from sqlalchemy import text

    db = Database(f"sqlite:///{tmp_path}/t.db")
    with db.transaction() as session:
        session.execute(text("CREATE TABLE counter (n INTEGER)"))
        session.execute(text("INSERT INTO counter VALUES (0)"))
    errors: list[BaseException] = []

    def bump() -> None:
        try:
            with db.transaction() as session:
                n = session.execute(text("SELECT n FROM counter")).scalar_one()
                time.sleep(0.2)  # the other transaction starts meanwhile
                session.execute(text("UPDATE counter SET n = :n"), {"n": n + 1})
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=bump) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    with db.transaction() as session:
        assert errors == [] and session.execute(text("SELECT n FROM counter")).scalar_one() == 2  # no lost update
    db.dispose()
