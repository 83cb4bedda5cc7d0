"""Database access: the engine, sessions, transactions and migrations."""

from __future__ import annotations

import asyncio
import contextvars
import functools
import itertools
import queue
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import NullPool, StaticPool
from sqlalchemy.sql.expression import UpdateBase

from bot.store.keeper import Keeper

MIGRATIONS = Path(__file__).parent / "migrations"
T = TypeVar("T")


def _sqlite_setup(engine: Engine) -> None:
    """WAL and a busy timeout, so concurrent writers queue instead of failing; the driver's own
    transaction handling off (`transaction()` sends BEGIN IMMEDIATE itself)."""

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()


def _begin_immediate(connection: Any) -> None:
    """Open the SQLite transaction with the write lock taken (the driver's own handling is off)."""
    connection.connection.dbapi_connection.execute("BEGIN IMMEDIATE")


class _Threads:
    """The database threads, taking work in order, except that urgent work (keeping an inbound
    event before it is acknowledged) goes ahead of work already queued: an acknowledgement waits
    for at most the transaction under way, never for a queue of engine turns."""

    def __init__(self, workers: int, prefix: str) -> None:
        self._queue: queue.PriorityQueue[tuple[int, int, Callable[[], Any] | None, Future[Any] | None]]
        self._queue = queue.PriorityQueue()
        self._order = itertools.count()
        self._threads = [threading.Thread(target=self._work, name=f"{prefix}-{n}", daemon=True) for n in range(workers)]
        for thread in self._threads:
            thread.start()

    def submit(self, work: Callable[[], T], *, urgent: bool = False) -> Future[T]:
        future: Future[T] = Future()
        self._queue.put((0 if urgent else 1, next(self._order), work, future))
        return future

    def _work(self) -> None:
        while True:
            _priority, _n, work, future = self._queue.get()
            if work is None or future is None:
                return
            if not future.set_running_or_notify_cancel():
                continue
            try:
                future.set_result(work())
            except BaseException as exc:
                future.set_exception(exc)

    def shutdown(self) -> None:
        """Stop the threads once the work already queued is done (they are daemons: a stuck one
        does not keep the process alive)."""
        for _thread in self._threads:
            self._queue.put((2, next(self._order), None, None))


class Database:
    """One database: an engine, a session factory and `transaction()`."""

    def __init__(self, url: str, *, echo: bool = False) -> None:
        self.url = url
        kwargs: dict[str, Any] = {"echo": echo, "future": True}
        if url.startswith("sqlite"):
            path = url.split("///", 1)[-1]
            if path in ("", ":memory:"):
                kwargs.update(poolclass=StaticPool, connect_args={"check_same_thread": False})
            else:
                Path(path).parent.mkdir(parents=True, exist_ok=True)
                kwargs.update(connect_args={"check_same_thread": False, "timeout": 30})
        else:
            kwargs.update(pool_size=10, max_overflow=20, pool_pre_ping=True)
        self.engine: Engine = create_engine(url, **kwargs)
        if url.startswith("sqlite"):
            _sqlite_setup(self.engine)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        # Database work of async code runs on these threads, never on the event loop: a transaction
        # waiting for a lock must not hold up acknowledgements. SQLite has one writer, so one thread
        # (no lock waits at all); PostgreSQL runs transactions side by side.
        workers = 1 if url.startswith("sqlite") else 8
        self._inline_when_idle = url.startswith("sqlite")
        self._in_flight = 0
        self._pool = _Threads(workers, "frontdoor-db")
        self._keeper = None if url.startswith("sqlite") else Keeper(self.engine)

    @property
    def is_postgres(self) -> bool:
        return self.engine.dialect.name == "postgresql"

    @property
    def dialect(self) -> str:
        """The database's kind: "sqlite" or "postgresql"."""
        return self.engine.dialect.name

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session in one transaction: committed on success, rolled back on error. On SQLite the
        transaction takes the write lock at once (BEGIN IMMEDIATE): a transaction that reads, then
        writes, never fails to upgrade its lock. It is sent straight to the driver rather than from
        a "begin" event listener: any engine event makes SQLAlchemy dispatch events around every
        statement."""
        with self._sessions() as session, session.begin():
            if self._inline_when_idle:
                _begin_immediate(session.connection())
            yield session

    @contextmanager
    def core_transaction(self) -> Iterator[Connection]:
        """A bare connection in one transaction, for work that is Core statements only (the
        outbox's records): no ORM session to set up and tear down."""
        with self.engine.begin() as connection:
            if self._inline_when_idle:
                _begin_immediate(connection)
            yield connection

    async def run(self, work: Callable[..., T], *args: Any, quick: bool = False, urgent: bool = False) -> T:
        """Run blocking database work (a function that opens its own transactions) off the event loop.

        `quick` work (a few short statements: the outbox's rounds) runs right here on SQLite when
        none of this process's database work is under way, since then nothing it could wait for
        holds the file's lock, and a hand-over to a thread costs more than the work. `urgent` work
        goes ahead of work waiting for a thread (see `_Threads`)."""
        if quick and self._inline_when_idle and self._in_flight == 0:
            return work(*args)
        call = functools.partial(contextvars.copy_context().run, work, *args)
        self._in_flight += 1
        try:
            return await asyncio.wrap_future(self._pool.submit(call, urgent=urgent))
        finally:
            self._in_flight -= 1

    async def keep(self, statement: UpdateBase, values: dict[str, Any]) -> dict[str, Any] | None:
        """Run one statement and commit it before returning, ahead of other database work: what an
        acknowledgement waits for. The first row it returns (by column name), or None. On
        PostgreSQL it is sent from the event loop on a connection kept for this, committing by
        itself (see `bot.store.keeper`; a broken connection is replaced and the statement sent
        again, so it must be safe to run twice). On SQLite it runs in a transaction of its own,
        before any work waiting for the database thread (or right here when none is under way)."""
        if self._keeper is not None:
            return await self._keeper.first(statement, values)
        return await self.run(self._first_row, statement, values, quick=True, urgent=True)

    def _first_row(self, statement: UpdateBase, values: dict[str, Any]) -> dict[str, Any] | None:
        with self.core_transaction() as connection:
            row = connection.execute(statement, values).first()
        return None if row is None else dict(row._mapping)

    def upgrade(self) -> None:
        """Apply the Alembic migrations up to head."""
        from alembic import command
        from alembic.config import Config

        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        config.set_main_option("sqlalchemy.url", self.url.replace("%", "%%"))
        with self.engine.begin() as connection:
            if self._inline_when_idle:  # SQLite: one transaction for the whole upgrade, as elsewhere
                _begin_immediate(connection)
            config.attributes["connection"] = connection
            command.upgrade(config, "head")

    def dispose(self) -> None:
        self._pool.shutdown()
        if self._keeper is not None:
            self._keeper.close()
        self.engine.dispose()


__all__ = ["Database", "NullPool"]
